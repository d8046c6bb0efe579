"""Corpus-wide entities: find or create by (name, label), merge two into one, undo that.

A merge (and its undo) writes one log row per annotation set whose mentions or quotes
it relinked, then one corpus-wide row (set_id NULL) that closes it, all in one
transaction: the rows of one merge are consecutive, the corpus-wide one last. Since
migration 0004 the corpus-wide row holds what reverting it needs (ADR 0006).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from newsmark.domain.entities import Entity
from newsmark.domain.errors import AnnotationError, NotFoundError
from newsmark.storage import edits, rows
from newsmark.storage.orm import EditLogRow, EntityRow, QuoteRow, SpanRow

MERGE, UNMERGE = "merge_entities", "unmerge_entities"
FOLLOW = "entity_label"  # an entity relabelled because its mentions agree (corpus-wide)


def entity_json(entity: Entity) -> dict[str, Any]:
    return {"id": entity.id, "name": entity.name, "label": entity.label, "kb_id": entity.kb_id}


def find_or_create(session: Session, name: str, label: str, kb_id: str | None) -> Entity:
    row = session.scalar(select(EntityRow).where(EntityRow.name == name, EntityRow.label == label))
    if row is None:
        row = EntityRow(name=name, label=label, kb_id=kb_id)
        session.add(row)
    elif kb_id and not row.kb_id:
        row.kb_id = kb_id
    session.flush()
    return rows.entity(row)


def update_entity(
    session: Session,
    entity_id: int,
    who: str,
    name: str | None,
    label: str | None,
    kb_id: str | None,
    reverts: int | None = None,
) -> Entity:
    row = session.get(EntityRow, entity_id)
    if row is None:
        raise NotFoundError("entity", entity_id)
    before = rows.entity(row)
    new_name = before.name if name is None else name.strip()
    new_label = before.label if label is None else label.strip()
    if not new_name or not new_label:
        raise AnnotationError("an entity needs a name and a label")
    # Checked before assigning: the query would autoflush a clashing row first.
    clash = session.scalar(
        select(EntityRow.id).where(
            EntityRow.name == new_name, EntityRow.label == new_label, EntityRow.id != entity_id
        )
    )
    if clash is not None:
        raise AnnotationError(
            f"entity {new_name!r} ({new_label}) already exists: merge them instead"
        )
    row.name, row.label = new_name, new_label
    if kb_id is not None:
        row.kb_id = kb_id.strip() or None  # "" clears it
    if row.name != before.name:
        # Quotes keep the resolved name as text too (it is what export writes).
        session.execute(
            update(QuoteRow).where(QuoteRow.entity_id == entity_id).values(entity=row.name)
        )
    session.flush()
    after = rows.entity(row)
    edits.log(
        session,
        None,
        who,
        "update_entity",
        entity_id,
        entity_json(before),
        entity_json(after),
        reverts,
    )
    return after


def merge(
    session: Session, keep_id: int, drop_id: int, who: str, reverts: int | None = None
) -> Entity:
    """Relink `drop_id`'s mentions and quotes to `keep_id` and delete it; `reverts` is the
    corpus-wide row of the unmerge this merge redoes."""
    if keep_id == drop_id:
        raise AnnotationError("cannot merge an entity with itself")
    keep, drop = session.get(EntityRow, keep_id), session.get(EntityRow, drop_id)
    if keep is None or drop is None:
        missing = keep_id if keep is None else drop_id
        raise NotFoundError("entity", missing)
    per_set: dict[int, dict[str, list[int]]] = {}
    for kind, table in (("spans", SpanRow), ("quotes", QuoteRow)):
        found = session.execute(select(table.id, table.set_id).where(table.entity_id == drop_id))
        for item_id, set_id in found:
            per_set.setdefault(set_id, {"spans": [], "quotes": []})[kind].append(item_id)
    session.execute(update(SpanRow).where(SpanRow.entity_id == drop_id).values(entity_id=keep_id))
    session.execute(
        update(QuoteRow)
        .where(QuoteRow.entity_id == drop_id)
        .values(entity_id=keep_id, entity=keep.name)
    )
    before, kept = rows.entity(drop), rows.entity(keep)
    if drop.kb_id and not keep.kb_id:
        keep.kb_id = drop.kb_id
    session.delete(drop)
    session.flush()
    after = rows.entity(keep)
    reverted = set_rows(session, reverts)
    for set_id, items in sorted(per_set.items()):
        # Each affected set gets its own row, so its history shows the relinking.
        edits.touch(
            session,
            edits.load_set(session, set_id),
            who,
            MERGE,
            drop_id,
            {"entity_id": drop_id, "name": before.name, **items},
            {"entity_id": keep_id, "name": after.name},
            human=False,
            reverts=reverted.get(set_id),
        )
    # And one corpus-wide row, so the merge is logged even when no mention used `drop`;
    # "kept" is the surviving entity before the merge (its kb_id may be copied over).
    edits.log(
        session,
        None,
        who,
        MERGE,
        drop_id,
        {**entity_json(before), "kept": entity_json(kept)},
        entity_json(after),
        reverts,
    )
    return after


def follow_mentions(
    session: Session, who: str, cause: int | None, reverts: int | None, *entity_ids: int | None
) -> None:
    """Give each entity the label its mentions now agree on (over every annotation set).

    Called after a mention's label or link changed, in the same transaction; `cause` is
    the set's log row of that edit. Relabelling every "Caddell" ORG -> PERSON relabels
    the entity. Mentions that disagree (or a clashing (name, label) entity) leave the
    label as it is: the panel shows the entity as mixed. An undo or redo (`reverts`, the
    row it inverts) puts back exactly what that edit did to entity labels, nothing else,
    so undo restores the entity as it was even when its mentions disagree.
    """
    if reverts is not None:
        for row in caused_by(session, reverts):
            entity = session.get(EntityRow, row.target_id or 0)
            before, after = row.before or {}, row.after or {}
            if entity is not None and entity.label == after.get("label"):
                _relabel(session, who, entity, str(before.get("label")), cause, row.id)
        return
    for entity_id in {i for i in entity_ids if i is not None}:
        entity = session.get(EntityRow, entity_id)
        found = set(session.scalars(select(SpanRow.label).where(SpanRow.entity_id == entity_id)))
        if entity is not None and len(found) == 1 and entity.label not in found:
            _relabel(session, who, entity, found.pop(), cause, None)


# How far after an edit's log row its follow rows may be. On SQLite (one writer) they are
# the rows right after it; on a server other writers' rows can come between (an edit
# waiting for an entity's row lock while others commit), so look a window further.
FOLLOW_WINDOW = 1024


def caused_by(session: Session, row_id: int) -> list[EditLogRow]:
    """The entity relabels the edit logged as `row_id` caused: written in its transaction,
    after it (a primary-key range, so an undo in a long log reads no more)."""
    later = session.scalars(
        select(EditLogRow)
        .where(
            EditLogRow.id > row_id,
            EditLogRow.id <= row_id + FOLLOW_WINDOW,
            EditLogRow.op == FOLLOW,
            EditLogRow.set_id.is_(None),
        )
        .order_by(EditLogRow.id)
        .limit(64)
    )
    return [
        row for row in later if isinstance(row.after, dict) and row.after.get("cause") == row_id
    ]


def _relabel(
    session: Session, who: str, row: EntityRow, label: str, cause: int | None, reverts: int | None
) -> None:
    clash = session.scalar(
        select(EntityRow.id).where(EntityRow.name == row.name, EntityRow.label == label)
    )
    if clash is not None:
        return  # "Caddell" PERSON exists already: a merge, not a relabel
    before = entity_json(rows.entity(row))
    row.label = label
    session.flush()
    after = {**entity_json(rows.entity(row)), "cause": cause}
    edits.log(session, None, who, FOLLOW, row.id, before, after, reverts)


def mention_labels(session: Session) -> dict[int, dict[str, int]]:
    """Entity id -> {label: mentions} over every annotation set (what "mixed" reads)."""
    out: dict[int, dict[str, int]] = {}
    found = session.execute(
        select(SpanRow.entity_id, SpanRow.label, func.count())
        .where(SpanRow.entity_id.is_not(None))
        .group_by(SpanRow.entity_id, SpanRow.label)
    )
    for entity_id, label, n in found:
        if entity_id is not None:
            out.setdefault(entity_id, {})[str(label)] = int(n)
    return out


def counts(session: Session) -> dict[int, tuple[int, int]]:
    """Entity id -> (mentions, quotes) over every annotation set."""
    out: dict[int, list[int]] = {}
    for column, table in ((0, SpanRow), (1, QuoteRow)):
        found = session.execute(
            select(table.entity_id, func.count())
            .where(table.entity_id.is_not(None))
            .group_by(table.entity_id)
        )
        for entity_id, n in found:
            if entity_id is not None:
                out.setdefault(entity_id, [0, 0])[column] = int(n)
    return {k: (v[0], v[1]) for k, v in out.items()}


def links(session: Session, entity_id: int) -> dict[str, list[int]]:
    """The span and quote ids linked to an entity (what a merge would relink)."""
    return {
        kind: sorted(session.scalars(select(table.id).where(table.entity_id == entity_id)))
        for kind, table in (("spans", SpanRow), ("quotes", QuoteRow))
    }


def unmerge(
    session: Session,
    kept: Entity,
    dropped: Entity,
    linked: dict[str, list[int]],
    who: str,
    reverts: int | None = None,
) -> Entity:
    """Undo a merge: recreate `dropped` with its id and relink the mentions it had.

    `kept` is the surviving entity as it was before the merge (its kb_id is restored);
    `reverts` is the corpus-wide row of the merge undone.
    """
    keep_id = kept.id
    if session.get(EntityRow, dropped.id) is not None:
        raise AnnotationError(f"entity id {dropped.id} is already in use")
    row = EntityRow(id=dropped.id, name=dropped.name, label=dropped.label, kb_id=dropped.kb_id)
    session.add(row)
    keep = session.get(EntityRow, keep_id)
    if keep is not None:
        keep.kb_id = kept.kb_id  # the merge may have copied the dropped one's over
    session.flush()
    span_ids, quote_ids = linked.get("spans", []), linked.get("quotes", [])
    session.execute(
        update(SpanRow)
        .where(SpanRow.id.in_(span_ids), SpanRow.entity_id == keep_id)
        .values(entity_id=dropped.id)
    )
    session.execute(
        update(QuoteRow)
        .where(QuoteRow.id.in_(quote_ids), QuoteRow.entity_id == keep_id)
        .values(entity_id=dropped.id, entity=dropped.name)
    )
    set_ids = {
        *session.scalars(select(SpanRow.set_id).where(SpanRow.id.in_(span_ids))),
        *session.scalars(select(QuoteRow.set_id).where(QuoteRow.id.in_(quote_ids))),
    }
    reverted = set_rows(session, reverts)
    for set_id in sorted(set_ids):
        edits.touch(
            session,
            edits.load_set(session, set_id),
            who,
            UNMERGE,
            dropped.id,
            {"entity_id": keep_id},
            {"entity_id": dropped.id, "name": dropped.name, **linked},
            human=False,
            reverts=reverted.get(set_id),
        )
    edits.log(
        session,
        None,
        who,
        UNMERGE,
        dropped.id,
        {"entity_id": keep_id},
        entity_json(dropped),
        reverts,
    )
    return rows.entity(row)


def revert(session: Session, entry_id: int, who: str) -> None:
    """Undo the merge (or redo the merge an unmerge undid) that log row `entry_id` is part
    of, whether it is the corpus-wide row or one set's."""
    found = session.get(EditLogRow, entry_id)
    if found is None:
        raise NotFoundError("edit log entry", entry_id)
    corpus = closing_row(session, found)
    before = None if corpus is None else corpus.before
    if corpus is None or not isinstance(before, dict):
        raise _not_logged_fully(found)
    if corpus.op == UNMERGE:
        merge(session, int(before["entity_id"]), int(corpus.target_id or 0), who, corpus.id)
        return
    if "kept" not in before:
        raise _not_logged_fully(found)
    links: dict[str, list[int]] = {"spans": [], "quotes": []}
    for row in set_rows_of(session, corpus):
        for kind, ids in links.items():
            ids += [int(i) for i in (row.before or {}).get(kind, [])]
    kept = before["kept"]
    unmerge(
        session,
        Entity(int(kept["id"]), kept["name"], kept["label"], kept.get("kb_id")),
        Entity(int(before["id"]), before["name"], before["label"], before.get("kb_id")),
        links,
        who,
        corpus.id,
    )


