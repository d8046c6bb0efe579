"""The words of a conflict: who changed the open document elsewhere, and what was lost."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsmark.storage.records import EditLogEntry


def local_time(at: str) -> str:
    """`at` (a log row's UTC ISO 8601 time) as the local hour and minute, e.g. "14:02"."""
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%H:%M")
    except ValueError:
        return at


def conflict_message(entries: Sequence[EditLogEntry], what: str, me: str) -> str:
    """The message for a refused `what` ("edit “Label PERSON”"), naming who wrote the
    set's newest log rows (`entries`, newest first) and when the newest was written."""
    names: list[str] = []
    for entry in entries:
        name = f"{entry.who} (in another window)" if entry.who == me else entry.who
        if name not in names:
            names.append(name)
    if not names:
        changed = "This document was changed elsewhere"
    else:
        who = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        changed = f"{who} changed this document at {local_time(entries[0].at)}"
    return (
        f"{changed}; reloaded with their changes; your {what} was not applied. "
        "Its undo history was cleared."
    )
