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


def server_workspace(data_dir: Path, url: str) -> Any:
    """The workspace on a server database (`url`), opened as the window opens it (with
    `take_lock`; a server has no writer lock, so it stays writable)."""
    from newsmark.services.workspace import open_workspace

    return open_workspace(data_dir, take_lock=True, db=url)


def server_window(
    qtbot: Any, ws: Any, annotator: str, data_dir: Path, *, editor: str | None = None
) -> Any:
    """A real MainWindow as `annotator` on a team workspace, shown at 1200x780 and loaded;
    `editor` (else the annotator) is who its edits are logged as and names its settings
    file in `data_dir`."""
    from newsmark.ui.main_window import MainWindow

    who = annotator if editor is None else editor
    win = MainWindow(
        ws.repo, annotator, settings_path=data_dir / f"window-{who}.ini", settings=ws.settings
    )
    if editor is not None:
        win.session.editor = editor
    qtbot.addWidget(win)
    win.resize(1200, 780)
    win.show()
    qtbot.waitExposed(win)
    win.load()
    return win
