"""Shared parts of the other tools' formats: record views, token alignment, input checks."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from newsmark.domain.alignment import AlignmentReport, Misaligned, doc_label
from newsmark.domain.document import Token
from newsmark.domain.errors import InputError
from newsmark.domain.offsets import Alignment, TokenIndex
from newsmark.domain.reading import ReadOptions
from newsmark.formats.newsmark_jsonl import RecordTokens

# Labels that carry quote structure in formats without a quote type of their own. They
# are never imported as entity labels.
QUOTE_LABEL = "QUOTE"
SPEAKER_LABEL = "SPEAKER"
CUE_LABEL = "CUE"
# Relation types: speaker -> quote, cue -> quote, a later part of a split quote -> its first.
SPEAKER_REL = "SPEAKER"
CUE_REL = "CUE"
PART_REL = "PART_OF"
STRUCTURAL_LABELS = frozenset({QUOTE_LABEL, SPEAKER_LABEL, CUE_LABEL})

Range = tuple[int, int]


@dataclass(frozen=True, slots=True)
class QuoteView:
    """A quote of an export record as plain offsets."""

    kind: str
    parts: tuple[Range, ...]
    speaker: Range | None = None
    speaker_label: str | None = None
    cue: Range | None = None
    entity: str | None = None

    @property
    def hull(self) -> Range:
        return self.parts[0][0], self.parts[-1][1]


def _range(value: Mapping[str, Any] | None) -> Range | None:
    return (int(value["start"]), int(value["end"])) if value else None


def record_entities(record: Mapping[str, Any]) -> list[tuple[int, int, str]]:
    """(start, end, label) of the record's entity spans, in text order."""
    return sorted((s["start"], s["end"], s["label"]) for s in record.get("spans") or ())


def record_quotes(record: Mapping[str, Any]) -> list[QuoteView]:
    quotes = []
    for q in record.get("quotes") or ():
        parts = q.get("parts") or [q["quote"]]
        speaker = q.get("speaker")
        quotes.append(
            QuoteView(
                kind=q.get("kind") or "direct",
                parts=tuple(sorted((p["start"], p["end"]) for p in parts)),
                speaker=_range(speaker),
                speaker_label=speaker.get("label") if speaker else None,
                cue=_range(q.get("cue")),
                entity=q.get("entity"),
            )
        )
    return quotes


def record_tokens(record: Mapping[str, Any]) -> Sequence[Token]:
    """The record's tokens as Tokens (an export record's columns as they are)."""
    tokens = record.get("tokens") or ()
    if isinstance(tokens, RecordTokens):
        return tokens.columns
    return [Token(t["start"], t["end"], bool(t.get("ws", True))) for t in tokens]


class TokenAligner:
    """Token indices of one record's spans under an alignment mode, reporting misfits."""

    __slots__ = ("doc", "index", "report", "text")

    def __init__(self, record: Mapping[str, Any], report: AlignmentReport) -> None:
        self.text: str = record["text"]
        self.index = TokenIndex(record_tokens(record))
        self.report = report
        self.doc = doc_label(record)

    def tokens(self, start: int, end: int, what: str, label: str | None) -> Range | None:
        """(first, last) token indices, last inclusive; None when the span is dropped."""
        found = self.index.token_span(start, end)
        if found is not None:
            return found
        mode = self.report.mode
        snapped = None if mode is Alignment.STRICT else self.index.snap(start, end, mode)
        if snapped is None:
            action = "refused (strict)" if mode is Alignment.STRICT else "dropped: no token left"
        else:
            verb = "expanded" if mode is Alignment.EXPAND else "contracted"
            action = f"{verb} to {snapped[0]}..{snapped[1]}"
        self.report.items.append(
            Misaligned(self.doc, what, start, end, label, self.text[start:end], action)
        )
        return self.index.token_span(*snapped) if snapped else None


# --- reading -------------------------------------------------------------------------


def fail(path: Path, line: int | None, reason: str) -> NoReturn:
    raise InputError(path, line, reason)


