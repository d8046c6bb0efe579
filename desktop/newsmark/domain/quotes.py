"""Quotes: who said what. Content parts, an optional speaker mention and cue, a kind."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypedDict

from newsmark.domain.quotation_marks import quoted_mask
from newsmark.domain.spans import Origin

Range = tuple[int, int]


class QuoteKind(StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    MIXED = "mixed"


class QuoteChanges(TypedDict, total=False):
    """What one edit of a quote may change (the keywords of `Repository.update_quote`,
    which also takes a kind's value and lists read from JSON)."""

    parts: tuple[Range, ...]
    kind: QuoteKind | str
    speaker: Range | None
    speaker_label: str | None
    cue: Range | None
    entity: str | None
    entity_id: int | None


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation. `parts` are the content ranges (several when split by "she said").

    `speaker` is the mention as written (e.g. "he"); `entity` is the name it resolves to
    (e.g. "Benjamin Netanyahu"), with `entity_id` once linked to a corpus entity.
    """

    parts: tuple[Range, ...]
    kind: QuoteKind = QuoteKind.DIRECT
    speaker: Range | None = None
    speaker_label: str | None = None
    cue: Range | None = None
    entity: str | None = None
    entity_id: int | None = None
    origin: Origin = Origin.HUMAN
    model: str | None = None
    id: int | None = None

    @property
    def start(self) -> int:
        return min(s for s, _ in self.parts)

    @property
    def end(self) -> int:
        return max(e for _, e in self.parts)

    @property
    def key(self) -> tuple[tuple[Range, ...], str, Range | None, Range | None]:
        return (self.parts, self.kind.value, self.speaker, self.cue)


def guess_kind(text: str, start: int, end: int) -> QuoteKind:
    """Direct when every word of text[start:end] lies inside a quotation of its paragraph,
    indirect when none does, mixed otherwise (a scare quote, a quoted phrase).

    The quotations are found in the whole paragraph, so a selection that stops before
    `,”`, a nested ‘quote’ or 'quote' inside a direct one, and a part of a quotation that
    runs on into the next paragraph are all direct.
    """
    if start >= end:
        return QuoteKind.INDIRECT
    mask = quoted_mask(text, start, end)
    inside = [q for q, c in zip(mask, text[start:end], strict=True) if c.isalnum()]
    if not inside or not any(inside):
        return QuoteKind.INDIRECT
    return QuoteKind.DIRECT if all(inside) else QuoteKind.MIXED


def guess_quote_kind(text: str, parts: Sequence[Range]) -> QuoteKind:
    """The kind of a quote in `parts`: one kind when every part has it, else mixed
    (`"A," she said. "B."` is direct: both parts are)."""
    kinds = {guess_kind(text, s, e) for s, e in parts}
    if len(kinds) == 1:
        return kinds.pop()
    return QuoteKind.MIXED if kinds else QuoteKind.INDIRECT
