"""GUI test fixtures: offscreen Qt, a real workspace on the seed, the real model worker."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Before any Qt import: offscreen, with a screen large enough for 1280x800 screenshots.
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    _screen = Path(tempfile.gettempdir()) / "newsmark-offscreen-screen.json"
    _screen.write_text(
        json.dumps(
            {
                "screens": [
                    {"name": "s0", "x": 0, "y": 0, "width": 1600, "height": 1000, "logicalDpi": 96}
                ]
            }
        )
    )
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen}"

import pytest
from gui_support import OFFSCREEN_NOISE

from newsmark.services.workspace import Workspace, open_workspace, seed_if_empty
from newsmark.ui.main_window import MainWindow
from newsmark.workers.nlp_worker import NlpWorker

# WORKAROUND: https://bugreports.qt.io/browse/QTBUG-84350 - the offscreen platform warns
# "This plugin does not support propagateSizeHints()" whenever a top-level window's size
# limits change (docks do); it is not a problem of ours, every other warning still fails.


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A fresh data dir holding the seed article, imported through the services."""
    ws = open_workspace(tmp_path / "data", take_lock=True)
    added = seed_if_empty(ws)
    assert added, "the seed article was not imported"
    yield ws
    ws.close()


@pytest.fixture
def worker() -> Iterator[NlpWorker]:
    nlp = NlpWorker()
    yield nlp
    assert nlp.shutdown(), "the NLP thread did not stop"


@pytest.fixture
def window(qtbot, workspace: Workspace, worker: NlpWorker) -> Iterator[MainWindow]:
    win = MainWindow(
        workspace.repo,
        workspace.annotator,
        worker=worker,
        settings_path=workspace.data_dir / "window.ini",
    )
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    worker.shutdown()
    win.close()
