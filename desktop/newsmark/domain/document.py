"""Documents: immutable text plus metadata and the tokens every offset snaps to."""

from __future__ import annotations

import hashlib
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


@dataclass(frozen=True, slots=True)
class DocumentInput:
    """A document as a reader produced it, before it is stored.

    `spans`, `quotes` and `status` carry annotations that came with the file (origin
    `import`); offsets already refer to the normalised `text`.
    """

    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    spans: tuple[Any, ...] = ()  # tuple[Span, ...]; Any avoids an import cycle in typing
    quotes: tuple[Any, ...] = ()  # tuple[Quote, ...]
    annotator: str | None = None
    status: str | None = None
    line: int | None = None  # where the document starts in its file (JSONL), for errors

    @property
    def sha256(self) -> str:
        return text_sha256(self.text)

    @property
    def has_annotations(self) -> bool:
        return bool(self.spans or self.quotes)


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
