"""Offsets: token snapping and code point <-> UTF-16 conversion (the only place for it).

Newsmark's offsets are Python `str` indices (code points), as in spaCy. Qt (and Label
Studio) count UTF-16 code units, where a character outside the Basic Multilingual Plane
(most emoji) takes two units. Everything that crosses that border goes through `Utf16Map`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from enum import StrEnum
from itertools import accumulate

from newsmark.domain.document import PackedTokens, Token


class Utf16Map:
    """Converts offsets of one text between code points and UTF-16 code units.

    Texts with no astral characters (the common case) convert by identity in O(1); others
    keep the code point offsets of astral characters and convert by bisection.
    """

    __slots__ = ("_astral", "_text_len", "_utf16_astral")

    def __init__(self, text: str) -> None:
        self._text_len = len(text)
        # Code point offsets of characters that take two UTF-16 units.
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        # The UTF-16 offset at which each astral character starts.
        self._utf16_astral = [cp + n for n, cp in enumerate(self._astral)]

    @property
    def utf16_length(self) -> int:
        return self._text_len + len(self._astral)

    def to_utf16(self, offset: int) -> int:
        if not 0 <= offset <= self._text_len:
            raise ValueError(f"offset {offset} outside 0..{self._text_len}")
        if not self._astral:
            return offset
        return offset + bisect_left(self._astral, offset)

    def from_utf16(self, unit: int) -> int:
        """Code point offset of a UTF-16 offset; a unit inside a surrogate pair rounds down."""
        if not 0 <= unit <= self.utf16_length:
            raise ValueError(f"UTF-16 offset {unit} outside 0..{self.utf16_length}")
        if not self._astral:
            return unit
        # Astral characters that start strictly before `unit`.
        n = bisect_left(self._utf16_astral, unit)
        cp = unit - n
        if n and self._utf16_astral[n - 1] + 1 == unit:  # in the middle of a pair
            return self._astral[n - 1]
        return cp


def to_utf16(text: str, offset: int) -> int:
    return Utf16Map(text).to_utf16(offset)


def from_utf16(text: str, unit: int) -> int:
    return Utf16Map(text).from_utf16(unit)


class Alignment(StrEnum):
    """How a character span maps onto tokens (the modes of spaCy's `Doc.char_span`)."""

    STRICT = "strict"
    EXPAND = "expand"
    CONTRACT = "contract"


class TokenIndex:
    """Token boundaries of one document for fast snapping and token-index lookups."""

    __slots__ = ("_ends", "_starts", "tokens")

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = tokens
        if isinstance(tokens, PackedTokens):  # export: no Token objects at all
            self._starts, self._ends = tokens.starts, tokens.ends
        else:
            self._starts = [t.start for t in tokens]
            self._ends = [t.end for t in tokens]

    def __len__(self) -> int:
        return len(self.tokens)

    def token_at(self, offset: int) -> int | None:
        """Index of the token containing `offset`, or None in whitespace."""
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and self._starts[i] <= offset < self._ends[i]:
            return i
        return None

    def token_span(self, start: int, end: int) -> tuple[int, int] | None:
        """(first, last) token indices (last inclusive) if [start, end) is token-aligned."""
        i = bisect_left(self._starts, start)
        j = bisect_left(self._ends, end)
        if (
            i < len(self._starts)
            and j < len(self._ends)
            and self._starts[i] == start
            and self._ends[j] == end
            and i <= j
        ):
            return i, j
        return None

    def snap(
        self, start: int, end: int, mode: Alignment = Alignment.EXPAND
    ) -> tuple[int, int] | None:
        """Snap [start, end) to token boundaries; None when nothing is left.

        expand: every token the range touches; contract: only tokens wholly inside;
        strict: the range itself if it is aligned, else None.
        """
        if start >= end or not self.tokens:
            return None
        if mode is Alignment.STRICT:
            return (start, end) if self.token_span(start, end) else None
        if mode is Alignment.EXPAND:
            first = bisect_right(self._ends, start)  # first token ending after start
            last = bisect_left(self._starts, end) - 1  # last token starting before end
        else:
            first = bisect_left(self._starts, start)
            last = bisect_right(self._ends, end) - 1
        if first > last or first >= len(self.tokens) or last < 0:
            return None
        return self._starts[first], self._ends[last]

    def word_at(self, offset: int) -> tuple[int, int] | None:
        """The token under `offset` (double-click selection)."""
        i = self.token_at(offset)
        return (self._starts[i], self._ends[i]) if i is not None else None

    def next_boundary(self, offset: int, forward: bool = True) -> int:
        """The next token edge after (or before) `offset`: Shift+arrow selection by token."""
        edges = sorted({*self._starts, *self._ends})
        if forward:
            k = bisect_right(edges, offset)
            return edges[k] if k < len(edges) else offset
        k = bisect_left(edges, offset) - 1
        return edges[k] if k >= 0 else offset


def line_starts(text: str) -> list[int]:
    """Code point offset of each line's start (for reporting 1-based line numbers)."""
    return [0, *accumulate(len(line) + 1 for line in text.split("\n")[:-1])]
