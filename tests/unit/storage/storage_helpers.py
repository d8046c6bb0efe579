"""Helpers shared by the storage tests: sample text, a stand-in tokenizer, file hashes."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event

from newsmark.domain.document import DocumentInput, Token
from newsmark.storage import Database

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


def plans(db: Database, action: Callable[[], object]) -> list[str]:
    """EXPLAIN QUERY PLAN of each SELECT `action` runs, one string per statement."""
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    out = []
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        for statement, params in seen:
            rows = raw.execute(f"EXPLAIN QUERY PLAN {statement}", params).fetchall()
            out.append(" | ".join(str(r[-1]) for r in rows))
    return out
