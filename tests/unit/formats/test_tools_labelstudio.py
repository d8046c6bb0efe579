"""Label Studio JSON and JSON-MIN: code point offsets (UTF-16 ones of older exports read),
the SDK's validation, Label Studio 1.23.2's own exports, bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from tools_support import make_record

from newsmark.domain.errors import InputError
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.reading import ReadOptions
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.formats import detect_format
from newsmark.formats.labelstudio import (
    MIN_FIELD,
    label_config,
    read_labelstudio,
    write_labelstudio,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "formats_tools"
TEXT = "😀 Putin said: “Peace.” 👍🏽 Merkel"


def _tasks(*records: dict) -> list[dict]:
    out = io.StringIO()
    assert write_labelstudio(list(records), out) == len(records)
    return json.loads(out.getvalue())


def test_writer_output_counts_code_points() -> None:
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

    # Python indices, what Label Studio 1.23 stores: 😀 counts one, 👍🏽 two (UTF-16: 2, 4).
    assert result[:4] == [
        region("r1", 2, 7, "Putin", "PERSON"),
        region("r2", 26, 32, "Merkel", "PERSON"),
        region("r3", 14, 22, "“Peace.”", "QUOTE"),
        region("r4", 8, 12, "said", "CUE"),
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


# A ZWJ family (5 code points, 8 UTF-16 units), a flag (two regional indicators), an
# accent as a combining mark, CJK (one code point and one UTF-16 unit each).
HARD = [
    ("👩\u200d👩\u200d👧 Reuters: the minister said.", "the minister"),
    ("🇺🇦 Kyiv: Zelensky spoke.", "Zelensky"),
    ("Jose\u0301 Garci\u0301a met Merkel.", "Merkel"),
    ("Jose\u0301 Garci\u0301a met Merkel.", "Jose\u0301 Garci\u0301a"),
    ("東京で岸田文雄が話した。", "岸田文雄"),
]


@pytest.mark.parametrize(("text", "name"), HARD)
def test_writer_and_reader_agree_on_hard_characters(tmp_path: Path, text: str, name: str) -> None:
    start = text.index(name)
    record = make_record(text, [(start, start + len(name), "PERSON")])
    path = tmp_path / "tasks.json"
    with path.open("w", encoding="utf-8") as f:
        write_labelstudio([record], f)
    value = json.loads(path.read_text(encoding="utf-8"))[0]["annotations"][0]["result"][0]
    assert (value["value"]["start"], value["value"]["text"]) == (start, name)
    (doc,) = read_labelstudio(path)
    assert doc.spans == (Span(start, start + len(name), "PERSON", Origin.IMPORT),)


def _one_region_file(tmp_path: Path, text: str, start: int, end: int, quoted: str) -> Path:
    task = {
        "data": {"text": text},
        "annotations": [{"result": [{
            "id": "x", "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": quoted, "labels": ["PERSON"]},
        }]}],
    }  # fmt: skip
    path = tmp_path / "one.json"
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "utf16", "code_points", "name"),
    [
        # Counted by hand: 👩 is 2 UTF-16 units, U+200D one; 🇺 and 🇦 two each.
        ("👩\u200d👩\u200d👧 the minister", (9, 21), (6, 18), "the minister"),
        ("🇺🇦 Kyiv", (5, 9), (3, 7), "Kyiv"),
        ("a 👍🏽 b 👍🏽", (9, 13), (7, 9), "👍🏽"),
    ],
)
def test_reader_takes_utf16_offsets_of_older_exports_when_the_region_text_says_so(
    tmp_path: Path,
    text: str,
    utf16: tuple[int, int],
    code_points: tuple[int, int],
    name: str,
) -> None:
    assert text[code_points[0] : code_points[1]] == name
    (doc,) = read_labelstudio(_one_region_file(tmp_path, text, *utf16, name))
    assert doc.spans == (Span(*code_points, "PERSON", Origin.IMPORT),)


def test_code_points_win_when_both_units_find_the_text(tmp_path: Path) -> None:
    # 3..5 is "aa" read as code points and as UTF-16 units (2..4 after 😀).
    text = "😀 aaa"
    (doc,) = read_labelstudio(_one_region_file(tmp_path, text, 3, 5, "aa"))
    assert doc.spans == (Span(3, 5, "PERSON", Origin.IMPORT),)


@pytest.mark.parametrize(
    ("start", "end", "quoted"),
    [
        (3, 5, "xy"),  # neither unit finds it
        (1, 3, "😀 "),  # as UTF-16, 1 is the middle of the surrogate pair of 😀
    ],
)
def test_offsets_that_match_no_unit_are_refused(
    tmp_path: Path, start: int, end: int, quoted: str
) -> None:
    path = _one_region_file(tmp_path, "😀 ab ab", start, end, quoted)
    with pytest.raises(InputError) as info:
        list(read_labelstudio(path))
    assert "is not at those offsets (as code points or as UTF-16 units)" in info.value.reason


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


def test_reader_on_label_studio_1_23_json_export() -> None:
    # Label Studio 1.23.2's own JSON export (API exportType=JSON) of tasks that
    # Newsmark wrote: the server returns the regions as imported, in code points.
    path = DATA / "labelstudio-1.23.2-export.json"
    first, second, bare = read_labelstudio(path)
    t1 = "👩\u200d👩\u200d👧 Reuters: the minister said. “We stay,” she said."
    # The task's meta (Newsmark's annotator) survives the round trip through the server.
    assert first.text == t1 and first.annotator == "ann1"
    assert [(t1[s.start : s.end], s.label) for s in first.spans] == [
        ("Reuters", "ORG"), ("the minister", "PERSON"),
    ]  # fmt: skip
    (quote,) = first.quotes
    assert [t1[a:b] for a, b in quote.parts] == ["“We stay,”"]
    assert quote.speaker is not None and quote.cue is not None
    assert (t1[slice(*quote.speaker)], t1[slice(*quote.cue)]) == ("she", "said")
    assert [(second.text[s.start : s.end], s.label) for s in second.spans] == [
        ("Kyiv", "GPE"), ("Jose\u0301 Garci\u0301a", "PERSON"), ("岸田文雄", "PERSON"),
        ("東京", "GPE"),
    ]  # fmt: skip
    assert bare.text == "No annotation here." and not bare.makes_set


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


def _multi_label_task() -> dict:
    both = _region("m", 0, 2, "PERSON")
    both["value"]["labels"] = ["PERSON", "ORG"]
    return {
        "data": {"text": "Hi Bob"},
        "annotations": [{"result": [
            both, _region("q", 3, 6, "QUOTE"),
            {**REL, "from_id": "m", "labels": ["SPEAKER"]},
        ]}],
    }  # fmt: skip


def test_region_with_several_labels_is_refused_or_dropped_with_its_relations(
    tmp_path: Path,
) -> None:
    path = tmp_path / "multi.json"
    path.write_text(json.dumps([_multi_label_task()]), encoding="utf-8")
    with pytest.raises(InputError) as info:
        list(read_labelstudio(path))
    assert 'a region with several labels ["PERSON", "ORG"] cannot be stored' in info.value.reason
    assert "--drop-unsupported" in info.value.reason
    options = ReadOptions(drop_unsupported=True)
    (doc,) = read_labelstudio(path, options)
    assert doc.spans == () and [q.parts for q in doc.quotes] == [((3, 6),)]
    assert doc.quotes[0].speaker is None
    assert options.dropped == {
        "Label Studio region with several labels": 1,
        "relation of a dropped region": 1,
    }


# --- JSON-MIN ---------------------------------------------------------------------


def test_reader_on_label_studio_1_23_json_min_export() -> None:
    # Label Studio 1.23.2's JSON-MIN export (API exportType=JSON_MIN) of the same tasks as
    # labelstudio-1.23.2-export.json: no "data", the regions under the tag's name
    # ("label"), no relations, so the SPEAKER and CUE regions are in no relation.
    path = DATA / "labelstudio-1.23.2-json-min.json"
    assert detect_format(path).name == "labelstudio"
    with pytest.raises(InputError) as info:
        list(read_labelstudio(path))
    assert 'region "label[3]" (SPEAKER 45..48) is in no SPEAKER relation' in info.value.reason
    options = ReadOptions(drop_unsupported=True)
    first, second, bare = read_labelstudio(path, options)
    t1 = first.text
    assert [(t1[s.start : s.end], s.label) for s in first.spans] == [
        ("Reuters", "ORG"), ("the minister", "PERSON"),
    ]  # fmt: skip
    (quote,) = first.quotes
    assert [t1[a:b] for a, b in quote.parts] == ["“We stay,”"] and quote.speaker is None
    assert first.annotator == "labelstudio:1"
    assert [(second.text[s.start : s.end], s.label) for s in second.spans] == [
        ("Kyiv", "GPE"), ("Jose\u0301 Garci\u0301a", "PERSON"), ("岸田文雄", "PERSON"),
        ("東京", "GPE"),
    ]  # fmt: skip
    assert bare.text == "No annotation here." and not bare.makes_set
    assert options.dropped == {"SPEAKER region in no relation": 1, "CUE region in no relation": 1}


def _min_file(tmp_path: Path, *records: dict) -> Path:
    path = tmp_path / "min.json"
    path.write_text(json.dumps(list(records), ensure_ascii=False), encoding="utf-8")
    return path


def _min_region(start: int, end: int, text: str, label: str) -> dict:
    return {"start": start, "end": end, "text": text, "labels": [label]}


def test_json_min_text_under_another_name_and_other_fields(tmp_path: Path) -> None:
    # <Text name="body" value="$body">, a <Choices> answer (JSON-MIN writes one choice as
    # a plain string) and a data field look alike: neither is read, both are counted.
    path = _min_file(
        tmp_path,
        {
            "body": "Hi Bob",
            "source": "wire",
            "sentiment": "Positive",
            "ner": [_min_region(3, 6, "Bob", "PERSON")],
            "id": 4,
            "annotator": "ann@example.com",
            "annotation_id": 7,
        },
    )
    options = ReadOptions()
    with pytest.raises(InputError) as info:
        list(read_labelstudio(path, options))
    assert "cannot tell which field holds the text" in info.value.reason
    path = _min_file(
        tmp_path,
        {
            "text": "Hi Bob",
            "source": "wire",
            "ner": [_min_region(3, 6, "Bob", "PERSON")],
            "annotator": "ann@example.com",
            "annotation_id": 7,
        },
    )
    (doc,) = read_labelstudio(path, options)
    assert doc.spans == (Span(3, 6, "PERSON", Origin.IMPORT),)
    assert doc.annotator == "labelstudio:ann@example.com"
    assert options.dropped == {MIN_FIELD: 1}


def test_json_min_of_other_region_types_is_refused(tmp_path: Path) -> None:
    path = _min_file(
        tmp_path,
        {
            "text": "Hi Bob",
            "html": [{"start": "/p[1]", "end": "/p[1]", "startOffset": 0, "endOffset": 2,
                      "hypertextlabels": ["Date"]}],
            "annotation_id": 1,
        },
    )  # fmt: skip
    with pytest.raises(InputError) as info:
        list(read_labelstudio(path))
    assert "html: hypertextlabels regions are not supported" in info.value.reason
    options = ReadOptions(drop_unsupported=True)
    (doc,) = read_labelstudio(path, options)
    assert doc.spans == () and options.dropped == {"Label Studio hypertextlabels result": 1}


def test_json_min_offsets_are_checked_like_the_full_export(tmp_path: Path) -> None:
    path = _min_file(
        tmp_path, {"text": "Hi Bob", "label": [_min_region(3, 6, "Al", "X")], "annotation_id": 1}
    )
    with pytest.raises(InputError) as info:
        list(read_labelstudio(path))
    assert info.value.reason.startswith('label[0] 3..6: text "Al" is not at those offsets')


def test_an_object_without_data_that_is_no_json_min_record_is_refused(tmp_path: Path) -> None:
    path = _min_file(tmp_path, {"text": "Hi Bob", "spans": []})
    with pytest.raises(InputError) as info:
        list(read_labelstudio(path))
    assert '"data" must be an object' in info.value.reason
