"""Pre-annotation use case: run the model over documents and store its spans and quotes.

`apply_predictions` is the one way a prediction becomes stored spans, quotes and entity
links: `preannotate` (CLI, batches), the window's first prediction of a document and its
Re-run model all call it. spaCy loads only when a model is (this module is the window's
too, and imports none of nlp until `load_model`, `predict_text` or `preannotate` runs).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any

from newsmark.domain.status import Status
from newsmark.services.entity_linking import EntityLinker
from newsmark.services.progress import Cancel, Cancelled, Progress, never_cancel, no_progress
from newsmark.storage import ModelRun, Repository

if TYPE_CHECKING:
    from newsmark.nlp.model import LoadedModel, load_model
    from newsmark.nlp.preannotate import Prediction, predict_text

__all__ = [
    "LoadedModel",
    "Prediction",
    "apply_prediction",
    "apply_predictions",
    "load_model",
    "preannotate",
    "predict_text",
]

log = logging.getLogger(__name__)

# Names of nlp/ this module hands on, imported (with spaCy) on first use (PEP 562).
_LAZY = {
    "LoadedModel": "newsmark.nlp.model",
    "load_model": "newsmark.nlp.model",
    "Prediction": "newsmark.nlp.preannotate",
    "predict_text": "newsmark.nlp.preannotate",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


@dataclass
class PreannotateReport:
    done: list[int] = field(default_factory=list)
    kept_human: list[int] = field(default_factory=list)  # skipped: a human edited them
    kept_decided: list[int] = field(default_factory=list)  # skipped: accepted/rejected/skipped
    spans: int = 0
    quotes: int = 0

    def summary(self) -> str:
        text = (
            f"pre-annotated {len(self.done)} document(s): "
            f"{self.spans} entity span(s), {self.quotes} quote(s)"
        )
        if self.kept_human:
            text += f"; {len(self.kept_human)} left alone (human edits; --force to redo)"
        if self.kept_decided:
            text += (
                f"; {len(self.kept_decided)} left alone (accepted, rejected or skipped, "
                "even with --force: set one back to in_progress to redo it)"
            )
        return text


def apply_predictions(
    repo: Repository,
    annotator: str,
    predictions: Sequence[tuple[int, Prediction]],
    *,
    force: bool = False,
    add_only: bool = False,
    linker: EntityLinker | None = None,
) -> list[ModelRun | None]:
    """Store each document's prediction in the annotator's set, in ONE transaction.

    The quotes' speakers are linked to corpus entities first (found or created by name),
    and so are the entity spans inside those speaker mentions. Model spans and quotes
    replace earlier model ones only where no human has edited the set (unless `force`);
    `add_only` keeps every stored one and adds the predicted spans that overlap none (no
    quotes). Per document: what changed (ids included, for undo), or None when skipped.
    """
    linker = linker or EntityLinker(repo)
    linked = [(doc_id, *linker.link(p.spans, p.quotes)) for doc_id, p in predictions]
    uncertain = [p.uncertainty for _, p in predictions]
    return repo.save_predictions_many(
        linked, annotator, force, add_only=add_only, uncertainties=uncertain
    )


def apply_prediction(
    repo: Repository,
    doc_id: int,
    annotator: str,
    prediction: Prediction,
    *,
    force: bool = False,
    add_only: bool = False,
    linker: EntityLinker | None = None,
) -> ModelRun | None:
    """`apply_predictions` for one document."""
    [run] = apply_predictions(
        repo, annotator, [(doc_id, prediction)], force=force, add_only=add_only, linker=linker
    )
    return run


def pending_documents(repo: Repository, annotator: str, force: bool) -> list[int]:
    """Documents the model has not annotated yet for this annotator (all with force)."""
    if force:
        return repo.document_ids()
    # Listed as new for the annotator: no set yet, or a set still new.
    return repo.document_ids(status=Status.NEW.value, annotator=annotator)


def decided_documents(repo: Repository, annotator: str) -> set[int]:
    """Documents whose set for this annotator is accepted, rejected or skipped."""
    return {
        doc_id
        for status in Status
        if status.is_decided
        for doc_id in repo.document_ids(status=status.value, annotator=annotator)
    }


def preannotate(
    repo: Repository,
    model: LoadedModel,
    doc_ids: Sequence[int] | None,
    *,
    annotator: str,
    force: bool = False,
    batch_size: int = 32,
    n_process: int = 1,
    progress: Progress = no_progress,
    cancel: Cancel = never_cancel,
) -> PreannotateReport:
    """Predict and store, one transaction per batch, so a kill loses one batch at most.

    Model spans replace earlier model spans only where no human has edited (unless force).
    A decided set (accepted, rejected, skipped) is never predicted into, force or not:
    its status says a person saw all it holds, and accepted ones are trained on as gold.
    """
    from newsmark.nlp.preannotate import predict_texts

    ids = list(doc_ids) if doc_ids is not None else pending_documents(repo, annotator, force)
    report = PreannotateReport()
    decided = decided_documents(repo, annotator)
    report.kept_decided = [i for i in ids if i in decided]
    ids = [i for i in ids if i not in decided]
    texts = repo.iter_texts(ids)  # unknown ids fail here, before any work

    progress(0, len(ids), "pre-annotating")
    predictions = predict_texts(model, texts, batch_size=batch_size, n_process=n_process)
    pending: list[tuple[int, Prediction]] = []
    linker = EntityLinker(repo)

    def flush() -> None:
        # One transaction per batch: an fsync per document would cost ~5% of throughput,
        # and a kill loses at most this batch, which the next run redoes (status stays new).
        runs = apply_predictions(repo, annotator, pending, force=force, linker=linker)
        for (doc_id, pred), run in zip(pending, runs, strict=True):
            if run is not None:
                report.done.append(doc_id)
                report.spans += len(pred.spans)
                report.quotes += len(pred.quotes)
            else:
                report.kept_human.append(doc_id)
        pending.clear()

    for n, (doc_id, pred) in enumerate(zip(ids, predictions, strict=True), start=1):
        if cancel():
            flush()
            raise Cancelled()
        pending.append((doc_id, pred))
        if len(pending) >= batch_size:
            flush()
        progress(n, len(ids), f"document {doc_id}")
    flush()
    return report
