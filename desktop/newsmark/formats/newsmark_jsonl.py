"""Newsmark JSONL export: one annotation set per line, as DESIGN.md's export contract says."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from json.encoder import encode_basestring
from typing import IO, Any

from newsmark.domain.annotations import AnnotationSet, sorted_spans
from newsmark.domain.document import Document
from newsmark.domain.entities import Entity
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


class TokenList(list[dict[str, Any]]):
    """The token dicts of a record as export_record builds them.

    `write_jsonl` writes a TokenList with one f-string per token, about twice as fast as
    the json module's encoder (tokens are most of a record), and byte for byte the same
    output. It relies on the dicts keeping export_record's keys and types.
    """

    __slots__ = ()


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
    """
    text = doc.text
    index = TokenIndex(doc.tokens)
    tokens = TokenList(
        [
            {"text": text[t.start : t.end], "start": t.start, "end": t.end, "id": i, "ws": t.ws}
            for i, t in enumerate(doc.tokens)
        ]
    )
    spans: list[dict[str, Any]] = []
    referenced: set[int] = set()
    label_at: dict[tuple[int, int], str] = {}
    for s in sorted_spans(aset.spans):
        span = _span(index, s.start, s.end, s.label)
        span["origin"] = s.origin.value
        if s.model is not None:
            span["model"] = s.model
        if s.entity_id is not None:
            span["entity_id"] = s.entity_id
            referenced.add(s.entity_id)
        spans.append(span)
        label_at.setdefault((s.start, s.end), s.label)

    quotes: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    for q in sorted(aset.quotes, key=lambda q: (q.start, q.end, q.parts)):
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
        if q.speaker:
            head = _span(index, *q.speaker, speaker_label or SPEAKER_RELATION)
            relations.append(_relation(head, child, SPEAKER_RELATION))
        if q.cue:
            head = _span(index, *q.cue, CUE_RELATION)
            relations.append(_relation(head, child, CUE_RELATION))

    linked = [
        {"id": e.id, "name": e.name, "label": e.label, "kb_id": e.kb_id}
        for e in (entities[i] for i in sorted(referenced) if i in entities)
    ]
    meta: dict[str, Any] = {
        "source": doc.meta.get("source"),
        "title": doc.title,
        "date": doc.meta.get("date"),
        "doc_id": doc.id,
    }
    meta.update((k, v) for k, v in doc.meta.items() if k not in _META_HEAD)
    annotations = {"spans": spans, "quotes": quotes, "entities": linked}
    return {
        "text": text,
        "meta": meta,
        "_input_hash": input_hash(text),
        "_task_hash": task_hash(text, annotations),
        "schema_version": SCHEMA_VERSION,
        "tokens": tokens,
        "spans": spans,
        "quotes": quotes,
        "entities": linked,
        "relations": relations,
        "answer": aset.status.answer,
        "_annotator_id": aset.annotator,
        "status": aset.status.value,
    }


def _relation(head: dict[str, Any], child: dict[str, Any], label: str) -> dict[str, Any]:
    return {
        "head": head["token_end"],
        "child": child["token_end"],
        "head_span": head,
        "child_span": child,
        "label": label,
    }


def misaligned_spans(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Spans, quotes, speakers and cues of `record` that do not align with its tokens.

    Each item is `{"doc_id", "what" (span|quote|speaker|cue), "start", "end", "label",
    "text"}`. Token-based formats need a decision for each (`--alignment`); the export
    reports them (see `describe_misaligned`).
    """
    text: str = record["text"]
    doc_id = (record.get("meta") or {}).get("doc_id")
    starts = {t["start"] for t in record.get("tokens", ())}
    ends = {t["end"] for t in record.get("tokens", ())}
    found: list[dict[str, Any]] = []
    seen: set[tuple[str, int, int]] = set()

    def check(what: str, start: int, end: int, label: str | None) -> None:
        if (start in starts and end in ends) or (what, start, end) in seen:
            return
        seen.add((what, start, end))
        found.append(
            {
                "doc_id": doc_id,
                "what": what,
                "start": start,
                "end": end,
                "label": label,
                "text": text[start:end],
            }
        )

    for span in record.get("spans", ()):
        check("span", span["start"], span["end"], span.get("label"))
    for quote in record.get("quotes", ()):
        check("quote", quote["quote"]["start"], quote["quote"]["end"], quote.get("kind"))
        for key in ("speaker", "cue"):
            part = quote.get(key)
            if part:
                check(key, part["start"], part["end"], part.get("label"))
    return found


def describe_misaligned(item: Mapping[str, Any]) -> str:
    """One line for a report: `document 3: span PERSON 10..14 'Puti' is not token-aligned`."""
    label = f" {item['label']}" if item.get("label") else ""
    return (
        f"document {item['doc_id']}: {item['what']}{label} {item['start']}..{item['end']} "
        f"{item['text']!r} does not match token boundaries"
    )


_BOOL = ("false", "true")


def _tokens_json(tokens: TokenList) -> str:
    try:
        return (
            "["
            + ",".join(
                [
                    f'{{"text":{encode_basestring(t["text"])},"start":{t["start"]:d},'
                    f'"end":{t["end"]:d},"id":{t["id"]:d},"ws":{_BOOL[t["ws"]]}}}'
                    for t in tokens
                ]
            )
            + "]"
        )
    except (KeyError, TypeError, ValueError, IndexError):
        # Someone changed the dicts after export_record: take the general path.
        return _LINE_ENCODER.encode(list(tokens))


def encode_record(record: Mapping[str, Any]) -> str:
    """One record as compact JSON (UTF-8 characters as is), the same as json.dumps gives."""
    tokens = record.get("tokens")
    if type(tokens) is not TokenList:
        return _LINE_ENCODER.encode(record)
    encode = _LINE_ENCODER.encode
    fields = [
        f"{encode_basestring(key)}:{_tokens_json(tokens) if value is tokens else encode(value)}"
        for key, value in record.items()
    ]
    return "{" + ",".join(fields) + "}"


def write_jsonl(records: Iterable[Mapping[str, Any]], stream: IO[str]) -> int:
    """Write one compact JSON line per record (UTF-8 as is, not \\u escapes); return the count."""
    write = stream.write
    count = 0
    for record in records:
        write(encode_record(record))
        write("\n")
        count += 1
    return count
