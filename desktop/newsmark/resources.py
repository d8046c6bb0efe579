"""Finds package data (resources, seeds, guidelines) in a wheel, a checkout or a frozen bundle."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# The annotation guidelines, one file of docs/ (the rest of docs/ is not package data).
GUIDELINES = "docs/guidelines.md"


@cache
def _find(name: str) -> Path:
    candidates = [
        _PACKAGE / name,  # wheel: force-included into the package
        _PACKAGE.parents[1] / name,  # checkout / editable install: top-level folder
    ]
    frozen = getattr(sys, "_MEIPASS", None)  # PyInstaller bundle
    if frozen:
        candidates.insert(0, Path(frozen) / "newsmark" / name)
    for path in candidates:
        if path.is_dir():
            return path
    raise FileNotFoundError(f"Newsmark's {name}/ folder is missing from the installation")


def resources_dir() -> Path:
    return _find("resources")


def seeds_dir() -> Path:
    return _find("seeds")


def resource(name: str) -> Path:
    return resources_dir() / name


def guidelines_file(package: Path = _PACKAGE) -> Path:
    """docs/guidelines.md: force-included as newsmark/docs/ in a wheel, else the checkout's."""
    candidates = [package / GUIDELINES, package.parents[1] / GUIDELINES]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.insert(0, Path(frozen) / "newsmark" / GUIDELINES)
    for path in candidates:
        if path.is_file():
            return path
    raise FileNotFoundError(f"Newsmark's {GUIDELINES} is missing from the installation")


def seed_files() -> list[Path]:
    return sorted(p for p in seeds_dir().iterdir() if p.is_file() and not p.name.startswith("."))
