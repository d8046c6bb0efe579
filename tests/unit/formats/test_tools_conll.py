"""CoNLL-2003-style IOB: exact lines, spaCy's own `convert`, a CoNLL-2003 file, bad input."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from tools_support import make_record

from newsmark.domain.alignment import AlignmentReport
from newsmark.domain.errors import InputError
from newsmark.domain.offsets import Alignment
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Origin, Span
from newsmark.formats import detect_format
from newsmark.formats.conll import read_conll, write_conll

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


def words_and_tags(doc) -> tuple[list[str], list[str]]:
    """A DocumentInput's non-space tokens and their IOB2 tags (built from its spans)."""
    tokens = [t for t in doc.tokens if not doc.text[t.start : t.end].isspace()]
    tags = ["O"] * len(tokens)
    index = {t.start: i for i, t in enumerate(tokens)}
    ends = {t.end: i for i, t in enumerate(tokens)}
    for span in doc.spans:
        first, last = index[span.start], ends[span.end]
        tags[first : last + 1] = [f"B-{span.label}"] + [f"I-{span.label}"] * (last - first)
    return [doc.text[t.start : t.end] for t in tokens], tags


def test_reader_keeps_the_files_tokens(tmp_path: Path) -> None:
    path = tmp_path / "fr.iob"
    path.write_text(
        "Trata-se\tO\nde\tO\nl'alliance\tB-ORG\nAu-delà\tI-ORG\n\n18h26\tO\n200гр\tO\n",
        encoding="utf-8",
    )
    (doc,) = read_conll(path)
    assert doc.text == "Trata-se de l'alliance Au-delà\n18h26 200гр"
    assert words_and_tags(doc) == (
        ["Trata-se", "de", "l'alliance", "Au-delà", "18h26", "200гр"],
        ["O", "O", "B-ORG", "I-ORG", "O", "O"],
    )
    # Completed as spaCy would: a space after a word, the line break a token of its own.
    assert doc.tokens is not None
    assert [doc.text[t.start : t.end] for t in doc.tokens][4] == "\n"
    assert [t.ws for t in doc.tokens][:4] == [True, True, True, False]


def test_tab_separated_words_keep_no_break_spaces(tmp_path: Path) -> None:
    path = tmp_path / "nbsp.conll"
    path.write_text("Vers\tO\n18\u00a0h\tO\nParis\tB-LOC\n", encoding="utf-8")
    (doc,) = read_conll(path)
    assert words_and_tags(doc) == (["Vers", "18\u00a0h", "Paris"], ["O", "O", "B-LOC"])


def spacy_iob(text: str) -> tuple[list[str], list[tuple[int, int, str]]]:
    """What spaCy's own `convert -c iob` converter makes of `text`: words and entities."""
    from spacy.training.converters import iob_to_docs

    (doc,) = iob_to_docs(text, n_sents=text.count("\n") + 1, no_print=True)
    return [t.text for t in doc], [(e.start, e.end, e.label_) for e in doc.ents]


def newsmark_iob(path: Path) -> tuple[list[str], list[tuple[int, int, str]]]:
    (doc,) = read_conll(path)
    words, tags = words_and_tags(doc)
    ents = []
    for i, tag in enumerate(tags):
        if tag.startswith("B-"):
            end = i + 1
            while end < len(tags) and tags[end] == f"I-{tag[2:]}":
                end += 1
            ents.append((i, end, tag[2:]))
    return words, ents


def test_spacy_sentence_per_line_iob_reads_as_spacys_converter() -> None:
    # spaCy's own example file (explosion/spaCy examples/training/ner_example_data).
    path = DATA / "spacy-ner-sent-per-line.iob"
    assert detect_format(path).name == "conll"
    (doc,) = read_conll(path)
    assert doc.text.count("\n") == 1  # one line per sentence
    words, ents = newsmark_iob(path)
    assert (words, ents) == spacy_iob(path.read_text(encoding="utf-8"))
    assert len(ents) == 7  # PERSON 2, ORG 2, DATE 2, NORP 1


@pytest.mark.parametrize("suffix", [".iob", ".conll"])
def test_iob_layout_with_iob1_tags_and_no_pos(tmp_path: Path, suffix: str) -> None:
    # IOB1 (I- opens an entity) and word|TAG without POS, as spaCy's converter documents.
    text = (
        "I|O like|O London|I-GPE and|O New|B-GPE York|I-GPE City|I-GPE .|O\n"
        "I|PRP|O like|VBP|O London|NNP|B-GPE and|CC|O New|NNP|B-GPE York|NNP|I-GPE .|.|O\n"
        "\n"
        "Paris|B-GPE\n"
    )
    path = tmp_path / f"sents{suffix}"
    path.write_text(text, encoding="utf-8")
    assert detect_format(path).name == "conll"
    assert newsmark_iob(path) == spacy_iob(text)


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        ("A|O B|O\nC|NN|X|O\n", 2, "'C|NN|X|O' is not word|TAG or word|POS|TAG"),
        ("A|O B|O\nC O\n", 2, "'C' is not word|TAG"),
        ("A|O B|O\nC|X-ORG\n", 2, "tag 'X-ORG' is not O"),
        ("A|O B|O\n|O\n", 2, "'|O' is not word|TAG"),
    ],
)
def test_bad_iob_lines(tmp_path: Path, content: str, line: int, reason: str) -> None:
    path = tmp_path / "bad.iob"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        list(read_conll(path))
    assert (info.value.path, info.value.line) == (str(path), line)
    assert reason in info.value.reason
