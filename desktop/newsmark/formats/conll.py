"""CoNLL-2003-style NER: one `token TAG` line (IOB2) per token, -DOCSTART- between documents."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from newsmark.domain.document import DocumentInput
from newsmark.domain.offsets import Alignment
from newsmark.formats.jsonl import record_to_input
from newsmark.formats.tools import (
    AlignmentReport,
    TokenAligner,
    doc_label,
    fail,
    record_entities,
    record_tokens,
)

# spaCy's `convert` splits documents at exactly this line (CoNLL-2003 itself wrote
# "-DOCSTART- -X- -X- O"; the reader accepts any line whose first column is -DOCSTART-).
DOCSTART = "-DOCSTART- -X- O O"


def conll_lines(record: Mapping[str, Any], report: AlignmentReport) -> Iterator[str]:
    """The lines of one document: a blank line wherever the text breaks a line."""
    text: str = record["text"]
    aligner = TokenAligner(record, report)
    tags = ["O"] * len(record.get("tokens") or ())
    for start, end, label in record_entities(record):
        found = aligner.tokens(start, end, "span", label)
        if found is not None:
            first, last = found
            tags[first] = f"B-{label}"
            for i in range(first + 1, last + 1):
                tags[i] = f"I-{label}"
    yield DOCSTART
    yield ""
    open_line = False
    for token, tag in zip(record_tokens(record), tags, strict=True):
        word = text[token.start : token.end]
        if word.isspace():
            # Whitespace tokens carry no tag; a line break in one ends a "sentence".
            if open_line and ("\n" in word or "\r" in word):
                yield ""
                open_line = False
            continue
        if any(ch.isspace() for ch in word):
            word = "".join("_" if ch.isspace() else ch for ch in word)
            report.notes.append(f"document {doc_label(record)}: whitespace in {word!r} -> _")
        yield f"{word} {tag}"
        open_line = True
    if open_line:
        yield ""


def write_conll(
    records: Iterable[Mapping[str, Any]],
    stream: IO[str],
    *,
    alignment: Alignment = Alignment.STRICT,
    report: AlignmentReport | None = None,
) -> int:
    """Entities only: each document's quotes are counted in `report.notes` as dropped."""
    report = report or AlignmentReport(alignment)
    count = quotes = 0
    for record in records:
        for line in conll_lines(record, report):
            stream.write(line)
            stream.write("\n")
        quotes += len(record.get("quotes") or ())
        count += 1
    if quotes:
        report.notes.append(f"conll: {quotes} quote(s) dropped (CoNLL carries entities only)")
    report.check("conll")
    return count


def _flush(words: list[tuple[str, str, int]], path: Path) -> DocumentInput | None:
    """Text (tokens joined by spaces, sentences by newlines) and entities of one document."""
    if not words:
        return None
    pieces: list[str] = []
    spans: list[dict[str, Any]] = []
    pos = 0
    current: dict[str, Any] | None = None
    for word, tag, _ in words:
        if word == "\n":
            if pieces and pieces[-1] == " ":
                pieces[-1] = "\n"
            elif pieces:
                pieces.append("\n")
                pos += 1
            continue
        start = pos
        pieces.extend((word, " "))
        pos += len(word) + 1
        prefix, _, label = tag.partition("-")
        if tag == "O":
            current = None
        elif prefix == "I" and current is not None and current["label"] == label:
            current["end"] = start + len(word)
        else:  # B-, or I- opening an entity (IOB1)
            current = {"start": start, "end": start + len(word), "label": label}
            spans.append(current)
    text = "".join(pieces).rstrip()
    return record_to_input({"text": text, "spans": spans}, path, words[0][2])


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """(number, text) of each line, read one at a time (a corpus file can be large)."""
    try:
        f = path.open("rb")
    except OSError as exc:
        fail(path, None, f"cannot read: {exc.strerror or exc}")
    with f:
        for no, raw in enumerate(f, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                fail(path, no, f"not UTF-8 (byte {exc.start + 1})")
            yield no, line.removeprefix("\ufeff") if no == 1 else line


def read_conll(path: Path) -> Iterator[DocumentInput]:
    """One DocumentInput per -DOCSTART- block (the whole file when there is none)."""
    words: list[tuple[str, str, int]] = []
    seen = False
    for no, line in _lines(path):
        cols = line.split()
        if not cols:
            if words and words[-1][0] != "\n":
                words.append(("\n", "O", no))
            continue
        if cols[0] == "-DOCSTART-":
            doc = _flush(words, path)
            if doc is not None:
                seen = True
                yield doc
            words = []
            continue
        if len(cols) < 2:
            fail(path, no, f"expected `token TAG`, got {line.strip()[:40]!r}")
        tag = cols[-1]
        prefix, dash, label = tag.partition("-")
        if tag != "O" and not (prefix in ("B", "I") and dash and label):
            fail(path, no, f"tag {tag!r} is not O, B-TYPE or I-TYPE")
        words.append((cols[0], tag, no))
    doc = _flush(words, path)
    if doc is not None:
        yield doc
    elif not seen:
        fail(path, None, "empty file (no tokens)")
