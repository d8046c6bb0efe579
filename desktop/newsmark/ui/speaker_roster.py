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
    return " ".join(text[start:end].split())


def _last_word(name: str) -> str:
    words = name.split()
    return words[-1].casefold().removesuffix("'s").removesuffix("’s") if words else ""


@dataclass
class _Group:
    key: tuple[str, ...]
    label: str
    mentions: list[Span]
    entity_id: int | None = None
    name: str | None = None

    def words(self, text: str) -> set[str]:
        names = [_clean(text, m.start, m.end) for m in self.mentions] + [self.name or ""]
        return {_last_word(n) for n in names} - {""}

    def full_names(self, text: str) -> set[str]:
        names = [_clean(text, m.start, m.end) for m in self.mentions] + [self.name or ""]
        return {n.casefold() for n in names} - {""}


def _mentions(spans: Sequence[Span], quotes: Sequence[Quote]) -> list[Span]:
    """Entity spans of speaker labels, and quotes' speaker mentions that are not spans;
    a span that is a linked quote's speaker carries that quote's entity."""
    linked = {q.speaker: q.entity_id for q in quotes if q.speaker and q.entity_id is not None}
    out = [
        replace(
            s, entity_id=s.entity_id if s.entity_id is not None else linked.get((s.start, s.end))
        )
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
    ("Netanyahu" -> "Benjamin Netanyahu"); a mention linked to another entity stays apart
    even when its last word matches. An unlinked pronoun is nobody's mention.
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
            group = _Group(("entity", str(m.entity_id)), m.label, [], m.entity_id)
            group.name = names.get(m.entity_id)
            by_entity[m.entity_id] = group
            groups.append(group)
        if not group.label:
            group.label = m.label
        group.mentions.append(m)
    for m in mentions:
        if m.entity_id is not None:
            continue
        written = _clean(text, m.start, m.end)
        if not written or written.casefold() in PRONOUNS:
            continue
        whole = [g for g in groups if written.casefold() in g.full_names(text)]
        last = _last_word(written)
        same_word = [g for g in groups if m.label and g.label == m.label and last in g.words(text)]
        found = next(iter(whole or same_word), None)
        if found is None:
            found = _Group(("word", m.label, last), m.label, [])
            groups.append(found)
        found.mentions.append(m)
    speakers = [_speaker(text, g) for g in groups if _offered(g, quotes)]
    speakers.sort(key=lambda sp: (_rank(sp.label), sp.mentions[0].start))
    return speakers[:MAX_SPEAKERS]


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
    written = [_clean(text, m.start, m.end) for m in mentions]
    # The fullest name written (not a pronoun), else the first mention as written.
    named = [w for w in written if w.casefold() not in PRONOUNS] or written
    name = group.name or max(named, key=lambda w: (len(w.split()), -written.index(w)))
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
