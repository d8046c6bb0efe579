"""Newsmark JSONL export: one annotation set per line, as DESIGN.md's export contract says."""

from __future__ import annotations

import hashlib
import itertools
import json
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from json.encoder import encode_basestring
from operator import itemgetter
from typing import IO, Any, overload

from newsmark.domain.alignment import AlignmentReport, Misaligned, doc_label
from newsmark.domain.annotations import AnnotationSet, ExportSet, is_blank
from newsmark.domain.document import Document, PackedTokens
from newsmark.domain.entities import Entity
from newsmark.domain.errors import InputError
from newsmark.domain.offsets import TokenIndex

SCHEMA_VERSION = 1
QUOTE_LABEL = "QUOTE"
SPEAKER_RELATION = "SPEAKER"
CUE_RELATION = "CUE"

# Keys of `meta` that lead every record, in this order; other meta keys follow them.
_META_HEAD = ("source", "title", "date", "doc_id")

# One encoder for every line: the C encoder runs when indent is None. The task hash uses
# it too: export_record builds every dict with a fixed key order, so its compact JSON is
# canonical without sort_keys (which costs a quarter of the record's build time).
_LINE_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


class RecordTokens(Sequence[dict[str, Any]]):
    """The `tokens` of an export record: dicts {text, start, end, id, ws} made on demand.

    The token columns stay as the database keeps them (PackedTokens) and `to_json`
    writes all of them at once from bulk slices, with no Python object per token: tokens
    are most of a record. Not a list, so `json.dumps(record)` refuses it; encode records
    with `encode_record` (or `plain_record` first).
    """

    __slots__ = ("columns", "text")

    def __init__(self, text: str, columns: PackedTokens) -> None:
        self.text = text
        self.columns = columns

    def _dict(self, i: int, start: int, end: int, ws: int) -> dict[str, Any]:
        return {"text": self.text[start:end], "start": start, "end": end, "id": i, "ws": bool(ws)}

    def __len__(self) -> int:
        return len(self.columns)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return list(self)[index]
        n = len(self)
        i = index + n if index < 0 else index
        if not 0 <= i < n:
            raise IndexError("token index out of range")
        f = self.columns.flat
        return self._dict(i, f[3 * i], f[3 * i + 1], f[3 * i + 2])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        c = self.columns
        return map(self._dict, itertools.count(), c.starts, c.ends, c.spaces)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable-looking, like the list it stands for

    def __repr__(self) -> str:
        return f"RecordTokens({len(self)} tokens)"

    def to_json(self) -> str:
        """The same text as json.dumps(list(self)) with compact separators, in bulk.

        Bulk slices and C-level maps, then one %-format of a template that already
        holds the keys and ids: no Python object per token besides its text.
        """
        c = self.columns
        n = len(c)
        if not n:
            return "[]"
        starts, ends, spaces = c.starts, c.ends, c.spaces
        try:
            ws = list(map(_WS_JSON.__getitem__, spaces))
        except KeyError:  # not 0/1: let the json module say what it says
            return _LINE_ENCODER.encode(list(self))
        if n > 1:  # every slice in one C call
            pieces = itemgetter(*map(slice, starts, ends))(self.text)
        else:  # (itemgetter of one slice gives the str itself, not a tuple)
            pieces = (self.text[starts[0] : ends[0]],)
        texts = map(encode_basestring, pieces)
        if n > _TEMPLATE_CACHED:  # a huge document: ids as values, nothing kept
            values: list[object] = [None] * (5 * n)
            values[0::5] = texts
            values[1::5] = starts
            values[2::5] = ends
            values[3::5] = range(n)
            values[4::5] = ws
            return "[" + (_TOKEN * n)[:-1] % tuple(values) + "]"
        values = [None] * (4 * n)
        values[0::4] = texts
        values[1::4] = starts
        values[2::4] = ends
        values[3::4] = ws
        return "[" + _template(n) % tuple(values) + "]"


