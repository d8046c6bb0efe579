"""The JSONL reader: Prodigy-style and Newsmark records, remapping, and every bad line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsmark.domain.document import DocumentInput
from newsmark.domain.errors import InputError
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.reading import ReadOptions
from newsmark.domain.spans import Origin, Span
from newsmark.formats import read_path
from newsmark.formats.jsonl import parse_line, read_jsonl

TEXT = 'Putin said: "We won." Netanyahu agreed.'


def jsonl(tmp_path: Path, *records: Any, name: str = "in.jsonl") -> Path:
    path = tmp_path / name
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def token_dicts(text: str, words: list[str]) -> list[dict[str, Any]]:
    """Prodigy-style tokens of `text`: `words` found in order, `ws` from the next character."""
    tokens, pos = [], 0
    for i, word in enumerate(words):
        start = text.index(word, pos)
        pos = start + len(word)
        ws = text[pos : pos + 1] == " "
        tokens.append({"text": word, "start": start, "end": pos, "id": i, "ws": ws})
    return tokens


WORDS = ["Putin", "said", ":", '"', "We", "won", ".", '"', "Netanyahu", "agreed", "."]


def read(path: Path) -> list[DocumentInput]:
    # The JSONL reader itself, whatever format detection would pick for the file.
    return read_path(path, "newsmark")


def refused(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read(path)
    assert info.value.path == str(path)
    return info.value


def test_prodigy_record(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path,
        {
            "text": TEXT,
            "meta": {"source": "wire/1.txt"},
            "tokens": token_dicts(TEXT, WORDS),
            "spans": [
                {"start": 0, "end": 5, "token_start": 0, "token_end": 0, "label": "PERSON"},
                {"start": 22, "end": 31, "label": "PERSON", "text": "Netanyahu"},
            ],
            "answer": "accept",
            "_annotator_id": "2024-02-06_10-17-19",
        },
        {"text": "Second article."},
    )
    first, second = read(path)
    assert first.text == TEXT
    assert first.meta == {"source": "wire/1.txt", "title": TEXT}
    assert first.spans == (
        Span(0, 5, "PERSON", Origin.IMPORT),
        Span(22, 31, "PERSON", Origin.IMPORT),
    )
    assert first.status == "accepted"
    assert first.annotator == "2024-02-06_10-17-19"
    # The file's tokens are kept as they are: `said:` stays two tokens, `won."` three.
    assert [TEXT[t.start : t.end] for t in first.tokens or ()] == WORDS
    assert [t.ws for t in first.tokens or ()] == [t["ws"] for t in token_dicts(TEXT, WORDS)]
    assert second.meta == {"source": str(path), "title": "Second article."}
    assert (second.spans, second.quotes, second.status, second.annotator) == ((), (), None, None)
    assert second.tokens is None  # no tokens in the file: spaCy's tokenizer makes them


def test_tokens_that_leave_text_uncovered_are_refused(tmp_path: Path) -> None:
    tokens = token_dicts(TEXT, WORDS)
    del tokens[4]  # "We"
    err = refused(jsonl(tmp_path, {"text": TEXT, "tokens": tokens}))
    assert err.line == 1
    assert "'We ' at 13..16 uncovered" in err.reason


def test_tokens_that_overlap_are_refused(tmp_path: Path) -> None:
    tokens = token_dicts(TEXT, WORDS)
    tokens[1]["start"] -= 2  # "said" starts inside "Putin"
    tokens[1]["text"] = TEXT[tokens[1]["start"] : tokens[1]["end"]]
    err = refused(jsonl(tmp_path, {"text": TEXT, "tokens": tokens}))
    assert "token 1 4..10 overlaps" in err.reason


def test_newsmark_record_with_quotes(tmp_path: Path) -> None:
    text = 'Putin said "We won," then "They lost." Nobody answered.'
    path = jsonl(
        tmp_path,
        {
            "text": text,
            "meta": {"source": "a.txt", "title": "T", "doc_id": 42, "extra": [1, 2]},
            "schema_version": 1,
            "spans": [{"start": 0, "end": 5, "label": "PERSON", "origin": "model", "entity_id": 7}],
            "quotes": [
                {
                    "kind": "direct",
                    "quote": {"start": 11, "end": 37},
                    "parts": [{"start": 26, "end": 37}, {"start": 11, "end": 19}],
                    "speaker": {"start": 0, "end": 5, "label": "PERSON"},
                    "cue": {"start": 6, "end": 10},
                    "entity": "Vladimir Putin",
                    "entity_id": 7,
                },
                {"quote": {"start": 39, "end": 54}},  # no kind: guessed (no marks: indirect)
            ],
            "answer": "ignore",
            "status": "in_progress",
            "_annotator_id": "ann1",
        },
    )
    (doc,) = read(path)
    # doc_id belongs to the database that exported the record.
    assert doc.meta == {"source": "a.txt", "title": "T", "extra": [1, 2]}
    assert text[11:19] == '"We won,' and text[26:37] == '"They lost.'
    assert doc.quotes == (
        Quote(
            parts=((11, 19), (26, 37)),
            kind=QuoteKind.DIRECT,
            speaker=(0, 5),
            speaker_label="PERSON",
            cue=(6, 10),
            entity="Vladimir Putin",
            origin=Origin.IMPORT,
        ),
        Quote(parts=((39, 54),), kind=QuoteKind.INDIRECT, origin=Origin.IMPORT),
    )
    assert doc.spans == (Span(0, 5, "PERSON", Origin.IMPORT),)
    assert doc.status == "in_progress"  # status wins over answer
    assert doc.annotator == "ann1"


@pytest.mark.parametrize(
    ("answer", "status"), [("accept", "accepted"), ("reject", "rejected"), ("ignore", "skipped")]
)
def test_answer_maps_to_status(tmp_path: Path, answer: str, status: str) -> None:
    (doc,) = read(jsonl(tmp_path, {"text": "A.", "answer": answer}))
    assert doc.status == status


def test_crlf_bom_emoji_and_meta_line_remap_offsets(tmp_path: Path) -> None:
    raw = (
        "\ufeff date 2023-12-10 Jane Roe10:00, 01/02/24\r\n\r\n"
        'Putin 😀 said:\r\n"We won." 👍🏽 Netanyahu\r\n'
    )
    spans = []
    for word, label in (("Putin", "PERSON"), ("Netanyahu", "PERSON")):
        start = raw.index(word)
        spans.append({"start": start, "end": start + len(word), "label": label})
    q = raw.index('"We')
    quote = {"parts": [{"start": q, "end": q + len('"We won."')}], "speaker": spans[0]}
    path = tmp_path / "crlf.jsonl"
    # The file itself has a BOM and \r\n line ends too.
    line = json.dumps({"text": raw, "spans": spans, "quotes": [quote]}, ensure_ascii=False)
    path.write_bytes(b"\xef\xbb\xbf" + line.encode() + b"\r\n")
    (doc,) = read(path)
    assert doc.text == 'Putin 😀 said:\n"We won." 👍🏽 Netanyahu\n'
    assert doc.meta["date"] == "2023-12-10" and doc.meta["author"] == "Jane Roe"
    assert [doc.text[s.start : s.end] for s in doc.spans] == ["Putin", "Netanyahu"]
    (q_out,) = doc.quotes
    assert doc.text[q_out.start : q_out.end] == '"We won."'
    assert q_out.speaker is not None and doc.text[slice(*q_out.speaker)] == "Putin"


def test_span_inside_the_removed_metadata_line_is_refused(tmp_path: Path) -> None:
    raw = "date 2023-12-10 Jane Roe\n\nBody text."
    error = refused(
        jsonl(tmp_path, {"text": raw, "spans": [{"start": 16, "end": 24, "label": "PERSON"}]})
    )
    assert error.line == 1
    assert error.reason.startswith("spans[0] 16..24 lies in text that import removes")


def test_malformed_json_reports_line_number(tmp_path: Path) -> None:
    path = jsonl(tmp_path, {"text": "One."}, "", {"text": "Two."}, '{"text": "Three.",}')
    error = refused(path)
    assert error.line == 4  # blank lines count
    assert (
        error.reason
        == "invalid JSON: Expecting property name enclosed in double quotes (column 19)"
    )


BAD_RECORDS: list[tuple[Any, str]] = [
    ([1, 2], 'expected a JSON object with a "text" field, got [1, 2]'),
    ({"meta": {}}, 'missing "text"'),
    ({"text": 5}, '"text" must be a non-empty string, got 5'),
    ({"text": "\ufeff\r\n"}, '"text" is empty after normalisation'),
    ({"text": "A.", "meta": "x"}, '"meta" must be an object, got "x"'),
    ({"text": "A.", "spans": {"start": 0}}, '"spans" must be a list, got {"start": 0}'),
    ({"text": "A.", "spans": ["x"]}, 'spans[0] must be an object, got "x"'),
    (
        {"text": "A.", "spans": [{"start": "0", "end": 1, "label": "X"}]},
        'spans[0]: start must be an integer, got "0"',
    ),
    (
        {"text": "A.", "spans": [{"start": 0, "end": 1.5, "label": "X"}]},
        "spans[0]: end must be an integer, got 1.5",
    ),
    (
        {"text": "A.", "spans": [{"start": False, "end": 1, "label": "X"}]},
        "spans[0]: start must be an integer, got false",
    ),
    (
        {"text": "A.", "spans": [{"start": 0, "end": 1}]},
        "spans[0]: label must be a non-empty string, got null",
    ),
    (
        {"text": "Ab.", "spans": [{"start": 1, "end": 9, "label": "X"}]},
        "spans[0] 1..9 is out of range (text has 3 characters)",
    ),
    (
        {"text": "Ab.", "spans": [{"start": -1, "end": 2, "label": "X"}]},
        "spans[0] -1..2 is out of range (text has 3 characters)",
    ),
    (
        {"text": "Ab.", "spans": [{"start": 2, "end": 1, "label": "X"}]},
        "spans[0] 2..1 is empty or reversed",
    ),
    (
        {"text": "Ab.", "spans": [{"start": 1, "end": 1, "label": "X"}]},
        "spans[0] 1..1 is empty or reversed",
    ),
    (
        # UTF-16 offsets (as Label Studio writes them) are one off after the emoji.
        {
            "text": "Putin 😀 said it",
            "spans": [{"start": 9, "end": 13, "label": "X", "text": "said"}],
        },
        'spans[0] 9..13: text "said" does not match "aid " at those offsets',
    ),
    ({"text": "A.", "quotes": [{"kind": "direct"}]}, 'quotes[0] needs "parts" or "quote"'),
    ({"text": "A.", "quotes": [{"parts": []}]}, "quotes[0].parts is empty"),
    (
        {"text": "A.", "quotes": [{"parts": [[0, 5]]}]},
        "quotes[0].parts[0] 0..5 is out of range (text has 2 characters)",
    ),
    (
        {"text": "A.", "quotes": [{"parts": [[0, 1]], "kind": "loud"}]},
        'quotes[0]: kind must be one of direct, indirect, mixed, got "loud"',
    ),
    (
        {"text": "Ab.", "quotes": [{"parts": [[0, 1]], "speaker": {"start": 2, "end": 1}}]},
        "quotes[0].speaker 2..1 is empty or reversed",
    ),
    (
        {"text": "Ab.", "quotes": [{"parts": [[0, 1]], "cue": 3}]},
        "quotes[0].cue must be an object with start and end, got 3",
    ),
    (
        {"text": "A.", "status": "done"},
        '"status" must be one of accepted, in_progress, new, preannotated, rejected, skipped, '
        'got "done"',
    ),
    ({"text": "A.", "answer": "yes"}, '"answer" must be accept, reject or ignore, got "yes"'),
    ({"text": "A.", "_annotator_id": 3}, '"_annotator_id" must be a non-empty string, got 3'),
    ('{"text": "A\\ud83d"}', '"text" contains an unpaired surrogate (a broken \\u escape)'),
    ('{"text": NaN}', "invalid JSON: NaN is not valid JSON"),
    ("[" * 100_000 + "]" * 100_000, "invalid JSON: nested too deeply"),
]


@pytest.mark.parametrize(("record", "reason"), BAD_RECORDS)
def test_bad_record_on_line_2(tmp_path: Path, record: Any, reason: str) -> None:
    error = refused(jsonl(tmp_path, {"text": "Fine."}, record))
    assert isinstance(error, InputError)
    assert (error.line, error.reason) == (2, reason)


def test_not_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    path.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    error = refused(path)
    assert (error.line, error.reason) == (2, "not UTF-8 (byte 14); JSONL must be UTF-8")


@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        (b"", None, "empty file"),
        (b"\n \n\n", None, "empty file (no JSON lines)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", None, "binary file, not text (looks like a PNG image)"),
        (b'{"text": "a"}\n{"te\x00xt": 1}\n', 2, "binary data, not text (NUL byte)"),
    ],
)
def test_bad_files(tmp_path: Path, data: bytes, line: int | None, reason: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(data)
    error = refused(path)
    assert (error.line, error.reason) == (line, reason)


def test_huge_line_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = jsonl(tmp_path, {"text": "short"}, {"text": "x" * 5000})
    with pytest.raises(InputError) as info:
        list(read_jsonl(path, max_line_bytes=1000))
    assert (info.value.line, info.value.reason) == (2, "line longer than 1000 bytes")
    assert len(list(read_jsonl(path, max_line_bytes=6000))) == 2


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "gone.jsonl"
    with pytest.raises(InputError) as info:
        list(read_jsonl(path))
    assert (info.value.path, info.value.line) == (str(path), None)
    assert info.value.reason == "cannot read: No such file or directory"


def test_parse_line_without_a_file() -> None:
    doc = parse_line('{"text": "Olaf Scholz met Emmanuel Macron.", "spans": []}')
    assert doc.meta == {"title": "Olaf Scholz met Emmanuel Macron."}
    with pytest.raises(InputError) as info:
        parse_line('{"text": 1}', None, 7)
    assert (info.value.path, info.value.line, str(info.value)) == (
        None,
        7,
        '<input>:7: "text" must be a non-empty string, got 1',
    )


def test_sample_tasks_with_crlf_text() -> None:
    path = Path(__file__).resolve().parents[2] / "data" / "formats" / "tasks.jsonl"
    first, second = read(path)
    # The file's offsets count the \r of each \r\n; the stored text has none.
    assert first.text == "Putin 😀 spoke to Netanyahu.\n“We will not stop,” Netanyahu said.\n"
    assert [(s.start, s.end, s.label) for s in first.spans] == [
        (0, 5, "PERSON"),
        (17, 26, "PERSON"),
        (48, 57, "PERSON"),
    ]
    (quote,) = first.quotes
    assert (quote.parts, quote.speaker, quote.cue) == (((28, 47),), (48, 57), (58, 62))
    assert first.text[28:47] == "“We will not stop,”"
    assert first.text[58:62] == "said"
    assert (quote.entity, quote.speaker_label, quote.kind) == (
        "Benjamin Netanyahu",
        "PERSON",
        QuoteKind.DIRECT,
    )
    assert (first.status, first.annotator) == ("accepted", "alice")
    assert first.meta == {"source": "wire/putin.txt", "title": "Putin 😀 spoke to Netanyahu."}
    assert [second.text[s.start : s.end] for s in second.spans] == ["Olaf Scholz", "Berlin"]


def test_identical_duplicate_spans_collapse_and_are_counted(tmp_path: Path) -> None:
    # ner.teach and doccano exports repeat a span; one copy is kept, the rest counted.
    span = {"start": 0, "end": 5, "label": "PERSON"}
    path = jsonl(tmp_path, {"text": TEXT, "spans": [span, span, span]})
    options = ReadOptions()
    (doc,) = read_path(path, "newsmark", options)
    assert doc.spans == (Span(0, 5, "PERSON", Origin.IMPORT),)
    assert options.collapsed == {"identical duplicate span": 2}


def test_blank_records_are_skipped_and_counted(tmp_path: Path) -> None:
    path = jsonl(tmp_path, {"text": " "}, {"text": TEXT}, {"text": "\n\t"})
    options = ReadOptions()
    (doc,) = read_path(path, "newsmark", options)
    assert doc.text == TEXT
    assert options.dropped == {"record with empty or whitespace-only text": 2}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"text": "One."}\n{"text": "Two', "truncated line (no closing brace)"),
        (b'{"text": "Caf\xe9."}\n', "not UTF-8 (byte 14); JSONL must be UTF-8"),
        (b"\x89PNG\r\n\x1a\n" + bytes(40), "binary file, not text (looks like a PNG image)"),
        (b'{"text": "A.", "n": NaN}\n', "invalid JSON: NaN is not valid JSON"),
        (b"\n\n", "empty file (no JSON lines)"),
    ],
)
@pytest.mark.parametrize("fmt", ["newsmark", "prodigy", "doccano"])
def test_every_jsonl_format_reads_lines_the_same_way(
    tmp_path: Path, fmt: str, content: bytes, reason: str
) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_path(path, fmt)
    assert info.value.reason == reason


def test_quote_parts_of_the_gold_format_keep_a_split_quote(tmp_path: Path) -> None:
    # The shared quote gold (and its scorer) name a split quote's parts "quote_parts",
    # beside the hull in "quote": reading only the hull would join the two parts.
    text = '"We won," she said. "They lost."'
    first, second = (1, 8), (text.index("They"), text.index("lost.") + 5)
    hull = {"start": first[0], "end": second[1]}
    record = {
        "text": text,
        "quotes": [
            {
                "kind": "direct",
                "quote": hull,
                "quote_parts": [
                    dict(zip(("start", "end"), r, strict=True)) for r in (first, second)
                ],
                "speaker": {"start": text.index("she"), "end": text.index("she") + 3},
                "cue": {"start": text.index("said"), "end": text.index("said") + 4},
            }
        ],
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (doc,) = read(path)
    (quote,) = doc.quotes
    assert quote.parts == (first, second)
    assert text[slice(*quote.speaker)] == "she"


def test_bad_quote_parts_are_named_as_written(tmp_path: Path) -> None:
    record = {"text": "He said so.", "quotes": [{"quote_parts": "oops"}]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    error = refused(path)
    assert error.line == 1 and "quotes[0].quote_parts" in str(error)
