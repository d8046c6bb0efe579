"""Completes the format registry with formats that live outside `formats/` (spaCy's DocBin).

`formats/` may not import spaCy, so `nlp/docbin.py` describes its format and this module,
which may import both, registers it. Importing it is idempotent.
"""

from __future__ import annotations

from newsmark.formats.registry import Format, all_formats, register_format
from newsmark.nlp.docbin import FORMAT_SPEC

register_format(Format(**FORMAT_SPEC), replace=True)


def formats() -> list[Format]:
    """Every format Newsmark reads or writes, the spacy one included."""
    return all_formats()
