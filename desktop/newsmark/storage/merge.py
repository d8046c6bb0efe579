"""Offline merge, second half: copy one file's documents, entities, sets and edit logs
into the target, in the target's (one) transaction, every id remapped.

A copied set keeps its annotator, status, version, times and uncertainty; its log rows
keep who, when, what, before and after, under the target's ids. After them each set
gets one `import` row saying which file it came from: like an import, it starts the
set's undo history afresh (the rows before it describe edits made in another database).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from newsmark.storage import history, rows
from newsmark.storage.merge_plan import CHUNK, Snapshot
from newsmark.storage.orm import (
    AssignmentRow,
    Base,
    DocumentRow,
    EditLogRow,
    EntityRow,
    QuoteRow,
    SetRow,
    SpanRow,
    UserRow,
)

MERGED_OP = "import"  # irreversible, not a person's working time: as an import's row


@dataclass(slots=True)
class Ids:
    """The next free id of each table in the target (ids are given, not read back)."""

    next: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, s: Session) -> Ids:
        tables = (SetRow, SpanRow, QuoteRow, EditLogRow)
        return cls({t.__tablename__: (s.scalar(select(func.max(t.id))) or 0) + 1 for t in tables})

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


@dataclass(slots=True)
class Copied:
    documents: int = 0  # new in the target
    sets: int = 0
    spans: int = 0
    quotes: int = 0
    log_rows: int = 0
    entities: int = 0  # new in the target
    assignments: int = 0  # new in the target


@dataclass(slots=True)
class _Maps:
    """One file's ids -> the target's."""

    docs: dict[int, int] = field(default_factory=dict)
    entities: dict[int, int] = field(default_factory=dict)
    sets: dict[int, int] = field(default_factory=dict)
    spans: dict[int, int] = field(default_factory=dict)
    quotes: dict[int, int] = field(default_factory=dict)
    log: dict[int, int] = field(default_factory=dict)


def _table(row: type[Base]) -> Table:
    """The Core table of a row class: inserts through it skip the ORM's bulk path."""
    return Base.metadata.tables[row.__tablename__]


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i : i + CHUNK])


def _values(row: Any) -> dict[str, Any]:
    return dict(row._mapping)


def merge_entities(target: Session, snap: Snapshot, maps: _Maps, copied: Copied) -> None:
    """Match by (name, label) (one entity each in a database); a kb_id the target's lacks
    is filled in (two different ones were refused by the plan)."""
    have = {
        (r.name, r.label): (r.id, r.kb_id)
        for r in target.execute(
            select(EntityRow.id, EntityRow.name, EntityRow.label, EntityRow.kb_id)
        )
    }
    for old_id, (name, label, kb_id) in sorted(snap.entities.items()):
        found = have.get((name, label))
        if found is None:
            new_id = target.scalars(
                insert(EntityRow)
                .values(name=name, label=label, kb_id=kb_id)
                .returning(EntityRow.id)
            ).one()
            have[(name, label)] = (new_id, kb_id)
            copied.entities += 1
        else:
            new_id, known = found
            if kb_id and not known:
                target.execute(update(EntityRow).where(EntityRow.id == new_id).values(kb_id=kb_id))
                have[(name, label)] = (new_id, kb_id)
        maps.entities[old_id] = new_id


def merge_documents(target: Session, source: Session, maps: _Maps, copied: Copied) -> None:
    """Every document of the file, once: by content hash, the target's copy first."""
    have = {sha: i for sha, i in target.execute(select(DocumentRow.sha256, DocumentRow.id))}
    ids = list(source.scalars(select(DocumentRow.id).order_by(DocumentRow.id)))
    for chunk in _chunks(ids):
        fresh = []
        for row in source.execute(
            select(DocumentRow.__table__).where(DocumentRow.id.in_(chunk)).order_by(DocumentRow.id)
        ):
            if row.sha256 in have:
                maps.docs[row.id] = have[row.sha256]
            else:
                fresh.append(_values(row))
        if not fresh:
            continue
        old = [v.pop("id") for v in fresh]
        stmt = insert(DocumentRow).returning(DocumentRow.id, sort_by_parameter_order=True)
        new = list(target.scalars(stmt, fresh))
        for old_id, new_id, values in zip(old, new, fresh, strict=True):
            maps.docs[old_id] = new_id
            have[values["sha256"]] = new_id
        copied.documents += len(fresh)


