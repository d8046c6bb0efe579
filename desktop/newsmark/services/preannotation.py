"""Pre-annotation use case: run the model over documents and store its spans and quotes."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsmark.domain.status import Status
from newsmark.nlp.model import LoadedModel, load_model
from newsmark.nlp.preannotate import Prediction, predict_text, predict_texts
from newsmark.services.entity_linking import EntityLinker
from newsmark.services.progress import Cancel, Cancelled, Progress, never_cancel, no_progress
from newsmark.storage import Repository

__all__ = ["LoadedModel", "Prediction", "load_model", "preannotate", "predict_text"]

log = logging.getLogger(__name__)


@dataclass
class PreannotateReport:
    done: list[int] = field(default_factory=list)
    kept_human: list[int] = field(default_factory=list)  # skipped: a human edited them
    spans: int = 0
    quotes: int = 0

    def summary(self) -> str:
        text = (
            f"pre-annotated {len(self.done)} document(s): "
            f"{self.spans} entity span(s), {self.quotes} quote(s)"
        )
        if self.kept_human:
            text += f"; {len(self.kept_human)} left alone (human edits; --force to redo)"
        return text


def pending_documents(repo: Repository, annotator: str, force: bool) -> list[int]:
    """Documents the model has not annotated yet for this annotator (all with force)."""
    if force:
        return repo.document_ids()
    # Listed as new for the annotator: no set yet, or a set still new.
    return repo.document_ids(status=Status.NEW.value, annotator=annotator)


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
    """
    ids = list(doc_ids) if doc_ids is not None else pending_documents(repo, annotator, force)
    texts = repo.iter_texts(ids)  # unknown ids fail here, before any work
    report = PreannotateReport()

    progress(0, len(ids), "pre-annotating")
    predictions = predict_texts(model, texts, batch_size=batch_size, n_process=n_process)
    pending: list[tuple[int, Prediction]] = []
    linker = EntityLinker(repo)

    def flush() -> None:
        # One transaction per batch: an fsync per document would cost ~5% of throughput,
        # and a kill loses at most this batch, which the next run redoes (status stays new).
        saved = repo.save_predictions_many(
            [(doc_id, *linker.link(p.spans, p.quotes)) for doc_id, p in pending],
            annotator,
            force=force,
        )
        for (doc_id, pred), ok in zip(pending, saved, strict=True):
            if ok:
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
