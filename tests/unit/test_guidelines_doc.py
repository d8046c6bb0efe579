"""docs/guidelines.md: its seed examples are the seeds' words, and a wheel carries it."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from newsmark.resources import GUIDELINES, guidelines_file, seed_files

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "guidelines.md"


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_worked_examples_quote_the_seeds_exactly() -> None:
    text = DOC.read_text(encoding="utf-8")
    examples = text.split("## Worked examples from the seed articles", 1)[1]
    seeds = _flat(" ".join(p.read_text(encoding="utf-8") for p in seed_files()))
    quoted = re.findall(r"`([^`]+)`", examples)
    assert len(quoted) > 40
    for snippet in quoted:
        # "A ... B" leaves out the middle of a long sentence; each piece is verbatim.
        for piece in _flat(snippet).split(" ... "):
            assert piece in seeds, f"not in the seeds: {piece!r}"


def test_the_checkout_lookup_finds_the_file() -> None:
    assert guidelines_file() == DOC


def test_an_installed_package_finds_the_copy_the_wheel_maps(tmp_path: Path) -> None:
    # Lay out site-packages the way the wheel's force-include does, then look it up from
    # there with the code's lookup: a mapping and a lookup that disagree fail here.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    site = tmp_path / "site-packages"
    for source, target in mapping.items():
        if source == GUIDELINES:
            (site / target).parent.mkdir(parents=True)
            shutil.copy(ROOT / source, site / target)
    package = site / "newsmark"
    found = guidelines_file(package)
    assert found.is_relative_to(site)
    assert found.read_text(encoding="utf-8") == DOC.read_text(encoding="utf-8")
