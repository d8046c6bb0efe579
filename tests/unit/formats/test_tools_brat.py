"""brat standoff: exact .ann lines, annotation.conf, a brat reader package, strict parsing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tools_support import make_record

from newsmark.domain.errors import InputError
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.reading import ReadOptions
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
        ".newsmark-export",  # what lets a later --force replace this folder
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


def test_an_earlier_export_needs_force_and_is_replaced_whole(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    write_brat([make_record("One.")], dest)
    (dest / "old.ann").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="--force"):
        write_brat([make_record("Two.")], dest)
    write_brat([make_record("Two.")], dest, force=True)
    assert not (dest / "old.ann").exists()
    assert (dest / "000001-a-title.txt").read_text(encoding="utf-8") == "Two."
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_force_never_replaces_a_folder_newsmark_did_not_write(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "thesis.tex").write_text("years of work", encoding="utf-8")
    with pytest.raises(InputError, match="did not write"):
        write_brat([make_record("One.")], dest, force=True)
    assert [p.name for p in dest.iterdir()] == ["thesis.tex"]


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


def with_lines(tmp_path: Path, *lines: str) -> Path:
    """The sample collection's call.ann with `lines` appended (line 8 on)."""
    shutil.copy(DATA / "call.txt", tmp_path / "call.txt")
    ann = tmp_path / "call.ann"
    extra = "".join(f"{line}\n" for line in lines)
    ann.write_text((DATA / "call.ann").read_text(encoding="utf-8") + extra, encoding="utf-8")
    return ann


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("R1\tKnows Arg1:T1 Arg2:T3", "brat relation Knows"),
        ("E2\tMeeting:T1", "brat event Meeting"),
        ("E2\tMERGE-ORG:T1 Org1:T1", "brat event MERGE-ORG"),
        ("A2\tNegated E1", "brat attribute Negated"),
        ("A2\tbool flag 0 T1", "brat attribute bool flag 0"),
        ("A2\tKind T1 direct", "brat attribute Kind"),
        ("#2\tAnnotatorNotes T1\tnote", "brat note"),
        ("#2\tComment E1\tnote", "brat note"),
        ("N1\tReference T1 Wikidata:Q567\tPutin", "brat normalization"),
        ("*\tAlias T1 T3", "brat equivalence"),
        ("T9\tORG 0 4;15 19\t“A,” “B.”", "discontinuous brat entity"),
        ("T9\ttest label 0 22 27\tPutin", "brat entity with a multi-word type"),
        ("T9\tGPE 23 27\tutin", "overlapping brat entity"),
        ("T9\tCue 5 8\tshe", "brat Cue outside a Quote event"),
    ],
)
def test_what_newsmark_cannot_hold_is_refused_or_dropped(
    tmp_path: Path, line: str, kind: str
) -> None:
    ann = with_lines(tmp_path, line)
    with pytest.raises(InputError) as info:
        list(read_brat(ann))
    assert (info.value.path, info.value.line) == (str(ann), 8)
    assert info.value.reason.endswith(
        "; --drop-unsupported imports the rest and counts what it drops"
    )
    options = ReadOptions(drop_unsupported=True)
    (doc,) = read_brat(ann, options)
    assert options.dropped == {kind: 1}
    # The rest is all there: the entity and the quote with its speaker, cue, kind, name.
    assert doc.spans == (Span(22, 27, "PERSON", Origin.IMPORT),)
    (quote,) = doc.quotes
    assert (quote.parts, quote.speaker, quote.cue) == (((0, 4), (15, 19)), (5, 8), (9, 13))
    assert (quote.kind, quote.entity) == (QuoteKind.DIRECT, "Angela Merkel")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("R1\tKnows Arg1:T1 Arg2:T9", "R1: Arg2 T9 is not an annotation of this file"),
        ("E2\tMeeting:T9", "E2: trigger T9 is not a text-bound annotation"),
        ("A2\tNegated E7", "A2: Negated E7 is not an annotation of this file"),
        ("T9\tORG 15 19;0 5\t“A,”  “B.”", "does not match"),
        ("T9\tORG 0 4;2 6\t“A,” ,” s", "T9: fragments overlap"),
    ],
)
def test_broken_lines_are_refused_even_when_dropping(
    tmp_path: Path, line: str, reason: str
) -> None:
    ann = with_lines(tmp_path, line)
    with pytest.raises(InputError) as info:
        list(read_brat(ann, ReadOptions(drop_unsupported=True)))
    assert (info.value.line, reason in info.value.reason) == (8, True)


