"""Reference implementations the tests check figures against (test dependencies in the
dev extra): skipped when missing locally, a failure under CI=true (as the shared data)."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest


def reference(name: str) -> ModuleType:
    """Import `name` (e.g. "krippendorff", "nltk.metrics.agreement") or skip/fail."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        reason = f"reference implementation {name} is not installed ({exc}); pip install -e .[dev]"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI=true needs it", pytrace=False)
        pytest.skip(reason)
