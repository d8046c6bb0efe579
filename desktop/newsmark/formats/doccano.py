"""doccano JSONL (relation): entities with ids and code point offsets, relations between them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from newsmark.domain.document import DocumentInput
from newsmark.domain.reading import ReadOptions
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
    iter_json_lines,
    record_entities,
    record_quotes,
    show,
)

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


class _Ids:
    """Entity ids of one document; ranges shared by two roles reuse one entity."""

    def __init__(self) -> None:
        self.entities: list[dict[str, Any]] = []
        self.by_key: dict[tuple[int, int, str], int] = {}

    def add(self, start: int, end: int, label: str, *, share: bool = True) -> int:
        key = (start, end, label)
        if share and key in self.by_key:
            return self.by_key[key]
        ident = len(self.entities) + 1
        self.entities.append(
            {"id": ident, "label": label, "start_offset": start, "end_offset": end}
        )
        self.by_key.setdefault(key, ident)
        return ident


def doccano_line(record: Mapping[str, Any], number: int) -> dict[str, Any]:
    """One export record as a doccano JSONL(relation) example."""
    ids = _Ids()
    entity_at: dict[Range, int] = {}
    for start, end, label in record_entities(record):
        entity_at[(start, end)] = ids.add(start, end, label)
    relations: list[dict[str, Any]] = []

    def relate(from_id: int, to_id: int, kind: str) -> None:
        relations.append(
            {"id": len(relations) + 1, "from_id": from_id, "to_id": to_id, "type": kind}
        )

    for q in record_quotes(record):
        # Each quote part is its own QUOTE entity (doccano spans are contiguous); later
        # parts point at the first, which carries the speaker and cue relations.
        part_ids = [ids.add(s, e, QUOTE_LABEL, share=False) for s, e in q.parts]
        for other in part_ids[1:]:
            relate(other, part_ids[0], PART_REL)
        if q.speaker is not None:
            head = entity_at.get(q.speaker) or ids.add(*q.speaker, SPEAKER_LABEL)
            relate(head, part_ids[0], SPEAKER_REL)
        if q.cue is not None:
            relate(ids.add(*q.cue, CUE_LABEL), part_ids[0], CUE_REL)
    meta = record.get("meta") or {}
    return {
        "id": meta.get("doc_id", number),
        "text": record["text"],
        "entities": ids.entities,
        "relations": relations,
        "meta": meta,
        "Comments": [],
    }


def write_doccano(records: Iterable[Mapping[str, Any]], stream: IO[str]) -> int:
    count = 0
    for count, record in enumerate(records, 1):
        stream.write(_ENCODER.encode(doccano_line(record, count)))
        stream.write("\n")
    return count


def read_doccano(path: Path, options: ReadOptions | None = None) -> Iterator[DocumentInput]:
    options = options if options is not None else ReadOptions()
    for line, value in iter_json_lines(path):
        try:
            yield example_to_input(value, path, line, options)
        except BlankRecord:
            options.skip(BLANK_RECORD)


def example_to_input(
    value: object, path: Path, line: int | None, options: ReadOptions | None = None
) -> DocumentInput:
    options = options if options is not None else ReadOptions()
    f = Fields(path, line)
    example = f.obj(value, "example")
    text = check_text(example.get("text"), path, line)
    entities: dict[int, tuple[int, int, str]] = {}
    for i, item in enumerate(f.lst(example.get("entities"), '"entities"')):
        what = f"entities[{i}]"
        ent = f.obj(item, what)
        ident = f.integer(ent.get("id"), f"{what}.id")
        if ident in entities:
            f.fail(f"{what}: duplicate entity id {ident}")
        start, end = f.offsets(ent.get("start_offset"), ent.get("end_offset"), what, len(text))
        entities[ident] = (start, end, f.string(ent.get("label"), f"{what}.label"))
    # doccano's plain "JSONL" export: "label": [[start, end, label], ...], no relations.
    for i, item in enumerate(f.lst(example.get("label"), '"label"')):
        what = f"label[{i}]"
        if not isinstance(item, list) or len(item) != 3:
            f.fail(f"{what} must be [start, end, label], got {show(item)}")
        start, end = f.offsets(item[0], item[1], what, len(text))
        entities[-1 - i] = (start, end, f.string(item[2], f"{what} label"))
    relations = []
    rel_ids: set[object] = set()
    for i, item in enumerate(f.lst(example.get("relations"), '"relations"')):
        what = f"relations[{i}]"
        rel = f.obj(item, what)
        if "id" in rel:
            if rel["id"] in rel_ids:
                f.fail(f"{what}: duplicate relation id {show(rel['id'])}")
            rel_ids.add(rel["id"])
        src = f.integer(rel.get("from_id"), f"{what}.from_id")
        dst = f.integer(rel.get("to_id"), f"{what}.to_id")
        relations.append((what, src, dst, rel.get("type")))
    spans, quotes = assemble(f, entities, relations, options)
    return record_to_input(
        {
            "text": text,
            "meta": example.get("meta") if isinstance(example.get("meta"), dict) else None,
            "spans": spans,
            "quotes": quotes,
        },
        path,
        line,
        options,
    )


def sniff_doccano(line: str) -> bool:
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        return False
    return (
        isinstance(value, dict)
        and "text" in value
        and "schema_version" not in value
        and (isinstance(value.get("entities"), list) or isinstance(value.get("label"), list))
    )
