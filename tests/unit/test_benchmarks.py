"""Every benchmark still runs, at a toy size: they call the code's APIs and rot silently.

No timing is asserted (machines here are shared and noisy); each run must finish and
print its comparison against the baseline it measures in the same run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "benchmarks"

# (script and toy arguments, a word every full report prints)
RUNS = [
    (["export_speed.py", "--docs", "20", "--repeat", "1"], "ratio"),
    (["formats_roundtrip.py", "--docs", "5"], "x dumps"),
    (["preannotate_throughput.py", "--words", "300"], "ratio"),
    (["large_document.py", "--copies", "1", "--edits", "3"], "ratio"),
    (["window_startup.py", "--runs", "1"], "ratio"),
    (["archive_scale.py", "--docs", "300", "--preannotate", "0"], "ratio"),
]


def run(args: list[str], extra_env: dict[str, str] | None = None) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(extra_env or {})}
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return done.stdout


@pytest.mark.parametrize(("args", "word"), RUNS, ids=[r[0][0] for r in RUNS])
def test_benchmark_runs_at_a_toy_size(args: list[str], word: str) -> None:
    assert word in run(args)


def test_quote_quality_runs_on_two_eval_documents(eval_dir: Path) -> None:
    out = run(["quote_quality.py", "--limit", "2"], {"NEWSMARK_EVAL_DIR": str(eval_dir)})
    assert "F1" in out or "f1" in out.lower()


def test_attribution_actions_replays_one_eval_article(eval_dir: Path) -> None:
    """The first dev article (6 gold quotes) replayed through the real window."""
    env = {"NEWSMARK_EVAL_DIR": str(eval_dir)}
    out = run(["attribution_actions.py", "--publishers", "1", "--min-quotes", "1"], env)
    assert "per quote" in out and "ratio" in out


def test_every_benchmark_is_run_here() -> None:
    ran = {args[0] for args, _ in RUNS} | {"quote_quality.py", "attribution_actions.py"}
    ran |= {"train_quotes.py"}
    ran |= {"team_load.py"}
    scripts = {p.name for p in BENCHMARKS.glob("*.py") if not p.name.startswith("_")}
    assert scripts == ran


def test_train_quotes_trains_a_toy_model_on_three_eval_articles(eval_dir: Path) -> None:
    args = ["train_quotes.py", "--limit-train", "3", "--limit-dev", "2", "--max-steps", "10"]
    out = run(args, {"NEWSMARK_EVAL_DIR": str(eval_dir)})
    assert "targets on dev" in out and "words/s" in out


TEAM_TOY = ["--seconds", "2", "--baseline-seconds", "1", "--annotators", "4", "--reviewers", "1"]


def test_team_load_runs_four_writers_on_sqlite(tmp_path: Path) -> None:
    out = run(["team_load.py", "--db", str(tmp_path / "team.sqlite3"), *TEAM_TOY])
    assert "lone annotator's" in out
    assert "OK: every acknowledged edit is in the database" in out


@pytest.mark.postgres
def test_team_load_compares_the_server_with_sqlite() -> None:
    import postgres_support

    url = postgres_support.server_url()
    out = run(["team_load.py", "--db", url, "--compare", "--think", "0.05", *TEAM_TOY])
    assert "PostgreSQL / SQLite: edits/s" in out
    assert "OK: every acknowledged edit is in the database" in out


def test_window_startup_times_a_frozen_executable_as_a_fourth_contestant(tmp_path: Path) -> None:
    """--frozen takes any executable that runs Newsmark: here a launcher script for this
    checkout (the real bundle is timed by hand: packaging/README.md)."""
    launcher = tmp_path / "newsmark"
    launcher.write_text(
        f'#!/bin/sh\nPYTHONPATH={ROOT / "desktop"} exec {sys.executable} -m newsmark "$@"\n'
    )
    launcher.chmod(0o755)
    out = run(["window_startup.py", "--runs", "1", "--frozen", str(launcher)])
    assert "frozen first paint:" in out and "frozen / python -m:" in out


def test_window_startup_refuses_a_frozen_path_that_is_not_executable(tmp_path: Path) -> None:
    missing = tmp_path / "no-bundle" / "newsmark"
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "window_startup.py"), "--frozen", str(missing)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert f"--frozen {missing}: not an executable file" in done.stderr
