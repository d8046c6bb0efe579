"""The undo history read back from the edit log: exact where rows name what they revert
(`reverts`, migration 0004), the old guess only for rows written before it (ADR 0006)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from storage_helpers import TEXT, tokens_of

from newsmark.domain.errors import AnnotationError
from newsmark.domain.spans import Span
from newsmark.storage import Database, Repository, migrate
from newsmark.storage.history import History

PUTIN = Span(30, 44, "PERSON")
AT = "2026-11-20T10:00:00.000000+00:00"


def names(history: History) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(op, first row id) of each step done, then of each step undone (next redo last)."""
    return (
        [(s.entry.op, s.entry.id) for s in history.done],
        [(s.entry.op, s.entry.id) for s in history.undone],
    )


@pytest.fixture
def set_id(repo: Repository, doc_id: int) -> int:
    aset = repo.annotation_set(doc_id, "ann")
    assert aset is not None and aset.id is not None
    return aset.id


def test_a_relabel_back_is_a_step_of_its_own(repo: Repository, set_id: int) -> None:
    span = repo.add_span(set_id, PUTIN, "ann").item
    assert span.id is not None
    repo.update_span(set_id, span.id, "ann", label="ORG")
    repo.update_span(set_id, span.id, "ann", label="PERSON")  # a new edit that mirrors
    add, to_org, back = repo.edit_log(set_id)
    assert (add.reverts, to_org.reverts, back.reverts) == (None, None, None)
    history = repo.undo_history(set_id)
    assert names(history) == (
        [("add_span", add.id), ("update_span", to_org.id), ("update_span", back.id)],
        [],
    )
    assert [s.newest for s in history.done] == [add.id, to_org.id, back.id]


def test_reverts_name_undos_and_redos_and_the_history_follows(
    repo: Repository, set_id: int
) -> None:
    span = repo.add_span(set_id, PUTIN, "ann").item
    assert span.id is not None
    repo.update_span(set_id, span.id, "ann", label="ORG")
    add, relabel = repo.edit_log(set_id)

    undo = repo.revert(relabel.id, "ann")
    assert (undo.op, undo.reverts) == ("replace_span", relabel.id)
    assert names(repo.undo_history(set_id)) == (
        [("add_span", add.id)],
        [("update_span", relabel.id)],
    )
    undo_add = repo.revert(add.id, "ann")
    assert (undo_add.op, undo_add.reverts, repo.get_set(set_id).spans) == (
        "delete_span",
        add.id,
        [],
    )
    history = repo.undo_history(set_id)
    assert names(history) == ([], [("update_span", relabel.id), ("add_span", add.id)])
    assert [s.newest for s in history.undone] == [undo.id, undo_add.id]

    redo_add = repo.revert(undo_add.id, "ann")  # the revert of an undo is a redo
    assert (redo_add.reverts, [s.label for s in repo.get_set(set_id).spans]) == (
        undo_add.id,
        ["PERSON"],
    )
    assert names(repo.undo_history(set_id)) == (
        [("add_span", add.id)],
        [("update_span", relabel.id)],
    )

    # A new edit ends what was undone, as in the window.
    repo.update_span(set_id, span.id, "ann", label="GPE")
    newest = repo.edit_log(set_id)[-1]
    assert names(repo.undo_history(set_id)) == (
        [("add_span", add.id), ("update_span", newest.id)],
        [],
    )


def test_an_irreversible_row_starts_the_history_afresh(repo: Repository, doc_id: int) -> None:
    aset = repo.annotation_set(doc_id, "ann")
    assert aset is not None and aset.id is not None
    repo.add_span(aset.id, PUTIN, "ann")
    repo.save_predictions(doc_id, "ann", [], [], force=True)
    repo.set_status(aset.id, "accepted", "ann")
    [status] = repo.undo_history(aset.id).done
    assert status.entry.op == "set_status"


def entity_set(repo: Repository, doc_id: int, annotator: str) -> int:
    aset = repo.annotation_set(doc_id, annotator)
    assert aset is not None and aset.id is not None
    return aset.id


