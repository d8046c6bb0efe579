"""Readers for plain text (.txt) and Markdown (.md, YAML front matter -> meta)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from newsmark.domain.document import DocumentInput
from newsmark.domain.errors import InputError
from newsmark.domain.reading import ReadOptions
from newsmark.formats.normalize import decode_bytes, document_meta, normalize_text, prepare_text

# Articles are kilobytes; a bigger "article" is a log file or a dump someone pointed at.
MAX_FILE_BYTES = 64 * 1024 * 1024


def read_file_bytes(path: Path) -> bytes:
    """The bytes of an article file, with size and read errors as InputError."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(path, None, f"file too large ({size} bytes) for one article")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror or exc}") from exc


def read_file_text(path: Path) -> str:
    """The decoded text of a file (no normalisation); see decoding.decode_bytes."""
    return decode_bytes(read_file_bytes(path), path)


def _no_text(path: Path) -> InputError:
    return InputError(path, None, "empty file (only whitespace)")


def read_txt(path: Path, options: ReadOptions | None = None) -> Iterator[DocumentInput]:
    """One document per file; a leading `date ...` line becomes metadata."""
    prepared = prepare_text(read_file_text(path))
    if not prepared.text.strip():
        raise _no_text(path)
    meta = document_meta(prepared.text, str(path), prepared.meta)
    yield DocumentInput(text=prepared.text, meta=meta)


_FENCE = re.compile(r"---[ \t]*\n")
_FENCE_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_BLANK = re.compile(r"(?:[ \t]*\n)*")


def _plain(value: Any) -> Any:
    """YAML values made JSON-safe: dates as ISO strings, unknown objects as text."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


class _SafeNoAliasLoader(yaml.SafeLoader):
    """safe_load without anchors and aliases.

    Aliases are how a 1 KB "billion laughs" front matter expands to gigabytes (and a
    recursive alias to a RecursionError); no article's metadata needs them.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in front matter", event.start_mark
            )
        return super().compose_node(parent, index)


# Front matter is a few lines of metadata; anything longer is not front matter.
MAX_FRONT_MATTER = 64 * 1024


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """(meta, body) of a Markdown text; meta is {} without front matter.

    Front matter is a YAML mapping between a first line `---` and a line `---` (or
    `...`). Invalid YAML raises InputError with the file's 1-based line number.
    """
    if not _FENCE.match(text):
        return {}, text
    start = _FENCE.match(text)
    assert start is not None  # matched just above
    end = _FENCE_END.search(text, start.end())
    if end is None:
        raise InputError(path, 1, "front matter starts with --- but never ends")
    block = text[start.end() : end.start()]
    if len(block) > MAX_FRONT_MATTER:
        raise InputError(
            path, 2, f"front matter longer than {MAX_FRONT_MATTER // 1024} KB: not metadata"
        )
    try:
        # A safe loader: front matter is data, never Python objects; and no aliases.
        meta = yaml.load(block, Loader=_SafeNoAliasLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1: 1-based, +1: the --- line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(path, line, f"invalid YAML front matter: {problem}") from exc
    except RecursionError as exc:
        raise InputError(path, 1, "invalid YAML front matter: nested too deeply") from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise InputError(path, 2, "front matter must be a YAML mapping (key: value lines)")
    body_start = text.find("\n", end.start())
    body = "" if body_start == -1 else text[body_start + 1 :]
    blanks = _BLANK.match(body)
    if blanks:
        body = body[blanks.end() :]
    return _plain(meta), body


def read_md(path: Path, options: ReadOptions | None = None) -> Iterator[DocumentInput]:
    """One document per file: YAML front matter -> meta, the Markdown source -> text."""
    text, _ = normalize_text(read_file_text(path))
    meta, body = split_front_matter(text, path)
    prepared = prepare_text(body)
    if not prepared.text.strip():
        raise _no_text(path)
    yield DocumentInput(
        text=prepared.text, meta=document_meta(prepared.text, str(path), prepared.meta, meta)
    )
