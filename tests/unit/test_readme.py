"""README.md against the repository: its package list, its links, its two commands."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def block(text: str, name: str) -> list[str]:
    """The lines between `<!-- name...-->` and `<!-- /name -->`, code fences left out."""
    match = re.search(rf"<!-- {name}\b[^>]*-->\n(.*?)<!-- /{name} -->", text, re.DOTALL)
    assert match, f"README.md has no <!-- {name} --> ... <!-- /{name} --> block"
    return [line for line in match.group(1).splitlines() if not line.startswith("```")]


def package_list(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_readme_lists_exactly_the_runtime_apt_packages() -> None:
    readme = [
        w
        for line in block(README.read_text(encoding="utf-8"), "apt-packages")
        for w in line.split()
    ]
    listed = package_list(ROOT / "packaging" / "apt-packages.txt")
    missing = [p for p in listed if p not in readme]
    extra = [p for p in readme if p not in listed]
    assert not missing and not extra, f"README lacks {missing}; README has extra {extra}"
    assert readme == listed, "same packages, different order or repeats: keep one order"


def test_test_tools_stay_out_of_the_runtime_list_and_the_app_command() -> None:
    runtime = set(package_list(ROOT / "packaging" / "apt-packages.txt"))
    test_only = set(package_list(ROOT / "packaging" / "apt-packages-test.txt"))
    assert {"xvfb", "xdotool"} <= test_only
    assert not runtime & test_only, f"in both lists: {sorted(runtime & test_only)}"
    text = README.read_text(encoding="utf-8")
    [app] = block(text, "app-command")
    [tests] = block(text, "test-command")
    assert "install-system-packages.sh &&" in app and "--test" not in app
    assert "install-system-packages.sh --test &&" in tests
    assert " .venv " in app and ".venv-dev" not in app
    assert " .venv-dev " in tests and ".venv/" not in tests
    assert "upgrade" not in app + tests, "the README path installs with the pip the venv has"


def test_every_relative_link_in_readme_points_at_a_file() -> None:
    text = README.read_text(encoding="utf-8")
    broken = []
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:
        path, _, anchor = target.partition("#")
        file = ROOT / path if path else README
        if not file.exists():
            broken.append(f"{target}: no such file")
        elif anchor and file.suffix == ".md":
            headings = re.findall(r"^#+ (.+)$", file.read_text(encoding="utf-8"), re.MULTILINE)
            if anchor not in {slug(h) for h in headings}:
                broken.append(f"{target}: no heading #{anchor} in {path or 'README.md'}")
    assert LINK.findall(text), "no links found: the pattern is wrong"
    assert not broken, broken
