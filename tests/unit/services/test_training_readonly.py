"""A training that cannot register its model: a read-only database is refused before
anything runs, and a registration that fails after the run leaves no folder behind to
block the name (real SQLite, real spaCy, a tiny run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gold_support import add_gold
from newsmark.domain.errors import NewsmarkError, UsageError
from newsmark.domain.training import TrainProgress
from newsmark.services.training import TrainOptions, train
from newsmark.services.workspace import open_workspace


def test_a_read_only_database_is_refused_before_training(data_dir: Path) -> None:
    holder = open_workspace()  # another process' writer holds the lock
    try:
        add_gold(holder.repo)
        window = open_workspace(take_lock=True)  # the window: read-only meanwhile
        try:
            assert window.readonly
            seen: list[TrainProgress] = []
            options = TrainOptions(ner=True, name="ro", max_steps=4, eval_frequency=2)
            with pytest.raises(UsageError, match="read-only"):
                train(window.repo, window.data_dir, options, progress=seen.append)
            assert seen == []  # nothing ran
        finally:
            window.close()
        assert not (data_dir / "models" / "ro").exists()
        assert holder.repo.trained_models() == []
    finally:
        holder.close()


def test_a_failed_registration_removes_the_model_folder(data_dir: Path) -> None:
    ws = open_workspace()
    try:
        add_gold(ws.repo)

        def meanwhile(p: TrainProgress) -> None:
            # Something else registers the name while this run trains.
            if ws.repo.trained_model("raced") is None:
                ws.repo.register_model("raced", "/elsewhere", "en_core_web_sm", "1", {})

        options = TrainOptions(ner=True, name="raced", max_steps=4, eval_frequency=2)
        with pytest.raises(NewsmarkError, match="registered already"):
            train(ws.repo, ws.data_dir, options, progress=meanwhile)
        assert not (data_dir / "models" / "raced").exists()
        assert [m.path for m in ws.repo.trained_models()] == ["/elsewhere"]
    finally:
        ws.close()
