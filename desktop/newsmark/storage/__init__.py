"""Storage: the SQLite database, its migrations and the repository (the only SQLAlchemy user)."""

from newsmark.storage.db import Database
from newsmark.storage.lock import WriterLock
from newsmark.storage.records import BatchInputError, DocumentSummary, EditLogEntry
from newsmark.storage.repository import Repository

__all__ = [
    "BatchInputError",
    "Database",
    "DocumentSummary",
    "EditLogEntry",
    "Repository",
    "WriterLock",
]
