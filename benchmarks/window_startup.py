"""Window start-up: `newsmark gui` on the seed vs a bare PySide6 window showing the same text.

Both run as fresh processes (offscreen unless --platform says otherwise); the clock runs
from just before the process starts until it prints a marker after the first paint of
the article with its text (NEWSMARK_BENCH_MARKER=1 in the app; the same event filter in
the baseline). The data dir is prepared beforehand (seeded, annotator set), so neither
run imports anything. Both may write bytecode caches (PYTHONDONTWRITEBYTECODE is dropped
for them): the warm-up run writes Newsmark's, as an installed package has them, so no
timed run compiles Newsmark's sources (~0.15 s that no user pays). Prints the medians
of --runs runs and the ratio (target <= 1.5x).

Newsmark first paints the seed's text read-only (storage.peek, before SQLAlchemy and the
window's modules load), then builds the real window. So a second figure is measured too:
"interactive", the marker printed after the real window's article is painted with the
document list filled and the document open (NEWSMARK_INTERACTIVE). Without a peek both
markers come from the same paint. The bare window is interactive at its first paint.

A third process is timed as the floor of "editable": the same bare window, but it reads
the text through SQLAlchemy's ORM from the same database first (import, one mapped
class, engine, one query), the least any window that edits through SQLAlchemy must do
before its first editable paint. Newsmark's interactive time is printed against both.

With --frozen PATH, the PyInstaller bundle's executable (packaging/build.sh) is a fourth
contestant in the same interleaved runs, on the same data dir: its first paint and
interactive figures against `python -m newsmark`'s (the bundle must not be slower).

    python benchmarks/window_startup.py [--runs 7] [--platform offscreen] [--frozen PATH]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import SEED
from newsmark.paths import database_path

MARKER = "NEWSMARK_FIRST_PAINT"
INTERACTIVE = "NEWSMARK_INTERACTIVE"

# The window both baselines show: `text` in a read-only QPlainTextEdit, the marker
# printed after its first paint with text (the same event filter as the app's).
WINDOW = """
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
view.setPlainText(text)
marker = Marker()
view.viewport().installEventFilter(marker)
view.resize(1280, 800)
view.show()
app.exec()
"""

# A bare PySide6 window showing the text file in argv[1].
BASELINE = (
    """
import sys
from pathlib import Path

text = Path(sys.argv[1]).read_text(encoding="utf-8")
"""
    + WINDOW
)

# The same window, reading its text through SQLAlchemy's ORM first (argv: the database).
ORM_FLOOR = (
    """
import sys
from sqlalchemy import Integer, Text, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

class Base(DeclarativeBase):
    pass

class Document(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)

with Session(create_engine(f"sqlite:///{sys.argv[1]}")) as session:
    text = session.scalar(select(Document.text).order_by(Document.id).limit(1))
"""
    + WINDOW
)


def time_to_marker(
    cmd: list[str], env: dict[str, str], timeout: float = 120.0, *, interactive: bool = False
) -> tuple[float, float]:
    """Seconds to the first-paint marker and to the interactive one (the same without)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    first: float | None = None
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            now = time.perf_counter() - t0
            if line.strip() == MARKER:
                first = now
                if not interactive:
                    return first, first
            elif line.strip() == INTERACTIVE and first is not None:
                return first, now
            if now > timeout:
                break
        raise RuntimeError(f"no {MARKER}/{INTERACTIVE} from {cmd[:3]} (exit {proc.poll()})")
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
    parser.add_argument(
        "--frozen",
        type=Path,
        default=None,
        metavar="PATH",
        help="a frozen build's executable (dist/newsmark/newsmark), timed in the same runs",
    )
    args = parser.parse_args()
    if args.frozen is not None and not os.access(args.frozen, os.X_OK):
        parser.error(f"--frozen {args.frozen}: not an executable file")

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        prepare(data)
        env = {**os.environ, "QT_QPA_PLATFORM": args.platform, "NEWSMARK_BENCH_MARKER": "1"}
        env.pop("NEWSMARK_HOME", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # the warm-up run below writes them
        app_cmd = [sys.executable, "-m", "newsmark", "--data-dir", str(data), "gui"]
        base_cmd = [sys.executable, "-c", BASELINE, str(SEED)]
        floor_cmd = [sys.executable, "-c", ORM_FLOOR, str(database_path(data))]
        time_to_marker(app_cmd, env, interactive=True)  # warm the OS file cache for all
        time_to_marker(base_cmd, env)
        time_to_marker(floor_cmd, env)
        frozen_cmd = None
        if args.frozen is not None:
            frozen_cmd = [str(args.frozen.resolve()), "--data-dir", str(data), "gui"]
            time_to_marker(frozen_cmd, env, interactive=True)  # its files into the cache too
        app_first, app_ready, base_times, floor_times = [], [], [], []
        frozen_first: list[float] = []
        frozen_ready: list[float] = []
        for _ in range(args.runs):  # interleaved, so load drifts hit all alike
            base_times.append(time_to_marker(base_cmd, env)[0])
            floor_times.append(time_to_marker(floor_cmd, env)[0])
            first, ready = time_to_marker(app_cmd, env, interactive=True)
            app_first.append(first)
            app_ready.append(ready)
            if frozen_cmd is not None:
                first, ready = time_to_marker(frozen_cmd, env, interactive=True)
                frozen_first.append(first)
                frozen_ready.append(ready)

    base_s, floor_s = statistics.median(base_times), statistics.median(floor_times)
    first_s, ready_s = statistics.median(app_first), statistics.median(app_ready)
    print(f"platform:             {args.platform}, {args.runs} runs each (medians)")
    print(f"bare PySide6 window:  {base_s * 1000:7.0f} ms to the first paint of the text")
    print(f"+ SQLAlchemy ORM read: {floor_s * 1000:7.0f} ms (the floor of an editable window)")
    print(f"newsmark first paint: {first_s * 1000:7.0f} ms (the seed's text, read-only)")
    print(f"newsmark interactive: {ready_s * 1000:7.0f} ms (window built, list, document open)")
    print(f"ratio first paint:    {first_s / base_s:7.2f}x (target <= 1.5x)")
    print(f"ratio interactive:    {ready_s / base_s:7.2f}x (the floor: {floor_s / base_s:.2f}x)")
    print(f"interactive / floor:  {ready_s / floor_s:7.2f}x")
    if frozen_first:
        f_first, f_ready = statistics.median(frozen_first), statistics.median(frozen_ready)
        print(f"frozen first paint:   {f_first * 1000:7.0f} ms ({args.frozen})")
        print(f"frozen interactive:   {f_ready * 1000:7.0f} ms")
        print(
            f"frozen / python -m:   {f_first / first_s:7.2f}x first paint, "
            f"{f_ready / ready_s:.2f}x interactive (target <= 1.0x)"
        )


if __name__ == "__main__":
    main()