def merge_assignments(target: Session, source: Session, maps: _Maps, copied: Copied) -> None:
    """The file's assignments and users the target lacks (a coordinator may hand out a
    database with its assignments). A document's (document, annotator) pair is kept once;
    a user named in several files keeps the role of the first (the target's first)."""
    have: set[tuple[int, str]] = {
        (d, a)
        for d, a in target.execute(select(AssignmentRow.document_id, AssignmentRow.annotator))
    }
    fresh = []
    for row in source.execute(select(AssignmentRow.__table__).order_by(AssignmentRow.id)):
        key = (maps.docs[row.document_id], row.annotator)
        if key in have:
            continue
        have.add(key)
        values = _values(row)
        values.pop("id")
        values["document_id"] = key[0]
        fresh.append(values)
    if fresh:
        target.execute(insert(_table(AssignmentRow)), fresh)
        copied.assignments += len(fresh)
    names = set(target.scalars(select(UserRow.name)))
    users = [_values(r) for r in source.execute(select(UserRow.__table__)) if r.name not in names]
    for values in users:
        values.pop("id", None)
    if users:
        target.execute(insert(_table(UserRow)), users)


def _entity(maps: _Maps, entity_id: int | None) -> int | None:
    return maps.entities.get(entity_id) if entity_id is not None else None


def _item_id(table: dict[int, int], ids: Ids, name: str, old: int | None) -> int | None:
    """The target's id of a span or quote; one the file no longer has (deleted, named
    by its log) gets an id of its own too, so its log rows still name one thing."""
    if old is None:
        return None
    if old not in table:
        table[old] = ids.take(name)
    return table[old]


def _set_items(
    source: Session,
    row: type[SpanRow] | type[QuoteRow],
    set_ids: Sequence[int],
    table: dict[int, int],
    maps: _Maps,
    ids: Ids,
) -> list[dict[str, Any]]:
    """The spans (or quotes) of the sets `set_ids`, under the target's ids: their own,
    their set's and their entity's."""
    out = []
    for r in source.execute(select(row.__table__).where(row.set_id.in_(set_ids))):
        v = _values(r)
        v.update(
            id=_item_id(table, ids, row.__tablename__, v["id"]),
            set_id=maps.sets[v["set_id"]],
            entity_id=_entity(maps, v["entity_id"]),
        )
        out.append(v)
    return out


def copy_sets(
    target: Session,
    source: Session,
    set_ids: Sequence[int],
    maps: _Maps,
    ids: Ids,
    copied: Copied,
    step: Callable[[int], None],
) -> None:
    """The sets (by the file's ids) with their spans, quotes and entity links."""
    for chunk in _chunks(set_ids):
        values = []
        for row in source.execute(
            select(SetRow.__table__).where(SetRow.id.in_(chunk)).order_by(SetRow.id)
        ):
            v = _values(row)
            new_id = ids.take(SetRow.__tablename__)
            maps.sets[v["id"]] = new_id
            v.update(id=new_id, document_id=maps.docs[v["document_id"]])
            values.append(v)
        target.execute(insert(_table(SetRow)), values)
        spans = _set_items(source, SpanRow, chunk, maps.spans, maps, ids)
        quotes = _set_items(source, QuoteRow, chunk, maps.quotes, maps, ids)
        if spans:
            target.execute(insert(_table(SpanRow)), spans)
        if quotes:
            target.execute(insert(_table(QuoteRow)), quotes)
        copied.sets += len(values)
        copied.spans += len(spans)
        copied.quotes += len(quotes)
        step(len(values))


def _remap_item(data: Any, table: dict[int, int], ids: Ids, name: str, maps: _Maps) -> Any:
    """A span or quote as its log row stores it, under the target's ids."""
    if not isinstance(data, dict):
        return data
    out = dict(data)
    if "id" in out:
        out["id"] = _item_id(table, ids, name, out["id"])
    if out.get("entity_id") is not None:
        out["entity_id"] = _entity(maps, out["entity_id"])
    return out


def _remap_merge(data: Any, maps: _Maps, ids: Ids) -> Any:
    """An entity merge's per-set row: the relinked spans and quotes, the entity."""
    if not isinstance(data, dict):
        return data
    out = dict(data)
    if out.get("entity_id") is not None:
        out["entity_id"] = _entity(maps, out["entity_id"])
    for key, table, name in (("spans", maps.spans, "spans"), ("quotes", maps.quotes, "quotes")):
        if isinstance(out.get(key), list):
            out[key] = [_item_id(table, ids, name, i) for i in out[key]]
    return out


