"""The format registry: names, extensions, detection and the files a set of paths holds."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, Protocol

from newsmark.domain.alignment import AlignmentReport
from newsmark.domain.document import DocumentInput
from newsmark.domain.errors import InputError, UsageError
from newsmark.domain.reading import ReadOptions
from newsmark.formats import json_lines

# A reader takes the file and the options for it, and counts in them what it left out.
Reader = Callable[[Path, ReadOptions], Iterator[DocumentInput]]
Sniffer = Callable[[str], bool]
Records = Iterable[Mapping[str, Any]]


class StreamWriter(Protocol):
    """Writes records to a text stream (stdout or a file); the number written."""

    def __call__(
        self, records: Records, stream: IO[str], *, report: AlignmentReport | None = None
    ) -> int: ...


class PathWriter(Protocol):
    """Writes records to a file or folder it makes whole (see formats/files.py)."""

    def __call__(
        self,
        records: Records,
        dest: Path,
        *,
        report: AlignmentReport | None = None,
        split: float | None = None,
        seed: int = 0,
    ) -> int: ...


class Output(StrEnum):
    """What an export to a format makes."""

    STREAM = "stream"  # text to stdout or -o FILE
    FILE = "file"  # one file written whole: -o FILE
    FOLDER = "folder"  # a folder: -o DIR


@dataclass(frozen=True)
class Format:
    """A file format Newsmark reads and/or writes, and what it can do.

    `sniff` gets the first non-empty line of a file (decoded leniently) and says whether
    the file is in this format; it settles extensions that several formats share.
    `keeps` says in a few words what the format can carry (shown by `newsmark formats`).
    `output` is what an export makes (None: read only); a STREAM format has `write`, a
    FILE or FOLDER one `write_to`. `token_aligned` formats place spans on tokens, so
    `--alignment` applies; `splits` formats take `--split` and then write a folder.
    """

    name: str
    extensions: tuple[str, ...]
    description: str
    keeps: str
    read: Reader | None = None
    output: Output | None = None
    write: StreamWriter | None = None
    write_to: PathWriter | None = None
    token_aligned: bool = False
    splits: bool = False
    sniff: Sniffer | None = None
    aliases: tuple[str, ...] = ()  # other names `--format` accepts, e.g. "jsonl"

    @property
    def names(self) -> tuple[str, ...]:
        """The name and its aliases, for listings such as `newsmark formats`."""
        return (self.name, *self.aliases)

    def target(self, split: bool = False) -> Output | None:
        """What an export makes, with or without `--split`."""
        return Output.FOLDER if split and self.splits else self.output

    @property
    def modes(self) -> str:
        """What `newsmark formats` shows: "read, write stream", "write folder", "read"."""
        parts = (["read"] if self.read is not None else []) + (
            [f"write {self.output}"] if self.output is not None else []
        )
        return ", ".join(parts) or "-"


_FORMATS: dict[str, Format] = {}
# Other spellings people type for a format name (besides each Format's own aliases).
_ALIASES = {"text": "txt", "markdown": "md", "htm": "html"}


def register_format(fmt: Format, *, replace: bool = False) -> None:
    """Add a format to the registry (formats/catalog.py adds every one)."""
    if fmt.name in _FORMATS and not replace:
        raise ValueError(f"format {fmt.name!r} is already registered")
    _FORMATS[fmt.name] = fmt


def all_formats() -> list[Format]:
    return list(_FORMATS.values())


def get_format(name: str) -> Format:
    """The format called `name` (or an alias); InputError listing the known names."""
    key = name.strip().lower()
    fmt = _FORMATS.get(_ALIASES.get(key, key))
    if fmt is None:
        fmt = next((f for f in _FORMATS.values() if key in f.aliases), None)
    if fmt is None:
        known = ", ".join(sorted(_FORMATS))
        raise UsageError(f"unknown format {name!r} (known: {known})")
    return fmt


def known_extensions() -> tuple[str, ...]:
    """Extensions (with the dot, lower case) that some registered reader accepts."""
    seen: dict[str, None] = {}
    for fmt in _FORMATS.values():
        if fmt.read is not None:
            seen.update(dict.fromkeys(fmt.extensions))
    return tuple(seen)


# The first line is read in full (a Newsmark record puts "text" before "schema_version"),
# up to the reader's own line limit.
def _first_line(path: Path) -> str:
    try:
        with path.open("rb") as f:
            for raw in iter(lambda: f.readline(json_lines.MAX_LINE_BYTES), b""):
                line = raw.decode("utf-8", errors="replace").removeprefix("\ufeff").strip()
                if line:
                    return line
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    return ""


def detect_format(path: Path) -> Format:
    """The reader for `path`: by extension, then by content when that is not enough.

    When several formats share the extension, the one whose `sniff` recognises the first
    line wins; when none does, the first registered for the extension (e.g. `newsmark`
    for .jsonl). Raises InputError (naming the file, asking for --format) for an unknown
    extension that no sniffer recognises and when several different readers fit.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    candidates = [f for f in _FORMATS.values() if f.read is not None and suffix in f.extensions]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        # An unknown extension is settled by content only when a sniffer recognises it.
        pool = [f for f in _FORMATS.values() if f.read is not None and f.sniff is not None]
    else:
        pool = candidates
    first = _first_line(path)
    matches = [f for f in pool if f.sniff is not None and first and f.sniff(first)]
    # Formats that share one reader read the file the same way, so any of them will do.
    if len(matches) == 1 or (matches and len({id(f.read) for f in matches}) == 1):
        return matches[0]
    if matches:
        names = ", ".join(f.name for f in matches)
        raise InputError(path, None, f"cannot tell the format ({names} all fit); use --format")
    if candidates:
        # Nothing recognised the content (empty, invalid JSON, unknown keys): the
        # extension's first format reads it, and its reader says what is wrong and where.
        return candidates[0]
    what = f"extension {suffix!r}" if suffix else "no extension"
    known = " ".join(known_extensions())
    raise InputError(path, None, f"unknown file type ({what}; known: {known}); use --format to say")


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def iter_input_files(paths: Sequence[Path], skipped: list[InputError] | None = None) -> list[Path]:
    """Every regular file the given paths name: files as given, folders recursively.

    Inside folders only files with a known extension count, hidden files and folders are
    skipped and the order is sorted (by path parts), so an import is reproducible. A
    missing path or a folder without articles raises InputError. Duplicates are dropped.
    Files that are not regular (a FIFO would block the read forever, a link to /dev/zero
    never end it) and links inside a folder that lead out of it are left out: each with
    its reason in `skipped`, or as an InputError when no list is given.
    """
    extensions = known_extensions()
    found: list[Path] = []
    seen: set[Path] = set()

    def skip(err: InputError) -> None:
        if skipped is None:
            raise err
        skipped.append(err)

    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = _walk(path, extensions, skip)
            if not inside and not (skipped and any(_under(path, e) for e in skipped)):
                raise InputError(
                    path, None, f"no articles in this folder (looked for {' '.join(extensions)})"
                )
        elif path.exists():
            inside = [path] if _regular(path, skip) else []
        else:
            raise InputError(path, None, "no such file or directory")
        for p in inside:
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                found.append(p)
    return found


