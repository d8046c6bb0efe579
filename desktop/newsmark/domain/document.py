"""Documents: immutable text plus metadata and the tokens every offset snaps to."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, overload


class Token(NamedTuple):
    """A token as character offsets (code points, end-exclusive) and trailing whitespace.

    A NamedTuple rather than a dataclass: documents hold thousands and export unpacks them
    in bulk, where tuple construction is twice as fast.
    """

    start: int
    end: int
    ws: bool = True


class PackedTokens(Sequence[Token]):
    """Tokens as the database keeps them: one flat list [start, end, ws, start, end, ws...].

    Export reads thousands of tokens per document and needs only their columns
    (`starts`, `ends`, `spaces`); a Token is made only when one is asked for.
    """

    __slots__ = ("_columns", "flat")

    def __init__(self, flat: list[int]) -> None:
        if len(flat) % 3:
            raise ValueError(f"packed tokens need 3 numbers per token, got {len(flat)}")
        self.flat = flat
        self._columns: tuple[list[int], list[int], list[int]] | None = None

    @classmethod
    def from_json(cls, packed: str | None) -> PackedTokens:
        """From the stored JSON text (one json.loads: no object per token but its ints)."""
        return cls(json.loads(packed or "[]"))

    @classmethod
    def of(cls, tokens: Sequence[Token]) -> PackedTokens:
        """`tokens` as PackedTokens (itself when it already is)."""
        if isinstance(tokens, PackedTokens):
            return tokens
        flat: list[int] = []
        for t in tokens:
            flat.extend((t.start, t.end, int(t.ws)))
        return cls(flat)

    def _split(self) -> tuple[list[int], list[int], list[int]]:
        # Sliced once: export reads each column several times. Do not mutate them.
        if self._columns is None:
            f = self.flat
            self._columns = (f[0::3], f[1::3], f[2::3])
        return self._columns

    @property
    def starts(self) -> list[int]:
        return self._split()[0]

    @property
    def ends(self) -> list[int]:
        return self._split()[1]

    @property
    def spaces(self) -> list[int]:
        """1 where the token is followed by a space, else 0."""
        return self._split()[2]

    def __len__(self) -> int:
        return len(self.flat) // 3

    @overload
    def __getitem__(self, index: int) -> Token: ...
    @overload
    def __getitem__(self, index: slice) -> list[Token]: ...
    def __getitem__(self, index: int | slice) -> Token | list[Token]:
        if isinstance(index, slice):
            return list(self)[index]
        n = len(self)
        i = index + n if index < 0 else index
        if not 0 <= i < n:
            raise IndexError("token index out of range")
        f = self.flat
        return Token(f[3 * i], f[3 * i + 1], bool(f[3 * i + 2]))

    def __iter__(self) -> Iterator[Token]:
        f = self.flat
        return map(Token._make, zip(f[0::3], f[1::3], map(bool, f[2::3]), strict=True))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedTokens):
            return self.flat == other.flat
        if isinstance(other, Sequence) and not isinstance(other, str):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"PackedTokens({len(self)} tokens)"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def complete_tokens(text: str, tokens: Sequence[Token]) -> tuple[Token, ...]:
    """A file's own tokens, checked and completed so that they rebuild `text` exactly.

    Tokens must be in order, inside the text and not overlap; whatever lies between them
    must be whitespace. As in spaCy, a token's `ws` stands for one following space and any
    other whitespace between two tokens becomes a whitespace token of its own, so the
    result can become a spaCy Doc. A file that already follows spaCy (Prodigy's tokens do)
    comes back unchanged. Raises ValueError saying which token is wrong.
    """
    out: list[Token] = []
    pos = 0
    for i, (start, end, _ws) in enumerate(tokens):
        if not 0 <= start < end <= len(text):
            raise ValueError(f"token {i} {start}..{end} is empty or outside the text")
        if start < pos:
            raise ValueError(f"token {i} {start}..{end} overlaps or precedes the token before it")
        _fill(text, pos, start, out, i)
        out.append(Token(start, end, False))
        pos = end
    _fill(text, pos, len(text), out, len(tokens))
    return tuple(out)


def _fill(text: str, pos: int, start: int, out: list[Token], index: int) -> None:
    """Cover text[pos:start] (whitespace only) with the previous token's space and a token."""
    if pos == start:
        return
    gap = text[pos:start]
    if not gap.isspace():
        raise ValueError(
            f"the tokens leave {gap[:20]!r} at {pos}..{start} uncovered (before token {index})"
        )
    if out and gap[0] == " ":
        out[-1] = out[-1]._replace(ws=True)
        pos += 1
    if pos < start:
        out.append(Token(pos, start, False))


@dataclass(frozen=True, slots=True)
class DocumentInput:
    """A document as a reader produced it, before it is stored.

    `spans`, `quotes` and `status` carry annotations that came with the file (origin
    `import`); offsets already refer to the normalised `text`. `tokens` are the file's own
    (Prodigy, CoNLL, DocBin), kept as they are; None means the file has none, and spaCy's
    tokenizer makes them at import.
    """

    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    spans: tuple[Any, ...] = ()  # tuple[Span, ...]; Any avoids an import cycle in typing
    quotes: tuple[Any, ...] = ()  # tuple[Quote, ...]
    annotator: str | None = None
    status: str | None = None
    line: int | None = None  # where the document starts in its file (JSONL), for errors
    tokens: tuple[Token, ...] | None = None

    @property
    def sha256(self) -> str:
        return text_sha256(self.text)

    @property
    def has_annotations(self) -> bool:
        return bool(self.spans or self.quotes)

    @property
    def makes_set(self) -> bool:
        """Whether importing it stores an annotation set: annotations, or a decision.

        An accepted record with no spans is gold too ("this headline has no entities").
        """
        return self.has_annotations or self.status is not None


@dataclass(frozen=True, slots=True)
class Document:
    """A stored document. `tokens` come from spaCy's English tokenizer at import.

    `tokens` is a tuple of Tokens, or PackedTokens where a bulk read (export) left
    them as stored.
    """

    id: int
    text: str
    sha256: str
    meta: dict[str, Any] = field(default_factory=dict)
    tokens: Sequence[Token] = ()

    @property
    def title(self) -> str:
        title = self.meta.get("title")
        if isinstance(title, str) and title.strip():
            return title.strip()
        first = self.text.strip().split("\n", 1)[0]
        return first[:80] or f"Document {self.id}"