def _remap_log(v: dict[str, Any], maps: _Maps, ids: Ids) -> dict[str, Any]:
    """A log row under the target's ids. What a row's target_id names depends on its op:
    a span, a quote, the set (status), the document (import), an entity (merges)."""
    op, target = v["op"], v["target_id"]
    before, after = v["before"], v["after"]
    if op.endswith("_span"):
        target = _item_id(maps.spans, ids, "spans", target)
        before = _remap_item(before, maps.spans, ids, "spans", maps)
        after = _remap_item(after, maps.spans, ids, "spans", maps)
    elif op.endswith("_quote"):
        target = _item_id(maps.quotes, ids, "quotes", target)
        before = _remap_item(before, maps.quotes, ids, "quotes", maps)
        after = _remap_item(after, maps.quotes, ids, "quotes", maps)
    elif op == "set_status":
        target = maps.sets.get(target) if target is not None else None
    elif op == "import":
        target = maps.docs.get(target) if target is not None else None
    elif op in history.MERGES:
        target = _entity(maps, target)
        before, after = _remap_merge(before, maps, ids), _remap_merge(after, maps, ids)
    else:  # model runs name nothing; an op this code does not know: nothing to map to
        target = None
    reverts = maps.log.get(v["reverts"]) if v["reverts"] is not None else None
    new_id = ids.take(EditLogRow.__tablename__)
    maps.log[v["id"]] = new_id
    return {
        **v,
        "id": new_id,
        "set_id": maps.sets[v["set_id"]],
        "target_id": target,
        "before": before,
        "after": after,
        "reverts": reverts,
    }


def copy_logs(
    target: Session, source: Session, set_ids: Sequence[int], maps: _Maps, ids: Ids
) -> int:
    """The sets' log rows in their order (a set's history is read in id order)."""
    wanted = set(set_ids)
    count = 0
    log_ids = list(
        source.scalars(
            select(EditLogRow.id).where(EditLogRow.set_id.is_not(None)).order_by(EditLogRow.id)
        )
    )
    for chunk in _chunks(log_ids):
        values = [
            _remap_log(_values(r), maps, ids)
            for r in source.execute(
                select(EditLogRow.__table__).where(EditLogRow.id.in_(chunk)).order_by(EditLogRow.id)
            )
            if r.set_id in wanted
        ]
        if values:
            target.execute(insert(_table(EditLogRow)), values)
            count += len(values)
    return count


def mark_merged(
    target: Session, snap: Snapshot, set_ids: Sequence[int], maps: _Maps, ids: Ids, who: str
) -> None:
    """One row per copied set: where it came from (and the end of its undo history)."""
    now = rows.utcnow()
    source_id = {new: old for old, new in maps.sets.items()}
    values = []
    for chunk in _chunks(set_ids):
        for row in target.execute(
            select(SetRow.id, SetRow.document_id, SetRow.annotator, SetRow.status).where(
                SetRow.id.in_([maps.sets[i] for i in chunk])
            )
        ):
            values.append(
                {
                    "id": ids.take(EditLogRow.__tablename__),
                    "set_id": row.id,
                    "at": now,
                    "who": who,
                    "op": MERGED_OP,
                    "target_id": row.document_id,
                    "before": None,
                    "after": {
                        "annotator": row.annotator,
                        "status": row.status,
                        "merged_from": PurePath(snap.name).name,
                        "set_id": source_id[row.id],
                    },
                    "reverts": None,
                }
            )
    if values:
        values.sort(key=lambda v: v["id"])
        target.execute(insert(_table(EditLogRow)), values)


def copy_file(
    target: Session,
    snap: Snapshot,
    set_ids: Sequence[int],
    ids: Ids,
    who: str,
    step: Callable[[int], None],
) -> Copied:
    """Everything of one file the plan gives it, into the target's open transaction."""
    copied = Copied()
    maps = _Maps()
    with snap.db.session(write=False) as source:
        merge_entities(target, snap, maps, copied)
        merge_documents(target, source, maps, copied)
        merge_assignments(target, source, maps, copied)
        copy_sets(target, source, set_ids, maps, ids, copied, step)
        copied.log_rows = copy_logs(target, source, set_ids, maps, ids)
    mark_merged(target, snap, set_ids, maps, ids, who)
    return copied
