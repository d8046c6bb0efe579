"""The `spacy` format: DocBin files with doc.ents, doc.spans["quotes"] and quote user_data."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, DocBin, Span
from spacy.vocab import Vocab

from newsmark.domain.alignment import AlignmentReport, Misaligned, doc_label
from newsmark.domain.annotations import check_range
from newsmark.domain.document import DocumentInput, PackedTokens
from newsmark.domain.errors import InputError, UsageError
from newsmark.domain.offsets import Alignment
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.reading import ReadOptions
from newsmark.domain.spans import Origin
from newsmark.nlp.docbin_spans import FileGroups, check_groups, doc_spans, doc_tokens
from newsmark.nlp.model import blank_english
from newsmark.nlp.quotes import SPANS_KEY, USER_DATA_KEY

# Document metadata, status and annotator ride along so an import restores them.
META_KEY = "newsmark_meta"
# Exported Docs have no tags, parses or lemmas: storing only these keeps DocBins small.
ATTRS = ("ORTH", "SPACY", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID")
_KINDS = {k.value for k in QuoteKind}


def _char_span(
    doc: Doc, name: str, start: int, end: int, label: str, what: str, report: AlignmentReport
) -> Span | None:
    span = doc.char_span(start, end, label=label)
    if span is not None:
        return span
    mode = report.mode
    snapped = None
    if mode is not Alignment.STRICT:
        snapped = doc.char_span(start, end, label=label, alignment_mode=mode.value)
        if snapped is not None and not snapped.text.strip():  # a lone "\n" token is no entity
            snapped = None
    if snapped is None:
        action = "refused (strict)" if mode is Alignment.STRICT else "dropped: no token left"
    else:
        verb = "expanded" if mode is Alignment.EXPAND else "contracted"
        action = f"{verb} to {snapped.start_char}..{snapped.end_char}"
    report.items.append(Misaligned(name, what, start, end, label, doc.text[start:end], action))
    return snapped


def record_doc(record: Mapping[str, Any], vocab: Vocab, report: AlignmentReport) -> Doc:
    """A Doc on exactly the record's tokens, with entities, quotes and metadata."""
    text: str = record["text"]
    tokens = record.get("tokens") or []
    # An export record's tokens keep their columns (PackedTokens): no dict per token.
    columns = getattr(tokens, "columns", None)
    if isinstance(columns, PackedTokens):
        words = list(map(text.__getitem__, map(slice, columns.starts, columns.ends)))
        spaces = list(map(bool, columns.spaces))
    else:
        words = [text[t["start"] : t["end"]] for t in tokens]
        spaces = [bool(t.get("ws")) for t in tokens]
    doc = Doc(vocab, words=words, spaces=spaces)
    if doc.text != text:
        raise InputError(
            None, None, f"document {doc_label(record)}: tokens do not rebuild its text"
        )
    name = doc_label(record)
    kb = {e["id"]: e.get("kb_id") for e in record.get("entities") or ()}
    ents: list[Span] = []
    for s in sorted(record.get("spans") or (), key=lambda s: (s["start"], s["end"])):
        span = _char_span(doc, name, s["start"], s["end"], s["label"], "span", report)
        if span is None:
            continue
        if ents and span.start < ents[-1].end:
            report.items.append(
                Misaligned(name, "span", s["start"], s["end"], s["label"],
                           text[s["start"] : s["end"]], "dropped: overlaps the previous entity "
                           "after alignment")
            )  # fmt: skip
            continue
        if kb.get(s.get("entity_id")):
            span = Span(doc, span.start, span.end, label=span.label_, kb_id=kb[s["entity_id"]])
        ents.append(span)
    doc.ents = ents
    quote_spans: list[Span] = []
    plain: list[dict[str, Any]] = []
    for q in record.get("quotes") or ():
        parts = q.get("parts") or [q["quote"]]
        hull = (min(p["start"] for p in parts), max(p["end"] for p in parts))
        span = _char_span(doc, name, *hull, q.get("kind") or "direct", "quote", report)
        if span is None:
            continue
        quote_spans.append(span)
        speaker, cue = q.get("speaker"), q.get("cue")
        plain.append(
            {
                "parts": [[p["start"], p["end"]] for p in parts],
                "speaker": [speaker["start"], speaker["end"]] if speaker else None,
                "cue": [cue["start"], cue["end"]] if cue else None,
                "entity": q.get("entity"),
                "speaker_label": speaker.get("label") if speaker else None,
            }
        )
    doc.spans[SPANS_KEY] = quote_spans
    doc.user_data[USER_DATA_KEY] = plain
    doc.user_data[META_KEY] = {
        "meta": record.get("meta") or {},
        "status": record.get("status"),
        "annotator": record.get("_annotator_id"),
    }
    return doc


