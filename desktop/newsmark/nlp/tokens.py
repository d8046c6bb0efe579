"""Tokenizing with spaCy's English tokenizer into domain Tokens (stored at import)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from newsmark.domain.document import Token
from newsmark.nlp.model import blank_english


def doc_tokens(doc: Doc) -> list[Token]:
    # Whitespace tokens ("\n\n") are kept so token indices equal spaCy's (and Prodigy's).
    return [Token(t.idx, t.idx + len(t.text), bool(t.whitespace_)) for t in doc]


def tokenize(text: str) -> list[Token]:
    return doc_tokens(blank_english().make_doc(text))


def tokenize_many(texts: Iterable[str]) -> Iterator[list[Token]]:
    tok = blank_english().tokenizer
    for text in texts:
        yield doc_tokens(tok(text))
