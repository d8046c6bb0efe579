"""Documents: immutable text plus metadata and the tokens every offset snaps to."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Token(NamedTuple):
    """A token as character offsets (code points, end-exclusive) and trailing whitespace.

    A NamedTuple rather than a dataclass: documents hold thousands and export unpacks them
    in bulk, where tuple construction is twice as fast.
    """

    start: int
    end: int
    ws: bool = True


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
    """A stored document. `tokens` come from spaCy's English tokenizer at import."""

    id: int
    text: str
    sha256: str
    meta: dict[str, Any] = field(default_factory=dict)
    tokens: tuple[Token, ...] = ()

    @property
    def title(self) -> str:
        title = self.meta.get("title")
        if isinstance(title, str) and title.strip():
            return title.strip()
        first = self.text.strip().split("\n", 1)[0]
        return first[:80] or f"Document {self.id}"
