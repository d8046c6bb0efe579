"""`newsmark merge`: annotators' database files into one, built with the real Repository;
conflicts refused with their list and nothing written; inputs never modified."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from merge_support import (
    BRIDGE,
    CALL,
    add_article,
    add_import_set,
    annotate,
    exported,
    fingerprint,
    open_repo,
)

from newsmark.domain.document import DocumentInput
from newsmark.domain.errors import InputError, StorageError, UsageError
from newsmark.nlp.tokens import tokenize
from newsmark.services.merge import MergeRefused, merge_files
from newsmark.storage import Database, WriterLock

MIGRATIONS = Path(__file__).resolve().parents[2] / "data" / "migrations"


def _alice_and_bob(tmp_path: Path) -> tuple[Path, Path]:
    """Alice has call and bridge, Bob bridge and river; both got the same import of
    bridge (the typical duplicate), and both linked mentions to entities."""
    a, b = tmp_path / "alice" / "alice.sqlite3", tmp_path / "bob" / "bob.sqlite3"
    with open_repo(a) as repo:
        for key in ("call", "bridge"):
            annotate(repo, add_article(repo, key), "alice")
        add_import_set(repo, "bridge")
    with open_repo(b) as repo:
        add_import_set(repo, "bridge")
        for key in ("river", "bridge"):
            annotate(repo, add_article(repo, key), "bob")
    return a, b


def test_two_annotators_merge_into_the_union_of_their_exports(tmp_path: Path) -> None:
    a, b = _alice_and_bob(tmp_path)
    before = fingerprint(a.parent), fingerprint(b.parent)
    target = tmp_path / "review" / "review.sqlite3"
    seen: list[tuple[int, int | None]] = []

    report = merge_files([a, b], target, who="carol", progress=lambda d, t, _m: seen.append((d, t)))

    assert (fingerprint(a.parent), fingerprint(b.parent)) == before  # byte for byte, no -wal
    assert report.created and report.kept_once == 1  # the bridge import, in both files
    assert (report.copied.documents, report.copied.sets) == (3, 5)
    assert seen[-1] == (5, 5)
    assert exported(target, tmp_path) == sorted(set(exported(a, tmp_path) + exported(b, tmp_path)))
    with open_repo(target) as repo:
        names = [(e.name, e.label) for e in repo.entities()]
        assert sorted(names) == sorted({("Benjamin", "PERSON"), ("Council", "PERSON"),
                                        ("The", "PERSON")})  # fmt: skip
        bridge = next(d for d in repo.list_documents() if d.title == "Bridge vote")
        sets = {s.annotator: s for s in repo.sets_for_document(bridge.id)}
        assert sorted(sets) == ["alice", "bob", "import:jsonl"]
        # One "Council" entity in the target: both annotators' mentions link to it.
        linked = {sp.entity_id for s in ("alice", "bob") for sp in sets[s].spans if sp.entity_id}
        assert len(linked) == 1
        log = repo.edit_log(sets["bob"].id or 0)
        ops = [e.op for e in log]
        # Bob's own rows (under the target's ids), then where the set came from.
        assert ops[:2] == ["add_span", "link_span"] and ops[-1] == "import"
        assert log[-1].who == "carol" and log[-1].after["merged_from"] == "bob.sqlite3"
        added, deleted = log[2], log[3]
        assert (added.op, deleted.op) == ("add_span", "delete_span")
        assert added.target_id == deleted.target_id == added.after["id"]  # one span, remapped
        assert added.target_id not in {sp.id for s in sets.values() for sp in s.spans}
        assert log[1].after["entity_id"] in linked
        assert all(e.set_id == sets["bob"].id for e in log)
        # The merge starts the set's undo history afresh: the rows before it were
        # written in another database.
        assert repo.undo_history(sets["bob"].id or 0).done == []


def test_sets_keep_status_version_times_and_uncertainty(tmp_path: Path) -> None:
    a, b = _alice_and_bob(tmp_path)
    with open_repo(a) as repo:
        [doc] = [d for d in repo.list_documents() if d.title == "Leaders call"]
        source = repo.annotation_set(doc.id, "alice")
    target = tmp_path / "review.sqlite3"
    merge_files([a, b], target, who="carol")
    with sqlite3.connect(a) as src, sqlite3.connect(target) as dst:
        query = (
            "SELECT s.status, s.version, s.created_at, s.updated_at, s.uncertainty FROM "
            "annotation_sets s JOIN documents d ON d.id = s.document_id "
            "WHERE d.sha256 = ? AND s.annotator = 'alice'"
        )
        sha = src.execute("SELECT sha256 FROM documents WHERE id = ?", (doc.id,)).fetchone()
        assert dst.execute(query, sha).fetchall() == src.execute(query, sha).fetchall()
    assert source is not None and source.version > 1


def test_same_annotator_with_different_sets_is_refused_with_the_list(tmp_path: Path) -> None:
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    with open_repo(a) as repo:
        annotate(repo, add_article(repo, "call"), "alice")
    with open_repo(b) as repo:
        annotate(repo, add_article(repo, "call"), "alice", extra=True)
    target = tmp_path / "out" / "review.sqlite3"

    with pytest.raises(MergeRefused) as caught:
        merge_files([a, b], target, who="carol")

    [line] = caught.value.lines
    assert "'alice'" in line and "Leaders call" in line and str(a) in line and str(b) in line
    assert not target.parent.exists()


def test_a_refused_merge_leaves_an_existing_target_as_it_was(tmp_path: Path) -> None:
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    with open_repo(a) as repo:
        annotate(repo, add_article(repo, "call"), "alice")
    with open_repo(b) as repo:
        annotate(repo, add_article(repo, "call"), "alice", extra=True)
        add_article(repo, "river")
    target = tmp_path / "review" / "review.sqlite3"
    merge_files([a], target, who="carol")
    before = fingerprint(target.parent)

    with pytest.raises(MergeRefused) as caught:
        merge_files([b], target, who="carol")

    assert str(target) in caught.value.lines[0]  # the target's own set is the other side
    assert fingerprint(target.parent) == before  # the river document did not land either


def test_identical_sets_in_the_target_are_kept_once(tmp_path: Path) -> None:
    a, b = _alice_and_bob(tmp_path)
    target = tmp_path / "review" / "review.sqlite3"
    merge_files([a], target, who="carol")
    first = exported(target, tmp_path)

    again = merge_files([a, b], target, who="carol")

    assert not again.created
    # Copies left out: alice's two sets (in the target), the import (in the target) twice.
    assert again.kept_once == 4
    assert again.copied.sets == 2 and again.copied.documents == 1  # bob's; river
    assert set(first) <= set(exported(target, tmp_path))


def test_the_same_article_with_another_text_is_refused(tmp_path: Path) -> None:
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    with open_repo(a) as repo:
        add_article(repo, "call")
        add_article(repo, "bridge")
    with open_repo(b) as repo:
        # Bob's copy of call.txt, in his own folder, with a word changed.
        add_article(
            repo, "call", text=CALL.replace("spoke", "talked"), source="/Users/bob/call.txt"
        )
        add_article(repo, "bridge")  # the same text: fine
    target = tmp_path / "review.sqlite3"

    with pytest.raises(MergeRefused) as caught:
        merge_files([a, b], target, who="carol")

    [line] = caught.value.lines
    assert line.startswith("text differs: 'Leaders call' (call.txt)")
    assert str(a) in line and str(b) in line
    assert not target.exists()


def test_one_file_may_hold_two_versions_of_an_article(tmp_path: Path) -> None:
    """Alice imported call.txt again after fixing it; Bob has the first version only."""
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    with open_repo(a) as repo:
        add_article(repo, "call")
        add_article(repo, "call", text=CALL.replace("spoke", "talked"))
    with open_repo(b) as repo:
        add_article(repo, "call")
    report = merge_files([a, b], tmp_path / "review.sqlite3", who="carol")
    assert report.copied.documents == 2


def test_entities_with_two_knowledge_base_ids_are_refused(tmp_path: Path) -> None:
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    for path, qid in ((a, "Q1"), (b, "Q2")):
        with open_repo(path) as repo:
            add_article(repo, "call")
            repo.find_or_create_entity("Jerusalem", "GPE", qid)
    with pytest.raises(MergeRefused) as caught:
        merge_files([a, b], tmp_path / "review.sqlite3", who="carol")
    assert caught.value.lines == [
        f"entity 'Jerusalem' (GPE) has different knowledge-base ids: Q1 in {a}, Q2 in {b}"
    ]


def test_a_missing_knowledge_base_id_is_filled_in(tmp_path: Path) -> None:
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    for path, qid in ((a, None), (b, "Q1218")):
        with open_repo(path) as repo:
            repo.find_or_create_entity("Jerusalem", "GPE", qid)
    target = tmp_path / "review.sqlite3"
    merge_files([a, b], target, who="carol")
    with open_repo(target) as repo:
        assert [(e.name, e.kb_id) for e in repo.entities()] == [("Jerusalem", "Q1218")]


def test_an_older_schema_is_read_through_an_upgraded_copy(tmp_path: Path) -> None:
    old = tmp_path / "old" / "0001.sqlite3"
    old.parent.mkdir()
    shutil.copyfile(MIGRATIONS / "0001.sqlite3", old)
    before = fingerprint(old.parent)
    target = tmp_path / "review.sqlite3"

    report = merge_files([old], target, who="carol")

    assert fingerprint(old.parent) == before
    with sqlite3.connect(old) as src:
        docs, sets = (src.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in ("documents", "annotation_sets"))  # fmt: skip
    assert (report.copied.documents, report.copied.sets) == (docs, sets) and sets > 0
    assert Database.open(target, readonly=True, upgrade=False).is_current


def test_paths_given_twice_or_as_the_target_are_refused(tmp_path: Path) -> None:
    a = tmp_path / "a.sqlite3"
    with open_repo(a) as repo:
        add_article(repo, "call")
    with pytest.raises(UsageError, match="given twice"):
        merge_files([a, tmp_path / "." / "a.sqlite3"], tmp_path / "r.sqlite3", who="c")
    with pytest.raises(UsageError, match="is the target"):
        merge_files([a], a, who="c")


def test_bridge_text_is_the_same_in_every_file(tmp_path: Path) -> None:
    """Guards the fixtures: the duplicate import above must be of one text."""
    a, b = _alice_and_bob(tmp_path)
    with sqlite3.connect(a) as x, sqlite3.connect(b) as y:
        query = "SELECT sha256 FROM documents WHERE text = ?"
        assert x.execute(query, (BRIDGE,)).fetchall() == y.execute(query, (BRIDGE,)).fetchall()


def test_an_older_target_is_upgraded_as_any_open_and_keeps_its_sets(tmp_path: Path) -> None:
    a, _b = _alice_and_bob(tmp_path)
    target = tmp_path / "review" / "review.sqlite3"
    target.parent.mkdir()
    shutil.copyfile(MIGRATIONS / "0001.sqlite3", target)
    with sqlite3.connect(target) as conn:
        old_sets = conn.execute("SELECT count(*) FROM annotation_sets").fetchone()[0]
    conn.close()

    report = merge_files([a], target, who="carol")

    assert not report.created and report.copied.sets == 3
    with open_repo(target) as repo:  # Repository refuses anything but the current schema
        assert sum(len(repo.sets_for_document(i)) for i in repo.document_ids()) == old_sets + 3
    assert list((target.parent / "backups").iterdir())  # the upgrade's backup, as always


def test_an_accepted_set_stays_as_it_was_accepted(tmp_path: Path) -> None:
    a, b = _alice_and_bob(tmp_path)
    target = tmp_path / "review.sqlite3"
    merge_files([a, b], target, who="carol")
    with open_repo(target) as repo:
        sets = [s for i in repo.document_ids() for s in repo.sets_for_document(i)]
        accepted = [s for s in sets if s.status.value == "accepted"]
        assert len(accepted) == 4
        # The row saying where a set came from is no edit after the acceptance.
        assert not any(repo.edited_after_accept(s.id or 0) for s in accepted)


def test_changes_still_in_the_wal_file_are_merged(tmp_path: Path) -> None:
    """A file whose last changes are in its -wal (not yet checked in): they count."""
    a = tmp_path / "alice" / "alice.sqlite3"
    with open_repo(a) as repo:
        add_article(repo, "call")
    conn = sqlite3.connect(a, isolation_level=None)
    try:
        # A reader older than the next changes: no checkpoint may move them into the file.
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM documents").fetchall()
        with open_repo(a) as repo:
            annotate(repo, add_article(repo, "river"), "alice")
        assert (a.parent / "alice.sqlite3-wal").stat().st_size > 0
        before = fingerprint(a.parent)
        target = tmp_path / "review" / "review.sqlite3"

        report = merge_files([a], target, who="carol")

        assert (report.copied.documents, report.copied.sets) == (2, 1)
        assert fingerprint(a.parent) == before
    finally:
        conn.close()


def test_files_a_window_is_editing_are_refused(tmp_path: Path) -> None:
    a, b = _alice_and_bob(tmp_path)
    target = tmp_path / "review" / "review.sqlite3"
    merge_files([a], target, who="carol")
    before = fingerprint(target.parent)
    editing = "is being edited by another Newsmark"
    # A window on Bob's file (its copy could be torn), then one on the target.
    with WriterLock(b), pytest.raises(InputError, match=editing):
        merge_files([b], target, who="carol")
    with WriterLock(target), pytest.raises(StorageError, match=editing):
        merge_files([b], target, who="carol")
    assert fingerprint(target.parent) == before


def test_a_title_many_documents_of_a_file_share_names_no_article(tmp_path: Path) -> None:
    """Records of one JSONL file titled by their newspaper: Alice's and Bob's batches
    (the same file name, other records) are different articles, not texts that differ."""
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    texts = [f"Report number {n} from the harbour. The council met again." for n in range(4)]
    for path, batch in ((a, texts[:2]), (b, texts[2:])):
        with open_repo(path) as repo:
            for text in batch:
                meta = {"source": f"/home/{path.stem}/batch.jsonl", "title": "The Daily Star"}
                repo.add_documents([(DocumentInput(text=text, meta=meta), tokenize(text))], "x")
    report = merge_files([a, b], tmp_path / "review.sqlite3", who="carol")
    assert report.copied.documents == 4


def test_assignments_and_users_are_merged_once(tmp_path: Path) -> None:
    # A coordinator handed both annotators a database with the assignments (and users);
    # Alice's file also holds one assignment of her own making.
    a, b = _alice_and_bob(tmp_path)
    for path, extra in ((a, "call"), (b, None)):
        with open_repo(path) as repo:
            ids = {d.title: d.id for d in repo.list_documents()}
            plan = {i: ("alice", "bob") for t, i in ids.items() if t == "Bridge vote"}
            if extra:
                plan.update({i: ("alice",) for t, i in ids.items() if t != "Bridge vote"})
            repo.assign(plan, "carol", replace=False)
            repo.add_user("carol", "admin")
            repo.add_user("alice", "annotator" if extra else "reviewer")
    target = tmp_path / "review.sqlite3"

    report = merge_files([a, b], target, who="carol")

    with open_repo(target) as repo:
        titles = {d.id: d.title for d in repo.list_documents()}
        got = sorted((titles[d], who) for d, names in repo.assignments().items() for who in names)
        assert got == [("Bridge vote", "alice"), ("Bridge vote", "bob"), ("Leaders call", "alice")]
        assert repo.users() == {"carol": "admin", "alice": "annotator"}  # the first file's role
    assert report.copied.assignments == 3
    assert "3 new assignment(s)" in report.summary()
