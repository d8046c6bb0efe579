"""Storage: the SQLite database, its migrations and the repository (the only SQLAlchemy user).

The names below load on first use (PEP 562), so `newsmark.storage.peek` can be imported
without SQLAlchemy (the window's first paint).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsmark.storage.db import Database
    from newsmark.storage.lock import WriterLock
    from newsmark.storage.records import (
        BatchInputError,
        DocumentSummary,
        Edited,
        EditLogEntry,
        ImportedItem,
        ModelRun,
        SetState,
    )
    from newsmark.storage.repository import Repository
    from newsmark.storage.server_db import ServerDatabase

_EXPORTS = {
    "BatchInputError": "newsmark.storage.records",
    "Database": "newsmark.storage.db",
    "DocumentSummary": "newsmark.storage.records",
    "EditLogEntry": "newsmark.storage.records",
    "Edited": "newsmark.storage.records",
    "ImportedItem": "newsmark.storage.records",
    "ModelRun": "newsmark.storage.records",
    "Repository": "newsmark.storage.repository",
    "ServerDatabase": "newsmark.storage.server_db",
    "SetState": "newsmark.storage.records",
    "WriterLock": "newsmark.storage.lock",
}

__all__ = [
    "BatchInputError",
    "Database",
    "DocumentSummary",
    "EditLogEntry",
    "Edited",
    "ImportedItem",
    "ModelRun",
    "Repository",
    "ServerDatabase",
    "SetState",
    "WriterLock",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
