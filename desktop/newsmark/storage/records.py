"""Plain records the repository returns besides domain objects (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsmark.domain.errors import InputError
from newsmark.domain.status import Status


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


@dataclass(frozen=True, slots=True)
class EditLogEntry:
    """One edit: `before`/`after` are JSON of the span, quote or status (None for add/delete)."""

    id: int
    set_id: int | None
    at: str  # UTC ISO 8601
    who: str
    op: str
    target_id: int | None
    before: Any
    after: Any


class BatchInputError(InputError):
    """An item of an `add_documents` batch was refused; `index` is its 0-based position.

    The repository knows no paths or lines: the caller maps `index` to them and re-raises
    (e.g. `InputError(path, line_of[err.index], err.reason)`).
    """

    def __init__(self, index: int, reason: str) -> None:
        self.index = index
        super().__init__(None, None, reason)

    def __str__(self) -> str:
        return f"document {self.index + 1} of the batch: {self.reason}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (BatchInputError, (self.index, self.reason))