def test_a_merge_is_a_step_of_every_set_it_relinked_and_reverts_as_a_whole(
    repo: Repository, doc_id: int
) -> None:
    keep = repo.find_or_create_entity("Vladimir Putin", "PERSON")
    drop = repo.find_or_create_entity("Putin", "PERSON", "Q7747")
    first, second = entity_set(repo, doc_id, "ann"), entity_set(repo, doc_id, "other")
    a = repo.add_span(first, Span(30, 44, "PERSON", entity_id=drop.id), "ann").item
    b = repo.add_span(second, Span(30, 44, "PERSON", entity_id=drop.id), "other").item
    unrelated = entity_set(repo, doc_id, "third")
    repo.add_span(unrelated, Span(0, 18, "PERSON", entity_id=keep.id), "third")
    merged = repo.merge_entities(keep.id, drop.id, "ann")
    assert merged.kb_id == "Q7747"  # copied over from the dropped one

    steps = {}
    for set_id in (first, second):
        *_, step = repo.undo_history(set_id).done
        assert step.entry.op == "merge_entities"
        assert step.entry.before["name"] == "Putin"
        steps[set_id] = step
    assert [s.entry.op for s in repo.undo_history(unrelated).done] == ["add_span"]

    undo = repo.revert(steps[second].newest, "other")  # from the second set's history
    assert (undo.set_id, undo.op, undo.reverts) == (
        second,
        "unmerge_entities",
        steps[second].newest,
    )
    assert repo.get_entity(drop.id) == drop
    assert repo.get_entity(keep.id) == keep  # kb_id as before the merge, read from the log
    assert repo.get_span(first, a.id or 0).entity_id == drop.id
    assert repo.get_span(second, b.id or 0).entity_id == drop.id
    for set_id in (first, second):  # undone in both histories
        history = repo.undo_history(set_id)
        assert [s.entry.op for s in history.undone] == ["merge_entities"]
        assert history.undone[0].entry.id == steps[set_id].entry.id

    redo = repo.revert(repo.undo_history(first).undone[0].newest, "ann")
    assert redo.op == "merge_entities" and redo.set_id == first
    assert [e.id for e in repo.entities()] == [keep.id]
    assert repo.get_span(second, b.id or 0).entity_id == keep.id
    for set_id in (first, second):
        assert [s.entry.op for s in repo.undo_history(set_id).done][-1] == "merge_entities"
        assert repo.undo_history(set_id).undone == []


def test_a_window_style_merge_undo_names_the_rows_it_reverts(repo: Repository, doc_id: int) -> None:
    """MergeEntitiesCommand's undo passes the merge's corpus-wide row; each set's unmerge
    row then names that set's merge row."""
    keep = repo.find_or_create_entity("Vladimir Putin", "PERSON")
    drop = repo.find_or_create_entity("Putin", "PERSON")
    first = entity_set(repo, doc_id, "ann")
    repo.add_span(first, Span(30, 44, "PERSON", entity_id=drop.id), "ann")
    links = repo.entity_links(drop.id)
    repo.merge_entities(keep.id, drop.id, "ann")
    corpus = repo.last_edit_id(None)
    merge_row = repo.edit_log(first)[-1]
    repo.unmerge_entities(keep, drop, links, "ann", reverts=corpus)
    unmerge_row = repo.edit_log(first)[-1]
    assert (unmerge_row.op, unmerge_row.reverts) == ("unmerge_entities", merge_row.id)
    assert names(repo.undo_history(first))[1] == [("merge_entities", merge_row.id)]


# -- logs written before migration 0004 -------------------------------------------------------