_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _regular(path: Path, skip: Callable[[InputError], None]) -> bool:
    """Whether `path` (followed if a link) is a regular file; if not, skip it with why."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        skip(InputError(path, None, f"cannot read: {exc.strerror or exc}; skipped"))
        return False
    if stat.S_ISREG(mode):
        return True
    kind = next((name for test, name in _KINDS if test(mode)), "not a file")
    skip(InputError(path, None, f"not a regular file ({kind}); skipped"))
    return False


def _under(root: Path, err: InputError) -> bool:
    return err.path is not None and Path(err.path).is_relative_to(root)


def _walk(
    root: Path, extensions: tuple[str, ...], skip: Callable[[InputError], None]
) -> list[Path]:
    files: list[Path] = []
    inside = root.resolve()
    # os.walk does not follow symlinked folders, so a link loop cannot recurse forever.
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not _is_hidden(d)]
        base = Path(dirpath)
        # In a brat collection the .txt is read through its .ann: import it once, annotated.
        standoff = {Path(n).stem for n in filenames if Path(n).suffix.lower() == ".ann"}
        for name in filenames:
            path = base / name
            suffix = path.suffix.lower()
            if (
                _is_hidden(name)
                or suffix not in extensions
                or (suffix == ".txt" and path.stem in standoff)
            ):
                continue
            # A link is followed only when it stays in the folder the user chose: a link
            # to /etc/passwd must not turn into a document (or an error quoting it).
            if path.is_symlink() and not path.resolve().is_relative_to(inside):
                skip(InputError(path, None, "a link to a file outside the folder; skipped"))
                continue
            if _regular(path, skip):
                files.append(path)
    return sorted(files, key=lambda p: p.relative_to(root).parts)


def read_path(
    path: Path, fmt: str | Format | None = None, options: ReadOptions | None = None
) -> list[DocumentInput]:
    """All documents of one file, or InputError: a file imports whole or not at all.

    What the reader left out (by `options`, or always: blank records) is counted in
    `options`; pass a fresh one per file.
    """
    path = Path(path)
    if isinstance(fmt, str):
        fmt = get_format(fmt)
    fmt = fmt or detect_format(path)
    if fmt.read is None:
        raise InputError(path, None, f"format {fmt.name!r} cannot be read, only written")
    return list(fmt.read(path, options if options is not None else ReadOptions()))