def test_fragments_out_of_order_are_sorted(tmp_path: Path) -> None:
    # PolNeAR writes `T2 Content 106 118;53 93`: the text field follows the listed order.
    ann = with_lines(tmp_path, "T9\tORG 22 27;15 19\tPutin “B.”")
    (doc,) = read_brat(ann, ReadOptions(drop_unsupported=True))
    # A discontinuous entity: dropped, but the line was read (not refused as malformed).
    assert doc.spans == (Span(22, 27, "PERSON", Origin.IMPORT),)


def test_attribution_events_are_quotes(tmp_path: Path) -> None:
    text = "Putin said: No.\nIt will, he said, rain.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    ann = tmp_path / "a.ann"
    ann.write_text(
        "T1\tSource 0 5\tPutin\n"
        "T2\tCue 6 10\tsaid\n"
        "T3\tContent 12 15\tNo.\n"
        "T4\tAttribution 6 10\tsaid\n"
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
        "T5\tContent 34 39;16 23\train. It will\n"
        "T6\tCue 28 32\tsaid\n"
        "T7\tAttribution-no-source 28 32\tsaid\n"
        "E2\tAttribution-no-source:T7 Content:T5 Cue:T6\n"
        "T8\tPERSON 0 5\tPutin\n",
        encoding="utf-8",
    )
    (doc,) = read_brat(ann)
    assert doc.spans == (Span(0, 5, "PERSON", Origin.IMPORT),)
    first, second = sorted(doc.quotes, key=lambda q: q.start)
    assert (first.parts, first.speaker, first.cue) == (((12, 15),), (0, 5), (6, 10))
    assert (second.parts, second.speaker, second.cue) == (((16, 23), (34, 39)), None, (28, 32))
    assert first.speaker_label is None and first.kind is QuoteKind.INDIRECT


def test_a_quote_region_in_no_event_is_a_quote(tmp_path: Path) -> None:
    (tmp_path / "q.txt").write_text("“Yes,” she said.", encoding="utf-8")
    (tmp_path / "q.ann").write_text("T1\tQuote 0 6\t“Yes,”\n", encoding="utf-8")
    (doc,) = read_brat(tmp_path / "q.ann")
    (quote,) = doc.quotes
    assert (quote.parts, quote.speaker, quote.kind) == (((0, 6),), None, QuoteKind.DIRECT)


def test_a_quote_argument_of_another_role_is_refused_or_dropped(tmp_path: Path) -> None:
    ann = tmp_path / "call.ann"
    shutil.copy(DATA / "call.txt", tmp_path / "call.txt")
    body = (DATA / "call.ann").read_text(encoding="utf-8")
    ann.write_text(body.replace("Cue:T4\n", "Cue:T4 Theme:T1\n"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        list(read_brat(ann))
    assert info.value.line == 5 and "'Theme' is not Speaker or Cue" in info.value.reason
    options = ReadOptions(drop_unsupported=True)
    (doc,) = read_brat(ann, options)
    assert options.dropped == {"brat Quote argument Theme": 1}
    assert [(q.speaker, q.cue) for q in doc.quotes] == [((5, 8), (9, 13))]


def test_an_entity_as_source_stays_an_entity(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("Putin said: No.", encoding="utf-8")
    ann = tmp_path / "s.ann"
    ann.write_text(
        "T1\tPERSON 0 5\tPutin\nT2\tCue 6 10\tsaid\nT3\tContent 12 15\tNo.\n"
        "E1\tAttribution:T2 Content:T3 Source:T1\n",
        encoding="utf-8",
    )
    (doc,) = read_brat(ann)
    assert doc.spans == (Span(0, 5, "PERSON", Origin.IMPORT),)
    (quote,) = doc.quotes
    assert (quote.speaker, quote.speaker_label, quote.cue) == ((0, 5), "PERSON", (6, 10))
