"""Every format Newsmark reads or writes, with what each can do: the one table.

The `spacy` format's code lives in nlp/ (formats may not import spaCy); its row here
declares it, and services/catalog.py attaches the reader and writer that load spaCy when
a DocBin is used (docs/adr/0004-one-format-table.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from newsmark.domain.alignment import AlignmentReport
from newsmark.formats import brat, conll, doccano, html, jsonl, labelstudio, newsmark_jsonl, prodigy
from newsmark.formats import text as plain
from newsmark.formats.registry import Format, Output, register_format


def _json_keys(line: str) -> set[str]:
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        return set()
    return set(value) if isinstance(value, dict) else set()


def _sniff_newsmark(line: str) -> bool:
    keys = _json_keys(line)
    return "text" in keys and "schema_version" in keys


def _sniff_html(line: str) -> bool:
    head = line.lstrip().lower()
    return head.startswith(("<!doctype html", "<html"))


def _write_brat(
    records: Iterable[Mapping[str, Any]],
    dest: Path,
    *,
    report: AlignmentReport | None = None,
    split: float | None = None,
    seed: int = 0,
) -> int:
    # The export service has checked the destination with the user's --force already.
    return brat.write_brat(records, dest, force=True, report=report)


FORMATS = (
    Format(
        "txt", (".txt",), "plain text, one article per file", "text only",
        read=plain.read_txt,
    ),
    Format(
        "md", (".md", ".markdown"), "Markdown with optional YAML front matter",
        "text and front matter metadata", read=plain.read_md,
    ),
    Format(
        "html", (".html", ".htm"), "web page; main text, title, author and date by trafilatura",
        "main text and metadata", read=html.read_html, sniff=_sniff_html,
    ),
    Format(
        "newsmark", (".jsonl",), "Newsmark JSONL, one annotation set per line (the default)",
        "everything: entities, quotes, speakers, cues, status, annotator",
        read=jsonl.read_jsonl, output=Output.STREAM, write=newsmark_jsonl.write_jsonl,
        sniff=_sniff_newsmark, aliases=("jsonl",),
    ),
    Format(
        "prodigy", (".jsonl",),
        "Prodigy task JSONL (rel.manual style: spans with tokens, relations, answer, hashes)",
        "entities; quotes as QUOTE spans (hull) with SPEAKER/CUE relations",
        read=prodigy.read_prodigy, output=Output.STREAM, write=prodigy.write_prodigy,
        token_aligned=True, sniff=prodigy.sniff_prodigy,
    ),
    Format(
        "doccano", (".jsonl",),
        "doccano JSONL (relation), UTF-16 offsets; the project must allow overlapping spans",
        "everything quotes have: QUOTE/SPEAKER/CUE entities + relations, kind and name "
        'under "newsmark"',
        read=doccano.read_doccano, output=Output.STREAM, write=doccano.write_doccano,
        sniff=doccano.sniff_doccano,
    ),
    Format(
        doccano.FLAT, (".jsonl",),
        "doccano JSONL (relation) with no overlapping spans, for doccano's default project",
        "as doccano, less spans that would overlap (mostly entities in quotes), each reported",
        output=Output.STREAM, write=doccano.write_doccano_flat,
    ),
    Format(
        "labelstudio", (".json",),
        "Label Studio JSON tasks (or JSON-MIN): labels regions in code points, relations",
        "entities; quote parts, speakers and cues as QUOTE/SPEAKER/CUE regions + relations",
        read=labelstudio.read_labelstudio, output=Output.STREAM,
        write=labelstudio.write_labelstudio,
    ),
    Format(
        "brat", (".ann",),
        "brat standoff folder: .txt + .ann per document and annotation.conf (write to -o DIR)",
        "entities; quotes as Quote events with Speaker, Cue, Kind and the speaker's name",
        read=brat.read_brat, output=Output.FOLDER, write_to=_write_brat,
    ),
    Format(
        "conll", (".conll", ".iob"),
        "CoNLL-2003-style `token TAG` lines, IOB2 tags, -DOCSTART- -X- O O between documents"
        " (reads spaCy's sentence-per-line `word|POS|TAG` .iob too)",
        "entities only (quotes are dropped and counted in the export report)",
        read=conll.read_conll, output=Output.STREAM, write=conll.write_conll,
        token_aligned=True,
    ),
    # Declared here, attached by services/catalog.py (its code imports spaCy).
    Format(
        "spacy", (".spacy",),
        "spaCy DocBin (-o FILE; with --split a folder with train.spacy/dev.spacy)",
        "entities as doc.ents; quotes in doc.spans['quotes'] and user_data; meta",
        output=Output.FILE, token_aligned=True, splits=True,
    ),
)  # fmt: skip

for _fmt in FORMATS:
    register_format(_fmt)
