"""Text normalisation at import: BOM and line endings, the leading metadata line."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Re-exported: readers and older callers import them from here.
from newsmark.formats.decoding import binary_kind as binary_kind
from newsmark.formats.decoding import decode_bytes as decode_bytes


class OffsetMap:
    """Maps code point offsets of a raw text to offsets of its normalised text.

    Normalisation only deletes characters (a BOM, the `\\r` of `\\r\\n`, a leading
    metadata line) or replaces one by one (a lone `\\r` by `\\n`), so a map is the sorted
    raw positions that were deleted plus a prefix cut from the normalised text. An offset
    that points at a deleted character maps to where the next kept character went: the
    middle of a `\\r\\n` pair maps to the `\\n`.
    """

    __slots__ = ("_removed", "prefix", "raw_length")

    def __init__(self, removed: Sequence[int], raw_length: int, prefix: int = 0) -> None:
        self._removed = list(removed)
        self.raw_length = raw_length
        self.prefix = prefix

    @property
    def is_identity(self) -> bool:
        return not self._removed and not self.prefix

    def __call__(self, offset: int) -> int:
        """The normalised offset of raw `offset` (clamped to 0 inside a cut prefix)."""
        if not 0 <= offset <= self.raw_length:
            raise ValueError(f"offset {offset} outside 0..{self.raw_length}")
        return max(0, offset - bisect_left(self._removed, offset) - self.prefix)

    def map_span(self, start: int, end: int) -> tuple[int, int] | None:
        """[start, end) in the normalised text; None if it touches the cut prefix or vanishes."""
        s = start - bisect_left(self._removed, start)
        e = end - bisect_left(self._removed, end)
        if s < self.prefix or e <= s:
            return None
        return s - self.prefix, e - self.prefix

    def drop_prefix(self, n: int) -> OffsetMap:
        """This map followed by removing the first `n` characters of the normalised text."""
        return OffsetMap(self._removed, self.raw_length, self.prefix + n)


def normalize_text(raw: str) -> tuple[str, OffsetMap]:
    """Remove a leading BOM and turn `\\r\\n` and lone `\\r` into `\\n`."""
    removed: list[int] = []
    if raw.startswith("\ufeff"):
        removed.append(0)
    if "\r" not in raw:
        return (raw[1:] if removed else raw), OffsetMap(removed, len(raw))
    pos = raw.find("\r\n")
    while pos != -1:
        removed.append(pos)
        pos = raw.find("\r\n", pos + 2)
    text = raw[1:] if raw.startswith("\ufeff") else raw
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, OffsetMap(removed, len(raw))


# The seed's first line: " date 2023-12-10 Yuri Kobzar20:37, 12/10/23" (a scraper glued
# the byline and the publication time onto one line). Only a first line that starts with
# "date YYYY-MM-DD" is taken: anything looser would eat real article sentences.
_META_LINE = re.compile(
    r"[ \t]*date[ \t]+(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[ \t]+(?P<rest>[^\n]*?))?[ \t]*(?:\n|$)"
)
_PUBLISHED = re.compile(r"(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:,?[ \t]*\d{1,2}/\d{1,2}/\d{2,4})?)$")
_MAX_META_LINE = 300
_BLANK_LINES = re.compile(r"(?:[ \t]*\n)*")


def split_meta_line(text: str) -> tuple[str, dict[str, str], int]:
    """Move a leading `date YYYY-MM-DD Author HH:MM, DD/MM/YY` line into metadata.

    Returns (body, meta, shift): the line and the blank lines after it are removed and
    every offset into `text` moves back by `shift`. Text without such a line comes back
    unchanged with empty meta and shift 0; so does a text that would be left empty.
    """
    match = _META_LINE.match(text)
    if match is None or match.end() > _MAX_META_LINE:
        return text, {}, 0
    blanks = _BLANK_LINES.match(text, match.end())
    shift = blanks.end() if blanks else match.end()
    if not text[shift:].strip():
        return text, {}, 0
    meta = {"date": match["date"]}
    rest = (match["rest"] or "").strip()
    published = _PUBLISHED.search(rest)
    if published:
        meta["published"] = published["time"]
        rest = rest[: published.start()].strip()
    if rest:
        meta["author"] = rest
    return text[shift:], meta, shift


@dataclass(frozen=True, slots=True)
class PreparedText:
    """A raw text after the whole import normalisation, with the map for its offsets."""

    text: str
    meta: dict[str, str]
    offsets: OffsetMap


def prepare_text(raw: str) -> PreparedText:
    """normalize_text then split_meta_line: what every reader does to a document's text."""
    text, offsets = normalize_text(raw)
    body, meta, shift = split_meta_line(text)
    return PreparedText(body, meta, offsets.drop_prefix(shift) if shift else offsets)


_MAX_TITLE = 200


def first_line_title(text: str) -> str:
    """The first non-empty line, stripped and cut to 200 characters."""
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            return stripped[:_MAX_TITLE]
    return ""


def document_meta(
    text: str, source: str | None, *layers: dict[str, Any], source_wins: bool = True
) -> dict[str, Any]:
    """Meta of a new document: later layers win; `source` wins too unless told otherwise.

    Readers of plain files pass `source_wins=True` (the path the user gave is the
    source); JSONL keeps a record's own `source` (where the text originally came from).
    A None `source` (a record that came from no file) adds none.
    """
    merged: dict[str, Any] = {} if source is None else {"source": source}
    for layer in layers:
        merged.update({k: v for k, v in layer.items() if v is not None})
    if source is not None and (source_wins or not merged.get("source")):
        merged["source"] = source
    title = merged.get("title")
    if isinstance(title, str) and title.strip():
        merged["title"] = title.strip()[:_MAX_TITLE]
    else:
        merged["title"] = first_line_title(text)
    return merged
