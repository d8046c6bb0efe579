"""`newsmark review`: one annotator's version accepted whole into the gold set, the list of
documents to review, and garbage refused in one line (exit 2, nothing written)."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from cli_support import digest, run

from newsmark.cli import main
from newsmark.domain.spans import Span
from newsmark.services.workspace import open_workspace
from shared_data import realfile

TEXT = "Angela Merkel met Emmanuel Macron in Paris. 😀 Macron said nothing.\n"


@pytest.fixture
def two_sets(capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path) -> Path:
    """Document 1 annotated by ann and bob (Macron a PERSON, an ORG), document 2 by ann."""
    for name in ("one", "two"):
        path = tmp_path / f"{name}.txt"
        path.write_text(TEXT if name == "one" else "Only ann read this.\n", encoding="utf-8")
        assert run(capsys, "import", str(path))[0] == 0
    ws = open_workspace(data_dir)
    try:
        macron = TEXT.index("Emmanuel Macron")
        for who, label in (("ann", "PERSON"), ("bob", "ORG")):
            aset = ws.repo.annotation_set(1, who)
            assert aset is not None and aset.id is not None
            ws.repo.add_span(aset.id, Span(0, 13, "PERSON"), who)
            ws.repo.add_span(aset.id, Span(macron, macron + 15, label), who)
            ws.repo.set_status(aset.id, "accepted", who)
        alone = ws.repo.annotation_set(2, "ann")
        assert alone is not None and alone.id is not None
        ws.repo.set_status(alone.id, "accepted", "ann")
    finally:
        ws.close()
    return data_dir


def test_accept_a_version_then_list(capsys: pytest.CaptureFixture[str], two_sets: Path) -> None:
    code, out, err = run(capsys, "review", "--list")
    assert (code, err) == (0, "")
    [line] = out.splitlines()  # document 2 has one annotator: nothing to review
    assert line.split()[:3] == ["1", "to", "review"] and "ann (accepted), bob (accepted)" in line

    code, out, err = run(capsys, "review", "1", "--accept", "bob", "--by", "rita")
    assert (code, err) == (0, "")
    assert out == "document 1: gold set = bob's version (2 span(s), 0 quote(s)), reviewed by rita\n"
    con = sqlite3.connect(two_sets / "newsmark.sqlite3")
    try:
        gold = con.execute(
            "SELECT id, status, reviewed_by FROM annotation_sets WHERE annotator = 'gold'"
        ).fetchall()
        [(gold_id, status, by)] = gold
        assert (status, by) == ("accepted", "rita")
        spans = con.execute(
            'SELECT start, "end", label FROM spans WHERE set_id = ? ORDER BY start', (gold_id,)
        ).fetchall()
        macron = TEXT.index("Emmanuel Macron")
        assert spans == [(0, 13, "PERSON"), (macron, macron + 15, "ORG")]
        # ann's rejected PERSON is still hers.
        [(label,)] = con.execute(
            "SELECT label FROM spans JOIN annotation_sets s ON s.id = set_id"
            " WHERE s.annotator = 'ann' AND start = ?",
            (macron,),
        ).fetchall()
        assert label == "PERSON"
    finally:
        con.close()
    code, out, _ = run(capsys, "review", "--list")
    assert code == 0 and "reviewed by rita" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("review", "9", "--accept", "ann"), "no document with id 9"),
        (
            ("review", "1", "--accept", "zed"),
            "document 1 has no set by 'zed' (annotators: ann, bob)",
        ),
        (
            ("review", "2", "--accept", "ann"),
            "document 2 has 1 annotator set(s) a person worked on (only ann): "
            "review needs two or more",
        ),
        (("review", "1", "--accept", "gold"), "'gold' is the gold set, not an annotator"),
        (("review", "1"), "review needs DOC --accept ANNOTATOR (or --list)"),
        (("review", "--list", "1"), "review --list takes no DOC and no --accept"),
    ],
)
def test_garbage_is_one_line_exit_2_nothing_written(
    capsys: pytest.CaptureFixture[str], two_sets: Path, argv: tuple[str, ...], message: str
) -> None:
    before = digest(two_sets)
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err == f"newsmark: error: {message}\n"
    assert digest(two_sets) == before


def test_a_document_id_that_is_no_number(
    capsys: pytest.CaptureFixture[str], two_sets: Path
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["review", "one", "--accept", "ann"])
    assert exc.value.code == 2
    assert "invalid int value: 'one'" in capsys.readouterr().err


def test_agreement_leaves_the_gold_set_out_unless_named(
    capsys: pytest.CaptureFixture[str], two_sets: Path
) -> None:
    assert run(capsys, "review", "1", "--accept", "bob")[0] == 0
    code, out, _ = run(capsys, "agreement", "--format", "json")
    assert code == 0 and json.loads(out)["annotators"] == ["ann", "bob"]
    code, out, _ = run(capsys, "agreement", "--format", "json", "--annotators", "bob,gold")
    report = json.loads(out)
    assert code == 0 and report["annotators"] == ["bob", "gold"]
    assert report["overall"]["span_f1_exact"] == 1.0


def test_a_real_label_studio_export_of_two_annotators(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    """ChristophAlt/labelstudio_converter's fixture: 2 German news tasks, each annotated
    by the same 2 people (2 quotes in the first task, 1 in the second)."""
    path = realfile("labelstudio", "de-news-quotes-relations-2annotators.json")
    code = main(["import", "--status", "accepted",
                 "--map-labels", "DIRECT-QUOTE=QUOTE,quotee=SPEAKER", str(path)])  # fmt: skip
    assert code == 0
    capsys.readouterr()
    alan = "labelstudio:alan.akbik@gmail.com"
    code, out, _ = run(capsys, "review", "--list")
    assert code == 0 and [line.split()[:3] for line in out.splitlines()] == [
        ["1", "to", "review"],
        ["2", "to", "review"],
    ]
    code, out, err = run(capsys, "review", "1", "--accept", alan, "--by", "rita")
    assert (code, err) == (0, "")
    assert (
        out
        == f"document 1: gold set = {alan}'s version (0 span(s), 2 quote(s)), reviewed by rita\n"
    )
    code, out, _ = run(capsys, "review", "--list")
    first = out.splitlines()[0]
    assert re.match(r"\s*1  reviewed by rita \d{4}-\d\d-\d\d \d\d:\d\d UTC ", first)
