"""Team mode's roles on a server: the login (`current_user`), its role in `users`, and
what a write session is about to touch, checked before it writes (ADR 0013).

A `Guard` says what a write needs; it reads what it must (a set's annotator, a
document's title) only when the database has users. `check` raises PermissionDenied.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from newsmark.domain.errors import NotFoundError, PermissionDenied
from newsmark.domain.roles import Identity, Need, least_clause, refusal
from newsmark.storage.orm import DocumentRow, EditLogRow, SetRow, UserRow

Guard = Callable[[Session], Need]


def identity(session: Session) -> Identity:
    """The server login (`current_user`: the URL's user, or a role it SET ROLE to), its
    role, and whether the database has users; one query."""
    role = select(UserRow.role).where(UserRow.name == func.current_user()).scalar_subquery()
    login, found, any_users = session.execute(
        select(func.current_user(), role, exists(select(UserRow.id)))
    ).one()
    return Identity(str(login), None if found is None else str(found), bool(any_users))


def check(session: Session, guard: Guard | None) -> None:
    """Refuse (PermissionDenied, before anything is written) what the login's role may not
    do. No guard: a write nobody classified, an admin's."""
    who = identity(session)
    if not who.roles_on:  # single-user: nothing to read, nothing to refuse
        return
    need = (guard or corpus("change the database", "admin"))(session)
    reason = refusal(who, need)
    if reason is not None:
        raise PermissionDenied(reason)


def corpus(what: str, least: str) -> Guard:
    """A write of shared data (documents, assignments, users, entities, models) that
    `least` and the roles above it may make."""
    need = Need(what + least_clause(least), least)
    return lambda _session: need


def of_set(set_id: int, *, review: bool = False) -> Guard:
    """An edit of one annotation set: its annotator, reviewers and admins may.
    `review`: marking it reviewed (reviewed_by), for reviewers and admins only."""

    def need(session: Session) -> Need:
        found = session.execute(
            select(SetRow.annotator, DocumentRow.id, DocumentRow.title)
            .join(DocumentRow, DocumentRow.id == SetRow.document_id)
            .where(SetRow.id == set_id)
        ).one_or_none()
        if found is None:
            raise NotFoundError("annotation set", set_id)
        owner, doc_id, title = found
        where = f"{owner}'s set of {_title(doc_id, title)}"
        if review:
            return Need(f"review {where}{least_clause('reviewer')}", "reviewer")
        return Need(f"edit {where}", "reviewer", owner=str(owner))

    return need


def of_annotator(annotator: str, doc_id: int | None = None) -> Guard:
    """Creating or filling `annotator`'s set (of `doc_id`; None: several): theirs to write."""

    def need(session: Session) -> Need:
        if doc_id is None:
            return Need(f"write {annotator}'s sets", "reviewer", owner=annotator)
        title = session.scalar(select(DocumentRow.title).where(DocumentRow.id == doc_id))
        return Need(
            f"write {annotator}'s set of {_title(doc_id, title)}", "reviewer", owner=annotator
        )

    return need


def of_log_entry(entry_id: int) -> Guard:
    """Reverting a logged edit: as editing its set, or the corpus's entities."""

    def need(session: Session) -> Need:
        found = session.execute(
            select(EditLogRow.set_id).where(EditLogRow.id == entry_id)
        ).one_or_none()
        if found is None:
            raise NotFoundError("log entry", entry_id)
        if found[0] is None:
            return ENTITY_EDITS(session)
        return of_set(found[0])(session)

    return need


ENTITY_EDITS = corpus("rename, relabel or merge the corpus's entities", "reviewer")


def _title(doc_id: int, title: str | None) -> str:
    return repr(title.strip()) if title and title.strip() else f"document {doc_id}"
