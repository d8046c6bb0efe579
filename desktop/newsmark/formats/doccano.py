"""doccano JSONL (relation): entities with ids and UTF-16 offsets, relations between them."""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, overload

from newsmark.domain.alignment import doc_label
from newsmark.domain.document import DocumentInput
from newsmark.domain.offsets import Utf16Map
from newsmark.domain.quotes import QuoteKind
from newsmark.domain.reading import ReadOptions
from newsmark.formats.json_lines import json_lines
from newsmark.formats.jsonl import BLANK_RECORD, BlankRecord, check_text, record_to_input
from newsmark.formats.tools import (
    CUE_LABEL,
    CUE_REL,
    PART_REL,
    QUOTE_LABEL,
    SPEAKER_LABEL,
    SPEAKER_REL,
    AlignmentReport,
    Fields,
    QuoteView,
    Range,
    assemble,
    record_entities,
    record_quotes,
    show,
)

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
# Our own top-level key: doccano's import keeps unknown keys as the example's meta and
# its export writes them back at the top (data_import/pipeline/data.py BaseData.parse,
# data_export/models.py ExportedExample.to_dict), so it survives a trip through doccano.
# Span and relation objects do not keep extra keys (pydantic models SpanLabel,
# RelationLabel), so quote kinds and names live here, matched to quotes by offsets.
EXTRA_KEY = "newsmark"
UTF16 = "utf-16"
CODE_POINTS = "code points"
_KINDS = {k.value for k in QuoteKind}
FLAT = "doccano-flat"

# What the doccano project needs, as its "Create project" form names the settings.
PROJECT_SETTINGS = {
    "doccano": 'doccano needs a Sequence Labeling project with "Use relation labeling" on, '
    '"Allow overlapping spans" on (quotes contain entities; with it off doccano\'s import '
    'fails and retries) and "Count grapheme clusters as one character" off (offsets are '
    "UTF-16); or export doccano-flat, which has no overlapping spans",
    FLAT: 'doccano needs a Sequence Labeling project with "Use relation labeling" on and '
    '"Count grapheme clusters as one character" off (offsets are UTF-16); no two spans '
    'overlap, so "Allow overlapping spans" may stay off',
}


class _Ids:
    """Entity ids of one document; ranges shared by two roles reuse one entity."""

    def __init__(self, utf16: Utf16Map) -> None:
        self.utf16 = utf16
        self.entities: list[dict[str, Any]] = []
        self.by_key: dict[tuple[int, int, str], int] = {}

    def add(self, start: int, end: int, label: str, *, share: bool = True) -> int:
        key = (start, end, label)
        if share and key in self.by_key:
            return self.by_key[key]
        ident = len(self.entities) + 1
        self.entities.append(
            {
                "id": ident,
                "label": label,
                "start_offset": self.utf16.to_utf16(start),
                "end_offset": self.utf16.to_utf16(end),
            }
        )
        self.by_key.setdefault(key, ident)
        return ident


def doccano_line(
    record: Mapping[str, Any],
    number: int,
    entities: list[tuple[int, int, str]] | None = None,
    quotes: list[QuoteView] | None = None,
) -> dict[str, Any]:
    """One export record (or the `entities` and `quotes` chosen of it) as a doccano example.

    Offsets are UTF-16 code units, what doccano's editor counts (docs/formats.md).
    """
    text: str = record["text"]
    utf16 = Utf16Map(text)
    ids = _Ids(utf16)
    entity_at: dict[Range, int] = {}
    for start, end, label in record_entities(record) if entities is None else entities:
        entity_at[(start, end)] = ids.add(start, end, label)
    relations: list[dict[str, Any]] = []

    def relate(from_id: int, to_id: int, kind: str) -> None:
        relations.append(
            {"id": len(relations) + 1, "from_id": from_id, "to_id": to_id, "type": kind}
        )

    def units(rng: Range | None) -> list[int] | None:
        return [utf16.to_utf16(rng[0]), utf16.to_utf16(rng[1])] if rng else None

    extra: list[dict[str, Any]] = []
    for q in record_quotes(record) if quotes is None else quotes:
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
        extra.append(
            {
                "parts": [units(p) for p in q.parts],
                "speaker": units(q.speaker),
                "cue": units(q.cue),
                "kind": q.kind,
                "entity": q.entity,
                "speaker_label": q.speaker_label,
            }
        )
    meta = record.get("meta") or {}
    return {
        "id": meta.get("doc_id", number),
        "text": text,
        "entities": ids.entities,
        "relations": relations,
        "meta": meta,
        "Comments": [],
        EXTRA_KEY: {"offsets": UTF16, "quotes": extra},
    }


