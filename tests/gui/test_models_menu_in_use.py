"""The Model menu knows the model the NLP worker runs (--model, $NEWSMARK_MODEL), not
only the configured one: it is checked, not offered for deletion, not deleted, and
"Default model" switches away from it (real SQLite, a real MainWindow)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsmark.services.models import loader
from newsmark.services.settings import Settings
from newsmark.services.workspace import Workspace
from newsmark.ui.main_window import MainWindow
from newsmark.ui.models_menu import DEFAULT_TEXT
from newsmark.workers.nlp_worker import NlpWorker


@pytest.fixture
def started_with_model(qtbot, workspace: Workspace) -> Iterator[MainWindow]:
    """The window as `newsmark --model inuse` opens it: the settings name no model."""
    folder = workspace.data_dir / "models" / "inuse"
    folder.mkdir(parents=True)
    (folder / "meta.json").write_text("{}")
    workspace.repo.register_model("inuse", str(folder), "en_core_web_sm", "1.0.0+t", {})
    workspace.repo.register_model(
        "other", str(workspace.data_dir / "models" / "other"), "en_core_web_sm", "1.0.0+u", {}
    )
    worker = NlpWorker("inuse", loader=loader(workspace.repo))  # not started: nothing loads
    win = MainWindow(
        workspace.repo,
        workspace.annotator,
        worker=worker,
        settings_path=workspace.data_dir / "window.ini",
    )
    qtbot.addWidget(win)
    yield win
    worker.shutdown()
    win.close()


def test_the_running_model_is_checked_and_not_deletable(started_with_model, workspace) -> None:
    menu = started_with_model.models_menu
    assert menu.settings.model is None
    menu.relist()
    checked = [a.text() for a in menu.menu.actions() if a.isChecked()]
    assert len(checked) == 1 and checked[0].startswith("inuse")
    delete = next(a for a in menu.menu.actions() if a.menu() is not None)
    assert [a.text() for a in delete.menu().actions()] == ["other"]
    menu.confirm_delete = lambda name: True
    assert not menu.delete("inuse")  # asked directly: refused all the same
    assert [m.name for m in workspace.repo.trained_models()] == ["inuse", "other"]
    assert Path(workspace.data_dir / "models" / "inuse").is_dir()


def test_default_model_switches_away_from_the_running_one(started_with_model, workspace) -> None:
    menu = started_with_model.models_menu
    menu.relist()
    default = menu.menu.actions()[0]
    assert default.text() == DEFAULT_TEXT and not default.isChecked()
    default.trigger()
    assert menu.worker.model_name is None
    assert Settings(workspace.data_dir / "newsmark.ini").model is None
    menu.relist()
    assert menu.menu.actions()[0].isChecked()
    menu.confirm_delete = lambda name: True
    assert menu.delete("inuse")
    assert not (workspace.data_dir / "models" / "inuse").exists()