def old_database(path: Path, log: list[tuple[str, int | None, object, object]]) -> int:
    """A database at revision 0003 (no `reverts`) holding TEXT, one set of annotator "ann"
    with a human PERSON span on Vladimir Putin (id 1), and `log` as that set's rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrate.upgrade(conn, "0003")
    engine.dispose()
    flat = [n for t in tokens_of(TEXT) for n in (t.start, t.end, int(t.ws))]
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO documents (id, sha256, text, meta, title, source, created_at, tokens)"
            " VALUES (1, 'x', ?, '{}', NULL, NULL, ?, ?)",
            (TEXT, AT, json.dumps(flat)),
        )
        conn.execute(
            "INSERT INTO annotation_sets VALUES (1, 1, 'ann', 'in_progress', ?, ?, ?)",
            (len(log), AT, AT),
        )
        conn.execute(
            'INSERT INTO spans (id, set_id, start, "end", label, origin, model, entity_id)'
            " VALUES (1, 1, 30, 44, 'PERSON', 'human', NULL, NULL)"
        )
        conn.executemany(
            "INSERT INTO edit_log (set_id, at, who, op, target_id, before, after)"
            " VALUES (1, ?, 'ann', ?, ?, ?, ?)",
            [
                (AT, op, target, *(None if v is None else json.dumps(v) for v in (b, a)))
                for op, target, b, a in log
            ],
        )
    return 1


def span_json(label: str) -> dict[str, object]:
    return {"id": 1, "start": 30, "end": 44, "label": label, "origin": "human"} | {
        "model": None,
        "entity_id": None,
    }


def test_rows_before_0004_are_guessed_and_later_ones_read_exactly(tmp_path: Path) -> None:
    path = tmp_path / "data" / "newsmark.sqlite3"
    set_id = old_database(
        path,
        [
            ("add_span", 1, None, span_json("PERSON")),
            ("update_span", 1, span_json("PERSON"), span_json("ORG")),
            # Written by the old window's undo (replace_span): the guess reads it as such.
            ("replace_span", 1, span_json("ORG"), span_json("PERSON")),
        ],
    )
    with Database.open(path) as db:  # upgraded to head: the log gets its 0004 marker
        repo = Repository(db)
        add, relabel, undo = repo.edit_log(set_id)
        history = repo.undo_history(set_id)
        assert names(history) == ([("add_span", add.id)], [("update_span", relabel.id)])
        assert history.undone[0].newest == undo.id

        # Redoing the guessed step across the upgrade: exact from here on.
        redo = repo.revert(undo.id, "ann")
        assert redo.reverts == undo.id
        assert names(repo.undo_history(set_id)) == (
            [("add_span", add.id), ("update_span", relabel.id)],
            [],
        )
        # After 0004 a relabel back is a new step, though it mirrors the one before.
        repo.update_span(set_id, 1, "ann", label="PERSON")
        back = repo.edit_log(set_id)[-1]
        assert names(repo.undo_history(set_id)) == (
            [("add_span", add.id), ("update_span", relabel.id), ("update_span", back.id)],
            [],
        )


def test_a_merge_logged_before_0004_still_ends_the_history(tmp_path: Path) -> None:
    """The old corpus-wide merge row lacks the kept entity's former kb_id: not revertible."""
    path = tmp_path / "data" / "newsmark.sqlite3"
    set_id = old_database(
        path,
        [
            ("add_span", 1, None, span_json("PERSON")),
            (
                "merge_entities",
                2,
                {"entity_id": 2, "name": "Putin", "spans": [1]},
                {"entity_id": 1, "name": "Vladimir Putin"},
            ),
            ("update_span", 1, span_json("PERSON"), span_json("ORG")),
        ],
    )
    with sqlite3.connect(path) as conn:  # the merge's closing corpus-wide row, as logged then
        conn.execute(
            "INSERT INTO edit_log (set_id, at, who, op, target_id, before, after)"
            " VALUES (NULL, ?, 'ann', 'merge_entities', 2, ?, ?)",
            (
                AT,
                json.dumps({"id": 2, "name": "Putin", "label": "PERSON", "kb_id": None}),
                json.dumps({"id": 1, "name": "Vladimir Putin", "label": "PERSON", "kb_id": None}),
            ),
        )
    with Database.open(path) as db:
        repo = Repository(db)
        _, merge, relabel = repo.edit_log(set_id)
        assert names(repo.undo_history(set_id)) == ([("update_span", relabel.id)], [])
        with pytest.raises(AnnotationError, match="logged before Newsmark recorded merges fully"):
            repo.revert(merge.id, "ann")


def test_a_fresh_database_reads_every_row_exactly(repo: Repository, set_id: int) -> None:
    """No rows before 0004, so no marker: a revert-like new edit is never guessed."""
    span = repo.add_span(set_id, PUTIN, "ann").item
    repo.delete_span(set_id, span.id or 0, "ann")  # mirrors the add: a new edit here
    assert [s.entry.op for s in repo.undo_history(set_id).done] == ["add_span", "delete_span"]
