"""The ../shared data folders, read by path (never copied here): where they are, and the
skip (a failure under CI=true) when they are missing. conftest's fixtures and helper
modules of the tests use these."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def eval_dir() -> Path:
    """The quote eval data (PolNeAR-derived, not redistributable): $NEWSMARK_EVAL_DIR."""
    return Path(os.environ.get("NEWSMARK_EVAL_DIR") or ROOT.parent / "shared" / "eval")


def realfiles_dir() -> Path:
    """Real files other projects published (listed in its README): $NEWSMARK_REALFILES_DIR."""
    return Path(os.environ.get("NEWSMARK_REALFILES_DIR") or ROOT.parent / "shared" / "realfiles")


def require_shared(path: Path, env: str, what: str) -> Path:
    """path if it is a folder; else skip with a one-line reason (fail under CI=true).

    A newcomer's clone has no ../shared: their run skips these tests; CI must not.
    """
    if path.is_dir():
        return path
    reason = f"{what} not found at {path} (set {env})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true needs it", pytrace=False)
    pytest.skip(reason)


def realfile(*parts: str) -> Path:
    """A file under the real files folder; skipped when missing, a failure under CI=true."""
    folder = require_shared(realfiles_dir(), "NEWSMARK_REALFILES_DIR", "real files")
    return require_file(folder.joinpath(*parts), "NEWSMARK_REALFILES_DIR")


def require_file(path: Path, env: str) -> Path:
    if path.exists():
        return path
    reason = f"{path} is missing (set {env})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true needs it", pytrace=False)
    pytest.skip(reason)
