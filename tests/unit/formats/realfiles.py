"""Files other projects published, read by path from the shared folder (never copied here)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def realfile(*parts: str) -> Path:
    """A file under NEWSMARK_REALFILES_DIR; skipped when missing, a failure under CI=true."""
    root = Path(os.environ.get("NEWSMARK_REALFILES_DIR", ROOT.parent / "shared" / "realfiles"))
    path = root.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"real file missing: {path}")
        pytest.skip(f"real file missing: {path}")
    return path
