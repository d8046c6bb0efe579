"""Reading JSON Lines: the one place every JSONL reader gets its lines and values from.

So a truncated, binary or non-UTF-8 file gets the same error whatever format it claims
to be (Newsmark, Prodigy or doccano).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

from newsmark.domain.errors import InputError
from newsmark.formats.normalize import binary_kind

# One record holds one article with its tokens: a few MB at most. A longer line is not a
# record, and reading it whole could exhaust memory.
MAX_LINE_BYTES = 64 * 1024 * 1024


def json_lines(path: Path, *, max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[tuple[int, Any]]:
    """(line number, decoded value) of each non-blank line; InputError on the first bad one.

    Lines must be UTF-8 (as RFC 8259 requires of JSON); a BOM on the first line is
    allowed. NaN and Infinity are refused (not JSON), and so is nesting deep enough to
    exhaust the decoder.
    """
    try:
        f = path.open("rb")
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    count = 0
    with f:
        head = f.read(16)
        if not head:
            raise InputError(path, None, "empty file")
        kind = binary_kind(head)
        if kind is not None:
            raise InputError(path, None, f"binary file, not text (looks like a {kind})")
        f.seek(0)
        for no, raw in enumerate(iter(lambda: f.readline(max_line_bytes + 1), b""), 1):
            if len(raw) > max_line_bytes and not raw.endswith(b"\n"):
                raise InputError(path, no, f"line longer than {max_line_bytes} bytes")
            if no == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if b"\x00" in raw:
                raise InputError(path, no, "binary data, not text (NUL byte)")
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    path, no, f"not UTF-8 (byte {exc.start + 1}); JSONL must be UTF-8"
                ) from exc
            if not line.strip():
                continue
            stripped = line.rstrip()
            if not line.endswith("\n") and stripped[-1] not in "}]":
                raise InputError(path, no, "truncated line (no closing brace)")
            yield no, loads(line, path, no)
            count += 1
    if not count:
        raise InputError(path, None, "empty file (no JSON lines)")


def no_constants(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


def loads(text: str, path: str | Path | None, line: int | None) -> Any:
    """json.loads with errors as InputError naming the file and line (NaN refused)."""
    try:
        return json.loads(text, parse_constant=no_constants)
    except json.JSONDecodeError as exc:
        at = line if line is not None else exc.lineno
        raise InputError(path, at, f"invalid JSON: {exc.msg} (column {exc.colno})") from exc
    except ValueError as exc:
        raise InputError(path, line, f"invalid JSON: {exc}") from exc
    except RecursionError as exc:
        raise InputError(path, line, "invalid JSON: nested too deeply") from exc
