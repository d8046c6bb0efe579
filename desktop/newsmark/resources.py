"""Finds package data (resources, seeds, guidelines) in a wheel, a checkout or a frozen bundle."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# The annotation guidelines, one file of docs/ (the rest of docs/ is not package data).
GUIDELINES = "docs/guidelines.md"


def _candidates(name: str, package: Path = _PACKAGE) -> list[Path]:
    """Where package data `name` lives: a PyInstaller bundle, a wheel (force-included
    into the package), a checkout or editable install (the top-level folder)."""
    places = [package / name, package.parents[1] / name]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        places.insert(0, Path(frozen) / "newsmark" / name)
    return places


@cache
def _find(name: str) -> Path:
    for path in _candidates(name):
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
    for path in _candidates(GUIDELINES, package):
        if path.is_file():
            return path
    raise FileNotFoundError(f"Newsmark's {GUIDELINES} is missing from the installation")


def seed_files() -> list[Path]:
    return sorted(p for p in seeds_dir().iterdir() if p.is_file() and not p.name.startswith("."))
