"""Gold quotes for training: quote JSONL records -> GoldDoc, and GoldDoc -> a spaCy Doc whose
entities are the quote roles (CONTENT, CUE, SOURCE) the tagger learns."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.training import GoldDoc
from newsmark.nlp.quote_tagger import CONTENT, CUE, ROLES_KEY, SOURCE

Range = tuple[int, int]
# Where two roles claim a word (a quote inside another quote's content), the shorter
# role keeps it: a cue over a source over content.
_PRIORITY = (CONTENT, SOURCE, CUE)


def _range(value: Any) -> Range | None:
    if not isinstance(value, Mapping):
        return None
    s, e = int(value["start"]), int(value["end"])
    return (s, e) if e > s else None


def gold_from_records(records: Iterable[Mapping[str, Any]]) -> list[GoldDoc]:
    """GoldDocs from quote JSONL records (the export / eval schema: "text", "quotes" with
    "quote_parts" or "quote", "speaker", "cue", "kind")."""
    docs: list[GoldDoc] = []
    for rec in records:
        text = str(rec["text"])
        quotes: list[Quote] = []
        for q in rec.get("quotes") or []:
            parts = tuple(
                r for r in (_range(p) for p in q.get("quote_parts") or q.get("parts") or []) if r
            )
            if not parts:
                whole = _range(q.get("quote"))
                if whole is None:
                    continue
                parts = (whole,)
            kind = q.get("kind", "direct")
            quotes.append(
                Quote(
                    parts=parts,
                    kind=QuoteKind(kind) if kind in set(QuoteKind) else QuoteKind.INDIRECT,
                    speaker=_range(q.get("speaker")),
                    cue=_range(q.get("cue")),
                )
            )
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        docs.append(GoldDoc(key=key, text=text, quotes=tuple(quotes)))
    return docs


def _trimmed(text: str, r: Range) -> Range | None:
    s, e = max(0, r[0]), min(len(text), r[1])
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else None


def role_ranges(quotes: Sequence[Quote]) -> list[tuple[str, Range]]:
    """Each quote's roles as (role, character range): its content parts, cue and speaker."""
    out: list[tuple[str, Range]] = []
    for q in quotes:
        out.extend((CONTENT, p) for p in q.parts)
        if q.cue is not None:
            out.append((CUE, q.cue))
        if q.speaker is not None:
            out.append((SOURCE, q.speaker))
    return out


def role_doc(nlp: Language, gold: GoldDoc) -> Doc:
    """The gold's text tokenized by `nlp`, its entities (and doc.spans["quote_roles"]) set to
    the quotes' roles, none overlapping: a word two roles claim goes to the shorter role.

    Spans that do not fall on words (the few bad spans of real gold) are widened to the
    words they touch; empty ones are dropped.
    """
    doc = nlp.make_doc(gold.text)
    owner: list[tuple[int, str, int] | None] = [None] * len(doc)
    roles = role_ranges(gold.quotes)
    order = sorted(range(len(roles)), key=lambda i: _PRIORITY.index(roles[i][0]))
    for n in order:
        role, r = roles[n]
        t = _trimmed(gold.text, r)
        span = doc.char_span(t[0], t[1], alignment_mode="expand") if t else None
        if span is None:
            continue
        for i in range(span.start, span.end):
            owner[i] = (_PRIORITY.index(role), role, n)
    spans: list[Span] = []
    i = 0
    while i < len(doc):
        own = owner[i]
        if own is None or doc[i].is_space:
            i += 1
            continue
        j = i + 1
        while j < len(doc) and owner[j] == own:
            j += 1
        end = j
        while end > i and doc[end - 1].is_space:
            end -= 1
        spans.append(Span(doc, i, end, label=own[1]))
        i = j
    doc.ents = spans
    doc.spans[ROLES_KEY] = spans
    return doc
