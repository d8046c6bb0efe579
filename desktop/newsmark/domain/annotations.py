"""Annotation sets: one annotator's spans and quotes on one document, with invariants."""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsmark.domain.document import Document
from newsmark.domain.entities import Entity
from newsmark.domain.errors import AnnotationError
from newsmark.domain.labels import LabelSet
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Origin, Span, SpanFields, span_fields
from newsmark.domain.status import Status


def check_range(text_len: int, start: int, end: int, what: str = "span") -> None:
    if not (isinstance(start, int) and isinstance(end, int)):
        raise AnnotationError(f"{what} offsets must be integers, got {start!r}..{end!r}")
    if start < 0 or end > text_len:
        raise AnnotationError(
            f"{what} {start}..{end} is out of range (text has {text_len} characters)"
        )
    if start >= end:
        raise AnnotationError(f"{what} {start}..{end} is empty or reversed")


# Unicode categories of characters no entity consists of: punctuation, separators
# (spaces), controls and format characters (zero-width spaces, joiners).
_BLANK_CATEGORIES = frozenset(
    ("Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Zs", "Zl", "Zp", "Cc", "Cf")
)


def is_blank(piece: str) -> bool:
    """Is `piece` only whitespace and punctuation (no letter, digit or symbol)?

    spaCy's `debug data` calls entities on whitespace invalid, and a PERSON '―' is no
    name either: such spans are refused wherever they enter.
    """
    if piece[:1].isalnum() or piece[-1:].isalnum():
        return False  # the usual case, without a look at every character
    return all(c.isspace() or unicodedata.category(c) in _BLANK_CATEGORIES for c in piece)


def blank_reason(start: int, end: int, piece: str) -> str:
    what = "whitespace" if not piece.strip() else "whitespace or punctuation"
    return f"span {start}..{end} {piece!r} covers only {what}"


def validate_span(text: str, span: Span, labels: LabelSet | None) -> None:
    check_range(len(text), span.start, span.end)
    piece = text[span.start : span.end]
    if is_blank(piece):
        raise AnnotationError(blank_reason(span.start, span.end, piece))
    if labels is not None and span.label not in labels:
        raise AnnotationError(f"unknown label {span.label!r}")


def check_parts_apart(parts: Iterable[tuple[int, int]]) -> None:
    """A split quote's parts are separate stretches of text ("A," she said. "B."): two
    that overlap would count the same words twice in the quote and in every export."""
    for (s1, e1), (s2, e2) in itertools.pairwise(sorted(parts)):
        if s2 < e1:
            raise AnnotationError(f"quote parts {s1}..{e1} and {s2}..{e2} overlap")


def validate_quote(text: str, quote: Quote) -> None:
    if not quote.parts:
        raise AnnotationError("quote has no content")
    for s, e in quote.parts:
        check_range(len(text), s, e, "quote")
    check_parts_apart(quote.parts)
    if quote.speaker is not None:
        check_range(len(text), *quote.speaker, "speaker")
    if quote.cue is not None:
        check_range(len(text), *quote.cue, "cue")


@dataclass(slots=True)
class AnnotationSet:
    """One annotator's annotations of one document. Construct, then `validate`."""

    document_id: int
    annotator: str
    status: Status = Status.NEW
    spans: list[Span] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    id: int | None = None
    version: int = 0

    def validate(self, text: str, labels: LabelSet | None) -> None:
        """Raise AnnotationError on the first broken invariant.

        In-range offsets, no empty spans, known labels, no duplicate identical spans and
        no overlapping entity spans (entities behave as NER; quotes are their own layer).
        """
        seen: set[tuple[int, int, str]] = set()
        for span in self.spans:
            validate_span(text, span, labels)
            if span.key in seen:
                raise AnnotationError(f"duplicate span {span.start}..{span.end} {span.label}")
            seen.add(span.key)
        ordered = sorted(self.spans, key=lambda s: (s.start, s.end))
        for a, b in itertools.pairwise(ordered):
            if b.start < a.end:
                raise AnnotationError(
                    f"spans {a.start}..{a.end} {a.label} and {b.start}..{b.end} {b.label} overlap",
                )
        quote_keys: set[object] = set()
        for quote in self.quotes:
            validate_quote(text, quote)
            if quote.key in quote_keys:
                raise AnnotationError(f"duplicate quote at {quote.start}..{quote.end}")
            quote_keys.add(quote.key)


def sorted_spans(spans: Iterable[Span]) -> list[Span]:
    return sorted(spans, key=lambda s: (s.start, s.end, s.label))


@dataclass(frozen=True, slots=True)
class ExportSet:
    """One annotation set with its document, as export reads it in bulk.

    `spans` are field tuples sorted by (start, end, label), not Span objects;
    `entities` are the corpus entities its spans and quotes refer to.
    """

    document: Document
    annotator: str
    status: Status
    spans: list[SpanFields]
    quotes: list[Quote]
    entities: dict[int, Entity]
    id: int | None = None
    version: int = 0

    @classmethod
    def of(cls, doc: Document, aset: AnnotationSet, entities: dict[int, Entity]) -> ExportSet:
        fields = sorted(map(span_fields, aset.spans), key=lambda f: (f[0], f[1], f[2]))
        return cls(
            doc, aset.annotator, aset.status, fields, list(aset.quotes), entities, aset.id,
            aset.version,
        )  # fmt: skip

    def annotation_set(self) -> AnnotationSet:
        """The set as domain objects (Spans made from the fields)."""
        origins = {o.value: o for o in Origin}
        return AnnotationSet(
            document_id=self.document.id,
            annotator=self.annotator,
            status=self.status,
            spans=[
                Span(s, e, lab, origins[o], m, i, ent) for s, e, lab, o, m, i, ent in self.spans
            ],
            quotes=list(self.quotes),
            id=self.id,
            version=self.version,
        )