def write_doccano(
    records: Iterable[Mapping[str, Any]],
    stream: IO[str],
    *,
    report: AlignmentReport | None = None,
) -> int:
    """Spans may overlap (quotes contain entities): the doccano project must allow it."""
    count = 0
    for count, record in enumerate(records, 1):
        stream.write(_ENCODER.encode(doccano_line(record, count)))
        stream.write("\n")
    if report is not None:
        report.notes.append(PROJECT_SETTINGS["doccano"])
    return count


def write_doccano_flat(
    records: Iterable[Mapping[str, Any]],
    stream: IO[str],
    *,
    report: AlignmentReport | None = None,
) -> int:
    """No two spans overlap, so a doccano project with its default settings imports it.

    doccano (overlapping off) keeps the first of overlapping spans and then fails on
    relations to the ones it dropped (data_import/pipeline/labels.py Spans.clean).
    Quotes come first; each span left out is a line in `report.notes`.
    """
    notes: list[str] = []
    count = 0
    for count, record in enumerate(records, 1):
        entities, quotes = flat_plan(record, notes)
        stream.write(_ENCODER.encode(doccano_line(record, count, entities, quotes)))
        stream.write("\n")
    if report is not None:
        report.notes.append(PROJECT_SETTINGS[FLAT])
        if notes:
            report.notes.append(
                f"{FLAT}: {len(notes)} span(s) left out so that no two spans overlap:"
            )
            report.notes.extend(notes)
    return count


class _Occupied:
    """The ranges already written for one document (disjoint), to find what a new one hits."""

    def __init__(self, text: str, doc: str) -> None:
        self.text = text
        self.doc = doc
        self.starts: list[int] = []
        self.ranges: list[tuple[int, int, str]] = []

    def clash(self, start: int, end: int) -> str | None:
        # Taken ranges never overlap, so only the last one starting at or before `start`
        # and the first one after it can overlap [start, end).
        i = bisect.bisect_right(self.starts, start)
        for s, e, label in self.ranges[max(i - 1, 0) : i + 1]:
            if start < e and s < end:
                return f"{label} {s}..{e}"
        return None

    def take(self, start: int, end: int, label: str) -> None:
        i = bisect.bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ranges.insert(i, (start, end, label))

    def left_out(self, what: str, start: int, end: int, other: str) -> str:
        shown = show(self.text[start:end])
        return f"document {self.doc}: {what} {start}..{end} {shown} left out: overlaps {other}"


