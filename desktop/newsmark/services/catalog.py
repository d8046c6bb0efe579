"""Completes the format registry with formats that live outside `formats/` (spaCy's DocBin).

`formats/` may not import spaCy, so this module registers the `spacy` format with a
reader that imports `nlp/docbin.py` (and spaCy, ~0.5 s) only when a DocBin is read:
listing formats or exporting to another format never loads spaCy. Importing this
module is idempotent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from newsmark.domain.document import DocumentInput
from newsmark.domain.reading import ReadOptions
from newsmark.formats.registry import Format, all_formats, register_format
from newsmark.formats.tools_registry import FOLDER_WRITERS


def _read_docbin(path: Path, options: ReadOptions) -> Iterator[DocumentInput]:
    from newsmark.nlp.docbin import read_docbin

    return read_docbin(path, options)


# Export goes through `nlp.docbin.docbin_files` (see services/exporting.py), which makes
# a file or, with --split, a folder: the registry's stream `write` stays None.
SPACY_FORMAT = Format(
    name="spacy",
    extensions=(".spacy",),
    description="spaCy DocBin (-o FILE; with --split a folder with train.spacy/dev.spacy)",
    keeps="entities as doc.ents; quotes in doc.spans['quotes'] and user_data; meta",
    read=_read_docbin,
)
register_format(SPACY_FORMAT, replace=True)

# Formats whose export is one file written whole (not a stream): `-o FILE` is required.
FILE_WRITERS = frozenset({"spacy"})


def formats() -> list[Format]:
    """Every format Newsmark reads or writes, the spacy one included."""
    return all_formats()


def writes(fmt: Format) -> str | None:
    """How `fmt` exports: "stream" (to stdout or a file), "file", "folder", or None."""
    if fmt.name in FOLDER_WRITERS:
        return "folder"
    if fmt.name in FILE_WRITERS:
        return "file"
    return "stream" if fmt.write is not None else None


def modes(fmt: Format) -> str:
    """What `newsmark formats` shows: "read, write stream", "read, write folder", "read"..."""
    kind = writes(fmt)
    parts = (["read"] if fmt.read is not None else []) + ([f"write {kind}"] if kind else [])
    return ", ".join(parts) or "-"
