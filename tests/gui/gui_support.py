"""Constants and helpers the GUI tests import (a uniquely named module, not `conftest`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# Qt's offscreen platform says this whenever size limits change; it is not our warning.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"

MODEL_TIMEOUT_MS = 120_000


def save_shot(widget: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(path)), f"could not save {path}"
    return path


def open_window(qtbot: Any, ws: Any, data_dir: Path) -> Any:
    """A real MainWindow on the workspace, shown at 1280x800, listed, article focused."""
    from newsmark.ui.main_window import MainWindow

    win = MainWindow(ws.repo, ws.annotator, settings_path=data_dir / "window.ini")
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.load()
    win.activateWindow()
    win.article.setFocus()
    return win


def window_on(qtbot: Any, ws: Any, doc_id: int, data_dir: Path) -> Any:
    """`open_window` with `doc_id` open: what the tests of one hand-written document
    start from."""
    win = open_window(qtbot, ws, data_dir)
    win.documents.select(doc_id)
    win.activateWindow()
    win.article.setFocus()
    return win
