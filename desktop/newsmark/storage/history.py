"""The undo history a set's edit log describes: which steps were done and which undone.

The rule (ADR 0006): a row with `reverts` inverts the step whose newest row it names
(that step's undo, or its redo when the step was undone); a reversible row without it is
a new step and ends what was undone; an irreversible row (an import, a model run, a
merge logged before 0004) starts the history afresh. Rows written before migration 0004
carry no `reverts`: for those alone the old guess reads a row that mirrors the newest
step as its undo and one that repeats the newest undone step as its redo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newsmark.storage.orm import EditLogRow
from newsmark.storage.records import EditLogEntry

# The edits `Repository.revert` inverts from their row alone.
REVERSIBLE = frozenset(
    {
        "add_span",
        "update_span",
        "replace_span",
        "link_span",
        "delete_span",
        "add_quote",
        "update_quote",
        "replace_quote",
        "delete_quote",
        "set_status",
    }
)
# Corpus-wide, logged once per set they touched: revertible when written since 0004.
MERGES = frozenset({"merge_entities", "unmerge_entities"})
# Migration 0004 logs this row (corpus-wide) in a database whose log held rows already.
UPGRADE_OP = "schema_upgrade"
REVERTS_REVISION = "0004"


@dataclass(eq=False, slots=True)
class Step:
    """One step of the history: `entry` is the edit as first made (what the history calls
    it), `newest` the step's newest row (what its next undo or redo reverts)."""

    entry: EditLogEntry
    newest: int
    done: bool = True
    made: EditLogEntry | None = None  # the newest row that made it (the old guess reads it)


@dataclass(slots=True)
class History:
    done: list[Step] = field(default_factory=list)  # oldest first
    undone: list[Step] = field(default_factory=list)  # the next redo last


def _revision_of(session: Session) -> Any:
    """The "revision" of a schema_upgrade row's `after`."""
    if session.get_bind().dialect.name == "postgresql":
        return EditLogRow.after["revision"].as_string()
    return func.json_extract(EditLogRow.after, "$.revision")


def exact_from(session: Session) -> int:
    """The first row id that records `reverts`: rows before it are read by the old guess."""
    marker = session.scalar(
        select(func.max(EditLogRow.id)).where(
            EditLogRow.set_id.is_(None),  # the set_id index: only corpus-wide rows are read
            EditLogRow.op == UPGRADE_OP,
            _revision_of(session) == REVERTS_REVISION,
        )
    )
    return int(marker or 0)


def reversible(entry: EditLogEntry, first_exact: int) -> bool:
    """Whether `Repository.revert` can invert this row (a merge needs its 0004 record)."""
    return entry.op in REVERSIBLE or (entry.op in MERGES and entry.id >= first_exact)


def replay(entries: Sequence[EditLogEntry], first_exact: int, limit: int = 500) -> History:
    """The history the log of one set describes, at most `limit` steps each way."""
    history = History()
    steps: dict[int, Step] = {}  # newest row id -> step still in the history
    for entry in entries:
        if not reversible(entry, first_exact):
            history, steps = History(), {}
            continue
        step = steps.pop(entry.reverts, None) if entry.reverts is not None else None
        if step is None and entry.reverts is None and entry.id < first_exact:
            step = _guess(entry, history)
            if step is not None:
                steps.pop(step.newest, None)
        if step is None:  # a new edit (or the revert of a step no longer in the history)
            for gone in history.undone:
                steps.pop(gone.newest, None)
            history.undone.clear()
            step = Step(entry, entry.id, made=entry)
            history.done.append(step)
        elif step.done:  # an undo
            _remove(history.done, step)
            history.undone.append(step)
            step.done = False
        else:  # a redo
            _remove(history.undone, step)
            history.done.append(step)
            step.done, step.made = True, entry
        step.newest = entry.id
        steps[entry.id] = step
    return History(history.done[-limit:], history.undone[-limit:])


def _remove(steps: list[Step], step: Step) -> None:
    if steps and steps[-1] is step:  # the window only ever reverts the newest step
        steps.pop()
    else:
        del steps[next(i for i, s in enumerate(steps) if s is step)]


def _guess(entry: EditLogEntry, history: History) -> Step | None:
    """Before 0004: a row inverting the newest step was its undo, one repeating the
    newest undone step its redo. (A new edit that happens to mirror the previous one,
    such as relabelling back, is misread: the reason `reverts` exists.)"""
    if history.done:
        top = history.done[-1].made
        if (
            top
            and _same_target(entry, top)
            and (entry.before, entry.after)
            == (
                top.after,
                top.before,
            )
        ):
            return history.done[-1]
    if history.undone:
        top = history.undone[-1].made
        if (
            top
            and _same_target(entry, top)
            and (entry.before, entry.after)
            == (
                top.before,
                top.after,
            )
        ):
            return history.undone[-1]
    return None


def _same_target(a: EditLogEntry, b: EditLogEntry) -> bool:
    return _kind(a.op) == _kind(b.op) and a.target_id == b.target_id


def _kind(op: str) -> str:
    return "span" if op.endswith("_span") else "quote" if op.endswith("_quote") else op
