"""Attaches the `spacy` format's code to its row of the format table (formats/catalog.py).

`formats/` may not import spaCy, so the table declares the format and this module, which
may import both, gives it a reader and a writer that import `nlp/docbin.py` (and spaCy,
~0.5 s) only when a DocBin is read or written: listing formats or exporting to another
format never loads spaCy. Importing this module is idempotent.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from newsmark.domain.alignment import AlignmentReport
from newsmark.domain.document import DocumentInput
from newsmark.domain.reading import ReadOptions
from newsmark.formats import files
from newsmark.formats.registry import Format, all_formats, get_format, register_format


def _read_docbin(path: Path, options: ReadOptions) -> Iterator[DocumentInput]:
    from newsmark.nlp.docbin import read_docbin

    return read_docbin(path, options)


def _write_docbin(
    records: Iterable[Mapping[str, Any]],
    dest: Path,
    *,
    report: AlignmentReport | None = None,
    split: float | None = None,
    seed: int = 0,
) -> int:
    """`-o FILE` written whole, or with `split` a folder of train.spacy and dev.spacy."""
    from newsmark.nlp.docbin import docbin_files

    count, made = docbin_files(records, split=split, seed=seed, report=report)
    if split is None:
        files.write_bytes(dest, made[""])
    else:
        with files.atomic_folder(dest) as folder:
            for name, data in made.items():
                (folder / name).write_bytes(data)
    return count


register_format(
    replace(get_format("spacy"), read=_read_docbin, write_to=_write_docbin), replace=True
)


def formats() -> list[Format]:
    """Every format Newsmark reads or writes, the spacy one ready to use."""
    return all_formats()
