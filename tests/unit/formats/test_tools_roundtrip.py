"""Round trips: Newsmark record -> each tool's format -> reader gives back what it can carry."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from tools_support import records

from docbin_support import write_docbin
from newsmark.domain.document import DocumentInput
from newsmark.formats import brat, conll, doccano, labelstudio, prodigy
from newsmark.formats.tools import record_quotes
from newsmark.nlp import docbin
from newsmark.nlp.tokens import tokenize

PROFILE = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _spans(doc: DocumentInput) -> list[tuple[int, int, str]]:
    return sorted((s.start, s.end, s.label) for s in doc.spans)


def _want_spans(record: dict[str, Any]) -> list[tuple[int, int, str]]:
    return sorted((s["start"], s["end"], s["label"]) for s in record["spans"])


def _entity_at(record: dict[str, Any]) -> dict[tuple[int, int], str]:
    return {(s["start"], s["end"]): s["label"] for s in record["spans"]}


def _quotes(doc: DocumentInput, *, kind: bool, entity: bool, label: bool) -> list[tuple[Any, ...]]:
    # Sorted by repr: None and tuples do not compare.
    return sorted(
        (
            (
                q.parts,
                q.speaker,
                q.cue,
                q.kind.value if kind else None,
                q.entity if entity else None,
                q.speaker_label if label else None,
            )
            for q in doc.quotes
        ),
        key=repr,
    )


def _want_quotes(record: dict[str, Any], *, kind: bool, entity: bool) -> list[tuple[Any, ...]]:
    """What a reader should give back; the speaker's label is that of its entity mention."""
    at = _entity_at(record)
    # Sorted by repr: None and tuples do not compare.
    return sorted(
        (
            (
                q.parts,
                q.speaker,
                q.cue,
                q.kind if kind else None,
                q.entity if entity else None,
                at.get(q.speaker) if q.speaker else None,
            )
            for q in record_quotes(record)
        ),
        key=repr,
    )


def _stream(tmp: Path, name: str, write: Callable[..., int], record: dict[str, Any]) -> Path:
    path = tmp / name
    with path.open("w", encoding="utf-8", newline="\n") as f:
        assert write([record], f) == 1
    return path


def _one(docs: Iterator[DocumentInput]) -> DocumentInput:
    (doc,) = list(docs)
    return doc


@PROFILE
@given(record=records())
def test_doccano_keeps_everything_quotes_have(tmp_path: Path, record: dict) -> None:
    doc = _one(doccano.read_doccano(_stream(tmp_path, "d.jsonl", doccano.write_doccano, record)))
    assert doc.text == record["text"]
    assert _spans(doc) == _want_spans(record)
    got = _quotes(doc, kind=True, entity=True, label=True)
    assert got == _want_quotes(record, kind=True, entity=True)


@PROFILE
@given(record=records())
def test_labelstudio_keeps_entities_quote_parts_speakers_cues(tmp_path: Path, record: dict) -> None:
    path = _stream(tmp_path, "l.json", labelstudio.write_labelstudio, record)
    doc = _one(labelstudio.read_labelstudio(path))
    assert doc.text == record["text"]
    assert _spans(doc) == _want_spans(record)
    got = _quotes(doc, kind=False, entity=False, label=True)
    assert got == _want_quotes(record, kind=False, entity=False)
    assert doc.status == record["status"] and doc.annotator == record["_annotator_id"]


@PROFILE
@given(record=records())
def test_brat_keeps_everything_quotes_have(tmp_path: Path, record: dict) -> None:
    brat.write_brat([record], tmp_path / "out", force=True)
    (ann,) = (tmp_path / "out").glob("*.ann")
    doc = _one(brat.read_brat(ann))
    assert doc.text == record["text"]
    assert _spans(doc) == _want_spans(record)
    got = _quotes(doc, kind=True, entity=True, label=True)
    assert got == _want_quotes(record, kind=True, entity=True)


@PROFILE
@given(record=records())
def test_prodigy_keeps_entities_and_quote_hulls(tmp_path: Path, record: dict) -> None:
    doc = _one(prodigy.read_prodigy(_stream(tmp_path, "p.jsonl", prodigy.write_prodigy, record)))
    assert doc.text == record["text"]
    assert _spans(doc) == _want_spans(record)
    # One QUOTE span per extent: of quotes sharing a hull Prodigy keeps the first.
    first: dict[tuple[int, int], Any] = {}
    for q in record_quotes(record):
        first.setdefault(q.hull, q)
    at = _entity_at(record)
    expected = sorted(
        (
            ((q.hull,), q.speaker, q.cue, None, None, at.get(q.speaker) if q.speaker else None)
            for q in first.values()
        ),
        key=repr,
    )
    assert _quotes(doc, kind=False, entity=False, label=True) == expected
    assert doc.status == record["status"]


@PROFILE
@given(record=records())
def test_conll_keeps_tokens_and_entities(tmp_path: Path, record: dict) -> None:
    doc = _one(conll.read_conll(_stream(tmp_path, "c.conll", conll.write_conll, record)))
    text = record["text"]
    # CoNLL has no whitespace: compare the words and which words each entity covers.
    words = [text[t.start : t.end] for t in tokenize(text) if not text[t.start : t.end].isspace()]
    got_words = [doc.text[t.start : t.end] for t in tokenize(doc.text)]
    got_words = [w for w in got_words if not w.isspace()]
    assert got_words == words
    # The reader joins words with single spaces, so an entity's words are its split().
    want = [
        (
            [t["text"] for t in record["tokens"]
             if s["start"] <= t["start"] < s["end"] and not t["text"].isspace()],
            s["label"],
        )
        for s in record["spans"]
    ]  # fmt: skip
    assert [(doc.text[s.start : s.end].split(), s.label) for s in doc.spans] == want
    assert doc.quotes == ()


@PROFILE
@given(record=records())
def test_docbin_keeps_everything(tmp_path: Path, record: dict) -> None:
    write_docbin([record], tmp_path / "x.spacy")
    doc = _one(docbin.read_docbin(tmp_path / "x.spacy"))
    assert doc.text == record["text"]
    assert _spans(doc) == _want_spans(record)
    got = sorted(
        ((q.parts, q.speaker, q.cue, q.kind.value, q.entity, q.speaker_label) for q in doc.quotes),
        key=repr,
    )
    assert got == _want_quotes(record, kind=True, entity=True)
    assert (doc.status, doc.annotator) == (record["status"], record["_annotator_id"])


@pytest.mark.parametrize("name", ["prodigy", "doccano", "labelstudio", "conll"])
def test_empty_export_reads_as_no_documents_or_refused(tmp_path: Path, name: str) -> None:
    fmt = {
        "prodigy": prodigy.write_prodigy,
        "doccano": doccano.write_doccano,
        "labelstudio": labelstudio.write_labelstudio,
        "conll": conll.write_conll,
    }[name]
    path = tmp_path / "empty"
    with path.open("w", encoding="utf-8") as f:
        assert fmt([], f) == 0
    assert path.read_text(encoding="utf-8") in ("", "[]\n")
