"""Label Studio JSON tasks (`labels` regions in code points, `relation` results) and JSON-MIN."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import quoteattr

from newsmark.domain.alignment import AlignmentReport
from newsmark.domain.document import DocumentInput
from newsmark.domain.offsets import Utf16Map
from newsmark.domain.reading import ReadOptions
from newsmark.formats.json_lines import no_constants
from newsmark.formats.jsonl import BLANK_RECORD, BlankRecord, check_text, record_to_input
from newsmark.formats.tools import (
    CUE_LABEL,
    CUE_REL,
    PART_REL,
    QUOTE_LABEL,
    SPEAKER_LABEL,
    SPEAKER_REL,
    Fields,
    Range,
    assemble,
    fail,
    read_text,
    record_entities,
    record_quotes,
    show,
)

FROM_NAME = "label"
TO_NAME = "text"
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_STATUS = {"rejected": "rejected", "skipped": "skipped"}


def label_config(labels: Iterable[str]) -> str:
    """The labeling config (project XML) that the exported tasks validate against."""
    names = [*dict.fromkeys([*labels, QUOTE_LABEL, SPEAKER_LABEL, CUE_LABEL])]
    rels = "".join(f"<Relation value={quoteattr(r)}/>" for r in (SPEAKER_REL, CUE_REL, PART_REL))
    tags = "".join(f"<Label value={quoteattr(n)}/>" for n in names)
    return (
        f"<View><Relations>{rels}</Relations>"
        f'<Labels name="{FROM_NAME}" toName="{TO_NAME}">{tags}</Labels>'
        f'<Text name="{TO_NAME}" value="$text"/></View>'
    )


def labelstudio_task(record: Mapping[str, Any]) -> dict[str, Any]:
    """One export record as a Label Studio task with one annotation.

    Offsets are code points, what Label Studio's editor stores (1.23: its
    `charsToCodePoints`, see docs/formats.md) and what its converters slice Python
    strings with; each region also carries its `text`, so a reader can tell them from
    the UTF-16 units of older builds.
    """
    text: str = record["text"]
    result: list[dict[str, Any]] = []
    ids: dict[tuple[int, int, str], str] = {}

    def region(start: int, end: int, label: str, *, share: bool = True) -> str:
        key = (start, end, label)
        if share and key in ids:
            return ids[key]
        rid = f"r{len(result) + 1}"
        ids.setdefault(key, rid)
        value = {
            "start": start,
            "end": end,
            "text": text[start:end],
            "labels": [label],
        }
        result.append(
            {
                "id": rid,
                "from_name": FROM_NAME,
                "to_name": TO_NAME,
                "type": "labels",
                "value": value,
            }
        )
        return rid

    relations: list[dict[str, Any]] = []

    def relate(src: str, dst: str, kind: str) -> None:
        relations.append(
            {
                "from_id": src,
                "to_id": dst,
                "type": "relation",
                "direction": "right",
                "labels": [kind],
            }
        )

    at: dict[Range, str] = {}
    for start, end, label in record_entities(record):
        at[(start, end)] = region(start, end, label)
    for q in record_quotes(record):
        parts = [region(s, e, QUOTE_LABEL, share=False) for s, e in q.parts]
        for other in parts[1:]:
            relate(other, parts[0], PART_REL)
        if q.speaker is not None:
            relate(at.get(q.speaker) or region(*q.speaker, SPEAKER_LABEL), parts[0], SPEAKER_REL)
        if q.cue is not None:
            relate(region(*q.cue, CUE_LABEL), parts[0], CUE_REL)
    annotation: dict[str, Any] = {"result": result + relations}
    status = record.get("status")
    if status in _STATUS:
        annotation["was_cancelled"] = True
    meta = dict(record.get("meta") or {})
    if record.get("_annotator_id"):
        meta["annotator"] = record["_annotator_id"]
    if status:
        meta["status"] = status
    return {"data": {"text": text}, "annotations": [annotation], "meta": meta}


def write_labelstudio(
    records: Iterable[Mapping[str, Any]],
    stream: IO[str],
    *,
    report: AlignmentReport | None = None,
) -> int:
    """A JSON array, one task per line, written as the records come (constant memory).

    Character offsets: nothing to align, so `report` (the writers' common keyword) stays
    empty.
    """
    count = 0
    stream.write("[")
    for count, record in enumerate(records, 1):
        stream.write(",\n" if count > 1 else "\n")
        stream.write(_ENCODER.encode(labelstudio_task(record)))
    stream.write("\n]\n" if count else "]\n")
    return count


def _elements(text: str, path: Path) -> Iterator[tuple[int, Any]]:
    """(line, value) of each element of a top-level JSON array, decoded one at a time."""
    decoder = json.JSONDecoder(parse_constant=no_constants)
    pos = len(text) - len(text.lstrip())
    if not text.startswith("[", pos):
        fail(path, text.count("\n", 0, pos) + 1, "expected a JSON array of tasks")
    pos += 1
    # Lines are counted from the previous task on: counting from the start each time
    # would make a large file quadratic.
    line, counted = text.count("\n", 0, pos) + 1, pos
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        line, counted = line + text.count("\n", counted, pos), pos
        if pos >= len(text):
            fail(path, line, "truncated file: the task array is not closed")
        if text[pos] == "]":
            if text[pos + 1 :].strip():
                fail(path, line, "text after the end of the task array")
            return
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno} column {exc.colno}"
            fail(path, line, f"invalid JSON in the task starting here: {exc.msg} ({where})")
        except RecursionError:
            # json's C decoder recurses per nesting level; hostile nesting must not crash.
            fail(path, line, "the task is nested too deeply to be a Label Studio task")
        yield line, value
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if pos >= len(text):
            fail(path, text.count("\n") + 1, "truncated file: the task array is not closed")
        if text.startswith(",", pos):
            pos += 1
        elif not text.startswith("]", pos):
            fail(path, text.count("\n", 0, pos) + 1, "expected , or ] between tasks")


def read_labelstudio(path: Path, options: ReadOptions | None = None) -> Iterator[DocumentInput]:
    """One DocumentInput per annotation (per prediction when a task has no annotation).

    Reads Label Studio's JSON export (tasks with `data` and `annotations`) and its
    JSON-MIN export (one flat record per annotation), told apart record by record.
    """
    options = options if options is not None else ReadOptions()
    for line, task in _elements(read_text(path).removeprefix("\ufeff"), path):
        try:
            if is_json_min(task):
                yield json_min_to_input(task, path, line, options)
            else:
                yield from task_to_inputs(task, path, line, options)
        except BlankRecord:
            options.skip(BLANK_RECORD)


def _offsets(f: Fields, value: dict[str, Any], what: str, text: str, utf16: Utf16Map) -> Range:
    """A region's code point range: its offsets as code points, else as UTF-16 units.

    UTF-16 only when that alone finds the region's own `text` (old Label Studio builds
    counted UTF-16); offsets that find it in neither unit are refused.
    """
    start = f.integer(value.get("start"), f"{what} start")
    end = f.integer(value.get("end"), f"{what} end")
    if start >= end:
        f.fail(f"{what} {start}..{end} is empty or reversed")
    if start < 0 or end > utf16.utf16_length:
        f.fail(f"{what} {start}..{end} is out of range (text has {len(text)} characters)")
    quoted = value.get("text")
    if end <= len(text) and (quoted is None or text[start:end] == quoted):
        return start, end
    if quoted is None:
        f.fail(f"{what} {start}..{end} is out of range (text has {len(text)} characters)")
    cp = utf16.from_utf16(start), utf16.from_utf16(end)
    # from_utf16 rounds a unit inside a surrogate pair down: such offsets are not UTF-16.
    whole = (utf16.to_utf16(cp[0]), utf16.to_utf16(cp[1])) == (start, end)
    if whole and text[cp[0] : cp[1]] == quoted:
        return cp
    f.fail(
        f"{what} {start}..{end}: text {show(quoted)} is not at those offsets "
        "(as code points or as UTF-16 units)"
    )


def _region(
    f: Fields,
    value: dict[str, Any],
    what: str,
    text: str,
    utf16: Utf16Map,
    options: ReadOptions,
) -> tuple[int, int, str] | None:
    """(start, end, label) of a `labels` region; None when it is dropped."""
    labels = f.lst(value.get("labels"), f"{what}.labels")
    if len(labels) > 1:
        # Labels choice="multiple": one range, several labels; a Newsmark span has one.
        options.unsupported(
            "Label Studio region with several labels",
            f"{what}: a region with several labels {show(labels)} cannot be stored "
            "(a span has one label)",
            f.fail,
        )
        return None
    if not labels:
        f.fail(f"{what}: a region needs a label, got {show(labels)}")
    start, end = _offsets(f, value, what, text, utf16)
    return start, end, f.string(labels[0], f"{what} label")


def task_to_inputs(
    value: object, path: Path, line: int, options: ReadOptions | None = None
) -> Iterator[DocumentInput]:
    options = options if options is not None else ReadOptions()
    f = Fields(path, line)
    task = f.obj(value, "task")
    data = f.obj(task.get("data"), '"data"')
    text = check_text(data.get("text"), path, line)
    utf16 = Utf16Map(text)
    meta: dict[str, Any] = task["meta"] if isinstance(task.get("meta"), dict) else {}
    items = f.lst(task.get("annotations"), '"annotations"') or f.lst(
        task.get("predictions"), '"predictions"'
    )
    if not items:
        yield record_to_input({"text": text, "meta": meta}, path, line, options)
    for n, item in enumerate(items):
        annotation = f.obj(item, f"annotations[{n}]")
        entities: dict[Any, tuple[int, int, str]] = {}
        relations: list[tuple[str, Any, Any, Any]] = []
        # Real exports repeat region ids (every result "id": 0): harmless unless a
        # relation names one of them.
        shared: set[str | int] = set()
        dropped: set[str | int] = set()
        for i, res in enumerate(f.lst(annotation.get("result"), f"annotations[{n}].result")):
            what = f"annotations[{n}].result[{i}]"
            res = f.obj(res, what)
            kind = res.get("type")
            if kind == "relation":
                labels = f.lst(res.get("labels"), f"{what}.labels")
                if len(labels) != 1:
                    f.fail(f"{what}: a relation needs exactly one label, got {show(labels)}")
                relations.append((what, res.get("from_id"), res.get("to_id"), labels[0]))
                continue
            if kind != "labels":
                options.unsupported(
                    f"Label Studio {kind} result",
                    f"{what}: result type {show(kind)} is not supported (only labels, relation)",
                    f.fail,
                )
                continue
            rid = res.get("id")
            if not isinstance(rid, str | int) or isinstance(rid, bool):
                f.fail(f"{what}: region id {show(rid)} is missing")
            found = _region(f, f.obj(res.get("value"), f"{what}.value"), what, text, utf16, options)
            if found is None:
                dropped.add(rid)
                continue
            if rid in entities:
                shared.add(rid)
            entities[rid if rid not in entities else (rid, i)] = found
        for what, src, dst, _kind in relations:
            if src in shared or dst in shared:
                rid = src if src in shared else dst
                f.fail(f"{what}: the relation names region id {show(rid)}, which several share")
        kept = [r for r in relations if r[1] not in dropped and r[2] not in dropped]
        if len(kept) < len(relations):
            # Only reached when dropping is allowed: the region itself was dropped.
            options.skip("relation of a dropped region", len(relations) - len(kept))
        spans, quotes = assemble(f, entities, kept, options)
        status = meta.get("status") or ("skipped" if annotation.get("was_cancelled") else None)
        yield record_to_input(
            {
                "text": text,
                "meta": {k: v for k, v in meta.items() if k not in ("status", "annotator")},
                "spans": spans,
                "quotes": quotes,
                "status": status if isinstance(status, str) else None,
                "_annotator_id": meta.get("annotator") or _who(annotation.get("completed_by")),
            },
            path,
            line,
            options,
        )


# --- JSON-MIN ---------------------------------------------------------------------
# label_studio_sdk/converter/converter.py `convert_to_json_min`: the task's `data`
# fields, then one list per control tag (key: its name) of result values without their
# `type`, then these. Relations have no control tag and are not written.
_MIN_KEYS = frozenset(
    {"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time", "agreement"}
)
MIN_FIELD = "Label Studio JSON-MIN field other than the text and labels regions"


def _is_labels_list(value: object) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and {"start", "end", "labels"} <= v.keys() for v in value)
    )


def is_json_min(value: object) -> bool:
    """A JSON-MIN record: no `data`, and its annotation id or a list of labels regions."""
    return (
        isinstance(value, dict)
        and "data" not in value
        and ("annotation_id" in value or any(map(_is_labels_list, value.values())))
    )


def _region_kind(items: list[Any]) -> str | None:
    """The result type of a JSON-MIN list of other regions (hypertextlabels...), if it is one."""
    for item in items:
        if isinstance(item, dict):
            for key in item:
                if key.endswith("labels"):
                    return str(key)
            if "start" in item and "end" in item:
                return "region"
    return None


def json_min_to_input(
    value: dict[str, Any], path: Path, line: int, options: ReadOptions
) -> DocumentInput:
    """One JSON-MIN record: the text, its `labels` regions (no relations in this format)."""
    f = Fields(path, line)
    texts = [k for k, v in value.items() if k not in _MIN_KEYS and isinstance(v, str)]
    key = "text" if "text" in value else texts[0] if len(texts) == 1 else None
    if key is None:
        f.fail(
            f"JSON-MIN record: cannot tell which field holds the text ({show(texts)}); "
            'the project\'s <Text> tag should read "$text"'
        )
    text = check_text(value[key], path, line)
    utf16 = Utf16Map(text)
    entities: dict[Any, tuple[int, int, str]] = {}
    for name, field in value.items():
        if name in _MIN_KEYS or name == key:
            continue
        if _is_labels_list(field):
            for i, region in enumerate(field):
                found = _region(f, region, f"{name}[{i}]", text, utf16, options)
                if found is not None:
                    entities[f"{name}[{i}]"] = found
        elif isinstance(field, list) and (kind := _region_kind(field)) is not None:
            options.unsupported(
                f"Label Studio {kind} result",
                f"{name}: {kind} regions are not supported (only labels)",
                f.fail,
                len(field),
            )
        else:
            # A task data field, or a choice/text answer that JSON-MIN flattens into one.
            options.skip(MIN_FIELD)
    if value.get("annotation_id") is None and not entities:
        return record_to_input({"text": text}, path, line, options)
    spans, quotes = assemble(f, entities, (), options)
    return record_to_input(
        {
            "text": text,
            "spans": spans,
            "quotes": quotes,
            "_annotator_id": _who(value.get("annotator")),
        },
        path,
        line,
        options,
    )


def _who(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("email") or value.get("id")
    return f"labelstudio:{value}" if isinstance(value, str | int) and value != "" else None
