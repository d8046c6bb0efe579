"""Stateless prediction: files -> Newsmark JSONL records of the model's annotations, no database."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.document import Document, DocumentInput, text_sha256
from newsmark.domain.errors import InputError
from newsmark.domain.status import Status
from newsmark.formats import iter_input_files, read_path
from newsmark.formats.newsmark_jsonl import export_record
from newsmark.nlp.model import LoadedModel
from newsmark.nlp.preannotate import Prediction, predict_texts
from newsmark.services import catalog  # noqa: F401 - registers the spacy format


def read_inputs(
    paths: Sequence[Path], fmt: str | None
) -> Iterator[tuple[Path, list[DocumentInput] | InputError]]:
    """Each input file with its documents, or the error that refused it, in input order."""
    for given in paths:
        skipped: list[InputError] = []
        try:
            files = iter_input_files([Path(given)], skipped)
        except InputError as exc:
            yield Path(given), exc
            continue
        for err in skipped:
            yield Path(err.path or given), err
        for path in files:
            try:
                yield path, read_path(path, fmt)
            except InputError as exc:
                yield path, exc


def predict_paths(
    model: LoadedModel, paths: Sequence[Path], *, fmt: str | None = None, batch_size: int = 32
) -> Iterator[dict[str, Any] | InputError]:
    """One record per document in input order; an InputError in place of a refused file."""
    for path, result in read_inputs(paths, fmt):
        if isinstance(result, InputError):
            yield result
            continue
        preds = predict_texts(model, (d.text for d in result), batch_size=batch_size)
        for item, pred in zip(result, preds, strict=True):
            yield prediction_record(model, item.text, {"source": str(path), **item.meta}, pred)


def prediction_record(
    model: LoadedModel, text: str, meta: dict[str, Any], pred: Prediction
) -> dict[str, Any]:
    """The export schema for a prediction that is in no database (no doc_id, no entity ids)."""
    doc = Document(0, text, text_sha256(text), meta, tuple(pred.tokens))
    aset = AnnotationSet(0, model.provenance, Status.PREANNOTATED, pred.spans, pred.quotes)
    record = export_record(doc, aset, {})
    record["meta"].pop("doc_id", None)
    return record
