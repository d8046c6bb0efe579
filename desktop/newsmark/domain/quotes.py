"""Quotes: who said what. Content parts, an optional speaker mention and cue, a kind."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypedDict

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


QUOTE_MARKS = '"“”„‟«»‹›「」『』'


def guess_kind(text: str, start: int, end: int) -> QuoteKind:
    """Direct when the content is wholly inside quotation marks, mixed when it holds some.

    Marks just outside the selection count (a selection often stops before `,”`).
    """
    inner = text[start:end].strip()
    if not inner:
        return QuoteKind.INDIRECT
    left = text[max(0, start - 2) : start]
    right = text[end : end + 2]
    opens = inner[0] in QUOTE_MARKS or any(c in QUOTE_MARKS for c in left)
    closes = any(c in QUOTE_MARKS for c in inner[-2:]) or any(c in QUOTE_MARKS for c in right)
    core = inner[1:] if inner[0] in QUOTE_MARKS else inner
    core = core.rstrip("".join(QUOTE_MARKS) + ",.;:!? ")
    if opens and closes and not any(m in core for m in QUOTE_MARKS):
        return QuoteKind.DIRECT
    if any(m in inner for m in QUOTE_MARKS):
        return QuoteKind.MIXED
    return QuoteKind.INDIRECT
