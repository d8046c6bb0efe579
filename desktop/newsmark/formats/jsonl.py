"""Reader for Newsmark and Prodigy-style JSONL: one document (with annotations) per line.

Readers are generators, so a bad line raises after earlier lines were yielded; callers
collect a file's documents into a list first (`registry.read_path`), which makes a file
import whole or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

from newsmark.domain.annotations import blank_reason, is_blank
from newsmark.domain.document import DocumentInput, Token, complete_tokens
from newsmark.domain.errors import InputError
from newsmark.domain.quotes import Quote, QuoteKind, guess_quote_kind
from newsmark.domain.reading import ReadOptions
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.formats.json_lines import MAX_LINE_BYTES, json_lines, loads
from newsmark.formats.normalize import OffsetMap, document_meta, prepare_text

_ANSWERS = {"accept": Status.ACCEPTED, "reject": Status.REJECTED, "ignore": Status.SKIPPED}
_STATUSES = {s.value for s in Status}
_KINDS = {k.value for k in QuoteKind}
# Keys whose values only mean something inside the database that exported them.
_LOCAL_META = ("doc_id",)
BLANK_RECORD = "record with empty or whitespace-only text"
DUPLICATE_SPAN = "identical duplicate span"
BLANK_SPAN = "span of only whitespace or punctuation"


class BlankRecord(InputError):
    """A record whose text is empty or only whitespace: skipped and counted, not refused.

    Real exports have them (a doccano file's line 7 is `{"text": " ", "label": []}`).
    """


def read_jsonl(
    path: Path, options: ReadOptions | None = None, *, max_line_bytes: int = MAX_LINE_BYTES
) -> Iterator[DocumentInput]:
    """One DocumentInput per non-blank line; InputError(path, line, reason) on the first bad one.

    Lines are read by `json_lines` (UTF-8, one JSON object each). A record whose text is
    blank is skipped and counted in `options`.
    """
    options = options if options is not None else ReadOptions()
    for line_no, value in json_lines(path, max_line_bytes=max_line_bytes):
        try:
            yield record_to_input(value, path, line_no, options)
        except BlankRecord:
            options.skip(BLANK_RECORD)


def parse_line(
    line: str,
    path: str | Path | None = None,
    line_no: int | None = None,
    options: ReadOptions | None = None,
) -> DocumentInput:
    """One JSONL line -> DocumentInput, or InputError(path, line_no, reason)."""
    return record_to_input(loads(line, path, line_no), path, line_no, options)


class _Where:
    """Builds InputErrors that name the file and line of the record being read."""

    __slots__ = ("line", "path")

    def __init__(self, path: str | Path | None, line: int | None) -> None:
        self.path = path
        self.line = line

    def fail(self, reason: str) -> NoReturn:
        raise InputError(self.path, self.line, reason)

    def string(self, value: object, what: str, *, optional: bool = False) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{what} must be a non-empty string, got {_show(value)}")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            self.fail(f"{what} contains an unpaired surrogate (a broken \\u escape)")
        return value

    def offsets(self, item: object, what: str, text_len: int) -> tuple[int, int]:
        if isinstance(item, list | tuple) and len(item) == 2:
            start, end = item
        elif isinstance(item, dict):
            start, end = item.get("start"), item.get("end")
        else:
            self.fail(f"{what} must be an object with start and end, got {_show(item)}")
        for name, value in (("start", start), ("end", end)):
            # bool is an int subclass; true/false as offsets are a bug upstream.
            if not isinstance(value, int) or isinstance(value, bool):
                self.fail(f"{what}: {name} must be an integer, got {_show(value)}")
        if start < 0 or end > text_len:
            self.fail(f"{what} {start}..{end} is out of range (text has {text_len} characters)")
        if start >= end:
            self.fail(f"{what} {start}..{end} is empty or reversed")
        return start, end

    def mapped(self, offsets: OffsetMap, start: int, end: int, what: str) -> tuple[int, int]:
        span = offsets.map_span(start, end)
        if span is None:
            self.fail(
                f"{what} {start}..{end} lies in text that import removes "
                "(the leading metadata line or a line break)"
            )
        return span


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if _jsonable(value) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _jsonable(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool | list | dict)


def check_text(value: object, path: str | Path | None, line: int | None) -> str:
    """A record's text: BlankRecord when it is empty or whitespace, InputError if no string."""
    if isinstance(value, str) and not value.strip():
        raise BlankRecord(path, line, "the text is empty or only whitespace")
    raw = _Where(path, line).string(value, '"text"')
    assert raw is not None  # not optional
    return raw


def record_to_input(
    value: object,
    path: str | Path | None = None,
    line: int | None = None,
    options: ReadOptions | None = None,
) -> DocumentInput:
    """A decoded JSON record -> DocumentInput with spans and quotes of origin `import`.

    Checks structure and ranges (offsets refer to the record's `text` and are remapped
    through the import normalisation); labels are checked by the caller against its set.
    The record's `tokens`, when it has them, are kept (see `complete_tokens`); identical
    duplicate spans collapse into one, counted in `options`. A blank text raises
    BlankRecord (readers skip and count it).
    """
    options = options if options is not None else ReadOptions()
    where = _Where(path, line)
    if not isinstance(value, dict):
        where.fail(f'expected a JSON object with a "text" field, got {_show(value)}')
    if "text" not in value:
        where.fail('missing "text"')
    raw = check_text(value["text"], path, line)
    meta = value.get("meta")
    if meta is None:
        meta = {}
    elif not isinstance(meta, dict):
        where.fail(f'"meta" must be an object, got {_show(meta)}')
    meta = {k: v for k, v in meta.items() if k not in _LOCAL_META}
    prepared = prepare_text(raw)
    if not prepared.text.strip():
        where.fail('"text" is empty after normalisation')
    spans = _unique(
        tuple(_spans(value.get("spans"), raw, prepared.offsets, where, options)), options
    )
    tokens = _tokens(value.get("tokens"), raw, prepared.text, prepared.offsets, where)
    quotes = tuple(_quotes(value.get("quotes"), raw, prepared.text, prepared.offsets, where))
    annotator = where.string(value.get("_annotator_id"), '"_annotator_id"', optional=True)
    return DocumentInput(
        text=prepared.text,
        meta=document_meta(
            prepared.text,
            None if path is None else str(path),
            prepared.meta,
            meta,
            source_wins=False,
        ),
        spans=spans,
        quotes=quotes,
        line=line,
        annotator=annotator,
        status=_status(value, where),
        tokens=tokens,
    )


def _unique(spans: tuple[Span, ...], options: ReadOptions) -> tuple[Span, ...]:
    """Spans with identical repeats (same offsets and label) collapsed, and counted."""
    unique = tuple(dict.fromkeys(spans))
    if len(unique) < len(spans):
        options.collapse(DUPLICATE_SPAN, len(spans) - len(unique))
    return unique


def _tokens(
    value: object, raw: str, text: str, offsets: OffsetMap, where: _Where
) -> tuple[Token, ...] | None:
    """The record's own tokens mapped onto the normalised text; None when it has none."""
    if value is None:
        return None
    mapped: list[Token] = []
    for i, item in enumerate(_list(value, "tokens", where)):
        what = f"tokens[{i}]"
        if not isinstance(item, dict):
            where.fail(f"{what} must be an object, got {_show(item)}")
        start, end = where.offsets(item, what, len(raw))
        quoted = item.get("text")
        if isinstance(quoted, str) and quoted != raw[start:end]:
            where.fail(
                f"{what} {start}..{end}: text {_show(quoted)} does not match "
                f"{_show(raw[start:end])} at those offsets"
            )
        span = offsets.map_span(start, end)
        if span is not None:  # a token of a removed metadata line or line break goes too
            mapped.append(Token(*span))
    if not mapped:
        return None
    try:
        return complete_tokens(text, mapped)
    except ValueError as exc:
        where.fail(f'"tokens": {exc}')


def _list(value: object, key: str, where: _Where) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        where.fail(f'"{key}" must be a list, got {_show(value)}')
    return value


def _spans(
    value: object, raw: str, offsets: OffsetMap, where: _Where, options: ReadOptions
) -> Iterator[Span]:
    for i, item in enumerate(_list(value, "spans", where)):
        what = f"spans[{i}]"
        if not isinstance(item, dict):
            where.fail(f"{what} must be an object, got {_show(item)}")
        start, end = where.offsets(item, what, len(raw))
        label = where.string(item.get("label"), f"{what}: label")
        assert label is not None  # not optional
        quoted = item.get("text")
        # Offsets in the wrong unit (UTF-16, bytes) are the classic export bug: catch
        # them where the record says what text it meant.
        if isinstance(quoted, str) and quoted != raw[start:end]:
            where.fail(
                f"{what} {start}..{end}: text {_show(quoted)} does not match "
                f"{_show(raw[start:end])} at those offsets"
            )
        if is_blank(raw[start:end]):
            # No entity (spaCy calls whitespace entities invalid; a PERSON '―' is none):
            # Newsmark stores none, so a file with them imports only if told to drop them.
            options.unsupported(
                BLANK_SPAN, f"{what} {blank_reason(start, end, raw[start:end])}", where.fail
            )
            continue
        s, e = where.mapped(offsets, start, end, what)
        yield Span(s, e, label, Origin.IMPORT)


def _quotes(
    value: object, raw: str, text: str, offsets: OffsetMap, where: _Where
) -> Iterator[Quote]:
    for i, item in enumerate(_list(value, "quotes", where)):
        what = f"quotes[{i}]"
        if not isinstance(item, dict):
            where.fail(f"{what} must be an object, got {_show(item)}")
        # "quote_parts" is the PolNeAR-derived gold's name (../shared/eval): without it a
        # split quote would come in silently as its hull.
        key = "parts" if item.get("parts") is not None else "quote_parts"
        parts_value = item.get(key)
        if parts_value is None:
            if item.get("quote") is None:
                where.fail(f'{what} needs "parts" or "quote"')
            parts_value = [item["quote"]]
        parts_list = _list(parts_value, f"{what}.{key}", where)
        if not parts_list:
            where.fail(f"{what}.{key} is empty")
        parts = []
        for j, part in enumerate(parts_list):
            start, end = where.offsets(part, f"{what}.{key}[{j}]", len(raw))
            parts.append(where.mapped(offsets, start, end, f"{what}.{key}[{j}]"))
        parts.sort()
        speaker = speaker_label = cue = None
        if item.get("speaker") is not None:
            start, end = where.offsets(item["speaker"], f"{what}.speaker", len(raw))
            speaker = where.mapped(offsets, start, end, f"{what}.speaker")
            if isinstance(item["speaker"], dict):
                speaker_label = where.string(
                    item["speaker"].get("label"), f"{what}.speaker.label", optional=True
                )
        if item.get("cue") is not None:
            start, end = where.offsets(item["cue"], f"{what}.cue", len(raw))
            cue = where.mapped(offsets, start, end, f"{what}.cue")
        kind_value = item.get("kind")
        if kind_value is None:
            kind = guess_quote_kind(text, parts)
        elif kind_value in _KINDS:
            kind = QuoteKind(kind_value)
        else:
            where.fail(
                f"{what}: kind must be one of {', '.join(sorted(_KINDS))}, got {_show(kind_value)}"
            )
        yield Quote(
            parts=tuple(parts),
            kind=kind,
            speaker=speaker,
            speaker_label=speaker_label,
            cue=cue,
            entity=where.string(item.get("entity"), f"{what}.entity", optional=True),
            origin=Origin.IMPORT,
        )


def _status(value: dict[str, Any], where: _Where) -> str | None:
    status = value.get("status")
    if status is not None:
        if status not in _STATUSES:
            where.fail(
                f'"status" must be one of {", ".join(sorted(_STATUSES))}, got {_show(status)}'
            )
        return str(status)
    answer = value.get("answer")
    if answer is None:
        return None
    if answer not in _ANSWERS:
        where.fail(f'"answer" must be accept, reject or ignore, got {_show(answer)}')
    return _ANSWERS[answer].value