# One token: text, start, end, id, ws (%s of an int is what json writes for it).
_TOKEN = '{"text":%s,"start":%s,"end":%s,"id":%s,"ws":%s},'
_WS_JSON = {0: "false", 1: "true"}
# Templates of up to this many tokens are one string kept between records (~0.5 MB),
# with the ids written in (two thirds of a news article's numbers are its ids).
_TEMPLATE_CACHED = 8192
_template_text = ""
_template_ends: list[int] = []


def _template(n: int) -> str:
    """The %-format of n tokens with their ids: a prefix of the kept string."""
    global _template_text
    if len(_template_ends) < n:
        size = min(max(n, 2 * len(_template_ends), 1024), _TEMPLATE_CACHED)
        parts = [_TOKEN.replace('"id":%s', f'"id":{i}') for i in range(size)]
        _template_text = "".join(parts)
        _template_ends[:] = itertools.accumulate(map(len, parts))
    return _template_text[: _template_ends[n - 1] - 1]  # without the last comma


def hash32(data: bytes) -> int:
    """A signed 32-bit int from sha256 (Prodigy's hashes are signed 32-bit ints too)."""
    return int.from_bytes(hashlib.sha256(data).digest()[:4], "big", signed=True)


def input_hash(text: str) -> int:
    return hash32(text.encode("utf-8"))


def task_hash(text: str, annotations: Mapping[str, Any]) -> int:
    """Hash of the text plus the compact JSON of the annotations (as export_record builds them).

    A NUL separates the two so no text/annotation split can collide with another.
    """
    payload = _LINE_ENCODER.encode(annotations)
    return hash32(text.encode("utf-8") + b"\x00" + payload.encode("utf-8"))


_SPAN_ORDER = itemgetter(0, 1, 2)  # SpanFields by (start, end, label)


def blank_span_error(
    doc_id: int | None, start: int, end: int, label: str, piece: str
) -> InputError:
    """Why an export refuses a span of only whitespace or punctuation (spaCy rejects it)."""
    return InputError(
        None,
        None,
        f"document {doc_id}: span {label} {start}..{end} {piece!r} is only whitespace or "
        "punctuation; delete it or fix its extent in the window, then export again",
    )


def _span(index: TokenIndex, start: int, end: int, label: str | None) -> dict[str, Any]:
    tokens = index.token_span(start, end)
    return {
        "start": start,
        "end": end,
        "token_start": tokens[0] if tokens else None,
        "token_end": tokens[1] if tokens else None,
        "label": label,
    }


def export_record(
    doc: Document, aset: AnnotationSet, entities: dict[int, Entity]
) -> dict[str, Any]:
    """The export contract's record for one annotation set of `doc`.

    Entity spans are sorted by offsets, quotes by their hull. A span that does not fall
    on token boundaries keeps its character offsets with null token indices (see
    `misaligned_spans`). A relation links a quote's speaker (label SPEAKER) or cue
    (label CUE) as `head` to the quote's hull as `child`, each by its last token.
    `entities` lists the corpus entities that spans or quotes refer to and the dict holds.
    `record["tokens"]` is a RecordTokens: encode records with `encode_record`.
    A span of only whitespace or punctuation raises InputError naming document and span.
    """
    return _build(ExportSet.of(doc, aset, entities), None)[0]


def set_record(item: ExportSet) -> dict[str, Any]:
    """`export_record` of a set as export reads it (no Span objects on the way)."""
    return _build(item, None)[0]


def export_line(item: ExportSet, misaligned: list[Misaligned] | None = None) -> str:
    """`encode_record(set_record(item))`, about twice as fast.

    The annotations are encoded once, for the task hash and the line; the record never
    leaves this function, so nothing can change it in between. `misaligned` (when
    given) gets what `misaligned_spans` would say of the record.
    """
    record, annotations = _build(item, misaligned)
    head = {k: record[k] for k in _LINE_HEAD}
    tail = {k: record[k] for k in _LINE_TAIL}
    return (
        _LINE_ENCODER.encode(head)[:-1]
        + ',"tokens":'
        + record["tokens"].to_json()
        + ","
        + annotations[1:-1]
        + ","
        + _LINE_ENCODER.encode(tail)[1:]
    )


