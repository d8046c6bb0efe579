"""The export service: spaCy only for the spacy format, an empty export says why, the
fast Newsmark JSONL path writes what the slow one would, stored junk spans are refused."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsmark.domain.document import DocumentInput, PackedTokens
from newsmark.domain.errors import AnnotationError, InputError
from newsmark.domain.spans import Origin, Span
from newsmark.formats.newsmark_jsonl import export_record, plain_record
from newsmark.nlp.tokens import tokenize
from newsmark.services.exporting import empty_hint, export
from newsmark.services.workspace import open_workspace
from newsmark.storage import Repository

TEXT = "Olaf Scholz met Emmanuel Macron in Berlin. \u201cWe agree,\u201d Scholz said."
SIGNED = "\u201cHe is no leader.\u201d \u2015\u00a0Julie A. Diaz Martinez."


def add(repo: Repository, text: str, annotator: str, status: str, spans: tuple = ()) -> int:
    """A document with one set (a set exists only with annotations: a first word's span)."""
    spans = spans or (Span(0, text.index(" "), "ORG", Origin.IMPORT),)
    item = DocumentInput(text=text, spans=spans, annotator=annotator, status=status)
    [(doc_id, _)] = repo.add_documents([(item, tokenize(text))], annotator)
    return doc_id


@pytest.fixture
def repo(data_dir: Path) -> Iterator[Repository]:
    ws = open_workspace()
    yield ws.repo
    ws.close()


def test_nothing_matched_says_which_statuses_have_sets(repo: Repository, tmp_path: Path) -> None:
    report = export(repo, tmp_path / "none.jsonl")
    assert report.records == 0
    assert report.hint == "nothing to export with status accepted: there are no annotation sets yet"
    person = (Span(0, 11, "PERSON", Origin.IMPORT),)
    add(repo, TEXT, "ann", "preannotated", person)
    add(repo, "Another text about Berlin.", "ann", "preannotated", ())
    add(repo, "A third one.", "bob", "in_progress", ())
    add(repo, "A fourth one.", "bob", "preannotated", ())
    report = export(repo, tmp_path / "a.jsonl")
    assert report.records == 0 and (tmp_path / "a.jsonl").read_text() == ""
    assert report.hint == (
        "nothing to export with status accepted; sets by status: preannotated 3, "
        "in_progress 1 (use --status any)"
    )
    report = export(repo, tmp_path / "b.jsonl", annotator="bob", status="skipped")
    assert report.hint == (
        "nothing to export with status skipped by annotator bob; bob's sets by status: "
        "preannotated 1, in_progress 1 (use --status any); sets by annotator: ann 2, bob 2"
    )
    report = export(repo, tmp_path / "c.jsonl", annotator="zed", status="any")
    assert report.hint == (
        "nothing to export with status any by annotator zed: zed has no annotation sets; "
        "sets by annotator: ann 2, bob 2"
    )
    # Something exported: no hint.
    assert export(repo, tmp_path / "d.jsonl", status="any").hint is None


def test_empty_hint_orders_statuses_as_the_workflow_does() -> None:
    counts = {("skipped", "a"): 1, ("new", "a"): 2, ("accepted", "b"): 5}
    assert empty_hint(counts, "rejected", None) == (
        "nothing to export with status rejected; sets by status: new 2, accepted 5, "
        "skipped 1 (use --status any)"
    )


def test_fast_newsmark_lines_are_the_slow_records(repo: Repository, tmp_path: Path) -> None:
    scholz = TEXT.rindex("Scholz")
    spans = (
        Span(0, 11, "PERSON", Origin.IMPORT),
        Span(35, 40, "GPE", Origin.IMPORT),  # "Berli": reported, not refused
        Span(scholz, scholz + 6, "PERSON", Origin.IMPORT),
    )
    add(repo, TEXT, "ann", "accepted", spans)
    add(repo, SIGNED, "ann", "accepted", (Span(SIGNED.index("Julie"), len(SIGNED) - 1, "PERSON"),))
    out = tmp_path / "out.jsonl"
    report = export(repo, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    slow = []
    for doc, aset, entities in repo.iter_export():
        assert isinstance(doc.tokens, PackedTokens)
        # The slow way: tokens as tuples from the tokenizer, every token a dict.
        tokens = tokenize(doc.text)
        record = plain_record(export_record(doc, aset, entities))
        record["tokens"] = [
            {"text": doc.text[t.start : t.end], "start": t.start, "end": t.end, "id": i, "ws": t.ws}
            for i, t in enumerate(tokens)
        ]
        slow.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    assert lines == slow and report.records == 2
    assert report.misaligned == [
        "document 1: span GPE 35..40 'Berli' does not match token boundaries"
    ]


def test_a_stored_span_of_punctuation_is_refused_by_every_export(
    repo: Repository, data_dir: Path, tmp_path: Path
) -> None:
    doc_id = add(repo, SIGNED, "ann", "accepted", (Span(1, 3, "ORG"),))
    dash = SIGNED.index("\u2015")
    # Refused on entry now; a database from before holds such a span (the model wrote it).
    aset = repo.annotation_set(doc_id, "ann")
    assert aset is not None and aset.id is not None
    with pytest.raises(AnnotationError, match="whitespace or punctuation"):
        repo.add_span(aset.id, Span(dash, dash + 2, "PERSON", Origin.MODEL), "ann")
    with sqlite3.connect(data_dir / "newsmark.sqlite3") as con:
        con.execute(
            "UPDATE spans SET start = ?, \"end\" = ?, label = 'PERSON' WHERE set_id = ?",
            (dash, dash + 2, aset.id),
        )
    for fmt in ("newsmark", "prodigy", "doccano", "labelstudio", "conll", "brat", "spacy"):
        dest = tmp_path / f"out-{fmt}"
        with pytest.raises(InputError) as err:
            export(repo, dest, fmt=fmt)
        assert f"document {doc_id}: span PERSON {dash}..{dash + 2} '\u2015\\xa0'" in str(err.value)
        assert not dest.exists() and not list(tmp_path.glob(".out-*"))


def test_import_refuses_an_entity_of_punctuation(repo: Repository) -> None:
    bad = DocumentInput(
        text=SIGNED, spans=(Span(SIGNED.index("\u2015"), SIGNED.index("J"), "PERSON"),)
    )
    with pytest.raises(InputError, match=r"covers only whitespace or punctuation"):
        repo.add_documents([(bad, tokenize(SIGNED))], "ann")
    assert repo.document_ids() == []


# Runs in a fresh interpreter: the export service and every non-spaCy format, then spaCy.
NO_SPACY = """
import sys
from pathlib import Path
from newsmark.services.exporting import export
from newsmark.services.workspace import open_workspace
assert "spacy" not in sys.modules, "importing the export service imported spaCy"
out = Path(sys.argv[1])
ws = open_workspace(readonly=True)
for fmt in ("newsmark", "prodigy", "doccano", "labelstudio", "conll", "brat"):
    assert export(ws.repo, out / fmt, fmt=fmt).records == 1
    assert "spacy" not in sys.modules, f"exporting {fmt} imported spaCy"
export(ws.repo, out / "x.spacy", fmt="spacy")
assert "spacy" in sys.modules
print("ok")
"""

CLI = """
import sys
from newsmark.cli import main
code = main(sys.argv[1:])
assert "spacy" not in sys.modules, "spaCy imported"
raise SystemExit(code)
"""


def run(code: str, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSMARK_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_exporting_imports_spacy_only_for_the_spacy_format(
    repo: Repository, data_dir: Path, tmp_path: Path
) -> None:
    add(repo, TEXT, "ann", "accepted", (Span(0, 11, "PERSON", Origin.IMPORT),))
    result = run(NO_SPACY, str(tmp_path), home=data_dir)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
    for argv in (
        ("formats",),
        ("export", "-o", str(tmp_path / "cli.jsonl")),
        ("export", "--format", "conll", "-o", str(tmp_path / "cli.conll")),
        ("export", "--status", "rejected"),
    ):
        result = run(CLI, *argv, home=data_dir)
        assert result.returncode == 0, (argv, result.stderr)


def test_cli_prints_the_hint_on_stderr_and_exits_0(
    repo: Repository, data_dir: Path, tmp_path: Path
) -> None:
    add(repo, TEXT, "ann", "preannotated", (Span(0, 11, "PERSON", Origin.IMPORT),))
    result = run(CLI, "export", home=data_dir)
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "newsmark: nothing to export with status accepted; sets by status: preannotated 1 "
        "(use --status any)",
        "exported 0 annotation set(s) to -",
    ]


def test_formats_says_how_each_one_writes(data_dir: Path) -> None:
    result = run(CLI, "formats", home=data_dir)
    rows = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert " read, write folder " in rows["brat"]
    assert " read, write file " in rows["spacy"]
    for name in ("newsmark", "prodigy", "doccano", "labelstudio", "conll"):
        assert " read, write stream " in rows[name], rows[name]
    for name in ("txt", "md", "html"):
        assert rows[name].split()[1] == "read" and "write" not in rows[name]
