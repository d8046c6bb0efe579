"""Prodigy task JSONL: the writer's exact output, the reader on a real task, bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from tools_support import make_record

from newsmark.domain.errors import InputError
from newsmark.domain.offsets import Alignment
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Origin, Span
from newsmark.formats import detect_format, get_format, read_path
from newsmark.formats.prodigy import read_prodigy, write_prodigy
from newsmark.formats.tools import AlignmentReport

DATA = Path(__file__).resolve().parents[2] / "data" / "formats_tools"
TEXT = "“We won,” Putin said. 😀 Netanyahu agreed."
QUOTE = Quote(parts=((0, 9),), kind=QuoteKind.DIRECT, speaker=(10, 15), cue=(16, 20))


def _tok(i: int, start: int, end: int, label: str) -> dict:
    return {"start": start, "end": end, "token_start": i, "token_end": i, "label": label}


def test_writer_output_is_a_rel_manual_task() -> None:
    record = make_record(TEXT, [(10, 15, "PERSON"), (24, 33, "PERSON")], [QUOTE])
    out = io.StringIO()
    assert write_prodigy([record], out) == 1
    task = json.loads(out.getvalue())
    quote = {"start": 0, "end": 9, "token_start": 0, "token_end": 4, "label": "QUOTE"}
    putin = {"start": 10, "end": 15, "token_start": 5, "token_end": 5, "label": "PERSON"}
    cue = {"start": 16, "end": 20, "token_start": 6, "token_end": 6, "label": "CUE"}
    netanyahu = {"start": 24, "end": 33, "token_start": 9, "token_end": 9, "label": "PERSON"}
    assert task["spans"] == [quote, putin, cue, netanyahu]
    assert task["relations"] == [
        {"head": 5, "child": 4, "head_span": putin, "child_span": quote, "label": "SPEAKER"},
        {"head": 6, "child": 4, "head_span": cue, "child_span": quote, "label": "CUE"},
    ]
    assert task["answer"] == "accept" and task["_view_id"] == "relations"
    assert task["_annotator_id"] == "ann1"
    assert task["_input_hash"] == record["_input_hash"]
    assert [t["text"] for t in task["tokens"]][:6] == ["“", "We", "won", ",", "”", "Putin"]
    assert out.getvalue().count("\n") == 1 and "😀" in out.getvalue()


def test_reader_on_a_real_task() -> None:
    path = DATA / "prodigy_rel.jsonl"
    assert detect_format(path).name == "prodigy"
    first, second = read_path(path, get_format("prodigy"))
    assert first.text == TEXT
    assert first.spans == (
        Span(10, 15, "PERSON", Origin.IMPORT),
        Span(24, 33, "PERSON", Origin.IMPORT),
    )
    (quote,) = first.quotes
    assert (quote.parts, quote.speaker, quote.cue) == (((0, 9),), (10, 15), (16, 20))
    assert quote.speaker_label == "PERSON" and quote.origin is Origin.IMPORT
    assert quote.kind is QuoteKind.DIRECT  # guessed from the quotation marks
    assert (first.status, first.annotator) == ("accepted", "news-ann1")
    assert first.meta["source"] == "wire/7.txt"
    assert (second.spans, second.quotes, second.status) == ((), (), "skipped")


def test_misaligned_span_strict_refuses_expand_reports() -> None:
    record = make_record(TEXT, [(11, 15, "PERSON")])  # "utin"
    with pytest.raises(InputError) as info:
        write_prodigy([record], io.StringIO())
    assert "document 1: span PERSON 11..15 'utin'" in info.value.reason
    report = AlignmentReport(Alignment.EXPAND)
    out = io.StringIO()
    write_prodigy([record], out, report=report)
    assert json.loads(out.getvalue())["spans"] == [_tok(5, 10, 15, "PERSON")]
    (item,) = report.items
    assert str(item).endswith("expanded to 10..15")
    report = AlignmentReport(Alignment.CONTRACT)
    out = io.StringIO()
    write_prodigy([record], out, report=report)
    assert json.loads(out.getvalue())["spans"] == []
    assert report.items[0].action == "dropped: no token left"


def _bad(tmp_path: Path, line: str) -> InputError:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine", "spans": []}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        list(read_prodigy(path))
    assert info.value.path == str(path) and info.value.line == 2
    return info.value


Q = '{"start": 0, "end": 2, "label": "QUOTE"}'
P = '{"start": 3, "end": 6, "label": "PERSON"}'


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"text": "Hi Bob", "spans": [', "invalid JSON"),
        ('["text"]', "must be an object"),
        ('{"text": 3}', '"text" must be a non-empty string'),
        ('{"text": "Hi Bob", "spans": {}}', "must be a list"),
        ('{"text": "Hi Bob", "spans": [{"start": 3, "end": 60, "label": "X"}]}', "out of range"),
        ('{"text": "Hi Bob", "spans": [{"start": 5, "end": 3, "label": "X"}]}', "reversed"),
        ('{"text": "Hi Bob", "spans": [{"start": "3", "end": 6, "label": "X"}]}', "integer"),
        (
            f'{{"text": "Hi Bob", "spans": [{Q}], "relations": [{{"label": "SPEAKER", '
            f'"head_span": {P}, "child_span": {Q}}}]}}',
            "is not in spans",
        ),
        (
            f'{{"text": "Hi Bob", "spans": [{Q}, {P}], "relations": [{{"label": "LIKES", '
            f'"head_span": {P}, "child_span": {Q}}}]}}',
            'relation "LIKES" is not SPEAKER or CUE; --drop-unsupported imports the rest',
        ),
        (
            '{"text": "Hi Bob", "spans": [{"start": 3, "end": 6, "label": "CUE"}]}',
            "is not the head",
        ),
        (
            '{"text": "Hi Bob", "spans": [{"start": 3, "end": 6, "label": "X", "text": "Al"}]}',
            "does not match",
        ),
    ],
)
def test_bad_lines_name_file_and_line(tmp_path: Path, line: str, reason: str) -> None:
    assert reason in _bad(tmp_path, line).reason


def test_truncated_last_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl"
    path.write_text('{"text": "fine"}\n{"text": "Hi Bob", "spa', encoding="utf-8")
    with pytest.raises(InputError) as info:
        list(read_prodigy(path))
    assert info.value.line == 2 and "truncated" in info.value.reason