def _not_logged_fully(row: EditLogRow) -> AnnotationError:
    return AnnotationError(
        f"the {row.op!r} edit {row.id} was logged before Newsmark recorded merges fully "
        "(migration 0004): it cannot be reverted"
    )


def closing_row(session: Session, row: EditLogRow) -> EditLogRow | None:
    """The corpus-wide row that closes the merge or unmerge `row` belongs to (None when
    the rows after it are not that operation's: never written so by Newsmark)."""
    if row.set_id is None:
        return row
    later = session.scalars(
        select(EditLogRow)
        .where(EditLogRow.id > row.id)
        .order_by(EditLogRow.id)
        .execution_options(yield_per=256)
    )
    for other in later:
        if (other.op, other.target_id) != (row.op, row.target_id):
            return None
        if other.set_id is None:
            return other
    return None


def set_rows_of(session: Session, corpus: EditLogRow) -> list[EditLogRow]:
    """The per-set rows of the merge or unmerge that the corpus-wide row `corpus` closes:
    the consecutive rows just before it with its op and target."""
    found: list[EditLogRow] = []
    earlier = session.scalars(
        select(EditLogRow)
        .where(EditLogRow.id < corpus.id)
        .order_by(EditLogRow.id.desc())
        .execution_options(yield_per=256)
    )
    for other in earlier:
        if other.set_id is None or (other.op, other.target_id) != (corpus.op, corpus.target_id):
            break
        found.append(other)
    return found


def set_rows(session: Session, corpus_id: int | None) -> dict[int, int]:
    """Set id -> that set's row of the operation closed by `corpus_id` (what a revert of
    it names as `reverts` in each set's log)."""
    corpus = None if corpus_id is None else session.get(EditLogRow, corpus_id)
    if corpus is None:
        return {}
    return {row.set_id: row.id for row in set_rows_of(session, corpus) if row.set_id is not None}
