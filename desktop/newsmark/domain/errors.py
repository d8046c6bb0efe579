"""The error types every layer raises and the CLI and window report."""

from __future__ import annotations

import re
from pathlib import Path

# C0 controls (newline and tab too: a message is one line), DEL, C1 controls, and the
# bidirectional overrides that make a terminal show text in another order than it is.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with control characters escaped (`\\x1b`, `\\n`): file names in messages
    must not clear a terminal or break a message into several lines."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in named:
        return named[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


class NewsmarkError(Exception):
    """Base of every error Newsmark reports to a user as one line."""


class InputError(NewsmarkError):
    """Bad input: a file, line or value Newsmark refuses, with where and why.

    `path` is the file (or None for values that did not come from a file); `line` is
    1-based where the format has lines.
    """

    def __init__(self, path: str | Path | None, line: int | None, reason: str) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        self.reason = reason
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return printable(f"{where}: {self.reason}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str | None, int | None, str]]:
        # Keeps the three fields when the error crosses a process boundary (n_process > 1).
        return (InputError, (self.path, self.line, self.reason))


class UnsupportedContent(InputError):
    """A file holds something Newsmark cannot represent (and the user did not allow dropping).

    The window offers to import such files again with dropping allowed.
    """

    def __reduce__(self) -> tuple[type[UnsupportedContent], tuple[str | None, int | None, str]]:
        return (UnsupportedContent, (self.path, self.line, self.reason))


class StorageError(NewsmarkError):
    """The database cannot be opened or written: corrupt, newer schema, locked, read-only."""


class ConflictError(StorageError):
    """An edit was made against an annotation set that another writer changed meanwhile."""


class ModelError(NewsmarkError):
    """No spaCy pipeline could be loaded; the message says what to install."""


class AnnotationError(NewsmarkError):
    """An annotation or label breaks a rule (range, blank, unknown label, overlap, duplicate).

    No file is involved (a window edit, a prediction, a label set): the message is the
    rule itself, with no `<input>:` in front. Readers that meet such a record in a file
    raise InputError with its file and line instead.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)

    def __str__(self) -> str:
        return printable(self.reason)

    def __reduce__(self) -> tuple[type[AnnotationError], tuple[str]]:
        return (type(self), (self.reason,))


class NotFoundError(NewsmarkError):
    """No document, annotation set, span, quote, entity or log entry with that id."""

    def __init__(self, what: str, ident: object, where: str | None = None) -> None:
        self.what = what
        self.ident = ident
        self.where = where
        inside = f" in {where}" if where else ""
        super().__init__(f"no {what} with id {ident}{inside}")

    def __reduce__(self) -> tuple[type[NotFoundError], tuple[str, object, str | None]]:
        return (NotFoundError, (self.what, self.ident, self.where))


class UsageError(NewsmarkError):
    """A value given to a command or dialog is wrong: an unknown option value, a missing
    argument. Exit 2, as argparse does for its own usage errors."""


class PermissionDenied(NewsmarkError):
    """Team mode: the server login's role may not make this write (ADR 0013). Nothing was
    written. Exit 2: the user asked for something they may not do, as a usage error."""
