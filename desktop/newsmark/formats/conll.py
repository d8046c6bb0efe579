"""CoNLL-2003-style NER (`token TAG` per line, -DOCSTART- between documents) and spaCy's .iob."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from newsmark.domain.alignment import doc_label
from newsmark.domain.document import DocumentInput
from newsmark.domain.offsets import Alignment
from newsmark.domain.reading import ReadOptions
from newsmark.formats.jsonl import record_to_input
from newsmark.formats.tools import (
    AlignmentReport,
    TokenAligner,
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
    report = report if report is not None else AlignmentReport(alignment)
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


# A sentence break in the word list: blank line (token-per-line) or end of line (iob).
_BREAK = "\n"


def _flush(
    words: list[tuple[str, str, int]], path: Path, options: ReadOptions
) -> DocumentInput | None:
    """Text (tokens joined by spaces, sentences by newlines), its tokens and entities.

    The words are the document's tokens exactly as the file splits them (`l'alliance`
    stays one token), so an export back to CoNLL writes the same lines. An I- tag after a
    sentence break continues the entity before it: the writer breaks the lines of an
    entity that spans a line break so.
    """
    if not any(word != _BREAK for word, _, _ in words):
        return None
    pieces: list[str] = []
    spans: list[dict[str, Any]] = []
    tokens: list[dict[str, int]] = []
    pos = 0
    current: dict[str, Any] | None = None
    for word, tag, _ in words:
        if word == _BREAK:
            if pieces and pieces[-1] == " ":
                pieces[-1] = "\n"
            elif pieces:
                pieces.append("\n")
                pos += 1
            continue
        start = pos
        pieces.extend((word, " "))
        pos += len(word) + 1
        tokens.append({"start": start, "end": start + len(word)})
        prefix, _, label = tag.partition("-")
        if tag == "O":
            current = None
        elif prefix == "I" and current is not None and current["label"] == label:
            current["end"] = start + len(word)
        else:  # B-, or I- opening an entity (IOB1)
            current = {"start": start, "end": start + len(word), "label": label}
            spans.append(current)
    text = "".join(pieces).rstrip()
    first = next(no for word, _, no in words if word != _BREAK)
    return record_to_input({"text": text, "spans": spans, "tokens": tokens}, path, first, options)


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


def _columns(line: str) -> list[str]:
    """A line's columns: split on tabs when it has any, else on whitespace."""
    # str.split would cut a word with a no-break space (`18\u00a0h`) in a tab-separated file.
    if "\t" in line:
        return [c for c in (c.strip() for c in line.split("\t")) if c]
    return line.split()


def _check_tag(path: Path, no: int, tag: str) -> str:
    prefix, dash, label = tag.partition("-")
    if tag != "O" and not (prefix in ("B", "I") and dash and label):
        fail(path, no, f"tag {tag!r} is not O, B-TYPE or I-TYPE")
    return tag


def is_iob_line(cols: list[str]) -> bool:
    """spaCy's sentence-per-line `iob` layout: every column is word|TAG or word|POS|TAG.

    A token-per-line file cannot look like this: its last column is a bare tag.
    """
    return all(len(c.split("|")) in (2, 3) and _is_tag(c.rsplit("|", 1)[1]) for c in cols)


def _is_tag(tag: str) -> bool:
    return tag == "O" or (tag[:2] in ("B-", "I-") and len(tag) > 2)


def _iob_words(path: Path, no: int, cols: list[str]) -> Iterator[tuple[str, str, int]]:
    """The words of one sentence line of spaCy's iob layout (`spacy convert -c iob`)."""
    for col in cols:
        fields = col.split("|")
        if len(fields) not in (2, 3) or not all(fields):
            fail(path, no, f"token {col[:40]!r} is not word|TAG or word|POS|TAG")
        yield fields[0], _check_tag(path, no, fields[-1]), no


def read_conll(path: Path, options: ReadOptions | None = None) -> Iterator[DocumentInput]:
    """One DocumentInput per -DOCSTART- block (the whole file when there is none).

    Two layouts, told apart by the first line with words: CoNLL-2003's token per line
    (`token [columns] TAG`, blank line between sentences) and spaCy's sentence per line
    (`word|TAG` or `word|POS|TAG` separated by spaces, as `spacy convert -c iob` reads).
    """
    words: list[tuple[str, str, int]] = []
    options = options if options is not None else ReadOptions()
    seen = False
    iob: bool | None = None
    for no, line in _lines(path):
        cols = _columns(line)
        if not cols:
            if not iob and words and words[-1][0] != _BREAK:
                words.append((_BREAK, "O", no))
            continue
        if cols[0].split("|", 1)[0] == "-DOCSTART-":
            doc = _flush(words, path, options)
            if doc is not None:
                seen = True
                yield doc
            words = []
            continue
        if iob is None:
            iob = is_iob_line(line.split())
        if iob:
            words.extend(_iob_words(path, no, line.split()))
            words.append((_BREAK, "O", no))
            continue
        if len(cols) < 2:
            fail(path, no, f"expected `token TAG`, got {line.strip()[:40]!r}")
        words.append((cols[0], _check_tag(path, no, cols[-1]), no))
    doc = _flush(words, path, options)
    if doc is not None:
        yield doc
    elif not seen:
        fail(path, None, "empty file (no tokens)")
