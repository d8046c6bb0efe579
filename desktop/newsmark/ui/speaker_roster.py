"""The speaker roster: a document's speakers, one entry per corpus entity with its mentions
grouped, numbered 1–9 by first mention; and the mention a quote attributed to one takes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from newsmark.domain.noun_phrase import PRONOUNS
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span

PEOPLE_LABELS = ("PERSON", "ORG")
PLACE_LABELS = ("GPE", "LOC", "FAC")  # offered only where the document uses them as speakers
SPEAKER_LABELS = PEOPLE_LABELS + PLACE_LABELS
MAX_SPEAKERS = 9


@dataclass(frozen=True, slots=True)
class Speaker:
    """One roster entry: the name shown and every mention of it in the document, in text
    order (entity spans and speaker mentions that are not spans: "he", "a spokesman").
    A mention that is not a span has the quote's speaker label, or "" when it has none."""

    name: str
    label: str
    mentions: tuple[Span, ...]
    entity_id: int | None = None

    @property
    def mention(self) -> Span:
        """The first mention."""
        return self.mentions[0]


def _clean(text: str, start: int, end: int) -> str:
    written = text[start:end]
    if written.count(" ") != len(written.split()) - 1 or written != written.strip():
        written = " ".join(written.split())  # line breaks, runs of spaces: one space
    return written


def _bare(name: str) -> str:
    """A name without a possessive ending: "Clinton’s" -> "Clinton"."""
    return name.removesuffix("'s").removesuffix("’s").removesuffix("'").removesuffix("’")


def _whole(name: str) -> str:
    """The key of a whole name: "the United Nations’" and "United Nations" are one."""
    return _bare(name).casefold().removeprefix("the ")


def _last_word(name: str) -> str:
    words = name.split()
    return words[-1].casefold().removesuffix("'s").removesuffix("’s") if words else ""


@dataclass
class _Group:
    order: int  # creation order: "the first speaker" with a name
    label: str
    mentions: list[Span]
    entity_id: int | None = None
    name: str | None = None


class _Index:
    """Whole names and (label, last word) -> the first group that has them."""

    def __init__(self) -> None:
        self.whole: dict[str, _Group] = {}
        self.word: dict[tuple[str, str], _Group] = {}
        self.full: dict[int, bool] = {}  # groups with a name of several words

    def add(self, group: _Group, written: str) -> None:
        if " " in written:
            self.full[id(group)] = True
        whole, word = _whole(written), (group.label, _last_word(written))
        if whole and (whole not in self.whole or group.order < self.whole[whole].order):
            self.whole[whole] = group
        if word[1] and (word not in self.word or group.order < self.word[word].order):
            self.word[word] = group

    def find(self, written: str, label: str) -> _Group | None:
        found = self.whole.get(_whole(written))
        if found is None and label:
            found = self.word.get((label, _last_word(written)))
            # "Hillary Clinton" is not "Chelsea Clinton": a full name joins by its last
            # word only a speaker known by the surname alone.
            if found is not None and " " in written and self.full.get(id(found)):
                found = None
        return found


def _mentions(spans: Sequence[Span], quotes: Sequence[Quote]) -> list[Span]:
    """Entity spans of speaker labels, and quotes' speaker mentions that are not spans;
    a span that is a linked quote's speaker carries that quote's entity."""
    linked = {q.speaker: q.entity_id for q in quotes if q.speaker and q.entity_id is not None}
    out = [
        replace(s, entity_id=linked[s.start, s.end])
        if s.entity_id is None and (s.start, s.end) in linked
        else s
        for s in spans
        if s.label in SPEAKER_LABELS
    ]
    at = {(s.start, s.end) for s in spans}
    seen: set[tuple[int, int]] = set()
    for q in quotes:
        if q.speaker is None or q.speaker in at or q.speaker in seen:
            continue
        seen.add(q.speaker)
        out.append(Span(*q.speaker, q.speaker_label or "", entity_id=q.entity_id))
    return sorted(out, key=lambda s: (s.start, s.end))


