"""brat standoff: exact .ann lines, annotation.conf, a brat reader package, strict parsing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tools_support import make_record

from newsmark.domain.errors import InputError
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Origin, Span
from newsmark.formats import detect_format
from newsmark.formats.brat import read_brat, write_brat

DATA = Path(__file__).resolve().parents[2] / "data" / "formats_tools" / "brat"
TEXT = "“A,” she said,\n“B.” 😀 Putin"
QUOTE = Quote(
    parts=((0, 4), (15, 19)),
    kind=QuoteKind.MIXED,
    speaker=(5, 8),
    cue=(9, 13),
    entity="Angela Merkel",
)


def test_writer_output_folder(tmp_path: Path) -> None:
    record = make_record(TEXT, [(22, 27, "PERSON")], [QUOTE], title="Merkel: A/B? call")
    dest = tmp_path / "out"
    assert write_brat([record], dest) == 1
    assert sorted(p.name for p in dest.iterdir()) == [
        "000001-merkel-a-b-call.ann",
        "000001-merkel-a-b-call.txt",
        "annotation.conf",
    ]
    assert (dest / "000001-merkel-a-b-call.txt").read_bytes() == TEXT.encode("utf-8")
    assert (dest / "000001-merkel-a-b-call.ann").read_text(encoding="utf-8") == (
        "T1\tPERSON 22 27\tPutin\n"
        "T2\tQuote 0 4;15 19\t“A,” “B.”\n"
        "T3\tSpeaker 5 8\tshe\n"
        "T4\tCue 9 13\tsaid\n"
        "E1\tQuote:T2 Speaker:T3 Cue:T4\n"
        "A1\tKind E1 mixed\n"
        "#1\tAnnotatorNotes E1\tAngela Merkel\n"
    )
    assert (dest / "annotation.conf").read_text(encoding="utf-8") == (
        "[entities]\nCue\nPERSON\nSpeaker\n\n[relations]\n"
        "# Speakers and cues may overlap entities and each other in any way; two entities\n"
        "# never overlap (entities behave as NER in Newsmark).\n"
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:Speaker|Cue, <OVL-TYPE>:contain|equal|cross\n"
        "<OVERLAP>\tArg1:Speaker|Cue, Arg2:<ENTITY>, <OVL-TYPE>:contain|equal|cross\n\n"
        "[events]\nQuote\tSpeaker?:PERSON|Speaker, Cue?:Cue\n\n"
        "[attributes]\nKind\tArg:Quote, Value:direct|indirect|mixed\n"
    )


def test_span_across_a_line_break_becomes_fragments(tmp_path: Path) -> None:
    text = "She said: “Yes.\nNo.” Fine."
    quote = Quote(parts=((10, 20),), kind=QuoteKind.DIRECT)
    write_brat([make_record(text, [], [quote])], tmp_path / "out")
    (ann,) = (tmp_path / "out").glob("*.ann")
    assert ann.read_text(encoding="utf-8").splitlines()[0] == "T1\tQuote 10 15;16 20\t“Yes. No.”"
    (doc,) = read_brat(ann)
    assert doc.quotes[0].parts == ((10, 20),)


def test_a_brat_reader_package_parses_the_output(tmp_path: Path) -> None:
    io = pytest.importorskip("bratly.io")
    record = make_record(TEXT, [(22, 27, "PERSON")], [QUOTE])
    write_brat([record], tmp_path / "out")
    (ann,) = (tmp_path / "out").glob("*.ann")
    content = ann.read_text(encoding="utf-8")
    checked = io.file_read_src.parse_and_fix_ann_grammar(content)  # raises on bad lines
    collection = io.parse_ann_file(checked, str(ann), renumerotize=False, sorting=False)
    kinds = sorted(type(a).__name__ for a in collection.annotations)
    assert kinds.count("EntityAnnotation") == 4 and "EventAnnotation" in kinds


def test_reader_on_the_sample_collection(tmp_path: Path) -> None:
    ann = DATA / "call.ann"
    assert detect_format(ann).name == "brat"
    (doc,) = read_brat(ann)
    assert doc.text == TEXT
    assert doc.spans == (Span(22, 27, "PERSON", Origin.IMPORT),)
    (quote,) = doc.quotes
    assert quote.parts == ((0, 4), (15, 19))
    assert (quote.speaker, quote.speaker_label, quote.cue) == ((5, 8), None, (9, 13))
    assert (quote.kind, quote.entity) == (QuoteKind.DIRECT, "Angela Merkel")


def test_existing_folder_needs_force_and_is_replaced_whole(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "old.ann").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="--force"):
        write_brat([make_record("One.")], dest)
    write_brat([make_record("One.")], dest, force=True)
    assert not (dest / "old.ann").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("T9\tPERSON 22 99\tPutin", "out of range"),
        ("T9\tPERSON 27 22\tPutin", "out of range or reversed"),
        ("T9\tPERSON 22 27\tPutim", "does not match"),
        ("T1\tPERSON 22 27\tPutin", "duplicate id T1"),
        ("R1\tKnows Arg1:T1 Arg2:T3", "cannot import this R annotation"),
        ("E2\tMeeting:T1", "not Quote"),
        ("E2\tQuote:T2 Theme:T1", "not Speaker or Cue"),
        ("E2\tQuote:T2 Speaker:T7", "T7 is not a"),
        ("A2\tNegated E1", "not a Kind"),
        ("N1\tReference T1 Wikidata:Q567\tMerkel", "cannot import this N annotation"),
        ("T9 PERSON 22 27 Putin", "cannot import this line"),
        ("#2\tAnnotatorNotes X1\tnote", "cannot import"),
    ],
)
def test_bad_ann_lines_name_file_and_line(tmp_path: Path, line: str, reason: str) -> None:
    shutil.copy(DATA / "call.txt", tmp_path / "call.txt")
    ann = tmp_path / "call.ann"
    ann.write_text((DATA / "call.ann").read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        list(read_brat(ann))
    assert info.value.path == str(ann)
    assert reason in info.value.reason
    assert info.value.line in (8, None)


def test_missing_text_file(tmp_path: Path) -> None:
    ann = tmp_path / "lonely.ann"
    ann.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"no text file lonely\.txt"):
        list(read_brat(ann))
