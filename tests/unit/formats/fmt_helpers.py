"""Test helpers for the formats tests: a tiny tokenizer standing in for spaCy's."""

from __future__ import annotations

import re

from newsmark.domain.document import Token

_TOKEN = re.compile(r"\w+|[^\w\s]")


def tokenize(text: str) -> tuple[Token, ...]:
    """Words and single punctuation marks; `ws` is True when whitespace follows."""
    return tuple(
        Token(m.start(), m.end(), m.end() < len(text) and text[m.end()].isspace())
        for m in _TOKEN.finditer(text)
    )
