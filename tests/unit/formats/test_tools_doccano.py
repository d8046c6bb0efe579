"""doccano JSONL (relation): the writer's exact output, a real export, bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from tools_support import make_record

from newsmark.domain.errors import InputError
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Origin, Span
from newsmark.formats import detect_format
from newsmark.formats.doccano import read_doccano, write_doccano

DATA = Path(__file__).resolve().parents[2] / "data" / "formats_tools"
SPLIT = "“A,” she said, “B.” 😀 Putin"


def test_writer_output_split_quote_with_speaker_and_cue() -> None:
    quote = Quote(parts=((0, 4), (15, 19)), kind=QuoteKind.DIRECT, speaker=(5, 8), cue=(9, 13))
    record = make_record(SPLIT, [(22, 27, "PERSON")], [quote])
    out = io.StringIO()
    assert write_doccano([record], out) == 1
    line = json.loads(out.getvalue())
    assert line["text"] == SPLIT and line["id"] == 1
    # Code point offsets: the emoji before Putin counts one.
    assert line["entities"] == [
        {"id": 1, "label": "PERSON", "start_offset": 22, "end_offset": 27},
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