def flat_plan(
    record: Mapping[str, Any], notes: list[str]
) -> tuple[list[tuple[int, int, str]], list[QuoteView]]:
    """The entities and quotes of `record` to write so that no two spans overlap.

    Quote parts come first, then speakers and cues (a speaker that is an entity mention
    is that entity's span), then the other entities; whatever overlaps something already
    taken is left out with a line in `notes`.
    """
    taken = _Occupied(record["text"], doc_label(record))
    entities = record_entities(record)
    first_label: dict[Range, str] = {}
    for s, e, label in entities:
        first_label.setdefault((s, e), label)
    quotes: list[QuoteView] = []
    for q in record_quotes(record):
        other = next((c for p in q.parts if (c := taken.clash(*p))), None)
        if other is not None:
            notes.append(taken.left_out("quote", *q.hull, other))
            continue
        for p in q.parts:
            taken.take(*p, QUOTE_LABEL)
        quotes.append(q)
    roles: dict[tuple[int, int, str], None] = {}
    kept: list[QuoteView] = []
    for q in quotes:
        speaker, cue = q.speaker, q.cue
        for role, rng in (("speaker", speaker), ("cue", cue)):
            if rng is None:
                continue
            label = first_label.get(rng, SPEAKER_LABEL) if role == "speaker" else CUE_LABEL
            if (*rng, label) in roles:
                continue  # shared with another quote: one span for both
            other = taken.clash(*rng)
            if other is not None:
                notes.append(taken.left_out(f"{role} of the quote at {q.hull[0]}", *rng, other))
                speaker, cue = (None, cue) if role == "speaker" else (speaker, None)
                continue
            taken.take(*rng, label)
            roles[(*rng, label)] = None
        kept.append(
            QuoteView(q.kind, q.parts, speaker, q.speaker_label if speaker else None, cue, q.entity)
        )
    out: list[tuple[int, int, str]] = []
    for s, e, label in entities:
        if (s, e, label) in roles:
            out.append((s, e, label))  # written once, as the speaker span
            continue
        other = taken.clash(s, e)
        if other is not None:
            notes.append(taken.left_out(label, s, e, other))
            continue
        taken.take(s, e, label)
        out.append((s, e, label))
    return out, kept


# --- reading -------------------------------------------------------------------------


def read_doccano(path: Path, options: ReadOptions | None = None) -> Iterator[DocumentInput]:
    options = options if options is not None else ReadOptions()
    for line, value in json_lines(path):
        try:
            yield example_to_input(value, path, line, options)
        except BlankRecord:
            options.skip(BLANK_RECORD)


def _inside_pair(utf16: Utf16Map, unit: int) -> bool:
    return utf16.to_utf16(utf16.from_utf16(unit)) != unit


def _unit(
    f: Fields, declared: object, text: str, utf16: Utf16Map, raw: list[tuple[str, int, int]]
) -> Callable[[str, int, int], Range]:
    """How to turn the file's offsets into code points.

    doccano counts UTF-16 code units. A file that does not say (doccano's own exports do
    not) is read as UTF-16 unless an offset would split a character, which only code
    point offsets (what Newsmark wrote before it wrote UTF-16) do.
    """
    if declared not in (None, UTF16, CODE_POINTS):
        f.fail(f'"{EXTRA_KEY}.offsets" must be "{UTF16}" or "{CODE_POINTS}", got {show(declared)}')
    if utf16.utf16_length == len(text):  # no character outside the BMP: same numbers
        declared = CODE_POINTS
    elif declared is None:
        split = any(_inside_pair(utf16, o) for _, s, e in raw for o in (s, e))
        fits = all(e <= len(text) for _, _, e in raw)
        declared = CODE_POINTS if split and fits else UTF16
    if declared == CODE_POINTS:

        def code_points(what: str, start: int, end: int) -> Range:
            if end > len(text):
                f.fail(f"{what} {start}..{end} is out of range (text has {len(text)} characters)")
            return start, end

        return code_points

    def from_utf16(what: str, start: int, end: int) -> Range:
        if _inside_pair(utf16, start) or _inside_pair(utf16, end):
            f.fail(f"{what} {start}..{end} splits a character in two (offsets are UTF-16)")
        return utf16.from_utf16(start), utf16.from_utf16(end)

    return from_utf16


@overload
def _pair(f: Fields, value: object, what: str, length: int) -> Range: ...
@overload
def _pair(f: Fields, value: object, what: str, length: int, *, optional: bool) -> Range | None: ...
def _pair(
    f: Fields, value: object, what: str, length: int, *, optional: bool = False
) -> Range | None:
    if value is None and optional:
        return None
    if not isinstance(value, list) or len(value) != 2:
        f.fail(f"{what} must be [start, end], got {show(value)}")
    return f.offsets(value[0], value[1], what, length)


