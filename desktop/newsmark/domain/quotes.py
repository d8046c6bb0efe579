"""Quotes: who said what. Content parts, an optional speaker mention and cue, a kind."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from newsmark.domain.spans import Origin

Range = tuple[int, int]


class QuoteKind(StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    MIXED = "mixed"


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


QUOTE_MARKS = "\"“”„‟«»‹›「」『』"


def guess_kind(text: str, start: int, end: int) -> QuoteKind:
    """Direct when the content is wholly inside quotation marks, mixed when it holds some."""
    inner = text[start:end].strip()
    if not inner:
        return QuoteKind.INDIRECT
    before = text[max(0, start - 1) : start]
    after = text[end : end + 1]
    wrapped = (inner[0] in QUOTE_MARKS or before in QUOTE_MARKS) and (
        inner[-1] in QUOTE_MARKS or after in QUOTE_MARKS or inner[-2:-1] in QUOTE_MARKS
    )
    if wrapped and sum(inner.count(m) for m in QUOTE_MARKS) <= 2:
        return QuoteKind.DIRECT
    if any(m in inner for m in QUOTE_MARKS):
        return QuoteKind.MIXED
    return QuoteKind.INDIRECT
