"""Writing the `spacy` format's bytes in tests, as the export service does (minus its checks)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from newsmark.nlp.docbin import docbin_files


def write_docbin(records: Iterable[Mapping[str, Any]], dest: Path, **options: Any) -> int:
    """A .spacy file at `dest`, or with `split` a folder of train/dev; the document count."""
    count, made = docbin_files(records, **options)
    if "" in made:
        dest.write_bytes(made[""])
    else:
        dest.mkdir(exist_ok=True)
        for name, data in made.items():
            (dest / name).write_bytes(data)
    return count
