"""On a SQLite file the users table allows or refuses nothing (ADR 0013): a file is one
person's, so whoever opens it may write every set, assign and manage users."""

from __future__ import annotations

from pathlib import Path

from storage_helpers import TEXT, item

from newsmark.domain.spans import Span
from newsmark.storage import Database, Repository


def test_a_file_ignores_roles(db_path: Path) -> None:
    db = Database.open(db_path)
    try:
        repo = Repository(db)
        repo.add_user("boss", "admin")
        repo.add_user("ana", "annotator")
        [(doc, _)] = repo.add_documents([item(TEXT)], "import")
        boss_set = repo.annotation_set(doc, "boss")  # "ana" edits it below: no refusal
        assert boss_set is not None
        repo.add_span(boss_set.id, Span(0, 18, "PERSON"), "ana")
        assert repo.assign({doc: ("ana",)}, "ana", replace=False) == 1
        repo.add_user("zed", "annotator")
        assert repo.remove_user("zed") == "annotator"
        assert repo.login() is None
        assert len(repo.get_set(boss_set.id).spans) == 1
        assert repo.users() == {"boss": "admin", "ana": "annotator"}
    finally:
        db.close()