def show(value: object) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def read_text(path: Path) -> str:
    """A whole UTF-8 file as is (no newline translation: offsets count every character)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(path, None, f"cannot read: {exc.strerror or exc}")
    if not data.strip():
        fail(path, None, "empty file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        fail(path, line, f"not UTF-8 (byte {exc.start + 1})")


class Fields:
    """Typed access to one decoded JSON object; errors name the file, line and field."""

    __slots__ = ("line", "path")

    def __init__(self, path: Path, line: int | None) -> None:
        self.path = path
        self.line = line

    def fail(self, reason: str) -> NoReturn:
        fail(self.path, self.line, reason)

    def obj(self, value: object, what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(f"{what} must be an object, got {show(value)}")
        return value

    def lst(self, value: object, what: str, *, optional: bool = True) -> list[Any]:
        if value is None and optional:
            return []
        if not isinstance(value, list):
            self.fail(f"{what} must be a list, got {show(value)}")
        return value

    def integer(self, value: object, what: str) -> int:
        # bool is an int subclass; true/false as offsets are a bug upstream.
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(f"{what} must be an integer, got {show(value)}")
        return value

    def string(self, value: object, what: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{what} must be a non-empty string, got {show(value)}")
        return value

    def offsets(self, start: object, end: object, what: str, length: int) -> Range:
        s, e = self.integer(start, f"{what} start"), self.integer(end, f"{what} end")
        if s < 0 or e > length:
            self.fail(f"{what} {s}..{e} is out of range (text has {length} characters)")
        if s >= e:
            self.fail(f"{what} {s}..{e} is empty or reversed")
        return s, e


def quote_dict(
    parts: list[Range],
    *,
    kind: str | None = None,
    speaker: Range | None = None,
    speaker_label: str | None = None,
    cue: Range | None = None,
    entity: str | None = None,
) -> dict[str, Any]:
    """A quote in the Newsmark record shape that `jsonl.record_to_input` reads."""
    return {
        "kind": kind,
        "parts": [{"start": s, "end": e} for s, e in sorted(parts)],
        "speaker": (
            {"start": speaker[0], "end": speaker[1], "label": speaker_label} if speaker else None
        ),
        "cue": {"start": cue[0], "end": cue[1]} if cue else None,
        "entity": entity,
    }


def assemble(
    f: Fields,
    entities: Mapping[Any, tuple[int, int, str]],
    relations: Iterable[tuple[str, Any, Any, Any]],
    options: ReadOptions,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Entity spans and quotes from labelled regions and (what, from, to, type) relations.

    QUOTE regions are quote parts, SPEAKER/CUE/PART_OF relations point from a speaker, a
    cue or a later part at a quote's first part; a SPEAKER or CUE relation that points
    from the quote instead (files name it "quotee") is read the same way, since only one
    end is a quote. Labels and relation types are read through `--map-labels`
    (`options.structure_label`) so a file's own names can carry the structure; entity
    spans keep the file's label, which the import service renames with the rest. A
    relation of another type is refused, or dropped and counted when `options` allow it,
    so nothing a file says is lost without a word.
    """
    role = {i: options.structure_label(e[2]) for i, e in entities.items()}
    quote_ids = {i for i, r in role.items() if r == QUOTE_LABEL}
    quotes: dict[Any, dict[str, Any]] = {i: {"parts": [entities[i][:2]]} for i in quote_ids}
    used: set[Any] = set()
    for what, src, dst, file_kind in relations:
        for name, ident in (("from", src), ("to", dst)):
            if ident not in entities:
                f.fail(f"{what}: {name} id {show(ident)} is not a region of this document")
        kind = options.structure_label(file_kind) if isinstance(file_kind, str) else file_kind
        if kind not in (SPEAKER_REL, CUE_REL, PART_REL):
            options.unsupported(
                f"relation {file_kind}",
                f"{what}: relation type {show(file_kind)} is not {SPEAKER_REL}, {CUE_REL} or "
                f"{PART_REL}",
                f.fail,
            )
            continue
        if kind != PART_REL and src in quote_ids and dst not in quote_ids:
            src, dst = dst, src
        if dst not in quotes:
            f.fail(f"{what}: its target {show(dst)} must be a {QUOTE_LABEL} region")
        used.add(src)
        quote = quotes[dst]
        if kind == PART_REL:
            if src not in quotes or src == dst:
                f.fail(f"{what}: {PART_REL} must link a later {QUOTE_LABEL} part to the first")
            quote["parts"].extend(quotes.pop(src)["parts"])
            continue
        slot = "speaker" if kind == SPEAKER_REL else "cue"
        if slot in quote:
            f.fail(f"{what}: the quote {show(dst)} already has a {slot}")
        start, end, label = entities[src]
        quote[slot] = (start, end)
        if slot == "speaker" and role[src] != SPEAKER_LABEL:
            quote["speaker_label"] = label
    for ident, (start, end, _label) in entities.items():
        if role[ident] in (SPEAKER_LABEL, CUE_LABEL) and ident not in used:
            options.unsupported(
                f"{role[ident]} region in no relation",
                f"region {show(ident)} ({role[ident]} {start}..{end}) is in no "
                f"{role[ident]} relation",
                f.fail,
            )
    spans = [
        {"start": s, "end": e, "label": label}
        for ident, (s, e, label) in entities.items()
        if role[ident] not in STRUCTURAL_LABELS
    ]
    return spans, [quote_dict(**q) for q in quotes.values()]
