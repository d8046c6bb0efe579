"""Shared fixtures: the seeds, the ../shared data folders (read by path), a fresh data dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import postgres_support
from shared_data import eval_dir, require_shared

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "2023-12-10-netanyahu-putin-call.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--slow",
        action="store_true",
        default=False,
        help="long profiles of the property, fuzz and kill suites (10x the quick CI counts)",
    )


@pytest.fixture(scope="session")
def slow_profile(request: pytest.FixtureRequest) -> int:
    """The multiplier for example and kill counts: 10 with --slow, else 1."""
    return 10 if request.config.getoption("--slow") else 1


@pytest.fixture(name="eval_dir", scope="session")
def eval_dir_fixture() -> Path:
    """The eval data folder, or a skip (a failure under CI=true) naming NEWSMARK_EVAL_DIR."""
    return require_shared(eval_dir(), "NEWSMARK_EVAL_DIR", "quote eval data")


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data dir, also set as NEWSMARK_HOME so nothing leaks into the user's."""
    path = tmp_path / "data"
    monkeypatch.setenv("NEWSMARK_HOME", str(path))
    monkeypatch.delenv("NEWSMARK_MODEL", raising=False)
    return path


# -- PostgreSQL (team mode): tests/postgres_support.py -------------------------------------


@pytest.fixture
def pg_url(tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh database at head on the test server (or a skip)."""
    with postgres_support.fresh_database(tmp_path) as url:
        yield url


@pytest.fixture
def pg_empty_url(tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, empty database on the test server (or a skip)."""
    with postgres_support.fresh_database(tmp_path, migrated=False) as url:
        yield url


def pytest_sessionfinish(session: pytest.Session) -> None:
    postgres_support.drop_template()
