"""A read-only window (another Newsmark writes) offers neither Train a model… nor
Delete a trained model: both would fail only when writing (real SQLite, a real window)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsmark.services.workspace import Workspace, open_workspace
from newsmark.ui.main_window import MainWindow


@pytest.fixture
def readonly_window(qtbot, workspace: Workspace, tmp_path: Path) -> Iterator[MainWindow]:
    folder = workspace.data_dir / "models" / "kept"
    folder.mkdir(parents=True)
    workspace.repo.register_model("kept", str(folder), "en_core_web_sm", "1.0.0+t", {})
    # `workspace` holds the writer lock: a second window opens read-only.
    second = open_workspace(workspace.data_dir, take_lock=True)
    assert second.readonly
    win = MainWindow(
        second.repo,
        second.annotator,
        settings_path=second.data_dir / "window.ini",
        readonly_reason=second.readonly_reason,
    )
    qtbot.addWidget(win)
    yield win
    win.close()
    second.close()


def test_train_and_delete_are_off_when_read_only(readonly_window, workspace) -> None:
    menu = readonly_window.models_menu
    train = readonly_window.window_actions["train_model"]
    assert not train.isEnabled()
    train.trigger()  # a disabled action does nothing
    assert menu.dialog is None
    menu.relist()
    delete = next(a for a in menu.menu.actions() if a.menu() is not None)
    assert not delete.menu().isEnabled()
    assert [m.name for m in workspace.repo.trained_models()] == ["kept"]
