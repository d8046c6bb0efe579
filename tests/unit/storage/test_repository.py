"""Repository on a real SQLite file: imports, edits with their log, queries, entities."""

from __future__ import annotations

import sqlite3
import tracemalloc
from typing import TypeVar

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from storage_helpers import TEXT, item

from newsmark.domain.errors import (
    AnnotationError,
    ConflictError,
    InputError,
    NotFoundError,
    UsageError,
)
from newsmark.domain.labels import LabelSet
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.storage import BatchInputError, Database, Edited, Repository, SetState

T = TypeVar("T")

NETANYAHU = Span(0, 18, "PERSON")
PUTIN = Span(30, 44, "PERSON")
JERUSALEM = Span(72, 81, "GPE")
QUOTE = Quote(parts=((46, 60),), speaker=(61, 63), cue=(64, 68), kind=QuoteKind.DIRECT)


def test_sample_offsets_are_what_the_tests_assume() -> None:
    assert TEXT[NETANYAHU.start : NETANYAHU.end] == "Benjamin Netanyahu"
    assert TEXT[PUTIN.start : PUTIN.end] == "Vladimir Putin"
    assert TEXT[JERUSALEM.start : JERUSALEM.end] == "Jerusalem"
    assert TEXT[46:60] == '"We will win,"'


# -- documents -----------------------------------------------------------------------------


def test_document_round_trip_with_tokens(repo: Repository, doc_id: int) -> None:
    doc = repo.get_document(doc_id)
    assert doc.text == TEXT
    assert doc.meta == {"title": "Call"}
    assert doc.title == "Call"
    assert doc.tokens == tuple(item(TEXT)[1])
    assert doc.tokens[0].ws and doc.tokens[0].end == 8


def test_missing_document_is_not_found(repo: Repository) -> None:
    with pytest.raises(NotFoundError) as info:
        repo.get_document(42)
    assert str(info.value) == "no document with id 42"


def test_dedup_by_sha256(repo: Repository, doc_id: int) -> None:
    results = repo.add_documents([item(TEXT), item("Other text."), item("Other text.")], "import")
    assert results[0] == (doc_id, False)
    assert results[1][1] is True
    assert results[2] == (results[1][0], False)  # duplicates inside one batch too
    assert len(repo.document_ids()) == 2
    assert repo.sets_for_document(doc_id) == []


def test_annotations_on_reimport_become_a_new_set(repo: Repository, doc_id: int) -> None:
    annotated = item(TEXT, spans=(NETANYAHU, PUTIN), annotator="import:jsonl", status="accepted")
    assert repo.add_documents([annotated], "import") == [(doc_id, False)]
    [aset] = repo.sets_for_document(doc_id)
    assert aset.annotator == "import:jsonl"
    assert aset.status is Status.ACCEPTED
    assert [(s.key, s.origin) for s in aset.spans] == [
        (NETANYAHU.key, Origin.IMPORT),
        (PUTIN.key, Origin.IMPORT),
    ]
    # The same file again adds nothing; a different annotation lands beside it.
    repo.add_documents([annotated], "import")
    assert len(repo.sets_for_document(doc_id)) == 1
    other = item(TEXT, spans=(NETANYAHU,), annotator="import:jsonl")
    repo.add_documents([other], "import")
    names = [s.annotator for s in repo.sets_for_document(doc_id)]
    assert names == ["import:jsonl", "import:jsonl#2"]
    [entry] = repo.edit_log(repo.sets_for_document(doc_id)[1].id or 0)
    assert entry.op == "import" and entry.after["spans"] == 1


