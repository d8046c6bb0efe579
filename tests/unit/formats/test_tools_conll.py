"""CoNLL-2003-style IOB: exact lines, spaCy's own `convert`, a CoNLL-2003 file, bad input."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from tools_support import make_record

from newsmark.domain.errors import InputError
from newsmark.domain.offsets import Alignment
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Origin, Span
from newsmark.formats import detect_format
from newsmark.formats.conll import read_conll, write_conll
from newsmark.formats.tools import AlignmentReport

DATA = Path(__file__).resolve().parents[2] / "data" / "formats_tools"
TEXT = "“We won,” Putin said. 😀 Netanyahu agreed.\n\nNew York voted."


def _record() -> dict:
    spans = [(10, 15, "PERSON"), (24, 33, "PERSON"), (43, 51, "GPE")]
    return make_record(TEXT, spans, [Quote(parts=((0, 9),), speaker=(10, 15))])


def test_writer_lines_and_dropped_quotes_note() -> None:
    out = io.StringIO()
    report = AlignmentReport()
    assert write_conll([_record(), make_record("Hi.", doc_id=2)], out, report=report) == 2
    assert out.getvalue() == (
        "-DOCSTART- -X- O O\n\n"
        "“ O\nWe O\nwon O\n, O\n” O\nPutin B-PERSON\nsaid O\n. O\n😀 O\nNetanyahu B-PERSON\n"
        "agreed O\n. O\n\n"
        "New B-GPE\nYork I-GPE\nvoted O\n. O\n\n"
        "-DOCSTART- -X- O O\n\nHi O\n. O\n\n"
    )
    assert report.notes == ["conll: 1 quote(s) dropped (CoNLL carries entities only)"]


def test_misaligned_entity_is_reported_then_expanded() -> None:
    record = make_record("Putin said.", [(1, 5, "PERSON")])
    with pytest.raises(InputError, match=r"span PERSON 1\.\.5 'utin'"):
        write_conll([record], io.StringIO())
    out = io.StringIO()
    write_conll([record], out, alignment=Alignment.EXPAND)
    assert "Putin B-PERSON\n" in out.getvalue()


def test_spacy_convert_reads_the_output(tmp_path: Path) -> None:
    path = tmp_path / "out.conll"
    with path.open("w", encoding="utf-8") as f:
        write_conll([_record(), make_record("Hi Bob.", [(3, 6, "PERSON")], doc_id=2)], f)
    done = subprocess.run(
        [sys.executable, "-m", "spacy", "convert", str(path), str(tmp_path), "-c", "ner"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    from spacy.tokens import DocBin

    from newsmark.nlp.model import blank_english

    docs = list(DocBin().from_disk(tmp_path / "out.spacy").get_docs(blank_english().vocab))
    assert len(docs) == 2
    assert [(e.text, e.label_) for e in docs[0].ents] == [
        ("Putin", "PERSON"),
        ("Netanyahu", "PERSON"),
        ("New York", "GPE"),
    ]
    assert [(e.text, e.label_) for e in docs[1].ents] == [("Bob", "PERSON")]


def test_reader_on_a_conll_2003_file() -> None:
    path = DATA / "conll2003.conll"
    assert detect_format(path).name == "conll"
    first, second = read_conll(path)
    assert first.text == "EU rejects German call .\nPeter Blackburn"
    assert first.spans == (
        Span(0, 2, "ORG", Origin.IMPORT),
        Span(11, 17, "MISC", Origin.IMPORT),
        Span(25, 40, "PER", Origin.IMPORT),
    )
    # IOB1: an I- tag after O opens an entity.
    assert second.text == "BRUSSELS 1996-08-22"
    assert second.spans == (Span(0, 8, "LOC", Origin.IMPORT),)


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        ("EU B-ORG\nrejects\n", 2, "expected `token TAG`"),
        ("EU B-ORG\nrejects X-ORG\n", 2, "is not O, B-TYPE or I-TYPE"),
        ("EU B-\n", 1, "is not O"),
    ],
)
def test_bad_lines(tmp_path: Path, content: str, line: int, reason: str) -> None:
    path = tmp_path / "bad.conll"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        list(read_conll(path))
    assert (info.value.path, info.value.line) == (str(path), line)
    assert reason in info.value.reason


@pytest.mark.parametrize("content", ["", "\n\n", "-DOCSTART- -X- O O\n\n"])
def test_empty_file_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.conll"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match="empty file"):
        list(read_conll(path))


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.conll"
    path.write_bytes(b"EU B-ORG\nM\xfcller B-PER\n")
    with pytest.raises(InputError) as info:
        list(read_conll(path))
    assert (info.value.line, "not UTF-8" in info.value.reason) == (2, True)
