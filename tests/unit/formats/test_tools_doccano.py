"""doccano JSONL (relation): exact output, UTF-16 offsets, the flat variant, bad input."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import pytest
from tools_support import make_record

from newsmark.domain.alignment import AlignmentReport
from newsmark.domain.errors import InputError
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.reading import ReadOptions
from newsmark.domain.spans import Origin, Span
from newsmark.formats import detect_format
from newsmark.formats.doccano import read_doccano, write_doccano, write_doccano_flat

DATA = Path(__file__).resolve().parents[2] / "data" / "formats_tools"
SPLIT = "“A,” she said, “B.” 😀 Putin"


def test_writer_output_split_quote_with_speaker_and_cue() -> None:
    quote = Quote(
        parts=((0, 4), (15, 19)), kind=QuoteKind.DIRECT, speaker=(5, 8), cue=(9, 13),
        entity="Angela Merkel",
    )  # fmt: skip
    record = make_record(SPLIT, [(22, 27, "PERSON")], [quote])
    out = io.StringIO()
    assert write_doccano([record], out) == 1
    line = json.loads(out.getvalue())
    assert line["text"] == SPLIT and line["id"] == 1
    # UTF-16 offsets, what doccano's editor counts: the emoji before Putin counts two.
    assert line["entities"] == [
        {"id": 1, "label": "PERSON", "start_offset": 23, "end_offset": 28},
        {"id": 2, "label": "QUOTE", "start_offset": 0, "end_offset": 4},
        {"id": 3, "label": "QUOTE", "start_offset": 15, "end_offset": 19},
        {"id": 4, "label": "SPEAKER", "start_offset": 5, "end_offset": 8},
        {"id": 5, "label": "CUE", "start_offset": 9, "end_offset": 13},
    ]
    assert line["relations"] == [
        {"id": 1, "from_id": 3, "to_id": 2, "type": "PART_OF"},
        {"id": 2, "from_id": 4, "to_id": 2, "type": "SPEAKER"},
        {"id": 3, "from_id": 5, "to_id": 2, "type": "CUE"},
    ]
    # What doccano's spans and relations cannot hold, under a key doccano keeps as meta.
    assert line["newsmark"] == {
        "offsets": "utf-16",
        "quotes": [
            {
                "parts": [[0, 4], [15, 19]],
                "speaker": [5, 8],
                "cue": [9, 13],
                "kind": "direct",
                "entity": "Angela Merkel",
                "speaker_label": None,
            }
        ],
    }


def test_speaker_that_is_an_entity_reuses_its_id() -> None:
    text = "Putin said “no”."
    quote = Quote(parts=((11, 15),), speaker=(0, 5))
    line = json.loads(_write(make_record(text, [(0, 5, "PERSON")], [quote])))
    assert [e["label"] for e in line["entities"]] == ["PERSON", "QUOTE"]
    assert line["relations"] == [{"id": 1, "from_id": 1, "to_id": 2, "type": "SPEAKER"}]


def _write(record: dict) -> str:
    out = io.StringIO()
    write_doccano([record], out)
    return out.getvalue()


def test_reader_on_a_doccano_export() -> None:
    path = DATA / "doccano_relation.jsonl"
    assert detect_format(path).name == "doccano"
    (doc,) = read_doccano(path)
    assert doc.text == SPLIT
    assert doc.spans == (Span(22, 27, "PERSON", Origin.IMPORT),)
    (quote,) = doc.quotes
    assert quote.parts == ((0, 4), (15, 19))
    assert (quote.speaker, quote.speaker_label, quote.cue) == ((5, 8), None, (9, 13))
    assert quote.origin is Origin.IMPORT


def test_reader_takes_the_plain_jsonl_export_too(tmp_path: Path) -> None:
    path = tmp_path / "plain.jsonl"
    path.write_text('{"text": "Hi Bob", "label": [[3, 6, "PERSON"]]}\n', encoding="utf-8")
    assert detect_format(path).name == "doccano"
    (doc,) = read_doccano(path)
    assert doc.spans == (Span(3, 6, "PERSON", Origin.IMPORT),)


E = '{"id": 1, "label": "QUOTE", "start_offset": 0, "end_offset": 2}'
S = '{"id": 2, "label": "SPEAKER", "start_offset": 3, "end_offset": 6}'


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"text": "Hi Bob", "entities": [', "invalid JSON"),
        ('{"text": "Hi Bob", "entities": "x"}', "must be a list"),
        (f'{{"text": "Hi Bob", "entities": [{E}, {E}]}}', "duplicate entity id 1"),
        (
            '{"text": "Hi Bob", "entities": [{"id": 1, "label": "X", "start_offset": 0, '
            '"end_offset": 99}]}',
            "out of range",
        ),
        (
            '{"text": "Hi Bob", "entities": [{"id": 1, "label": "X", "start_offset": 4, '
            '"end_offset": 1}]}',
            "reversed",
        ),
        (
            f'{{"text": "Hi Bob", "entities": [{E}], "relations": [{{"id": 1, "from_id": 9, '
            '"to_id": 1, "type": "SPEAKER"}]}',
            "from id 9 is not a region",
        ),
        (
            f'{{"text": "Hi Bob", "entities": [{E}, {S}], "relations": [{{"id": 1, '
            '"from_id": 2, "to_id": 1, "type": "LIKES"}]}',
            "is not SPEAKER, CUE or PART_OF; --drop-unsupported imports the rest",
        ),
        (
            # A SPEAKER relation may point either way, but one end must be a quote.
            f'{{"text": "Hi Bob", "entities": [{E}, {S}], "relations": [{{"id": 1, '
            '"from_id": 2, "to_id": 2, "type": "SPEAKER"}]}',
            "must be a QUOTE region",
        ),
        (f'{{"text": "Hi Bob", "entities": [{E}, {S}]}}', "is in no SPEAKER relation"),
        ('{"text": "Hi Bob", "label": [[3, 6]]}', "must be [start, end, label]"),
        ('{"text": "Hi Bob", "label": [[3, 60, "X"]]}', "out of range"),
        (
            f'{{"text": "Hi Bob", "entities": [{E}, {S}], "relations": ['
            '{"id": 1, "from_id": 2, "to_id": 1, "type": "SPEAKER"}, '
            '{"id": 1, "from_id": 2, "to_id": 1, "type": "SPEAKER"}]}',
            "duplicate relation id",
        ),
    ],
)
def test_bad_lines_name_file_and_line(tmp_path: Path, line: str, reason: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine", "entities": []}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        list(read_doccano(path))
    assert (info.value.path, info.value.line) == (str(path), 2)
    assert reason in info.value.reason


def _utf16(text: str, offset: int) -> int:
    """UTF-16 code units before code point `offset`, counted by Python's own codec."""
    return len(text[:offset].encode("utf-16-le")) // 2


