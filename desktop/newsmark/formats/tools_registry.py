"""Registers the other tools' formats (Prodigy, doccano, Label Studio, brat, CoNLL) by name.

`write` of every format here is a stream writer except brat's, which writes a folder:
callers that export to a folder use `FOLDER_WRITERS` (the registry's `Format.write`
takes a text stream). Token-based writers (prodigy, conll) take keyword options
`alignment` and `report` (an AlignmentReport) besides the stream.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from newsmark.domain.offsets import Alignment
from newsmark.formats import brat, conll, doccano, labelstudio, prodigy
from newsmark.formats.registry import Format, Writer, get_format, register_format
from newsmark.formats.tools import AlignmentReport

FolderWriter = Callable[..., int]

# Formats whose export is a folder, not a stream: name -> write(records, dest, force=...).
FOLDER_WRITERS: dict[str, FolderWriter] = {"brat": brat.write_brat}


TOOL_FORMATS = (
    Format(
        "prodigy", (".jsonl",),
        "Prodigy task JSONL (rel.manual style: spans with tokens, relations, answer, hashes)",
        "entities; quotes as QUOTE spans (hull) with SPEAKER/CUE relations",
        read=prodigy.read_prodigy, write=prodigy.write_prodigy, sniff=prodigy.sniff_prodigy,
    ),
    Format(
        "doccano", (".jsonl",),
        "doccano JSONL (relation), UTF-16 offsets; the project must allow overlapping spans",
        "everything quotes have: QUOTE/SPEAKER/CUE entities + relations, kind and name "
        'under "newsmark"',
        read=doccano.read_doccano, write=doccano.write_doccano, sniff=doccano.sniff_doccano,
    ),
    Format(
        doccano.FLAT, (".jsonl",),
        "doccano JSONL (relation) with no overlapping spans, for doccano's default project",
        "as doccano, less spans that would overlap (mostly entities in quotes), each reported",
        write=doccano.write_doccano_flat,
    ),
    Format(
        "labelstudio", (".json",),
        "Label Studio JSON tasks: labels regions (UTF-16 offsets) and relation results",
        "entities; quote parts, speakers and cues as QUOTE/SPEAKER/CUE regions + relations",
        read=labelstudio.read_labelstudio, write=labelstudio.write_labelstudio,
    ),
    Format(
        "brat", (".ann",),
        "brat standoff folder: .txt + .ann per document and annotation.conf (write to -o DIR)",
        "entities; quotes as Quote events with Speaker, Cue, Kind and the speaker's name",
        read=brat.read_brat,
    ),
    Format(
        "conll", (".conll", ".iob"),
        "CoNLL-2003-style `token TAG` lines, IOB2 tags, -DOCSTART- -X- O O between documents"
        " (reads spaCy's sentence-per-line `word|POS|TAG` .iob too)",
        "entities only (quotes are dropped and counted in the export report)",
        read=conll.read_conll, write=conll.write_conll,
    ),
)  # fmt: skip


# Writers that place spans on tokens and so take `alignment` and `report`.
TOKEN_WRITERS: dict[str, Callable[..., int]] = {
    "prodigy": prodigy.write_prodigy,
    "conll": conll.write_conll,
}


# Writers that add lines to the report (what they left out, what the target tool needs).
REPORTING_WRITERS: dict[str, Callable[..., int]] = {
    "doccano": doccano.write_doccano,
    doccano.FLAT: doccano.write_doccano_flat,
}


def stream_writer(name: str, report: AlignmentReport) -> Writer:
    """The registered stream writer of `name`, bound to `report` (and its alignment mode).

    Services call this instead of `get_format(name).write` so `--alignment` reaches the
    token-based writers and misaligned spans land in `report` for the export dialog.
    """
    fmt = get_format(name)
    if fmt.name in TOKEN_WRITERS:
        return functools.partial(TOKEN_WRITERS[fmt.name], alignment=report.mode, report=report)
    if fmt.name in REPORTING_WRITERS:
        return functools.partial(REPORTING_WRITERS[fmt.name], report=report)
    if fmt.write is None:
        raise ValueError(f"format {fmt.name!r} has no stream writer")
    return fmt.write


def new_report(alignment: str | Alignment = Alignment.STRICT) -> AlignmentReport:
    """An empty report for one export (`alignment` as typed: strict, expand, contract)."""
    return AlignmentReport(Alignment(alignment))


def register_tool_formats() -> None:
    """Add (or replace: `prodigy` had a placeholder) the formats above in the registry."""
    for fmt in TOOL_FORMATS:
        register_format(fmt, replace=True)


register_tool_formats()
