"""No crossing spans in what the model gives: entity edges trimmed, speakers snapped to the
entities they cut, quotes deduplicated by extent.

Two spans cross when they overlap and neither contains the other; brat flags such pairs,
and an annotator cannot tell which one is right. Entities come from the NER, quotes and
speakers from the quote rules, so they are made to agree here, after both ran.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Span, Token

from newsmark.domain.annotations import is_blank
from newsmark.nlp.quote_marks import Found

Range = tuple[int, int]

# Punctuation that can end or start an entity ("5%", "#MeToo", "@nytimes"): kept.
_ENTITY_PUNCT = frozenset("%#&@*/\\")
# Tokens that separate phrases: an entity that runs on past one of them out of a
# mention is two phrases run together by the NER ("Politico, Democratic party").
_SEPARATORS = frozenset({",", ";", ":", "—", "–", "―", "--", "(", ")", "[", "]"})
# Words a mention does not end on once cut back ("a new report by").
_LOOSE_END = frozenset({"ADP", "DET", "CCONJ", "SCONJ", "PART", "PUNCT", "SPACE"})


def crosses(a: Range, b: Range) -> bool:
    """Do the ranges overlap with neither containing the other?"""
    return (
        a[0] < b[1]
        and b[0] < a[1]
        and not ((a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1]))
    )


def _edge_junk(t: Token) -> bool:
    return is_blank(t.text) and not _ENTITY_PUNCT.intersection(t.text)


def trimmed(ent: Span) -> Span | None:
    """The entity without whitespace and punctuation tokens at its edges; None if nothing
    else is left (the small model tags a signature's '―\\xa0' as a PERSON)."""
    doc = ent.doc
    s, e = ent.start, ent.end
    while s < e and _edge_junk(doc[s]):
        s += 1
    while e > s and _edge_junk(doc[e - 1]):
        e -= 1
    if s == e or is_blank(doc[s:e].text):
        return None
    if (s, e) == (ent.start, ent.end):
        return ent
    return Span(doc, s, e, label=ent.label, kb_id=ent.kb_id)


def clean_entities(doc: Doc) -> list[Span]:
    """doc.ents with their edges trimmed, empty ones left out."""
    return [t for ent in doc.ents if (t := trimmed(ent)) is not None]


def chars(doc: Doc, tokens: Range) -> Range:
    """Character range of the token range [s, e)."""
    last = doc[tokens[1] - 1]
    return doc[tokens[0]].idx, last.idx + len(last)


def clear_of(entities: Iterable[Span], ranges: Sequence[Range]) -> list[Span]:
    """The entities that cross none of the character `ranges`.

    A name does not run from inside a quotation to outside it, nor half into a speaker
    mention that could not take it in: such an entity is the NER's error ('WALLACE:
    Let's start', 'Politico, Democratic party'), and it goes.
    """
    ordered = sorted(set(ranges))
    kept = []
    for ent in entities:
        own = (ent.start_char, ent.end_char)
        if not any(crosses(own, r) for r in ordered if r[0] < own[1] and own[0] < r[1]):
            kept.append(ent)
    return kept


def _free(tokens: Range, blocked: Sequence[Range]) -> bool:
    return not any(tokens[0] < b[1] and b[0] < tokens[1] for b in blocked)


def _name_like(doc: Doc, s: int, e: int) -> bool:
    return not any(t.text in _SEPARATORS or "\n" in t.text for t in doc[s:e])


def _cut_end(doc: Doc, s: int, e: int) -> Range | None:
    while e > s and doc[e - 1].pos_ in _LOOSE_END:
        e -= 1
    return (s, e) if e > s else None


def _cut_start(doc: Doc, s: int, e: int) -> Range | None:
    while s < e and doc[s].pos_ in _LOOSE_END:
        s += 1
    return (s, e) if e > s else None


def snap_mention(
    doc: Doc, mention: Range, entities: Sequence[Span], blocked: Sequence[Range]
) -> Range | None:
    """The token range `mention` made to contain or avoid each entity it cuts.

    A mention that cuts a name takes it in whole ("the event organizer Alliance" -> "the
    event organizer Alliance to Reclaim Our Schools"): attribution wants the name. When
    the part outside holds a separator (two phrases the NER ran together) or would run
    into `blocked` token ranges (the quote's content and cue), the mention stops before
    the entity (or starts after it) instead. None when nothing is left of it.
    """
    s, e = mention
    for ent in entities:
        a, b = ent.start, ent.end
        if not crosses((s, e), (a, b)):
            continue
        if s < a < e < b:  # the entity sticks out at the end
            if _name_like(doc, e, b) and _free((e, b), blocked):
                e = b
            else:
                cut = _cut_end(doc, s, a)
                if cut is None:
                    return None
                s, e = cut
        elif a < s < b < e:  # ... at the start
            if _name_like(doc, a, s) and _free((a, s), blocked):
                s = a
            else:
                cut = _cut_start(doc, b, e)
                if cut is None:
                    return None
                s, e = cut
    return s, e


def _token_range(starts: Sequence[int], part: Range) -> Range:
    """Tokens touching the character range `part` (for what a mention may not enter)."""
    return bisect_right(starts, part[0]) - 1, bisect_left(starts, part[1])


def snap_speakers(doc: Doc, found: Sequence[Found], entities: Sequence[Span]) -> None:
    """Make every speaker contain or avoid the entities and earlier speakers it cuts.

    `entities` must already be clear of the quotes' parts (`clear_of`). A speaker that
    cuts an earlier one becomes that one when it holds its own head, else stops short.
    """
    starts = [t.idx for t in doc]
    seen: list[Range] = []
    for q in found:
        if q.speaker is None:
            continue
        blocked = [_token_range(starts, p) for p in q.parts]
        if q.cue is not None:
            blocked.append(q.cue)
        snapped = snap_mention(doc, q.speaker, entities, blocked)
        for _ in range(3):  # settling on one earlier speaker can cut another
            cut = next((o for o in seen if snapped is not None and crosses(snapped, o)), None)
            if cut is None or snapped is None:
                break
            head = q.speaker_head
            if head is not None and cut[0] <= head < cut[1]:
                snapped = cut
            else:
                snapped = snap_mention(doc, snapped, [Span(doc, *cut)], blocked)
        if snapped is not None and any(crosses(snapped, o) for o in seen):
            snapped = None  # nothing consistent: no speaker rather than a crossing one
        q.speaker = snapped
        if snapped is None:
            q.speaker_head = None
            q.entity = q.speaker_label = None
        elif snapped not in seen:
            seen.append(snapped)


def dedupe(found: Sequence[Found]) -> list[Found]:
    """One quote per extent (character hull), in order: the one that says most."""
    best: dict[Range, Found] = {}
    for q in found:
        hull = (q.start, q.end)
        kept = best.get(hull)
        if kept is None or _says(q) > _says(kept):
            best[hull] = q
    chosen = {id(q) for q in best.values()}
    return [q for q in found if id(q) in chosen]


def _says(q: Found) -> tuple[bool, bool, int]:
    return (q.speaker is not None, q.cue is not None, len(q.parts))