# Astral characters (emoji, a skin tone modifier, flag halves) count two UTF-16 units;
# combining marks and CJK count one, as in code points.
MIXED = "Zoë 👍🏽 met Putin. e\u0301te\u0301 🇺🇦 Kyiv 東京 Tokyo 😀 “Yes,” Zoë said."


def test_offsets_are_utf16_around_emoji_and_combining_marks(tmp_path: Path) -> None:
    names = [(w, MIXED.index(w)) for w in ("Putin", "Kyiv", "Tokyo")]
    spans = [(i, i + len(w), "GPE" if w != "Putin" else "PERSON") for w, i in names]
    spans.append((0, 3, "PERSON"))
    q0 = MIXED.index("“")
    q1 = MIXED.index("”") + 1
    sp = MIXED.rindex("Zoë")
    quote = Quote(parts=((q0, q1),), kind=QuoteKind.DIRECT, speaker=(sp, sp + 3), entity="Zoë")
    record = make_record(MIXED, sorted(spans), [quote])
    line = json.loads(_write(record))
    units = MIXED.encode("utf-16-le")
    for ent in line["entities"]:
        start, end = ent["start_offset"], ent["end_offset"]
        # The text doccano's editor shows at those offsets (JavaScript slices UTF-16).
        shown = units[2 * start : 2 * end].decode("utf-16-le")
        assert shown in ("Zoë", "Putin", "Kyiv", "Tokyo", "“Yes,”"), ent
    assert {(e["start_offset"], e["end_offset"]) for e in line["entities"]} == {
        (_utf16(MIXED, s), _utf16(MIXED, e)) for s, e in [*(x[:2] for x in spans), (q0, q1)]
    } | {(_utf16(MIXED, sp), _utf16(MIXED, sp + 3))}
    path = tmp_path / "mixed.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    (doc,) = read_doccano(path)
    assert sorted((s.start, s.end, s.label) for s in doc.spans) == sorted(spans)
    (got,) = doc.quotes
    assert (got.parts, got.speaker, got.kind, got.entity) == (
        ((q0, q1),), (sp, sp + 3), QuoteKind.DIRECT, "Zoë",
    )  # fmt: skip


