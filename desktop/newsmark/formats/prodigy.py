"""Prodigy task JSONL: entity and QUOTE spans with tokens, SPEAKER/CUE relations (rel.manual)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from newsmark.domain.document import DocumentInput
from newsmark.domain.offsets import Alignment
from newsmark.domain.reading import ReadOptions
from newsmark.formats.json_lines import json_lines
from newsmark.formats.jsonl import (
    BLANK_RECORD,
    DUPLICATE_SPAN,
    BlankRecord,
    check_text,
    record_to_input,
)
from newsmark.formats.newsmark_jsonl import encode_record
from newsmark.formats.tools import (
    CUE_LABEL,
    CUE_REL,
    QUOTE_LABEL,
    SPEAKER_LABEL,
    SPEAKER_REL,
    STRUCTURAL_LABELS,
    AlignmentReport,
    Fields,
    Range,
    TokenAligner,
    quote_dict,
    record_entities,
    record_quotes,
    show,
)


def prodigy_task(record: Mapping[str, Any], report: AlignmentReport) -> dict[str, Any]:
    """The rel.manual-style task of one export record (spans snapped per `report.mode`)."""
    aligner = TokenAligner(record, report)
    tokens = record["tokens"]
    spans: list[dict[str, Any]] = []
    by_range: dict[Range, dict[str, Any]] = {}

    def add(start: int, end: int, label: str, what: str) -> dict[str, Any] | None:
        found = aligner.tokens(start, end, what, label)
        if found is None:
            return None
        first, last = found
        span = {
            "start": tokens[first]["start"],
            "end": tokens[last]["end"],
            "token_start": first,
            "token_end": last,
            "label": label,
        }
        spans.append(span)
        return span

    for start, end, label in record_entities(record):
        span = add(start, end, label, "span")
        if span is not None:
            by_range[(start, end)] = span
    relations: list[dict[str, Any]] = []
    extra: dict[tuple[int, int, str], dict[str, Any] | None] = {}
    hulls: set[Range] = set()
    for q in record_quotes(record):
        if q.hull in hulls:
            # One QUOTE span per extent: relations could not tell two such quotes apart.
            report.notes.append(
                f"document {aligner.doc}: quote {q.hull[0]}..{q.hull[1]} has the extent of "
                "another quote; Prodigy keeps the first"
            )
            continue
        hulls.add(q.hull)
        child = add(*q.hull, QUOTE_LABEL, "quote")
        if child is None:
            continue
        for rng, label, rel in (
            (q.speaker, SPEAKER_LABEL, SPEAKER_REL),
            (q.cue, CUE_LABEL, CUE_REL),
        ):
            if rng is None:
                continue
            # A speaker that is an entity mention points at that span, as in rel.manual.
            head = by_range.get(rng) if rel == SPEAKER_REL else None
            if head is None:
                key = (*rng, label)
                if key not in extra:
                    extra[key] = add(*rng, label, label.lower())
                head = extra[key]
            if head is None:
                continue
            relations.append(
                {
                    "head": head["token_end"],
                    "child": child["token_end"],
                    "head_span": head,
                    "child_span": child,
                    "label": rel,
                }
            )
    spans.sort(key=lambda s: (s["start"], s["end"], s["label"]))
    task = {
        "text": record["text"],
        "meta": record.get("meta") or {},
        "_input_hash": record.get("_input_hash"),
        "_task_hash": record.get("_task_hash"),
        "tokens": tokens,
        "spans": spans,
        "relations": relations,
        "answer": record.get("answer", "accept"),
        "_view_id": "relations",
    }
    if record.get("_annotator_id"):
        task["_annotator_id"] = record["_annotator_id"]
    return task


def write_prodigy(
    records: Iterable[Mapping[str, Any]],
    stream: IO[str],
    *,
    alignment: Alignment = Alignment.STRICT,
    report: AlignmentReport | None = None,
) -> int:
    """One Prodigy task per line; InputError at the end if strict alignment was broken."""
    report = report if report is not None else AlignmentReport(alignment)
    count = 0
    for record in records:
        stream.write(encode_record(prodigy_task(record, report)))
        stream.write("\n")
        count += 1
    report.check("prodigy")
    return count


def read_prodigy(path: Path, options: ReadOptions | None = None) -> Iterator[DocumentInput]:
    options = options if options is not None else ReadOptions()
    for line, value in json_lines(path):
        try:
            yield task_to_input(value, path, line, options)
        except BlankRecord:
            options.skip(BLANK_RECORD)


def _span_key(f: Fields, span: object, what: str, length: int) -> tuple[int, int, str]:
    span = f.obj(span, what)
    start, end = f.offsets(span.get("start"), span.get("end"), what, length)
    return start, end, f.string(span.get("label"), f"{what} label")


# Task keys that hold a decision about the whole text (textcat's "label", choice's
# "accept"): Newsmark has no document labels. The task's answer is that decision.
_DOCUMENT_LABELS = ("label", "accept")


def task_to_input(
    value: object, path: Path, line: int | None, options: ReadOptions | None = None
) -> DocumentInput:
    """One Prodigy task -> DocumentInput; relations must link spans of the task.

    The task's own `tokens` are kept. A document label (textcat, choice) cannot be stored:
    it is refused, or with `drop_unsupported` dropped together with the answer that
    decided it, so an accepted classification never becomes gold "without entities".
    """
    options = options if options is not None else ReadOptions()
    f = Fields(path, line)
    task = f.obj(value, "task")
    if "quotes" in task:
        # Newsmark's own record shape (e.g. without schema_version): read it as such.
        return record_to_input(task, path, line, options)
    text = check_text(task.get("text"), path, line)
    n = len(text)
    tokens = f.lst(task.get("tokens"), '"tokens"')
    answer = task.get("answer")
    for name in _DOCUMENT_LABELS:
        if task.get(name) not in (None, [], ""):
            options.unsupported(
                "document label (text classification) with its answer",
                f"document label {name}={show(task[name])}: Newsmark has no document labels",
                f.fail,
            )
            answer = None
    entities: list[dict[str, Any]] = []
    quote_spans: dict[Range, dict[str, Any]] = {}
    heads: set[tuple[int, int, str]] = set()
    known: set[tuple[int, int, str]] = set()
    for i, item in enumerate(f.lst(task.get("spans"), '"spans"')):
        start, end, label = key = _span_key(f, item, f"spans[{i}]", n)
        for end_key, offset_key in (("token_start", "start"), ("token_end", "end")):
            index = item.get(end_key)
            if index is None or not tokens:
                continue
            index = f.integer(index, f"spans[{i}].{end_key}")
            if (
                not 0 <= index < len(tokens)
                or f.obj(tokens[index], "token").get(offset_key) != item[offset_key]
            ):
                f.fail(f"spans[{i}].{end_key} {index} does not match its {offset_key} offset")
        if key in known:
            # ner.teach output repeats a span; record_to_input counts the collapse.
            if label not in STRUCTURAL_LABELS:
                entities.append({"start": start, "end": end, "label": label})
            else:
                options.collapse(DUPLICATE_SPAN)
            continue
        known.add(key)
        if label == QUOTE_LABEL:
            quote_spans[(start, end)] = {"parts": [(start, end)]}
        elif label not in (SPEAKER_LABEL, CUE_LABEL):
            # record_to_input checks a span's "text" against the offsets (wrong units).
            entities.append({"start": start, "end": end, "label": label, "text": item.get("text")})
    for i, item in enumerate(f.lst(task.get("relations"), '"relations"')):
        what = f"relations[{i}]"
        rel = f.obj(item, what)
        rel_label = rel.get("label")
        if rel_label not in (SPEAKER_REL, CUE_REL):
            options.unsupported(
                f"relation {rel_label}",
                f"{what}: relation {show(rel_label)} is not {SPEAKER_REL} or {CUE_REL}",
                f.fail,
            )
            continue
        head = _span_key(f, rel.get("head_span"), f"{what}.head_span", n)
        child = _span_key(f, rel.get("child_span"), f"{what}.child_span", n)
        for end_key, key in (("head", head), ("child", child)):
            if key not in known:
                f.fail(f"{what}.{end_key}_span {key[0]}..{key[1]} {key[2]} is not in spans")
        if child[2] != QUOTE_LABEL:
            f.fail(f"{what}: child must be a {QUOTE_LABEL} span, got {child[2]}")
        quote = quote_spans[child[:2]]
        slot = "speaker" if rel_label == SPEAKER_REL else "cue"
        if slot in quote:
            f.fail(f"{what}: the quote at {child[0]}..{child[1]} already has a {slot}")
        quote[slot] = head[:2]
        if slot == "speaker" and head[2] != SPEAKER_LABEL:
            quote["speaker_label"] = head[2]
        heads.add(head)
    for start, end, label in known:
        if label in (SPEAKER_LABEL, CUE_LABEL) and (start, end, label) not in heads:
            f.fail(f"span {start}..{end} {label} is not the head of a {label} relation")
    return record_to_input(
        {
            "text": text,
            "meta": task.get("meta"),
            "tokens": tokens or None,
            "spans": entities,
            "quotes": [quote_dict(**q) for q in quote_spans.values()],
            "answer": answer,
            "_annotator_id": task.get("_annotator_id") or task.get("_session_id"),
        },
        path,
        line,
        options,
    )


def sniff_prodigy(line: str) -> bool:
    """A JSON object with "text" that is neither a Newsmark record nor a doccano line."""
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        return False
    if not isinstance(value, dict) or "text" not in value or "schema_version" in value:
        return False
    # doccano's lists: "entities", or "label" as [[start, end, label], ...]; Prodigy's
    # textcat "label" is a string.
    return not isinstance(value.get("entities"), list) and not isinstance(value.get("label"), list)
