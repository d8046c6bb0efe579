"""Closing the Train dialog with the title bar's X while it trains: the GUI thread does
not wait for the run; it stops after its step, its model is kept and registered, and
the dialog hears of it (real SQLite, real spaCy, a tiny run)."""

from __future__ import annotations

import time

from gui_support import MODEL_TIMEOUT_MS

from gold_support import add_gold
from newsmark.ui.dialogs.train_dialog import TrainDialog


def test_closing_while_training_does_not_block_and_keeps_the_run(qtbot, window, workspace) -> None:
    add_gold(workspace.repo)
    window.load()
    window.window_actions["train_model"].trigger()
    dialog = window.models_menu.dialog
    assert isinstance(dialog, TrainDialog)
    dialog.max_steps, dialog.eval_frequency = 10_000, 2  # long enough to close mid-run
    dialog.name_edit.setText("closed-mid-run")
    dialog.start()
    qtbot.waitUntil(lambda: len(dialog.progress_seen) >= 2, timeout=MODEL_TIMEOUT_MS)
    worker = dialog.worker
    assert worker is not None and worker.is_running

    started = time.monotonic()
    dialog.close()  # what the title bar's X does
    blocked = time.monotonic() - started
    assert not dialog.isVisible()
    assert blocked < 0.5, f"close() held the GUI thread {blocked:.2f} s"
    assert worker.is_running  # it finishes on its own thread, after its step

    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=MODEL_TIMEOUT_MS)
    assert dialog.outcome.cancelled
    assert [m.name for m in workspace.repo.trained_models()] == ["closed-mid-run"]
    qtbot.waitUntil(lambda: not worker.is_running, timeout=MODEL_TIMEOUT_MS)
    # The menu lists it once the run is in (the dialog's trained signal relisted it).
    texts = [a.text() for a in window.models_menu.menu.actions()]
    assert any(t.startswith("closed-mid-run") for t in texts)


def test_window_shutdown_waits_for_a_closed_dialogs_run(qtbot, window, workspace) -> None:
    add_gold(workspace.repo)
    window.load()
    first = window.models_menu.show_train_dialog()
    first.max_steps, first.eval_frequency = 10_000, 2
    first.name_edit.setText("first-run")
    first.start()
    qtbot.waitUntil(lambda: len(first.progress_seen) >= 1, timeout=MODEL_TIMEOUT_MS)
    first.close()
    second = window.models_menu.show_train_dialog()  # a new dialog replaces the closed one
    assert second is not first
    window.models_menu.shutdown()
    assert first.worker is not None and not first.worker.is_running
