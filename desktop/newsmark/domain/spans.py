"""Spans: labelled character ranges with their origin (model, rule, human, import)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Origin(StrEnum):
    MODEL = "model"
    RULE = "rule"
    HUMAN = "human"
    IMPORT = "import"


@dataclass(frozen=True, slots=True)
class Span:
    """An entity mention: [start, end) in code points of the document text.

    `model` is "name==version" of the pipeline that predicted it (None for human spans).
    `id` is the database id once stored; `entity_id` links the mention to a corpus entity.
    """

    start: int
    end: int
    label: str
    origin: Origin = Origin.HUMAN
    model: str | None = None
    id: int | None = None
    entity_id: int | None = None

    @property
    def key(self) -> tuple[int, int, str]:
        """Identity of the annotation regardless of origin and storage."""
        return (self.start, self.end, self.label)

    def with_id(self, id: int) -> Span:
        return replace(self, id=id)

    def overlaps(self, other: Span | tuple[int, int]) -> bool:
        s, e = (other.start, other.end) if isinstance(other, Span) else other
        return self.start < e and s < self.end


# A span as the tuple of its fields in Span's order (start, end, label, origin, model,
# id, entity_id): `Span(*fields)` rebuilds it. Bulk reads for export hand these around
# instead of Span objects (a Span costs a microsecond to make; export reads millions).
SpanFields = tuple[int, int, str, str, str | None, int | None, int | None]


def span_fields(span: Span) -> SpanFields:
    return (span.start, span.end, span.label, span.origin, span.model, span.id, span.entity_id)