def docbin_files(
    records: Iterable[Mapping[str, Any]],
    *,
    split: float | None = None,
    seed: int = 0,
    alignment: Alignment = Alignment.STRICT,
    report: AlignmentReport | None = None,
) -> tuple[int, dict[str, bytes]]:
    """(documents, DocBin bytes) of `records`: {"": data}, or with `split` train/dev files.

    The split shuffles documents with `random.Random(seed)`: the same data and seed give
    the same files. DocBin keeps its documents in memory until written (spaCy's design),
    a few bytes per token, so memory grows with the corpus, not with the text. Writing
    them is the caller's (services/exporting: atomically, never over a database).
    """
    report = report if report is not None else AlignmentReport(alignment)
    if split is not None and not 0 < split < 1:
        raise UsageError(f"--split must be between 0 and 1, got {split}")
    vocab = blank_english().vocab
    every = DocBin(attrs=ATTRS, store_user_data=True)
    for record in records:
        every.add(record_doc(record, vocab, report))
    report.check("spacy")
    count = len(every)
    if split is None:
        return count, {"": every.to_bytes()}
    order = list(range(count))
    random.Random(seed).shuffle(order)
    n_train = min(max(round(count * split), 1), count - 1) if count > 1 else count
    train_ids = set(order[:n_train])
    train, dev = (
        DocBin(attrs=ATTRS, store_user_data=True),
        DocBin(attrs=ATTRS, store_user_data=True),
    )
    for i, doc in enumerate(every.get_docs(vocab)):
        (train if i in train_ids else dev).add(doc)
    return count, {"train.spacy": train.to_bytes(), "dev.spacy": dev.to_bytes()}


def read_docbin(path: Path, options: ReadOptions | None = None) -> Iterator[DocumentInput]:
    """Documents of a .spacy file with their tokens, spans and quotes (origin import).

    The whole file is read before the first document is given: overlapping spans are
    refused (or counted) with figures for the whole file.
    """
    try:
        data = Path(path).read_bytes()
        docs = list(DocBin(store_user_data=True).from_bytes(data).get_docs(blank_english().vocab))
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    except Exception as exc:  # zlib, msgpack and spaCy errors all mean "not a DocBin"
        raise InputError(path, None, f"not a spaCy DocBin ({type(exc).__name__})") from exc
    if not docs:
        raise InputError(path, None, "no documents in this DocBin")
    options = options if options is not None else ReadOptions()
    groups = FileGroups()
    items = []
    for n, doc in enumerate(docs, 1):
        try:
            items.append(doc_input(doc, options, groups, n))
        except InputError as exc:
            raise InputError(path, None, f"document {n}: {exc.reason}") from exc
        except Exception as exc:  # a DocBin that decodes can still hold inconsistent docs
            reason = f"document {n} is not a valid spaCy Doc ({type(exc).__name__})"
            raise InputError(path, None, reason) from exc
    try:
        check_groups(options, groups)  # overlaps are refused for the whole file at once
    except InputError as exc:
        raise InputError(path, None, exc.reason) from exc
    yield from items


def _pair(value: Any, what: str, length: int) -> tuple[int, int] | None:
    if value is None:
        return None
    if not (isinstance(value, list | tuple) and len(value) == 2):
        raise InputError(None, None, f"{what} must be [start, end], got {value!r}")
    check_range(length, value[0], value[1], what)
    return int(value[0]), int(value[1])


def doc_input(
    doc: Doc,
    options: ReadOptions | None = None,
    groups: FileGroups | None = None,
    number: int = 1,
) -> DocumentInput:
    """One Doc with its own tokens, its spans (see nlp.docbin_spans) and its quotes."""
    text = doc.text
    if not text.strip():
        raise InputError(None, None, "empty text")
    options = options if options is not None else ReadOptions()
    spans = doc_spans(doc, number, options, groups if groups is not None else FileGroups())
    try:
        tokens = doc_tokens(doc)
    except ValueError as exc:
        raise InputError(None, None, f"tokens: {exc}") from exc
    group = list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []
    plain = doc.user_data.get(USER_DATA_KEY)
    if plain is not None and (not isinstance(plain, list | tuple) or len(plain) != len(group)):
        raise InputError(None, None, f"user_data[{USER_DATA_KEY!r}] does not match the quotes")
    quotes = []
    for i, span in enumerate(group):
        rec = plain[i] if plain is not None else {"parts": [[span.start_char, span.end_char]]}
        if not isinstance(rec, dict) or not rec.get("parts"):
            raise InputError(None, None, f"quote {i + 1}: no parts")
        parts = tuple(sorted(_pair(p, "quote part", len(text)) or (0, 0) for p in rec["parts"]))
        kind = span.label_ if span.label_ in _KINDS else "direct"
        quotes.append(
            Quote(
                parts=parts,
                kind=QuoteKind(kind),
                speaker=_pair(rec.get("speaker"), "speaker", len(text)),
                speaker_label=rec.get("speaker_label"),
                cue=_pair(rec.get("cue"), "cue", len(text)),
                entity=rec.get("entity"),
                origin=Origin.IMPORT,
            )
        )
    extra = doc.user_data.get(META_KEY) or {}
    meta = {k: v for k, v in (extra.get("meta") or {}).items() if k != "doc_id"}
    return DocumentInput(
        text=text,
        meta=meta,
        spans=spans,
        quotes=tuple(quotes),
        annotator=extra.get("annotator"),
        status=extra.get("status"),
        tokens=tokens,
    )
