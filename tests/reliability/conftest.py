"""Reliability suite options (`--kills N`) and shared fixtures: kill and fuzz budgets."""

from __future__ import annotations

import os

import pytest

QUICK_KILLS = 100


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--kills",
        type=int,
        default=None,
        metavar="N",
        help=f"SIGKILLs in the kill test (default {QUICK_KILLS}, env NEWSMARK_KILLS; x10 --slow)",
    )


@pytest.fixture(scope="session")
def kills(request: pytest.FixtureRequest, slow_profile: int) -> int:
    """How many times the edit stream is killed: --kills > NEWSMARK_KILLS > 100 (x10 slow)."""
    given = request.config.getoption("--kills", default=None)
    if given is not None:
        return int(given)
    env = os.environ.get("NEWSMARK_KILLS")
    return int(env) if env else QUICK_KILLS * slow_profile