@pytest.mark.parametrize(
    ("spans", "message"),
    [
        ((Span(0, 500, "PERSON"),), "out of range"),
        ((NETANYAHU, NETANYAHU), "duplicate span"),
        ((Span(5, 5, "PERSON"),), "empty"),
        ((Span(0, 18, "WIZARD"),), "unknown label 'WIZARD'"),
        ((NETANYAHU, Span(9, 25, "PERSON")), "overlap"),
    ],
)
def test_invalid_batch_writes_nothing(
    repo: Repository, spans: tuple[Span, ...], message: str
) -> None:
    good = item("A fine first document.")
    bad = item(TEXT, spans=spans)
    with pytest.raises(BatchInputError, match=message) as caught:
        repo.add_documents([good, bad], "import", labels=LabelSet())
    assert caught.value.index == 1
    assert "document 2 of 2" in caught.value.reason
    assert isinstance(caught.value, InputError)
    assert repo.document_ids() == []
    assert repo.stats()["annotation_sets"] == 0


# -- edits ---------------------------------------------------------------------------------


@pytest.fixture
def set_id(repo: Repository, doc_id: int) -> int:
    aset = repo.annotation_set(doc_id, "ann1")
    assert aset is not None and aset.id is not None
    assert aset.status is Status.NEW and aset.version == 0
    return aset.id


def test_every_edit_writes_one_log_row_and_bumps_version(repo: Repository, set_id: int) -> None:
    states: list[SetState] = []

    def edited(done: Edited[T]) -> T:
        states.append(done.state)
        stored = repo.get_set(set_id)  # what the edit returns is what is stored
        assert done.state == SetState(stored.version, stored.status)
        return done.item

    span = edited(repo.add_span(set_id, NETANYAHU, "ann1"))
    assert span.id is not None
    assert repo.get_set(set_id).status is Status.IN_PROGRESS
    changed = edited(repo.update_span(set_id, span.id, "ann1", label="ORG"))
    assert changed.label == "ORG" and changed.origin is Origin.HUMAN
    quote = edited(repo.add_quote(set_id, QUOTE, "ann1"))
    assert quote.id is not None
    edited(repo.update_quote(set_id, quote.id, "ann1", kind="mixed", speaker=[61, 63]))
    entity = repo.find_or_create_entity("Benjamin Netanyahu", "PERSON")
    edited(repo.link_span(set_id, span.id, entity.id, "ann1"))
    edited(repo.delete_quote(set_id, quote.id, "ann1"))
    deleted = edited(repo.delete_span(set_id, span.id, "ann1"))
    previous = edited(repo.set_status(set_id, Status.ACCEPTED, "ann1"))
    assert previous is Status.IN_PROGRESS
    assert [st.version for st in states] == list(range(1, 9))
    assert [st.status for st in states] == [Status.IN_PROGRESS] * 7 + [Status.ACCEPTED]

    log = repo.edit_log(set_id)
    assert [e.op for e in log] == [
        "add_span",
        "update_span",
        "add_quote",
        "update_quote",
        "link_span",
        "delete_quote",
        "delete_span",
        "set_status",
    ]
    assert all(e.who == "ann1" and e.set_id == set_id for e in log)
    assert log[0].before is None and log[0].after["label"] == "PERSON"
    assert log[1].before["label"] == "PERSON" and log[1].after["label"] == "ORG"
    assert log[3].after["kind"] == "mixed"
    assert log[4].after["entity_id"] == entity.id
    assert log[6].before["id"] == deleted.id and log[6].after is None
    assert log[7].before == {"status": "in_progress"} and log[7].after == {"status": "accepted"}
    assert log[0].at.endswith("+00:00")
    final = repo.get_set(set_id)
    assert final.version == 8 and final.status is Status.ACCEPTED
    assert final.spans == [] and final.quotes == []


