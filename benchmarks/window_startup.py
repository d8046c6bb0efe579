"""Window start-up: `newsmark gui` on the seed vs a bare PySide6 window showing the same text.

Both run as fresh processes (offscreen unless --platform says otherwise); the clock runs
from just before the process starts until it prints a marker after the first paint of
the article with its text (NEWSMARK_BENCH_MARKER=1 in the app; the same event filter in
the baseline). The data dir is prepared beforehand (seeded, annotator set), so neither
run imports anything. Prints the medians of --runs runs and the ratio (target <= 1.5x).

    python benchmarks/window_startup.py [--runs 7] [--platform offscreen]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import SEED

MARKER = "NEWSMARK_FIRST_PAINT"

BASELINE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    class Marker(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and view.toPlainText():
                watched.removeEventFilter(self)
                QTimer.singleShot(0, lambda: print("NEWSMARK_FIRST_PAINT", flush=True))
            return False

    app = QApplication(sys.argv[:1])
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setPlainText(Path(sys.argv[1]).read_text(encoding="utf-8"))
    marker = Marker()
    view.viewport().installEventFilter(marker)
    view.resize(1280, 800)
    view.show()
    app.exec()
    """
)


def time_to_marker(cmd: list[str], env: dict[str, str], timeout: float = 120.0) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip() == MARKER:
                return time.perf_counter() - t0
            if time.perf_counter() - t0 > timeout:
                break
        raise RuntimeError(f"no {MARKER} from {cmd[:3]} (exit {proc.poll()})")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def prepare(data: Path) -> None:
    """Seed the data dir and set the annotator, so start-up does no first-run work."""
    from newsmark.services.workspace import open_workspace, seed_if_empty

    ws = open_workspace(data)
    try:
        ws.settings.set("annotator", "bench")
        seed_if_empty(ws)
    finally:
        ws.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        prepare(data)
        env = {**os.environ, "QT_QPA_PLATFORM": args.platform, "NEWSMARK_BENCH_MARKER": "1"}
        env.pop("NEWSMARK_HOME", None)
        app_cmd = [sys.executable, "-m", "newsmark", "--data-dir", str(data), "gui"]
        base_cmd = [sys.executable, "-c", BASELINE, str(SEED)]
        time_to_marker(app_cmd, env)  # warm the OS file cache for both
        time_to_marker(base_cmd, env)
        app_times, base_times = [], []
        for _ in range(args.runs):  # interleaved, so load drifts hit both alike
            base_times.append(time_to_marker(base_cmd, env))
            app_times.append(time_to_marker(app_cmd, env))

    app_s, base_s = statistics.median(app_times), statistics.median(base_times)
    print(f"platform:             {args.platform}, {args.runs} runs each (medians)")
    print(f"bare PySide6 window:  {base_s * 1000:7.0f} ms to the first paint of the text")
    print(f"newsmark window:      {app_s * 1000:7.0f} ms (seed open, list, palette, docks)")
    print(f"ratio:                {app_s / base_s:7.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