# The record's keys around "tokens" and the annotations, in the record's order.
_LINE_HEAD = ("text", "meta", "_input_hash", "_task_hash", "schema_version")
_LINE_TAIL = ("relations", "answer", "_annotator_id", "status")


def _build(item: ExportSet, misaligned: list[Misaligned] | None) -> tuple[dict[str, Any], str]:
    """The record and the compact JSON of its annotations (what the task hash covers)."""
    doc = item.document
    text = doc.text
    columns = PackedTokens.of(doc.tokens)
    index = TokenIndex(columns)
    tokens = RecordTokens(text, columns)
    spans: list[dict[str, Any]] = []
    referenced: set[int] = set()
    label_at: dict[tuple[int, int], str] = {}
    seen: set[tuple[str, int, int]] = set()

    def off_tokens(what: str, start: int, end: int, label: str | None) -> None:
        if misaligned is not None and (what, start, end) not in seen:
            seen.add((what, start, end))
            misaligned.append(Misaligned(str(doc.id), what, start, end, label, text[start:end]))

    # The hot loop of export (dozens of spans per document): token_span inlined.
    starts, ends = columns.starts, columns.ends
    n_tokens = len(starts)
    for start, end, label, origin, model, _, entity_id in sorted(item.spans, key=_SPAN_ORDER):
        piece = text[start:end]
        if not (piece[:1].isalnum() or piece[-1:].isalnum()) and is_blank(piece):
            raise blank_span_error(doc.id, start, end, label, piece)
        i = bisect_left(starts, start)
        j = bisect_left(ends, end)
        aligned = i < n_tokens and j < n_tokens and starts[i] == start and ends[j] == end
        if not aligned:
            off_tokens("span", start, end, label)
        span = {
            "start": start,
            "end": end,
            "token_start": i if aligned else None,
            "token_end": j if aligned else None,
            "label": label,
            "origin": origin,
        }
        if model is not None:
            span["model"] = model
        if entity_id is not None:
            span["entity_id"] = entity_id
            referenced.add(entity_id)
        spans.append(span)
        if (start, end) not in label_at:
            label_at[start, end] = label

    quotes: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    for q in sorted(item.quotes, key=lambda q: (q.start, q.end, q.parts)):
        speaker_label = q.speaker_label or (label_at.get(q.speaker) if q.speaker else None)
        quote: dict[str, Any] = {
            "kind": q.kind.value,
            "quote": {"start": q.start, "end": q.end},
            "parts": [{"start": s, "end": e} for s, e in q.parts],
            "speaker": (
                {"start": q.speaker[0], "end": q.speaker[1], "label": speaker_label}
                if q.speaker
                else None
            ),
            "cue": {"start": q.cue[0], "end": q.cue[1]} if q.cue else None,
            "entity": q.entity,
            "entity_id": q.entity_id,
            "origin": q.origin.value,
        }
        if q.model is not None:
            quote["model"] = q.model
        if q.entity_id is not None:
            referenced.add(q.entity_id)
        quotes.append(quote)
        child = _span(index, q.start, q.end, QUOTE_LABEL)
        if child["token_start"] is None:
            off_tokens("quote", q.start, q.end, q.kind.value)
        if q.speaker:
            head = _span(index, *q.speaker, speaker_label or SPEAKER_RELATION)
            if head["token_start"] is None:
                off_tokens("speaker", *q.speaker, speaker_label)
            relations.append(_relation(head, child, SPEAKER_RELATION))
        if q.cue:
            head = _span(index, *q.cue, CUE_RELATION)
            if head["token_start"] is None:
                off_tokens("cue", *q.cue, None)
            relations.append(_relation(head, child, CUE_RELATION))

    linked = [
        {"id": e.id, "name": e.name, "label": e.label, "kb_id": e.kb_id}
        for e in (item.entities[i] for i in sorted(referenced) if i in item.entities)
    ]
    meta: dict[str, Any] = {
        "source": doc.meta.get("source"),
        "title": doc.title,
        "date": doc.meta.get("date"),
        "doc_id": doc.id,
    }
    meta.update((k, v) for k, v in doc.meta.items() if k not in _META_HEAD)
    annotations = _LINE_ENCODER.encode({"spans": spans, "quotes": quotes, "entities": linked})
    record = {
        "text": text,
        "meta": meta,
        "_input_hash": input_hash(text),
        "_task_hash": hash32(text.encode("utf-8") + b"\x00" + annotations.encode("utf-8")),
        "schema_version": SCHEMA_VERSION,
        "tokens": tokens,
        "spans": spans,
        "quotes": quotes,
        "entities": linked,
        "relations": relations,
        "answer": item.status.answer,
        "_annotator_id": item.annotator,
        "status": item.status.value,
    }
    return record, annotations


