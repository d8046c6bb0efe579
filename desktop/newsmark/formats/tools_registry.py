"""Registers the other tools' formats (Prodigy, doccano, Label Studio, brat, CoNLL) by name.

`write` of every format here is a stream writer except brat's, which writes a folder:
callers that export to a folder use `FOLDER_WRITERS` (the registry's `Format.write`
takes a text stream). Token-based writers (prodigy, conll) take keyword options
`alignment` and `report` (an AlignmentReport) besides the stream.
"""

from __future__ import annotations

from collections.abc import Callable

from newsmark.formats import brat, conll, doccano, labelstudio, prodigy
from newsmark.formats.registry import Format, register_format

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
        "doccano JSONL (relation): entities with ids and offsets, relations from_id/to_id/type",
        "entities; quote parts, speakers and cues as QUOTE/SPEAKER/CUE entities + relations",
        read=doccano.read_doccano, write=doccano.write_doccano, sniff=doccano.sniff_doccano,
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
        "CoNLL-2003-style `token TAG` lines, IOB2 tags, -DOCSTART- -X- O O between documents",
        "entities only (quotes are dropped and counted in the export report)",
        read=conll.read_conll, write=conll.write_conll,
    ),
)  # fmt: skip


def register_tool_formats() -> None:
    """Add (or replace: `prodigy` had a placeholder) the formats above in the registry."""
    for fmt in TOOL_FORMATS:
        register_format(fmt, replace=True)


register_tool_formats()