@pytest.mark.parametrize(
    ("span", "message"),
    [
        (Span(0, 500, "PERSON"), "out of range"),
        (NETANYAHU, "duplicate span"),
        (Span(9, 25, "PERSON"), "overlap"),
        (Span(18, 19, "PERSON"), "whitespace"),
        (Span(30, 44, "WIZARD"), "unknown label"),
    ],
)
def test_refused_span_edit_writes_nothing(
    db: Database, set_id: int, span: Span, message: str
) -> None:
    repo = Repository(db, labels=LabelSet())
    repo.add_span(set_id, NETANYAHU, "ann1")
    before = (repo.get_set(set_id), repo.edit_log(set_id))
    with pytest.raises(AnnotationError, match=message):
        repo.add_span(set_id, span, "ann1")
    assert (repo.get_set(set_id), repo.edit_log(set_id)) == before


def test_refused_update_and_unknown_ids(repo: Repository, set_id: int) -> None:
    a = repo.add_span(set_id, NETANYAHU, "ann1").item
    repo.add_span(set_id, PUTIN, "ann1")
    assert a.id is not None
    with pytest.raises(AnnotationError, match="overlap"):
        repo.update_span(set_id, a.id, "ann1", end=35)
    with pytest.raises(NotFoundError, match="no span with id 999 in annotation set"):
        repo.delete_span(set_id, 999, "ann1")
    with pytest.raises(NotFoundError, match="no annotation set"):
        repo.add_span(12345, NETANYAHU, "ann1")
    with pytest.raises(NotFoundError, match="no entity"):
        repo.link_span(set_id, a.id, 77, "ann1")
    with pytest.raises(ValueError, match="unknown quote fields"):
        repo.update_quote(set_id, 1, "ann1", colour="red")
    assert repo.get_span(set_id, a.id) == a
    assert len(repo.edit_log(set_id)) == 2


def test_undo_restores_ids_and_origin(repo: Repository, set_id: int, doc_id: int) -> None:
    repo.save_predictions(
        doc_id, "ann1", [NETANYAHU.__class__(0, 18, "PERSON", Origin.MODEL, "sm==3.8")], []
    )
    [model_span] = repo.get_set(set_id).spans
    assert model_span.id is not None
    # Undo of an update: write the old state back, origin and model included.
    repo.update_span(set_id, model_span.id, "ann1", label="ORG")
    restored = repo.replace_span(set_id, model_span, "ann1").item
    assert restored == model_span
    # Undo of a delete: add it again under the same id, so later redos still apply.
    gone = repo.delete_span(set_id, model_span.id, "ann1").item
    again = repo.add_span(set_id, gone, "ann1").item
    assert again == gone
    with pytest.raises(ConflictError, match="already in use"):
        repo.add_span(set_id, Span(30, 44, "PERSON", id=gone.id), "ann1")
    quote = repo.add_quote(set_id, QUOTE, "ann1").item
    assert quote.id is not None
    repo.update_quote(set_id, quote.id, "ann1", cue=None)
    assert repo.replace_quote(set_id, quote, "ann1").item == quote


def test_expected_version_detects_a_concurrent_edit(repo: Repository, set_id: int) -> None:
    seen = repo.get_set(set_id).version
    repo.add_span(set_id, NETANYAHU, "other-window")
    with pytest.raises(ConflictError, match="changed elsewhere"):
        repo.add_span(set_id, PUTIN, "ann1", expected_version=seen)
    repo.add_span(set_id, PUTIN, "ann1", expected_version=seen + 1)


