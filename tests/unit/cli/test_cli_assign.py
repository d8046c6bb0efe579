"""`newsmark assign` and `newsmark assignments` on a real database: the plan stored,
re-runs change nothing, garbage refused in one line (exit 2, nothing written), progress
from the annotators' sets."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from cli_support import digest, run

from newsmark.services.workspace import open_workspace


def assigned(data_dir: Path) -> list[tuple[int, str, str]]:
    con = sqlite3.connect(data_dir / "newsmark.sqlite3")
    try:
        return con.execute(
            "SELECT document_id, annotator, assigned_by FROM assignments"
            " ORDER BY document_id, annotator"
        ).fetchall()
    finally:
        con.close()


@pytest.fixture
def corpus(capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(1, 21):
        (folder / f"a{i:02}.txt").write_text(
            f"Article {i}. Angela Merkel met Emmanuel Macron in Paris on day {i}.\n",
            encoding="utf-8",
        )
    assert run(capsys, "import", str(folder))[0] == 0
    return data_dir


def test_assign_stores_the_plan_and_prints_the_table(
    capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    code, out, err = run(
        capsys, "assign", "--annotators", "ann,bob,cy", "--overlap", "0.2", "--seed", "7",
        "--by", "coord",
    )  # fmt: skip
    assert (code, err) == (0, "")
    rows = assigned(corpus)
    # 20 documents, 0.2 of them (4) to two annotators: 24 rows, 8 each.
    assert len(rows) == 24 and {by for _, _, by in rows} == {"coord"}
    per_doc: dict[int, int] = {}
    for doc, _, _ in rows:
        per_doc[doc] = per_doc.get(doc, 0) + 1
    assert sorted(per_doc) == list(range(1, 21))
    assert sorted(per_doc.values()).count(2) == 4
    lines = out.splitlines()
    assert lines[0].split() == ["annotator", "documents", "overlapping", "new"]
    table = {line.split()[0]: line.split()[1:] for line in lines[1:4]}
    assert [int(table[n][0]) for n in ("ann", "bob", "cy")] == [8, 8, 8]
    assert sum(int(table[n][1]) for n in table) == 8  # 4 shared documents, 2 each
    assert "assigned 20 documents (4 to several annotators)" in out


def test_rerun_is_idempotent_and_reassign_replans(
    capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    args = ("assign", "--annotators", "ann,bob,cy", "--overlap", "0.2", "--seed", "7")
    assert run(capsys, *args)[0] == 0
    first, before = assigned(corpus), digest(corpus)
    code, out, _ = run(capsys, *args)
    assert code == 0 and "assigned 0 documents" in out and "20 kept" in out
    assert digest(corpus) == before
    # Another seed without --reassign: still nothing changes.
    assert run(capsys, *args[:-1], "8")[0] == 0
    assert digest(corpus) == before
    # With --reassign: planned afresh, as a fresh database with that seed would be.
    assert run(capsys, *args[:-1], "8", "--reassign")[0] == 0
    second = assigned(corpus)
    assert second != first and len(second) == 24


def test_new_documents_get_assigned_and_old_ones_keep_theirs(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path
) -> None:
    assert run(capsys, "assign", "--annotators", "ann,bob", "--seed", "1")[0] == 0
    first = assigned(corpus)
    extra = tmp_path / "late.txt"
    extra.write_text("A late article about Olaf Scholz in Berlin.\n", encoding="utf-8")
    assert run(capsys, "import", str(extra))[0] == 0
    code, out, _ = run(
        capsys, "assign", "--annotators", "ann,bob", "--seed", "1", "--documents", "unassigned"
    )
    assert code == 0 and "assigned 1 documents" in out
    after = assigned(corpus)
    assert after[: len(first)] == first and len(after) == len(first) + 1
    assert after[-1][0] == 21


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (["--annotators", ""], "empty annotator name"),
        (["--annotators", "ann,,bob"], "empty annotator name"),
        (["--annotators", "ann,ann"], "named twice"),
        (["--annotators", "ann,bob", "--overlap", "1.5"], "between 0 and 1"),
        (["--annotators", "ann,bob", "--overlap", "-0.2"], "between 0 and 1"),
        (["--annotators", "ann,bob", "--overlap", "0.2", "--per-overlap-doc", "3"], "at least 3"),
        (["--annotators", "ann"], None),  # fine: one annotator, no overlap
    ],
)
def test_garbage_is_refused_in_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], corpus: Path, argv: list[str], reason: str | None
) -> None:
    before = digest(corpus)
    code, out, err = run(capsys, "assign", *argv)
    if reason is None:
        assert code == 0 and len(assigned(corpus)) == 20
        return
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and reason in err
    assert digest(corpus) == before


def test_unknown_users_are_refused_when_the_database_has_users(
    capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    ws = open_workspace(corpus)
    try:
        ws.repo.add_user("ann", "annotator")
        ws.repo.add_user("bob", "annotator")
    finally:
        ws.close()
    before = digest(corpus)
    code, _, err = run(capsys, "assign", "--annotators", "ann,zed")
    assert code == 2 and "unknown user 'zed'" in err and digest(corpus) == before
    assert run(capsys, "assign", "--annotators", "ann,bob")[0] == 0


def test_no_documents_is_refused(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, err = run(capsys, "assign", "--annotators", "ann,bob", "--overlap", "0.2")
    assert code == 2 and out == "" and "no documents to assign" in err
    assert assigned(data_dir) == []


def test_progress_per_annotator(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    assert (
        run(capsys, "assign", "--annotators", "ann,bob", "--overlap", "0.1", "--seed", "2")[0] == 0
    )
    ws = open_workspace(corpus)
    try:
        queue = sorted(d for d, who in ws.repo.assignments().items() if "ann" in who)
        # ann accepts two documents, rejects one and starts a fourth; bob opens one
        # (a new set: not started); a set of a document not assigned to ann is not hers.
        for doc, status in zip(
            queue[:4], ["accepted", "accepted", "rejected", "in_progress"], strict=True
        ):
            aset = ws.repo.annotation_set(doc, "ann")
            assert aset is not None and aset.id is not None
            ws.repo.set_status(aset.id, status, "ann")
        bob_doc = next(d for d, who in ws.repo.assignments().items() if "bob" in who)
        ws.repo.annotation_set(bob_doc, "bob")
        stray = next(d for d, who in ws.repo.assignments().items() if "ann" not in who)
        aset = ws.repo.annotation_set(stray, "ann")
        assert aset is not None and aset.id is not None
        ws.repo.set_status(aset.id, "accepted", "ann")
    finally:
        ws.close()
    code, out, _ = run(capsys, "assignments", "--format", "json")
    assert code == 0
    rows = {r["annotator"]: r for r in json.loads(out)}
    # 20 documents, 2 shared: 11 each.
    assert rows["ann"] == {
        "annotator": "ann", "assigned": 11, "overlapping": 2, "started": 4, "accepted": 2,
        "remaining": 8,
    }  # fmt: skip
    assert rows["bob"]["started"] == 0 and rows["bob"]["remaining"] == 11
    code, out, _ = run(capsys, "assignments", "--annotator", "bob")
    assert code == 0
    assert out.splitlines()[1].split() == ["bob", "11", "2", "0", "0", "11"]
    code, out, err = run(capsys, "assignments", "--annotator", "zed")
    assert code == 2 and "nothing is assigned to 'zed'" in err and out == ""


def test_progress_without_assignments_says_how(
    capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    code, out, _ = run(capsys, "assignments")
    assert code == 0 and "nothing is assigned yet" in out
