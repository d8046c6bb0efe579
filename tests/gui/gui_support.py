"""Constants and helpers the GUI tests import (a uniquely named module, not `conftest`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# Qt's offscreen platform says this whenever size limits change; it is not our warning.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"

MODEL_TIMEOUT_MS = 120_000


def save_shot(widget: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(path)), f"could not save {path}"
    return path