@pytest.mark.parametrize(
    "stale_edit",
    ["update_span", "replace_span", "link_span", "update_quote", "replace_quote"],
)
def test_a_stale_window_editing_a_deleted_item_gets_a_conflict(
    repo: Repository, set_id: int, stale_edit: str
) -> None:
    # A reviewer's window shows version v with a span and a quote; another window deletes
    # them. The stale window's edit of either must be the version conflict (reload), as
    # an add or a delete is, not "no span with id ...": found by benchmarks/team_load.py.
    span = repo.add_span(set_id, NETANYAHU, "ann1").item
    quote = repo.add_quote(set_id, QUOTE, "ann1").item
    assert span.id is not None and quote.id is not None
    seen = repo.get_set(set_id).version
    repo.delete_span(set_id, span.id, "other-window")
    repo.delete_quote(set_id, quote.id, "other-window")
    edits = {
        "update_span": lambda: repo.update_span(
            set_id, span.id or 0, "rev", label="ORG", expected_version=seen
        ),
        "replace_span": lambda: repo.replace_span(set_id, span, "rev", expected_version=seen),
        "link_span": lambda: repo.link_span(
            set_id, span.id or 0, None, "rev", expected_version=seen
        ),
        "update_quote": lambda: repo.update_quote(
            set_id, quote.id or 0, "rev", expected_version=seen, kind=QuoteKind.INDIRECT
        ),
        "replace_quote": lambda: repo.replace_quote(set_id, quote, "rev", expected_version=seen),
    }
    with pytest.raises(ConflictError, match=f"changed elsewhere .version {seen + 2}"):
        edits[stale_edit]()
    assert repo.get_set(set_id).version == seen + 2  # nothing written