def build_roster(
    text: str,
    spans: Sequence[Span],
    quotes: Sequence[Quote] = (),
    names: Mapping[int, str] | None = None,
) -> list[Speaker]:
    """Distinct speakers by first mention: people and organisations, then descriptive
    speakers no entity names ("the transport department"), then places that a quote has
    as its speaker (at most nine: the digit keys).

    Mentions linked to one corpus entity are one speaker, named by `names` (entity id ->
    name) or a quote's resolved `entity`. An unlinked mention joins the first speaker with
    the same whole name (any label), else the first of its label with the same last word
    ("Netanyahu" -> "Benjamin Netanyahu"; a full name only joins a speaker known by a
    surname alone, so "Hillary Clinton" stays apart from "Chelsea Clinton"); a mention
    linked to another entity stays apart even when its last word matches. An unlinked
    pronoun is nobody's mention.
    """
    names = dict(names or {})
    for q in quotes:
        if q.entity_id is not None and q.entity and q.entity_id not in names:
            names[q.entity_id] = q.entity
    mentions = _mentions(spans, quotes)
    groups: list[_Group] = []
    by_entity: dict[int, _Group] = {}
    for m in mentions:  # linked first: an unlinked mention may join them
        if m.entity_id is None:
            continue
        group = by_entity.get(m.entity_id)
        if group is None:
            group = _Group(len(groups), m.label, [], m.entity_id, names.get(m.entity_id))
            by_entity[m.entity_id] = group
            groups.append(group)
        if not group.label:
            group.label = m.label
        group.mentions.append(m)
    index = _Index()
    for group in groups:
        for written in [group.name or ""] + [_clean(text, m.start, m.end) for m in group.mentions]:
            index.add(group, written)
    decided: dict[tuple[str, str], _Group | None] = {}  # (label, as written) -> its group
    for m in mentions:
        if m.entity_id is not None:
            continue
        key = (m.label, text[m.start : m.end])
        if key not in decided:
            written = _clean(text, m.start, m.end)
            found = None
            if written and written.casefold() not in PRONOUNS:
                found = index.find(written, m.label)
                if found is None:
                    found = _Group(len(groups), m.label, [])
                    groups.append(found)
                index.add(found, written)
            decided[key] = found
        group = decided[key]
        if group is not None:
            group.mentions.append(m)
    groups.sort(key=lambda g: (_rank(g.label), min(m.start for m in g.mentions)))
    offered = (g for g in groups if _offered(g, quotes))
    return [_speaker(text, g) for g, _ in zip(offered, range(MAX_SPEAKERS), strict=False)]


def _rank(label: str) -> int:
    """People and organisations, then speakers of no entity label, then places."""
    return 0 if label in PEOPLE_LABELS else 2 if label in PLACE_LABELS else 1


def _offered(group: _Group, quotes: Sequence[Quote]) -> bool:
    """Places only when a quote has one of their mentions (or their entity) as speaker."""
    if group.label not in PLACE_LABELS:
        return True
    for q in quotes:
        if group.entity_id is not None and q.entity_id == group.entity_id:
            return True
        lo, hi = q.speaker or (0, -1)
        if any(lo <= m.start and m.end <= hi for m in group.mentions):
            return True
    return False


def _speaker(text: str, group: _Group) -> Speaker:
    mentions = tuple(sorted(group.mentions, key=lambda m: (m.start, m.end)))
    written = [_bare(_clean(text, m.start, m.end)) for m in mentions]
    # The fullest name written (not a pronoun; the first of the longest), else the first.
    named = [(-len(w.split()), i, w) for i, w in enumerate(written) if w.casefold() not in PRONOUNS]
    name = group.name or (min(named)[2] if named else written[0])
    return Speaker(name, group.label, mentions, group.entity_id)


def nearest_mention(speaker: Speaker, quote: Quote) -> Span:
    """The mention a quote attributed to `speaker` takes: one between the quote's parts
    (`"A," she said. "B."`), else the nearest one before the quote, else the nearest one
    after it; never one inside the quoted text unless there is no other."""
    outside = [
        m for m in speaker.mentions if not any(m.start < e and s < m.end for s, e in quote.parts)
    ] or list(speaker.mentions)
    between = [m for m in outside if quote.start <= m.start and m.end <= quote.end]
    if between:
        return between[0]
    before = [m for m in outside if m.end <= quote.start]
    if before:
        return max(before, key=lambda m: (m.end, m.start))
    return min(outside, key=lambda m: (abs(m.start - quote.start), m.start))
