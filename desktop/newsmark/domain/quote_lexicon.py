"""The speech-verb lexicon of the quote component: bundled resource files or a user's file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import newsmark


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Lemmas of speech verbs (`verbs`), of verbs reporting through an infinitive
    (`xcomp`), through their object (`objects`) or a prepositional object (`preps`:
    (verb, preposition) pairs), and of speech-act nouns (`nouns`)."""

    verbs: frozenset[str]
    xcomp: frozenset[str]
    objects: frozenset[str]
    preps: frozenset[tuple[str, str]]
    nouns: frozenset[str]
    prep_verbs: frozenset[str] = frozenset()
    beliefs: frozenset[str] = frozenset()
    intents: frozenset[str] = frozenset()


def resource_dir() -> Path:
    """The resources folder: inside the package in a wheel, at the top of a checkout."""
    here = Path(newsmark.__file__).resolve()
    packaged = here.parent / "resources"
    if (packaged / "speech_verbs.txt").is_file():
        return packaged
    return here.parents[2] / "resources"


def _read_sections(path: Path) -> dict[str, set[str]]:
    sections: dict[str, set[str]] = {"": set()}
    current = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip().lower()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            sections.setdefault(current, set())
            continue
        sections[current].add(line)
    return sections


@lru_cache(maxsize=8)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Read a lexicon file (None = the bundled one); missing optional files are empty."""
    verbs_path = Path(path) if path else resource_dir() / "speech_verbs.txt"
    sections = _read_sections(verbs_path)
    nouns_path = verbs_path.with_name("speech_nouns.txt")
    nouns = _read_sections(nouns_path)[""] if nouns_path.is_file() else set()
    xcomp = sections.get("xcomp", set())
    objects = sections.get("object", set())
    pairs = {tuple(line.split()[:2]) for line in sections.get("prep", set()) if " " in line}
    return Lexicon(
        verbs=frozenset(sections[""] | xcomp),
        xcomp=frozenset(xcomp),
        objects=frozenset(objects),
        preps=frozenset((a, b) for a, b in pairs),
        nouns=frozenset(nouns),
        prep_verbs=frozenset(a for a, _ in pairs),
        beliefs=frozenset(sections.get("belief", set())),
        intents=frozenset(sections.get("intent", set())),
    )