def _relation(head: dict[str, Any], child: dict[str, Any], label: str) -> dict[str, Any]:
    return {
        "head": head["token_end"],
        "child": child["token_end"],
        "head_span": head,
        "child_span": child,
        "label": label,
    }


def misaligned_spans(record: Mapping[str, Any]) -> list[Misaligned]:
    """Spans, quotes, speakers and cues of `record` that do not align with its tokens.

    Token-based formats need a decision for each (`--alignment`); the Newsmark export
    keeps their offsets and reports them.
    """
    text: str = record["text"]
    doc = doc_label(record)
    tokens = record.get("tokens", ())
    if isinstance(tokens, RecordTokens):
        starts, ends = set(tokens.columns.starts), set(tokens.columns.ends)
    else:
        starts = {t["start"] for t in tokens}
        ends = {t["end"] for t in tokens}
    found: list[Misaligned] = []
    seen: set[tuple[str, int, int]] = set()

    def check(what: str, start: int, end: int, label: str | None) -> None:
        if (start in starts and end in ends) or (what, start, end) in seen:
            return
        seen.add((what, start, end))
        found.append(Misaligned(doc, what, start, end, label, text[start:end]))

    for span in record.get("spans", ()):
        check("span", span["start"], span["end"], span.get("label"))
    for quote in record.get("quotes", ()):
        check("quote", quote["quote"]["start"], quote["quote"]["end"], quote.get("kind"))
        for key in ("speaker", "cue"):
            part = quote.get(key)
            if part:
                check(key, part["start"], part["end"], part.get("label"))
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, RecordTokens):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# For records whose RecordTokens sit deeper than the top level.
_NESTED_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_plain)


def encode_record(record: Mapping[str, Any]) -> str:
    """One record as compact JSON (UTF-8 characters as is): what json.dumps gives for
    `plain_record(record)`, with the tokens written in bulk.

    The fields around the tokens go through the C encoder as two dicts (one call each:
    a call per field costs more than the encoding).
    """
    fields: list[str] = []
    rest: dict[str, Any] = {}
    for key, value in record.items():
        if type(value) is RecordTokens:
            if rest:
                fields.append(_NESTED_ENCODER.encode(rest)[1:-1])
                rest = {}
            fields.append(f"{encode_basestring(key)}:{value.to_json()}")
        else:
            rest[key] = value
    if not fields:
        return _NESTED_ENCODER.encode(rest)
    if rest:
        fields.append(_NESTED_ENCODER.encode(rest)[1:-1])
    return "{" + ",".join(fields) + "}"


def plain_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record with its tokens as a list of dicts: plain JSON data for json.dumps."""
    return {k: list(v) if isinstance(v, RecordTokens) else v for k, v in record.items()}


def write_jsonl(
    records: Iterable[Mapping[str, Any]],
    stream: IO[str],
    *,
    report: AlignmentReport | None = None,
) -> int:
    """Write one compact JSON line per record (UTF-8 as is, not \\u escapes); return the count.

    Spans off token boundaries keep their offsets (`misaligned_spans` lists them), so
    `report`, the writers' common keyword, stays empty.
    """
    write = stream.write
    count = 0
    for record in records:
        write(encode_record(record))
        write("\n")
        count += 1
    return count


def write_lines(lines: Iterable[str], stream: IO[str]) -> int:
    """Write lines made by `export_line`, one per record; return the count."""
    write = stream.write
    count = 0
    for line in lines:
        write(line)
        write("\n")
        count += 1
    return count
