"""Helpers shared by the storage tests: sample text, a stand-in tokenizer, file hashes."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from newsmark.domain.document import DocumentInput, Token

TEXT = 'Benjamin Netanyahu spoke with Vladimir Putin. "We will win," he said in Jerusalem.'


def tokens_of(text: str) -> list[Token]:
    """A stand-in for spaCy's tokenizer: words and punctuation, with trailing spaces."""
    out = []
    for m in re.finditer(r"\w+|[^\w\s]", text):
        out.append(Token(m.start(), m.end(), text[m.end() : m.end() + 1] == " "))
    return out


def item(text: str, **kwargs: object) -> tuple[DocumentInput, list[Token]]:
    return DocumentInput(text=text, **kwargs), tokens_of(text)  # type: ignore[arg-type]


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
