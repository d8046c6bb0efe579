"""A stdlib-only, read-only look at the document the window opens first (no SQLAlchemy).

The window paints this text while SQLAlchemy is still importing. Anything unusual (no
file, not SQLite, fails `quick_check` where Database.open would run it, a schema this
Newsmark does not know as its head, a lock, an error) gives None, and the caller takes
the normal path, which refuses what must be refused (so a refused database never shows
a preview first).
Never writes: the connection is `mode=ro` (or `immutable=1` in a read-only folder).
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from newsmark.storage import preflight
from newsmark.storage.preflight import SQLITE_HEADER, readonly_uri

VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"
_REVISION = re.compile(r'^revision: str = "([^"]+)"', re.MULTILINE)
_DOWN = re.compile(r'^down_revision: str \| None = (?:"([^"]+)"|None)', re.MULTILINE)


@dataclass(frozen=True, slots=True)
class FirstDocument:
    """The first document of the unfiltered list (lowest id): what the window opens."""

    doc_id: int
    title: str | None
    text: str


def head_revision() -> str | None:
    """The head revision from the version files' headers (as migrate.head_revision)."""
    graph: dict[str, str | None] = {}
    for path in sorted(VERSIONS_DIR.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(source), _DOWN.search(source)
        if rev and down:
            graph[rev.group(1)] = down.group(1)
    heads = set(graph) - {down for down in graph.values() if down}
    return heads.pop() if len(heads) == 1 else None


def first_document(db_path: Path) -> FirstDocument | None:
    """The first document's id, title and text, or None whenever anything is off."""
    try:
        with db_path.open("rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return None
        head = head_revision()
        conn = sqlite3.connect(readonly_uri(db_path), uri=True, timeout=0.2)
        with closing(conn):
            conn.execute("PRAGMA query_only = ON")
            # As Database.open: a corrupt file is refused before any window shows (an
            # archive-sized one as its last writer left it on a clean close is not read
            # whole again: clean_close.py).
            if preflight.quick_check_needed(db_path) and [
                row[0] for row in conn.execute("PRAGMA quick_check(1)")
            ] != ["ok"]:
                return None
            revisions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
            if head is None or revisions != [(head,)]:
                return None  # older (migrates first), newer or foreign: the normal path
            row = conn.execute(
                "SELECT id, title, text FROM documents ORDER BY id LIMIT 1"
            ).fetchone()
    except (OSError, sqlite3.Error, UnicodeDecodeError):
        return None
    if row is None or not isinstance(row[2], str):
        return None
    return FirstDocument(int(row[0]), row[1] if isinstance(row[1], str) else None, row[2])