def _line(path: Path, value: dict) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_a_file_without_the_marker_is_read_as_utf16_unless_a_character_would_split(
    tmp_path: Path,
) -> None:
    text = "Hi 😀 Bob"
    # doccano's own export: "Bob" at UTF-16 6..9.
    doccano_made = {"text": text, "entities": [{"id": 1, "label": "PERSON", "start_offset": 6,
                                                "end_offset": 9}]}  # fmt: skip
    (doc,) = read_doccano(_line(tmp_path / "a.jsonl", doccano_made))
    assert doc.spans == (Span(5, 8, "PERSON", Origin.IMPORT),)
    # Newsmark wrote code points before: the emoji at 3..4 ends inside the UTF-16 pair.
    code_points = {"text": text, "entities": [
        {"id": 1, "label": "EMOJI", "start_offset": 3, "end_offset": 4},
        {"id": 2, "label": "PERSON", "start_offset": 5, "end_offset": 8},
    ]}  # fmt: skip
    (doc,) = read_doccano(_line(tmp_path / "b.jsonl", code_points))
    assert [(s.start, s.end, s.label) for s in doc.spans] == [(3, 4, "EMOJI"), (5, 8, "PERSON")]


def test_declared_utf16_offsets_that_split_a_character_are_refused(tmp_path: Path) -> None:
    value = {"text": "Hi 😀 Bob", "newsmark": {"offsets": "utf-16", "quotes": []},
             "entities": [{"id": 1, "label": "X", "start_offset": 3, "end_offset": 4}]}  # fmt: skip
    with pytest.raises(InputError, match=r"entities\[0\] 3..4 splits a character"):
        list(read_doccano(_line(tmp_path / "x.jsonl", value)))


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ("[]", '"newsmark" must be an object'),
        ('{"offsets": "bytes"}', 'must be "utf-16" or "code points"'),
        ('{"quotes": [{"parts": [[0, 2]], "kind": "loud"}]}', "kind must be one of"),
        ('{"quotes": [{"parts": [0, 2]}]}', "parts[0] must be [start, end]"),
        ('{"quotes": [{"parts": []}]}', "parts is empty"),
        ('{"quotes": [{"parts": [[0, 2]], "entity": 7}]}', "entity must be a non-empty string"),
    ],
)
def test_bad_newsmark_details_name_file_and_line(tmp_path: Path, extra: str, reason: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(f'{{"text": "Hi Bob", "entities": [{E}], "newsmark": {extra}}}\n', "utf-8")
    with pytest.raises(InputError) as info:
        list(read_doccano(path))
    assert info.value.line == 1 and reason in info.value.reason


def test_a_quote_changed_in_doccano_gets_a_guessed_kind_and_the_stale_detail_is_counted(
    tmp_path: Path,
) -> None:
    text = "Bob said it is fine."
    quote = Quote(parts=((9, 19),), kind=QuoteKind.MIXED, speaker=(0, 3), entity="Bob Dylan")
    line = json.loads(_write(make_record(text, [(0, 3, "PERSON")], [quote])))
    (same,) = read_doccano(_line(tmp_path / "same.jsonl", line))
    assert [(q.kind, q.entity) for q in same.quotes] == [(QuoteKind.MIXED, "Bob Dylan")]
    quote_entity = next(e for e in line["entities"] if e["label"] == "QUOTE")
    quote_entity["start_offset"] = 12  # an annotator shortened the quote in doccano
    options = ReadOptions()
    (doc,) = read_doccano(_line(tmp_path / "changed.jsonl", line), options)
    assert [(q.parts, q.kind, q.entity) for q in doc.quotes] == [
        (((12, 19),), QuoteKind.INDIRECT, None)
    ]
    assert options.dropped == {"quote kind/name of a quote changed in doccano": 1}


def _no_overlaps(entities: list[dict]) -> bool:
    """doccano's test with "Allow overlapping spans" off (labels.py Spans.clean)."""
    ordered = sorted(entities, key=lambda e: e["start_offset"])
    return all(b["start_offset"] >= a["end_offset"] for a, b in itertools.pairwise(ordered))


def test_flat_variant_has_no_overlaps_and_lists_what_it_left_out(tmp_path: Path) -> None:
    text = "Prime Minister Netanyahu said Putin and Biden met in Geneva."
    spans = [(15, 24, "PERSON"), (30, 35, "PERSON"), (40, 45, "PERSON"), (53, 59, "GPE")]
    inner = Quote(parts=((30, 59),), kind=QuoteKind.INDIRECT, speaker=(0, 24), cue=(25, 29),
                  entity="Benjamin Netanyahu")  # fmt: skip
    record = make_record(text, spans, [inner])
    default = json.loads(_write(record))
    assert not _no_overlaps(default["entities"])
    report = AlignmentReport()
    out = io.StringIO()
    assert write_doccano_flat([record], out, report=report) == 1
    flat = json.loads(out.getvalue())
    assert _no_overlaps(flat["entities"])
    assert [(e["label"], e["start_offset"]) for e in flat["entities"]] == [
        ("QUOTE", 30), ("SPEAKER", 0), ("CUE", 25),
    ]  # fmt: skip
    assert 'Allow overlapping spans" may stay off' in report.notes[0]
    assert report.notes[1] == "doccano-flat: 4 span(s) left out so that no two spans overlap:"
    assert report.notes[2:] == [
        'document 1: PERSON 15..24 "Netanyahu" left out: overlaps SPEAKER 0..24',
        'document 1: PERSON 30..35 "Putin" left out: overlaps QUOTE 30..59',
        'document 1: PERSON 40..45 "Biden" left out: overlaps QUOTE 30..59',
        'document 1: GPE 53..59 "Geneva" left out: overlaps QUOTE 30..59',
    ]
    (doc,) = read_doccano(_line(tmp_path / "flat.jsonl", flat))
    assert doc.spans == ()
    (got,) = doc.quotes
    assert (got.parts, got.speaker, got.cue, got.kind, got.entity) == (
        inner.parts, inner.speaker, inner.cue, inner.kind, inner.entity,
    )  # fmt: skip


def test_flat_variant_uses_the_entity_span_for_a_speaker_that_is_one() -> None:
    text = "Putin said “no” to Biden."
    quote = Quote(parts=((11, 15),), kind=QuoteKind.DIRECT, speaker=(0, 5), cue=(6, 10))
    record = make_record(text, [(0, 5, "PERSON"), (19, 24, "PERSON")], [quote])
    out = io.StringIO()
    report = AlignmentReport()
    write_doccano_flat([record], out, report=report)
    line = json.loads(out.getvalue())
    assert [(e["label"], e["start_offset"]) for e in line["entities"]] == [
        ("PERSON", 0), ("PERSON", 19), ("QUOTE", 11), ("CUE", 6),
    ]  # fmt: skip
    assert {"from_id": 1, "to_id": 3, "type": "SPEAKER"}.items() <= line["relations"][0].items()
    assert len(report.notes) == 1  # the project setting, nothing left out
