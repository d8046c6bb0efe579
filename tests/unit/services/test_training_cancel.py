"""Stopping a training: cancel after an evaluation keeps model-best (registered, meta
says so); cancel before the first evaluation keeps nothing; Ctrl+C in the CLI cancels."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from gold_support import add_gold
from newsmark.domain.training import TrainProgress
from newsmark.services.progress import Cancelled
from newsmark.services.training import TrainOptions, score_fraction, train
from newsmark.services.workspace import open_workspace

ROOT = Path(__file__).resolve().parents[3]


def test_cancel_after_an_evaluation_keeps_the_best_so_far(data_dir: Path) -> None:
    ws = open_workspace()
    try:
        add_gold(ws.repo)
        seen: list[TrainProgress] = []
        options = TrainOptions(ner=True, name="stopped", max_steps=10_000, eval_frequency=2)
        outcome = train(
            ws.repo,
            ws.data_dir,
            options,
            progress=seen.append,
            cancelled=lambda: len(seen) >= 2,  # after the second evaluation
        )
        assert outcome.cancelled and not outcome.timed_out
        assert [p.step for p in seen[:2]] == [0, 2]
        assert seen[-1].stage == "done" and seen[-1].step == 2  # stopped there, not at 10,000
        assert outcome.model.meta["cancelled"] is True
        assert (data_dir / "models" / "stopped" / "meta.json").is_file()
        assert [m.name for m in ws.repo.trained_models()] == ["stopped"]
        assert not list((data_dir / "models").glob(".work-*"))  # scratch removed

        with pytest.raises(Cancelled):
            train(
                ws.repo, ws.data_dir, TrainOptions(ner=True, name="never"), cancelled=lambda: True
            )
        assert [m.name for m in ws.repo.trained_models()] == ["stopped"]
        assert not (data_dir / "models" / "never").exists()
    finally:
        ws.close()


def test_ctrl_c_stops_the_cli_and_keeps_the_best(data_dir: Path) -> None:
    ws = open_workspace()
    try:
        add_gold(ws.repo)
    finally:
        ws.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "desktop"), "NEWSMARK_HOME": str(data_dir)}
    argv = [sys.executable, "-m", "newsmark", "train", "--ner", "--name", "ctrlc"]
    argv += ["--max-steps", "100000", "--eval-frequency", "2"]
    proc = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    for line in proc.stdout:  # the second evaluation: a best model exists by now
        if line.startswith("ner ") and "step     2 " in line:
            break
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "best model so far is kept" in err
    assert "stopped early, kept the best so far: trained ctrlc" in out
    assert (data_dir / "models" / "ctrlc" / "meta.json").is_file()


def test_the_time_limit_stops_and_keeps_the_best(data_dir: Path) -> None:
    ws = open_workspace()
    try:
        add_gold(ws.repo)
        seen: list[TrainProgress] = []
        options = TrainOptions(
            ner=True, name="timed", max_steps=100_000, eval_frequency=2, max_minutes=0.0001
        )
        outcome = train(ws.repo, ws.data_dir, options, progress=seen.append)
        assert outcome.timed_out and not outcome.cancelled
        # The service grants each stage at least 3 s: a few evaluations, then the stop.
        assert seen[-1].stage == "done" and seen[-2].seconds < 30
        assert outcome.model.meta["timed_out"] is True
        assert outcome.model.meta["steps"]["ner"] < 1000
    finally:
        ws.close()


def test_a_learning_curve_point_trains_and_keeps_nothing(data_dir: Path) -> None:
    ws = open_workspace()
    try:
        add_gold(ws.repo)
        tiny = TrainOptions(ner=True, max_steps=4, eval_frequency=2)
        score = score_fraction(ws.repo, ws.data_dir, 0.5, options=tiny)
        assert 0.0 <= score <= 1.0
        assert ws.repo.trained_models() == []
        assert not any((data_dir / "models").iterdir())  # the scratch went with it
    finally:
        ws.close()
