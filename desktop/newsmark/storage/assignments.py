"""Assignments and users (migration 0006): what is assigned to whom, writing a plan, and
each annotator's progress through their queue."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import ColumnElement, and_, case, delete, exists, func, insert, select
from sqlalchemy.orm import Session, aliased

from newsmark.domain.assignment import AnnotatorProgress
from newsmark.domain.errors import UsageError
from newsmark.domain.status import Status
from newsmark.storage import rows
from newsmark.storage.orm import AssignmentRow, DocumentRow, SetRow, UserRow

CHUNK = 500  # ids per IN list (SQLite caps bound parameters per query)
ROLES = ("annotator", "reviewer", "admin")
STARTED = (Status.IN_PROGRESS, Status.ACCEPTED, Status.REJECTED, Status.SKIPPED)
DECIDED = (Status.ACCEPTED, Status.REJECTED, Status.SKIPPED)


def current(session: Session) -> dict[int, tuple[str, ...]]:
    """Document id -> its annotators, in the order they were assigned."""
    out: dict[int, list[str]] = {}
    stmt = select(AssignmentRow.document_id, AssignmentRow.annotator).order_by(AssignmentRow.id)
    for doc_id, name in session.execute(stmt):
        out.setdefault(doc_id, []).append(name)
    return {doc: tuple(names) for doc, names in out.items()}


def any_assigned(session: Session) -> bool:
    return session.scalar(select(exists(select(AssignmentRow.id)))) or False


def write(session: Session, planned: Mapping[int, Sequence[str]], by: str, *, replace: bool) -> int:
    """Store `planned` (document id -> annotators) in the caller's transaction; `replace`:
    the planned documents' earlier assignments go first. Returns the rows written."""
    ids = sorted(planned)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        known = set(session.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(chunk))))
        missing = [i for i in chunk if i not in known]
        if missing:
            raise UsageError(f"no document {missing[0]} to assign")
        if replace:
            session.execute(delete(AssignmentRow).where(AssignmentRow.document_id.in_(chunk)))
    at = rows.utcnow()
    items = [
        {"document_id": doc, "annotator": name, "assigned_at": at, "assigned_by": by}
        for doc in ids
        for name in planned[doc]
    ]
    if items:
        session.execute(insert(AssignmentRow), items)
    return len(items)


def progress(session: Session, annotator: str | None = None) -> list[AnnotatorProgress]:
    """Per annotator with assignments (or only `annotator`), by name: their documents,
    how many they share with another annotator, and their sets' statuses."""
    other = aliased(AssignmentRow)
    shared = exists(
        select(other.id).where(
            other.document_id == AssignmentRow.document_id,
            other.annotator != AssignmentRow.annotator,
        )
    )

    def count_if(cond: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    stmt = (
        select(
            AssignmentRow.annotator,
            func.count(AssignmentRow.id),
            count_if(shared),
            count_if(SetRow.status.in_([s.value for s in STARTED])),
            count_if(SetRow.status == Status.ACCEPTED.value),
            count_if(SetRow.status.in_([s.value for s in DECIDED])),
        )
        .select_from(AssignmentRow)
        .outerjoin(
            SetRow,
            and_(
                SetRow.document_id == AssignmentRow.document_id,
                SetRow.annotator == AssignmentRow.annotator,
            ),
        )
        .group_by(AssignmentRow.annotator)
        .order_by(AssignmentRow.annotator)
    )
    if annotator is not None:
        stmt = stmt.where(AssignmentRow.annotator == annotator)
    return [
        AnnotatorProgress(str(name), int(n), int(ov), int(st), int(acc), int(dec))
        for name, n, ov, st, acc, dec in session.execute(stmt)
    ]


def users(session: Session) -> dict[str, str]:
    """Name -> role (empty: single-user, no roles)."""
    return {str(n): str(r) for n, r in session.execute(select(UserRow.name, UserRow.role))}


def add_user(session: Session, name: str, role: str) -> None:
    if role not in ROLES:
        raise UsageError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if not name.strip():
        raise UsageError("a user needs a name")
    if session.scalar(select(UserRow.id).where(UserRow.name == name)) is not None:
        raise UsageError(f"user {name!r} exists")
    session.add(UserRow(name=name, role=role, created_at=rows.utcnow()))


def remove_user(session: Session, name: str) -> str:
    """Delete the user; returns their role. Unknown, or the last admin (nobody could manage
    users then): UsageError, nothing changed."""
    found = session.execute(select(UserRow.id, UserRow.role).where(UserRow.name == name)).first()
    if found is None:
        raise UsageError(f"no user {name!r}")
    user_id, role = found
    if role == "admin":
        admins = session.scalar(select(func.count(UserRow.id)).where(UserRow.role == "admin"))
        if admins == 1:
            raise UsageError(
                f"{name!r} is the last admin; add another admin first (nobody could manage "
                "users or assignments without one)"
            )
    session.execute(delete(UserRow).where(UserRow.id == user_id))
    return str(role)