def test_edit_log_is_append_only(db: Database, repo: Repository, set_id: int) -> None:
    repo.add_span(set_id, NETANYAHU, "ann1")
    if not isinstance(db, Database):  # a server: PL/pgSQL triggers (migration 0001)
        for sql in ("UPDATE edit_log SET who = 'mallory'", "DELETE FROM edit_log"):
            with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as c:
                c.execute(text(sql))
        return
    conn = sqlite3.connect(db.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE edit_log SET who = 'mallory'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM edit_log")
    finally:
        conn.close()


# -- predictions ---------------------------------------------------------------------------


def model_span(span: Span) -> Span:
    return Span(span.start, span.end, span.label, Origin.MODEL, "en_core_web_sm==3.8.0")


def test_predictions_replace_model_spans_until_a_human_edits(repo: Repository, doc_id: int) -> None:
    assert repo.save_predictions(doc_id, "ann1", [model_span(NETANYAHU)], [])
    assert repo.save_predictions(doc_id, "ann1", [model_span(PUTIN)], [])
    aset = repo.annotation_set(doc_id, "ann1")
    assert aset is not None and aset.id is not None
    assert [s.key for s in aset.spans] == [PUTIN.key]
    assert aset.status is Status.PREANNOTATED
    repo.add_span(aset.id, JERUSALEM, "ann1")
    assert not repo.save_predictions(doc_id, "ann1", [model_span(NETANYAHU)], [])
    # force replaces the model's spans but never a person's, nor ones overlapping them.
    predicted = [model_span(NETANYAHU), model_span(Span(72, 77, "ORG"))]
    assert repo.save_predictions(doc_id, "ann1", predicted, [], force=True)
    after = repo.get_set(aset.id)
    assert [(s.key, s.origin) for s in after.spans] == [
        (NETANYAHU.key, Origin.MODEL),
        (JERUSALEM.key, Origin.HUMAN),
    ]
    assert after.status is Status.IN_PROGRESS
    assert [e.op for e in repo.edit_log(aset.id)].count("save_predictions") == 3


# -- queries -------------------------------------------------------------------------------


def test_list_documents_filters_and_search(repo: Repository) -> None:
    ids = [
        i
        for i, _ in repo.add_documents(
            [
                item("Ärger in Berlin today.", meta={"title": "Berlin news"}),
                item(TEXT, meta={"title": "The call", "source": "seed.txt"}),
                item("Nothing to see here."),
            ],
            "import",
        )
    ]
    a = repo.annotation_set(ids[0], "ann1")
    b = repo.annotation_set(ids[1], "ann1")
    assert a is not None and a.id is not None and b is not None and b.id is not None
    repo.add_span(b.id, NETANYAHU, "ann1")
    repo.set_status(b.id, Status.ACCEPTED, "ann1")

    all_docs = repo.list_documents()
    assert [d.id for d in all_docs] == ids
    assert all_docs[2].title == "Nothing to see here." and all_docs[2].status is None
    assert all_docs[1].source == "seed.txt" and all_docs[1].n_spans == 1
    assert [d.id for d in repo.list_documents(status="accepted")] == [ids[1]]
    assert [d.id for d in repo.list_documents(status="new")] == [ids[0], ids[2]]
    assert [d.id for d in repo.list_documents(status="any")] == ids
    assert [d.id for d in repo.list_documents(annotator="ann2")] == ids
    assert repo.list_documents(annotator="ann2")[0].status is None
    assert [d.id for d in repo.list_documents(search="ärger")] == [ids[0]]
    assert [d.id for d in repo.list_documents(search="JERUSALEM")] == [ids[1]]
    assert [d.id for d in repo.list_documents(search="berlin NEWS")] == [ids[0]]
    assert [d.id for d in repo.list_documents(limit=1, offset=1)] == [ids[1]]
    with pytest.raises(UsageError, match="unknown status"):
        repo.list_documents(status="finished")


def test_stats(repo: Repository, set_id: int, doc_id: int) -> None:
    repo.add_documents([item("Second text.")], "import")
    repo.add_span(set_id, NETANYAHU, "ann1")
    repo.add_span(set_id, JERUSALEM, "ann1")
    repo.add_quote(set_id, QUOTE, "ann1")
    repo.save_predictions(doc_id, "model", [model_span(PUTIN)], [])
    stats = repo.stats()
    assert stats["documents"] == 2
    assert stats["annotation_sets"] == 2
    assert stats["by_status"] == {"new": 1, "preannotated": 1, "in_progress": 1}
    assert stats["spans_by_label"] == {"GPE": 1, "PERSON": 2}
    assert stats["spans_by_origin"] == {"human": 2, "model": 1}
    assert stats["quotes_by_kind"] == {"direct": 1}
    assert stats["spans"] == 3 and stats["quotes"] == 1 and stats["entities"] == 0


def test_iter_export_filters_and_entities(repo: Repository, doc_id: int, set_id: int) -> None:
    entity = repo.find_or_create_entity("Benjamin Netanyahu", "PERSON", "Q43723")
    repo.add_span(set_id, Span(0, 18, "PERSON", entity_id=entity.id), "ann1")
    repo.add_quote(
        set_id, Quote(parts=((46, 60),), entity="Benjamin Netanyahu", entity_id=entity.id), "ann1"
    )
    assert list(repo.iter_export()) == []  # default: accepted only
    repo.set_status(set_id, "accepted", "ann1")
    [(doc, aset, entities)] = list(repo.iter_export())
    assert doc.id == doc_id and doc.text == TEXT and doc.tokens
    assert aset.id == set_id and aset.annotator == "ann1" and len(aset.spans) == 1
    assert entities == {entity.id: entity}
    assert list(repo.iter_export(status="accepted", annotator="someone")) == []
    assert len(list(repo.iter_export(status="any"))) == 1


def test_iter_export_streams_in_constant_memory(repo: Repository) -> None:
    def fill(start: int, n: int) -> None:
        for chunk in range(start, start + n, 300):
            docs = [
                item(
                    f"Document number {i} talks about Berlin. " * 20,
                    spans=(Span(0, 8, "ORG"),),
                    status="accepted",
                )
                for i in range(chunk, chunk + 300)
            ]
            repo.add_documents(docs, "import")

    def peak_of_export() -> tuple[int, int]:
        tracemalloc.start()
        count = sum(1 for _ in repo.iter_export(status="any", batch_size=100))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return count, peak

    fill(0, 300)
    small_count, small_peak = peak_of_export()
    fill(300, 1800)
    big_count, big_peak = peak_of_export()
    assert (small_count, big_count) == (300, 2100)
    # Seven times the documents, about the same peak: nothing accumulates.
    assert big_peak < small_peak * 2, (small_peak, big_peak)


# -- entities ------------------------------------------------------------------------------


def test_find_or_create_entity(repo: Repository) -> None:
    a = repo.find_or_create_entity(" Vladimir Putin ", "PERSON")
    b = repo.find_or_create_entity("Vladimir Putin", "PERSON", kb_id="Q7747")
    assert a.id == b.id and a.kb_id is None and b.kb_id == "Q7747"
    c = repo.find_or_create_entity("Vladimir Putin", "ORG")
    assert c.id != a.id
    assert [e.label for e in repo.entities()] == ["ORG", "PERSON"]
    with pytest.raises(AnnotationError, match="needs a name and a label"):
        repo.find_or_create_entity("  ", "PERSON")


def test_merge_entities_relinks_everything_in_one_go(
    repo: Repository, set_id: int, doc_id: int
) -> None:
    keep = repo.find_or_create_entity("Benjamin Netanyahu", "PERSON")
    drop = repo.find_or_create_entity("Netanyahu", "PERSON", kb_id="Q43723")
    span = repo.add_span(set_id, Span(0, 18, "PERSON", entity_id=drop.id), "ann1").item
    quote = repo.add_quote(
        set_id, Quote(parts=((46, 60),), entity="Netanyahu", entity_id=drop.id), "ann1"
    ).item
    other = repo.annotation_set(doc_id, "ann2")
    assert other is not None and other.id is not None
    repo.add_span(other.id, Span(30, 44, "PERSON", entity_id=drop.id), "ann2")
    version = repo.get_set(set_id).version

    merged = repo.merge_entities(keep.id, drop.id, "curator")
    assert merged.id == keep.id and merged.kb_id == "Q43723"
    assert [e.id for e in repo.entities()] == [keep.id]
    assert span.id is not None and quote.id is not None
    assert repo.get_span(set_id, span.id).entity_id == keep.id
    relinked = repo.get_quote(set_id, quote.id)
    assert (relinked.entity_id, relinked.entity) == (keep.id, "Benjamin Netanyahu")
    assert repo.get_set(other.id).spans[0].entity_id == keep.id
    entry = repo.edit_log(set_id)[-1]
    assert entry.op == "merge_entities" and entry.who == "curator"
    assert entry.before == {
        "entity_id": drop.id,
        "name": "Netanyahu",
        "spans": [span.id],
        "quotes": [quote.id],
    }
    assert repo.get_set(set_id).version == version + 1
    with pytest.raises(NotFoundError, match="no entity"):
        repo.merge_entities(keep.id, drop.id, "curator")


# -- undo from the log ---------------------------------------------------------------------


def test_revert_inverts_each_logged_edit_and_reverting_a_revert_redoes(
    repo: Repository, set_id: int
) -> None:
    span = repo.add_span(set_id, NETANYAHU, "ann1").item
    assert span.id is not None
    repo.update_span(set_id, span.id, "ann1", label="ORG")
    quote = repo.add_quote(set_id, QUOTE, "ann1").item
    assert quote.id is not None
    repo.delete_quote(set_id, quote.id, "ann1")
    repo.set_status(set_id, "accepted", "ann1")
    for entry in reversed(repo.edit_log(set_id)):
        undo = repo.revert(entry.id, "ann1")
        assert undo.set_id == set_id and undo.who == "ann1"
        if entry.op == "set_status":
            assert repo.get_set(set_id).status is Status.IN_PROGRESS
            redo = repo.revert(undo.id, "ann1")
            assert repo.get_set(set_id).status is Status.ACCEPTED
            repo.revert(redo.id, "ann1")
    final = repo.get_set(set_id)
    assert final.spans == [] and final.quotes == []
    with pytest.raises(NotFoundError, match="no edit log entry"):
        repo.revert(10_000, "ann1")


def test_revert_refuses_bulk_operations(repo: Repository, doc_id: int) -> None:
    repo.save_predictions(doc_id, "ann1", [model_span(PUTIN)], [])
    aset = repo.annotation_set(doc_id, "ann1")
    assert aset is not None and aset.id is not None
    [entry] = repo.edit_log(aset.id)
    with pytest.raises(AnnotationError, match="'save_predictions' edit cannot be reverted"):
        repo.revert(entry.id, "ann1")


def test_undo_restores_spans_with_labels_outside_the_label_set(
    repo: Repository, doc_id: int
) -> None:
    repo.add_documents(
        [item(TEXT, spans=(Span(30, 44, "MISC"),), annotator="conll")],
        "import",
        labels=LabelSet().with_labels(["MISC"]),
    )
    [aset] = repo.sets_for_document(doc_id)
    assert aset.id is not None
    [misc] = aset.spans
    assert misc.id is not None
    with pytest.raises(AnnotationError, match="unknown label 'MISC'"):
        repo.add_span(aset.id, Span(0, 18, "MISC"), "ann1")
    repo.update_span(aset.id, misc.id, "ann1", label="PERSON")
    assert repo.replace_span(aset.id, misc, "ann1").item == misc
    gone = repo.delete_span(aset.id, misc.id, "ann1").item
    assert repo.add_span(aset.id, gone, "ann1").item == misc


def test_update_entity(repo: Repository, set_id: int) -> None:
    bibi = repo.find_or_create_entity("Netanyahu", "PERSON")
    other = repo.find_or_create_entity("Benjamin Netanyahu", "PERSON")
    quote = repo.add_quote(
        set_id, Quote(parts=((46, 60),), entity="Netanyahu", entity_id=bibi.id), "ann1"
    ).item
    renamed = repo.update_entity(bibi.id, "curator", name="Bibi Netanyahu", kb_id="Q43723")
    assert (renamed.name, renamed.label, renamed.kb_id) == ("Bibi Netanyahu", "PERSON", "Q43723")
    assert quote.id is not None
    assert repo.get_quote(set_id, quote.id).entity == "Bibi Netanyahu"
    assert repo.update_entity(bibi.id, "curator", kb_id="").kb_id is None
    with pytest.raises(AnnotationError, match="merge them instead"):
        repo.update_entity(bibi.id, "curator", name=other.name)
    assert repo.get_entity(bibi.id).name == "Bibi Netanyahu"


def test_save_predictions_many_is_one_transaction(repo: Repository, doc_id: int) -> None:
    [(other_id, _)] = repo.add_documents([item("Angela Merkel visited Paris.")], "import")
    done = repo.save_predictions_many(
        [
            (doc_id, [model_span(NETANYAHU)], []),
            (other_id, [model_span(Span(0, 13, "PERSON"))], []),
        ],
        "model",
    )
    assert [run is not None and len(run.added_spans) for run in done] == [1, 1]
    assert repo.stats()["spans_by_origin"] == {"model": 2}
    # One bad prediction refuses the whole batch: nothing of it is written.
    with pytest.raises(AnnotationError, match="out of range"):
        repo.save_predictions_many(
            [(doc_id, [model_span(PUTIN)], []), (other_id, [model_span(Span(0, 99, "ORG"))], [])],
            "model",
        )
    aset = repo.annotation_set(doc_id, "model", create=False)
    assert aset is not None and [s.key for s in aset.spans] == [NETANYAHU.key]
    with pytest.raises(NotFoundError, match="no document"):
        repo.save_predictions(999, "model", [], [])


def test_iter_texts_keeps_order_and_refuses_unknown_ids_up_front(repo: Repository) -> None:
    from storage_helpers import item

    results = repo.add_documents([item("First text."), item("Second text.")], "import")
    first, second = (doc_id for doc_id, _ in results)
    assert list(repo.iter_texts([second, first, second])) == [
        "Second text.",
        "First text.",
        "Second text.",
    ]
    with pytest.raises(NotFoundError, match="no document with id 999"):
        repo.iter_texts([first, 999])  # raised by the call, before any iteration
