"""End to end: the real window on a real X server (Xvfb), with a screenshot of the screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

# Runs in a child process: the test session's QApplication is offscreen, this one is xcb.
SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from newsmark import app as app_module
    from newsmark.services.workspace import open_workspace

    data, shot = Path(sys.argv[1]), Path(sys.argv[2])
    qapp = app_module.make_application()
    assert QGuiApplication.platformName() == "xcb", QGuiApplication.platformName()
    ws = open_workspace(data, take_lock=True)
    root = app_module.Application(ws, None)
    state = {"spans": 0}

    def done():
        state["spans"] = len(root.window.article.spans)
        screen = QGuiApplication.primaryScreen()
        screen.grabWindow(0).save(str(shot))  # the X server's pixels, not a widget render
        qapp.quit()

    def check():
        if root.window.article.spans:
            QTimer.singleShot(500, done)
        else:
            QTimer.singleShot(200, check)

    root.start()
    root.window.resize(1280, 800)
    QTimer.singleShot(200, check)
    QTimer.singleShot(120_000, qapp.quit)
    qapp.exec()
    root.shutdown()
    print("SPANS", state["spans"])
    """
)


def test_window_on_a_real_x_server(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if shutil.which("Xvfb") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Xvfb is required under CI=true")
        pytest.skip("no Xvfb binary")
    request.getfixturevalue("xvfb")  # pytest-xvfb's display for this session
    assert os.environ.get("DISPLAY"), "pytest-xvfb did not set DISPLAY"
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "NEWSMARK_HOME": str(tmp_path / "data")}
    shot = tmp_path / "x11-window.png"
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "data"), str(shot)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "SPANS" in proc.stdout and "SPANS 0" not in proc.stdout, proc.stdout + proc.stderr
    assert shot.is_file() and shot.stat().st_size > 10_000
