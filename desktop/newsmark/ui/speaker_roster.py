"""The speaker roster: a document's people and organisations, numbered 1–9 by first mention."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsmark.domain.spans import Span

SPEAKER_LABELS = ("PERSON", "ORG", "GPE")  # keys of the ranking below
MAX_SPEAKERS = 9


@dataclass(frozen=True, slots=True)
class Speaker:
    """One roster entry: the first name seen and the mention a quote will point to."""

    name: str
    label: str
    mention: Span


def build_roster(text: str, spans: Sequence[Span]) -> list[Speaker]:
    """Distinct speakers by first appearance, places last (at most nine: the digit keys).

    Mentions linked to the same corpus entity are one speaker. An unlinked "Netanyahu"
    joins an earlier "Benjamin Netanyahu" (same label, same last word); a mention linked
    to another entity stays apart even when its last word matches.
    """
    roster: list[Speaker] = []
    keys: set[tuple[str, ...]] = set()
    # People and organisations first, then places ("Russia said"), each by first mention.
    rank = {"PERSON": 0, "ORG": 0, "GPE": 1}
    candidates = [s for s in spans if s.label in SPEAKER_LABELS]
    for span in sorted(candidates, key=lambda s: (rank[s.label], s.start)):
        name = " ".join(text[span.start : span.end].split())
        if not name:
            continue
        last = name.split()[-1].casefold().removesuffix("'s").removesuffix("’s")
        word_key = ("word", span.label, last)
        entity_key = ("entity", str(span.entity_id))
        if (entity_key if span.entity_id is not None else word_key) in keys:
            continue
        if len(roster) == MAX_SPEAKERS:
            break
        keys.add(word_key)
        if span.entity_id is not None:
            keys.add(entity_key)
        roster.append(Speaker(name, span.label, span))
    return roster
