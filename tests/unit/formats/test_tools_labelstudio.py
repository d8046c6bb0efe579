"""Label Studio JSON: UTF-16 offsets, the SDK's own validation, a real export, bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from tools_support import make_record

from newsmark.domain.errors import InputError
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.formats import detect_format
from newsmark.formats.labelstudio import label_config, read_labelstudio, write_labelstudio

DATA = Path(__file__).resolve().parents[2] / "data" / "formats_tools"
TEXT = "😀 Putin said: “Peace.” 👍🏽 Merkel"


def _tasks(*records: dict) -> list[dict]:
    out = io.StringIO()
    assert write_labelstudio(list(records), out) == len(records)
    return json.loads(out.getvalue())


def test_writer_output_counts_utf16_units() -> None:
    quote = Quote(parts=((14, 22),), kind=QuoteKind.DIRECT, speaker=(2, 7), cue=(8, 12))
    record = make_record(TEXT, [(2, 7, "PERSON"), (26, 32, "PERSON")], [quote])
    (task,) = _tasks(record)
    assert task["data"] == {"text": TEXT}
    (annotation,) = task["annotations"]
    result = annotation["result"]

    def region(rid: str, start: int, end: int, text: str, label: str) -> dict:
        return {
            "id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text, "labels": [label]},
        }  # fmt: skip

    # 😀 is one code point but two UTF-16 units; 👍🏽 is two code points, four units.
    assert result[:4] == [
        region("r1", 3, 8, "Putin", "PERSON"),
        region("r2", 29, 35, "Merkel", "PERSON"),
        region("r3", 15, 23, "“Peace.”", "QUOTE"),
        region("r4", 9, 13, "said", "CUE"),
    ]
    assert result[4:] == [
        {"from_id": "r1", "to_id": "r3", "type": "relation", "direction": "right",
         "labels": ["SPEAKER"]},
        {"from_id": "r4", "to_id": "r3", "type": "relation", "direction": "right",
         "labels": ["CUE"]},
    ]  # fmt: skip
    assert task["meta"]["annotator"] == "ann1" and task["meta"]["status"] == "accepted"


def test_sdk_validates_every_annotation() -> None:
    interface = pytest.importorskip("label_studio_sdk.label_interface").LabelInterface
    quote = Quote(parts=((0, 1), (14, 22)), speaker=(2, 7), cue=(8, 12))
    tasks = _tasks(
        make_record(TEXT, [(2, 7, "PERSON"), (26, 32, "PERSON")], [quote]),
        make_record("Plain.", status=Status.SKIPPED, doc_id=2),
    )
    config = interface(label_config(["PERSON"]))
    for task in tasks:
        # WORKAROUND: LabelInterface.validate_task calls validate_annotation() without its
        # argument (label-studio-sdk 2.1.2), so each annotation is validated directly.
        assert set(task["data"]) == {"text"}
        for annotation in task["annotations"]:
            assert config.validate_annotation(annotation)
            assert config.validate_prediction(annotation, return_errors=True) == []
    broken = json.loads(json.dumps(tasks[0]["annotations"][0]))
    broken["result"][0]["value"]["labels"] = ["NOT_IN_CONFIG"]
    assert config.validate_prediction(broken, return_errors=True)


def test_code_point_offsets_on_request_read_back_the_same(tmp_path: Path) -> None:
    record = make_record(TEXT, [(26, 32, "PERSON")])
    path = tmp_path / "cp.json"
    with path.open("w", encoding="utf-8") as f:
        write_labelstudio([record], f, code_points=True)
    task = json.loads(path.read_text(encoding="utf-8"))[0]
    assert task["annotations"][0]["result"][0]["value"]["start"] == 26
    (doc,) = read_labelstudio(path)
    assert doc.spans == (Span(26, 32, "PERSON", Origin.IMPORT),)


def test_writer_streams_one_task_per_line() -> None:
    out = io.StringIO()
    write_labelstudio([make_record("One."), make_record("Two.", doc_id=2)], out)
    lines = out.getvalue().split("\n")
    assert lines[0] == "[" and lines[3] == "]" and lines[1].endswith(",")


def test_reader_on_a_label_studio_export() -> None:
    path = DATA / "labelstudio_tasks.json"
    assert detect_format(path).name == "labelstudio"
    (doc,) = read_labelstudio(path)
    assert doc.text == "😀 Putin said: “Peace.”"
    assert doc.spans == (Span(2, 7, "PERSON", Origin.IMPORT),)
    (quote,) = doc.quotes
    assert (quote.parts, quote.speaker, quote.cue) == (((14, 22),), (2, 7), (8, 12))
    assert doc.annotator == "labelstudio:1"


def test_reader_accepts_code_point_offsets_when_the_region_text_says_so(tmp_path: Path) -> None:
    task = {
        "data": {"text": "😀 Putin"},
        "annotations": [{"result": [{
            "id": "x", "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": 2, "end": 7, "text": "Putin", "labels": ["PERSON"]},
        }]}],
    }  # fmt: skip
    path = tmp_path / "cp.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    (doc,) = read_labelstudio(path)
    assert doc.spans == (Span(2, 7, "PERSON", Origin.IMPORT),)


def test_repeated_region_ids_without_relations_are_harmless(tmp_path: Path) -> None:
    # Real exports give every result "id": 0 (a file of HealthInformaticsUT's); only a
    # relation would need the ids to tell regions apart.
    path = tmp_path / "ids.json"
    path.write_text("[" + _task(_region("0", 0, 2, "ORG"), _region("0", 3, 6, "PERSON")) + "]")
    (doc,) = read_labelstudio(path)
    assert doc.spans == (Span(0, 2, "ORG", Origin.IMPORT), Span(3, 6, "PERSON", Origin.IMPORT))


def _region(rid: str, start: int, end: int, label: str, text: str | None = None) -> dict:
    value: dict = {"start": start, "end": end, "labels": [label]}
    if text is not None:
        value["text"] = text
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


def _task(*result: dict) -> str:
    return json.dumps({"data": {"text": "Hi Bob"}, "annotations": [{"result": list(result)}]})


REL = {"type": "relation", "from_id": "s", "to_id": "q", "direction": "right"}


@pytest.mark.parametrize(
    ("task", "reason"),
    [
        ('{"data": {"text": "Hi"}, "annotations": [', "invalid JSON"),
        ('{"data": "Hi"}', '"data" must be an object'),
        (_task(_region("a", 0, 99, "X")), "out of range"),
        (_task(_region("a", 4, 1, "X")), "reversed"),
        (_task(_region("a", 3, 6, "X", "Al")), "is not at those offsets"),
        (
            _task(
                _region("s", 3, 6, "SPEAKER"),
                _region("s", 0, 2, "QUOTE"),
                {**REL, "to_id": "s", "labels": ["SPEAKER"]},
            ),
            "names region id \"s\", which several share",
        ),
        (_task({"id": "c", "type": "choices", "value": {}}), "not supported"),
        (_task(_region("q", 0, 2, "QUOTE"), {**REL, "labels": ["SPEAKER"]}), "from id"),
        (
            _task(_region("q", 0, 2, "QUOTE"), _region("s", 3, 6, "SPEAKER"),
                  {**REL, "labels": ["KNOWS"]}),
            "is not SPEAKER, CUE or PART_OF; --drop-unsupported imports the rest",
        ),
    ],
)  # fmt: skip
def test_bad_tasks_name_file_and_line(tmp_path: Path, task: str, reason: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[\n{"data": {"text": "fine"}},\n' + task + "\n]\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        list(read_labelstudio(path))
    assert (info.value.path, info.value.line) == (str(path), 3)
    assert reason in info.value.reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"data": {}}', "expected a JSON array"),
        ('[{"data": {"text": "a"}}', "truncated"),
        ('[{"data": {"text": "a"}},', "truncated"),
    ],
)
def test_not_an_array_or_truncated(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        list(read_labelstudio(path))
    assert reason in info.value.reason