def _extras(
    f: Fields, info: dict[str, Any], length: int, convert: Callable[[str, int, int], Range]
) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    """Our quote details by (parts, speaker, cue) in code points."""
    found: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for i, item in enumerate(f.lst(info.get("quotes"), f'"{EXTRA_KEY}.quotes"')):
        what = f"{EXTRA_KEY}.quotes[{i}]"
        entry = f.obj(item, what)
        parts_value = f.lst(entry.get("parts"), f"{what}.parts", optional=False)
        if not parts_value:
            f.fail(f"{what}.parts is empty")
        parts = tuple(
            sorted(
                convert(f"{what}.parts[{j}]", *_pair(f, part, f"{what}.parts[{j}]", length))
                for j, part in enumerate(parts_value)
            )
        )
        speaker = _pair(f, entry.get("speaker"), f"{what}.speaker", length, optional=True)
        cue = _pair(f, entry.get("cue"), f"{what}.cue", length, optional=True)
        key = (
            parts,
            convert(f"{what}.speaker", *speaker) if speaker else None,
            convert(f"{what}.cue", *cue) if cue else None,
        )
        kind = entry.get("kind")
        if kind is not None and kind not in _KINDS:
            f.fail(f"{what}.kind must be one of {', '.join(sorted(_KINDS))}, got {show(kind)}")
        for name in ("entity", "speaker_label"):
            if entry.get(name) is not None:
                f.string(entry[name], f"{what}.{name}")
        found.setdefault(key, []).append(entry)
    return found


def _range(value: Mapping[str, Any] | None) -> Range | None:
    return (value["start"], value["end"]) if value else None


def example_to_input(
    value: object, path: Path, line: int | None, options: ReadOptions | None = None
) -> DocumentInput:
    options = options if options is not None else ReadOptions()
    f = Fields(path, line)
    example = f.obj(value, "example")
    text = check_text(example.get("text"), path, line)
    utf16 = Utf16Map(text)
    length = utf16.utf16_length
    info = example.get(EXTRA_KEY)
    if info is not None:
        f.obj(info, f'"{EXTRA_KEY}"')
    raw: list[tuple[str, int, int]] = []
    labels: dict[int, tuple[int, str]] = {}
    for i, item in enumerate(f.lst(example.get("entities"), '"entities"')):
        what = f"entities[{i}]"
        ent = f.obj(item, what)
        ident = f.integer(ent.get("id"), f"{what}.id")
        if ident in labels:
            f.fail(f"{what}: duplicate entity id {ident}")
        start, end = f.offsets(ent.get("start_offset"), ent.get("end_offset"), what, length)
        labels[ident] = (len(raw), f.string(ent.get("label"), f"{what}.label"))
        raw.append((what, start, end))
    # doccano's plain "JSONL" export: "label": [[start, end, label], ...], no relations.
    for i, item in enumerate(f.lst(example.get("label"), '"label"')):
        what = f"label[{i}]"
        if not isinstance(item, list) or len(item) != 3:
            f.fail(f"{what} must be [start, end, label], got {show(item)}")
        start, end = f.offsets(item[0], item[1], what, length)
        labels[-1 - i] = (len(raw), f.string(item[2], f"{what} label"))
        raw.append((what, start, end))
    convert = _unit(f, info.get("offsets") if info else None, text, utf16, raw)
    entities = {ident: (*convert(*raw[n]), label) for ident, (n, label) in labels.items()}
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
    extras = _extras(f, info, length, convert) if info else {}
    for quote in quotes:
        key = (
            tuple((p["start"], p["end"]) for p in quote["parts"]),
            _range(quote["speaker"]),
            _range(quote["cue"]),
        )
        matches = extras.get(key)
        if not matches:
            continue  # changed in doccano, or not from Newsmark: the kind is guessed
        entry = matches.pop(0)
        quote["kind"] = entry.get("kind")
        quote["entity"] = entry.get("entity")
        if quote["speaker"] is not None and quote["speaker"]["label"] is None:
            quote["speaker"]["label"] = entry.get("speaker_label")
    stale = sum(len(left) for left in extras.values())
    if stale:
        options.skip("quote kind/name of a quote changed in doccano", stale)
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
