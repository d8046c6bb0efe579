"""Plain records the repository returns besides domain objects (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from newsmark.domain.errors import InputError
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span
from newsmark.domain.status import Status

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """One row of the document list: a document and the annotation set shown for it.

    Without an annotator filter the set is the most recently changed one; `status`,
    `annotator` and `set_id` are None when the document has no set yet.
    """

    id: int
    title: str
    source: str | None
    status: Status | None
    n_spans: int
    n_quotes: int
    annotator: str | None
    set_id: int | None = None
    # Accepted, then edited: a span or quote edit logged after the last status change.
    edited_after_accept: bool = False
    # How unsure the model was of the document (nlp.uncertainty); None: no model run.
    uncertainty: float | None = None


@dataclass(frozen=True, slots=True)
class SetState:
    """An annotation set's version and status right after a write: what the window shows,
    taken from the repository instead of worked out again beside it. `logged` is the
    edit-log row the write added (what an undo of it names as `reverts`); it is not part
    of the state, so two states compare by version and status."""

    version: int
    status: Status
    logged: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Edited(Generic[T]):
    """What an edit method returns: the item it wrote (a deleted one for `delete_*`, the
    previous status for `set_status`) and the set's state after the edit."""

    item: T
    state: SetState


@dataclass(frozen=True, slots=True)
class ModelRun:
    """What storing a prediction changed in one set, with ids: the spans and quotes it
    took out and put in, the status before and the state after.

    `Repository.replay_predictions` writes it again (redo) or its inverse (undo), so
    a re-run of the model is one undo step.
    """

    set_id: int
    removed_spans: tuple[Span, ...]
    added_spans: tuple[Span, ...]
    removed_quotes: tuple[Quote, ...]
    added_quotes: tuple[Quote, ...]
    before: Status
    state: SetState
    # The set's uncertainty (nlp.uncertainty) before and after the write: undo puts back
    # the one before, so the list's "most uncertain first" order follows an undone run.
    uncertainty_before: float | None = None
    uncertainty_after: float | None = None


@dataclass(frozen=True, slots=True)
class EditLogEntry:
    """One edit: `before`/`after` are JSON of the span, quote or status (None for add/delete).

    `reverts` is the id of the entry this one inverts (an undo; a revert of an undo is a
    redo), None for a new edit and for every entry written before migration 0004.
    """

    id: int
    set_id: int | None
    at: str  # UTC ISO 8601
    who: str
    op: str
    target_id: int | None
    before: Any
    after: Any
    reverts: int | None = None


@dataclass(frozen=True, slots=True)
class ImportedItem:
    """What `Repository.import_documents` did with one item of a batch.

    `set_id` is the annotation set stored for it (None: the item had no annotations or
    decision, or an identical set was there already); `spans` and `quotes` count what that
    set holds. `other_tokens` is true when the text was already stored with tokens other
    than the item's own: the stored ones are kept (a document has one tokenization).
    """

    doc_id: int
    created: bool
    set_id: int | None = None
    spans: int = 0
    quotes: int = 0
    other_tokens: bool = False


class BatchInputError(InputError):
    """An item of an `add_documents` batch was refused; `index` is its 0-based position.

    The repository knows no paths or lines: the caller maps `index` to them when it can.
    `reason` names the item ("document 3 of 10: ...") when the batch has several, so a
    caller that only re-raises `InputError(path, None, err.reason)` still says which.
    """

    def __init__(self, index: int, detail: str, total: int = 1) -> None:
        self.index = index
        self.detail = detail
        self.total = total
        reason = f"document {index + 1} of {total}: {detail}" if total > 1 else detail
        super().__init__(None, None, reason)

    def __reduce__(self) -> tuple[Any, ...]:
        return (BatchInputError, (self.index, self.detail, self.total))
