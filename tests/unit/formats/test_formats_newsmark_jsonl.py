"""Newsmark JSONL export: the record contract, hashes, misalignment and the round trip."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from fmt_helpers import tokenize

from newsmark.domain.alignment import Misaligned
from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.document import Document, text_sha256
from newsmark.domain.entities import Entity
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.formats import read_path
from newsmark.formats.newsmark_jsonl import (
    encode_record,
    export_record,
    misaligned_spans,
    plain_record,
    write_jsonl,
)

# Code points: Putin 0-5, 😀 6, said 8-12, : 12, " 14, We 15-17, won 18-21, . 21, " 22,
# Netanyahu 24-33, agreed 34-40, . 40. Tokens (index: start-end):
# 0 Putin 0-5, 1 😀 6-7, 2 said 8-12, 3 : 12-13, 4 " 14-15, 5 We 15-17, 6 won 18-21,
# 7 . 21-22, 8 " 22-23, 9 Netanyahu 24-33, 10 agreed 34-40, 11 . 40-41
TEXT = 'Putin 😀 said: "We won." Netanyahu agreed.'
MODEL = "en_core_web_sm==3.8.0"


def make_doc() -> Document:
    meta = {"source": "wire/a.txt", "title": "Talks", "date": "2023-12-10", "author": "Jane Roe"}
    return Document(11, TEXT, text_sha256(TEXT), meta, tokenize(TEXT))


def make_set(status: Status = Status.ACCEPTED) -> AnnotationSet:
    spans = [
        Span(24, 33, "PERSON", Origin.HUMAN, entity_id=3),
        Span(0, 5, "PERSON", Origin.MODEL, MODEL, entity_id=7),
        Span(34, 39, "MISC", Origin.HUMAN),  # "agree": Alt-drag, not on token ends
    ]
    quotes = [
        Quote(
            parts=((14, 23),),
            kind=QuoteKind.DIRECT,
            speaker=(0, 5),
            cue=(8, 12),
            entity="Vladimir Putin",
            entity_id=7,
            origin=Origin.HUMAN,
        )
    ]
    return AnnotationSet(11, "ann1", status, spans, quotes)


ENTITIES = {
    3: Entity(3, "Benjamin Netanyahu", "PERSON"),
    7: Entity(7, "Vladimir Putin", "PERSON", "Q7747"),
    9: Entity(9, "Not referenced", "ORG"),
}


def test_tokenizer_helper_matches_the_comment() -> None:
    assert [(t.start, t.end, t.ws) for t in tokenize(TEXT)][:5] == [
        (0, 5, True),
        (6, 7, True),
        (8, 12, False),
        (12, 13, True),
        (14, 15, False),
    ]


def test_record_follows_the_contract() -> None:
    record = export_record(make_doc(), make_set(), ENTITIES)
    assert list(record) == [
        "text", "meta", "_input_hash", "_task_hash", "schema_version", "tokens", "spans",
        "quotes", "entities", "relations", "answer", "_annotator_id", "status",
    ]  # fmt: skip
    assert record["text"] == TEXT
    assert record["meta"] == {
        "source": "wire/a.txt",
        "title": "Talks",
        "date": "2023-12-10",
        "doc_id": 11,
        "author": "Jane Roe",
    }
    assert record["schema_version"] == 1
    assert (record["answer"], record["_annotator_id"], record["status"]) == (
        "accept",
        "ann1",
        "accepted",
    )
    assert record["tokens"][1] == {"text": "😀", "start": 6, "end": 7, "id": 1, "ws": True}
    assert record["tokens"][9] == {"text": "Netanyahu", "start": 24, "end": 33, "id": 9, "ws": True}
    assert len(record["tokens"]) == 12
    for token in record["tokens"]:
        assert TEXT[token["start"] : token["end"]] == token["text"]

    assert record["spans"] == [
        {"start": 0, "end": 5, "token_start": 0, "token_end": 0, "label": "PERSON",
         "origin": "model", "model": MODEL, "entity_id": 7},
        {"start": 24, "end": 33, "token_start": 9, "token_end": 9, "label": "PERSON",
         "origin": "human", "entity_id": 3},
        {"start": 34, "end": 39, "token_start": None, "token_end": None, "label": "MISC",
         "origin": "human"},
    ]  # fmt: skip
    assert [TEXT[s["start"] : s["end"]] for s in record["spans"]] == ["Putin", "Netanyahu", "agree"]

    assert record["quotes"] == [
        {
            "kind": "direct",
            "quote": {"start": 14, "end": 23},
            "parts": [{"start": 14, "end": 23}],
            "speaker": {"start": 0, "end": 5, "label": "PERSON"},  # label of the span there
            "cue": {"start": 8, "end": 12},
            "entity": "Vladimir Putin",
            "entity_id": 7,
            "origin": "human",
        }
    ]
    assert TEXT[14:23] == '"We won."'
    assert record["entities"] == [
        {"id": 3, "name": "Benjamin Netanyahu", "label": "PERSON", "kb_id": None},
        {"id": 7, "name": "Vladimir Putin", "label": "PERSON", "kb_id": "Q7747"},
    ]
    quote_span = {"start": 14, "end": 23, "token_start": 4, "token_end": 8, "label": "QUOTE"}
    assert record["relations"] == [
        {
            "head": 0,  # the speaker's last token: "Putin"
            "child": 8,  # the quote's last token: the closing mark
            "head_span": {
                "start": 0,
                "end": 5,
                "token_start": 0,
                "token_end": 0,
                "label": "PERSON",
            },
            "child_span": quote_span,
            "label": "SPEAKER",
        },
        {
            "head": 2,  # "said"
            "child": 8,
            "head_span": {"start": 8, "end": 12, "token_start": 2, "token_end": 2, "label": "CUE"},
            "child_span": quote_span,
            "label": "CUE",
        },
    ]
    json.dumps(plain_record(record))  # plain JSON data once the tokens are listed


def test_split_quote_hull_and_parts() -> None:
    text = 'Putin said "We won," then "They lost."'
    doc = Document(1, text, text_sha256(text), {}, tokenize(text))
    quote = Quote(parts=((11, 19), (26, 38)), kind=QuoteKind.DIRECT)
    record = export_record(doc, AnnotationSet(1, "a", quotes=[quote]), {})
    (out,) = record["quotes"]
    assert out["quote"] == {"start": 11, "end": 38}
    assert out["parts"] == [{"start": 11, "end": 19}, {"start": 26, "end": 38}]
    assert (out["speaker"], out["cue"], out["entity"], out["entity_id"]) == (None, None, None, None)
    assert record["relations"] == [] and record["entities"] == []
    assert record["meta"] == {"source": None, "title": text, "date": None, "doc_id": 1}
    assert (record["answer"], record["status"]) == ("ignore", "new")


def test_hashes_are_stable_signed_32_bit_ints() -> None:
    first = export_record(make_doc(), make_set(), ENTITIES)
    again = export_record(make_doc(), make_set(), ENTITIES)
    expected_input = int.from_bytes(hashlib.sha256(TEXT.encode()).digest()[:4], "big", signed=True)
    assert first["_input_hash"] == again["_input_hash"] == expected_input
    assert first["_task_hash"] == again["_task_hash"]
    for value in (first["_input_hash"], first["_task_hash"]):
        assert isinstance(value, int) and -(2**31) <= value < 2**31
    fewer = make_set()
    fewer.spans.pop()
    other = export_record(make_doc(), fewer, ENTITIES)
    assert other["_input_hash"] == first["_input_hash"]
    assert other["_task_hash"] != first["_task_hash"]
    # The status is the answer, not the task: it does not change the task hash.
    rejected = export_record(make_doc(), make_set(Status.REJECTED), ENTITIES)
    assert rejected["_task_hash"] == first["_task_hash"]
    assert rejected["answer"] == "reject"


def test_misaligned_spans_are_reported() -> None:
    set_ = make_set()
    set_.quotes.append(Quote(parts=((15, 20),), speaker=(25, 33)))  # "We wo" said by "etanyahu"
    record = export_record(make_doc(), set_, ENTITIES)
    found = misaligned_spans(record)
    assert found == [
        Misaligned("11", "span", 34, 39, "MISC", "agree"),
        Misaligned("11", "quote", 15, 20, "direct", "We wo"),
        Misaligned("11", "speaker", 25, 33, None, "etanyahu"),
    ]
    assert str(found[0]) == "document 11: span MISC 34..39 'agree' does not match token boundaries"
    speaker_rel = record["relations"][-1]
    assert (speaker_rel["head"], speaker_rel["child"]) == (None, None)


def test_write_jsonl_one_compact_utf8_line_per_record() -> None:
    record = export_record(make_doc(), make_set(), ENTITIES)
    stream = io.StringIO()
    assert write_jsonl([record, record], stream) == 2
    lines = stream.getvalue().split("\n")
    assert lines[2] == "" and len(lines) == 3
    assert "😀" in lines[0] and "\\u" not in lines[0] and ": " not in lines[0][:20]
    assert json.loads(lines[0]) == record


def test_round_trip_through_the_jsonl_reader(tmp_path: Path) -> None:
    record = export_record(make_doc(), make_set(Status.IN_PROGRESS), ENTITIES)
    path = tmp_path / "export.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        write_jsonl([record], stream)
    (doc,) = read_path(path)
    assert doc.text == TEXT
    assert doc.meta == {
        "source": "wire/a.txt",
        "title": "Talks",
        "date": "2023-12-10",
        "author": "Jane Roe",
    }
    assert [(s.start, s.end, s.label) for s in doc.spans] == [
        (0, 5, "PERSON"),
        (24, 33, "PERSON"),
        (34, 39, "MISC"),
    ]
    assert all(s.origin is Origin.IMPORT for s in doc.spans)
    assert doc.quotes == (
        Quote(
            parts=((14, 23),),
            kind=QuoteKind.DIRECT,
            speaker=(0, 5),
            speaker_label="PERSON",
            cue=(8, 12),
            entity="Vladimir Putin",
            origin=Origin.IMPORT,
        ),
    )
    assert (doc.status, doc.annotator) == ("in_progress", "ann1")
    # Exporting what was read gives the same annotations (entity links are database-local).
    again = AnnotationSet(11, "ann1", Status.IN_PROGRESS, list(doc.spans), list(doc.quotes))
    second = export_record(
        Document(11, doc.text, doc.sha256, doc.meta, tokenize(doc.text)), again, {}
    )
    strip = {"origin", "model", "entity_id"}
    assert [{k: v for k, v in s.items() if k not in strip} for s in second["spans"]] == [
        {k: v for k, v in s.items() if k not in strip} for s in record["spans"]
    ]
    assert [(q["parts"], q["speaker"], q["cue"], q["kind"]) for q in second["quotes"]] == [
        (q["parts"], q["speaker"], q["cue"], q["kind"]) for q in record["quotes"]
    ]
    assert second["_input_hash"] == record["_input_hash"]


def test_fast_token_encoding_is_byte_identical_to_json_dumps() -> None:
    text = 'He wrote C:\\temp\\x and "ok" — 😀\u0301 中文.'
    doc = Document(5, text, text_sha256(text), {"note": "tab\there"}, tokenize(text))
    record = export_record(doc, AnnotationSet(5, "a", spans=[Span(0, 2, "PERSON")]), {})
    compact = json.dumps(plain_record(record), ensure_ascii=False, separators=(",", ":"))
    assert encode_record(record) == compact
    # Tokens replaced by plain dicts (changed ones, too) take the general path.
    changed = {**plain_record(record)}
    changed["tokens"] = [*changed["tokens"][:2], {"odd": True}]
    changed["tokens"][0]["start"] = 0.5
    assert encode_record(changed) == json.dumps(changed, ensure_ascii=False, separators=(",", ":"))
