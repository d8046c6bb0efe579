"""Offline merge, first half: what each file holds, and what cannot be merged (conflicts).

Documents are the same when their texts are (documents.sha256). An annotation set is
(document, annotator): the same set in two files must be identical to be kept once.
A document is the same article as one of another file, with another text, when the
two have the same source file name and title and each is the only document of its
file with them (see `text_conflicts`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from sqlalchemy import select

from newsmark.storage.db import Database
from newsmark.storage.orm import DocumentRow, EntityRow, QuoteRow, SetRow, SpanRow

EntityKey = tuple[str, str, str | None]  # name, label, kb_id
SetKey = tuple[str, str]  # document sha256, annotator
CHUNK = 500


@dataclass(frozen=True, slots=True)
class DocInfo:
    id: int
    sha256: str
    title: str | None
    source: str | None

    @property
    def article(self) -> tuple[str, str]:
        """What names the article across files when its text differs: the file name of
        its source (paths differ between annotators' machines) and its title."""
        name = PurePath(self.source).name if self.source else ""
        return name, self.title or ""


@dataclass(slots=True)
class Snapshot:
    """One file's documents, sets and entities (ids are that file's own)."""

    name: str  # the path as the user gave it: what messages say
    db: Database
    docs: dict[int, DocInfo] = field(default_factory=dict)
    sets: dict[SetKey, int] = field(default_factory=dict)  # -> set id
    entities: dict[int, EntityKey] = field(default_factory=dict)

    def doc_by_sha(self) -> dict[str, DocInfo]:
        return {d.sha256: d for d in self.docs.values()}


def read_snapshot(name: str, db: Database) -> Snapshot:
    snap = Snapshot(name, db)
    with db.session(write=False) as s:
        for row in s.execute(
            select(DocumentRow.id, DocumentRow.sha256, DocumentRow.title, DocumentRow.source)
        ):
            snap.docs[row.id] = DocInfo(row.id, row.sha256, row.title, row.source)
        for set_id, doc_id, annotator in s.execute(
            select(SetRow.id, SetRow.document_id, SetRow.annotator)
        ):
            snap.sets[(snap.docs[doc_id].sha256, annotator)] = set_id
        for row in s.execute(
            select(EntityRow.id, EntityRow.name, EntityRow.label, EntityRow.kb_id)
        ):
            snap.entities[row.id] = (row.name, row.label, row.kb_id)
    return snap


def set_contents(snap: Snapshot, set_ids: Sequence[int]) -> dict[int, str]:
    """Each set's content as one comparable text: status, spans and quotes with their
    entities by (name, label, kb_id). Ids, version, times and uncertainty are left out:
    the same annotations imported or pre-annotated at another time are the same set."""

    def entity(entity_id: int | None) -> EntityKey | None:
        return snap.entities.get(entity_id) if entity_id is not None else None

    status: dict[int, str] = {}
    spans: dict[int, list[str]] = defaultdict(list)
    quotes: dict[int, list[str]] = defaultdict(list)
    with snap.db.session(write=False) as s:
        for i in range(0, len(set_ids), CHUNK):
            chunk = list(set_ids[i : i + CHUNK])
            for set_id, value in s.execute(
                select(SetRow.id, SetRow.status).where(SetRow.id.in_(chunk))
            ):
                status[set_id] = value
            for r in s.scalars(select(SpanRow).where(SpanRow.set_id.in_(chunk))):
                item = [r.start, r.end, r.label, r.origin, r.model, entity(r.entity_id)]
                spans[r.set_id].append(json.dumps(item))
            for q in s.scalars(select(QuoteRow).where(QuoteRow.set_id.in_(chunk))):
                item = [
                    q.kind, q.parts, q.speaker_start, q.speaker_end, q.speaker_label,
                    q.cue_start, q.cue_end, q.entity, q.origin, q.model, entity(q.entity_id),
                ]  # fmt: skip
                quotes[q.set_id].append(json.dumps(item))
    return {
        set_id: json.dumps([status[set_id], sorted(spans[set_id]), sorted(quotes[set_id])])
        for set_id in set_ids
    }


def _title(doc: DocInfo) -> str:
    title = (doc.title or "").strip() or "(untitled)"
    return title if len(title) <= 60 else title[:59] + "…"


def text_conflicts(snaps: Sequence[Snapshot]) -> list[str]:
    """Pairs of files in which one article (source file name and title) has two texts:
    one line per pair and article. A name and title several documents of one file share
    (records of one JSONL file titled by their newspaper, a file imported again after a
    fix) names no one article there, and is not compared."""
    found: dict[tuple[str, str], list[tuple[int, DocInfo]]] = defaultdict(list)
    for index, snap in enumerate(snaps):
        mine: dict[tuple[str, str], list[DocInfo]] = defaultdict(list)
        for doc in snap.docs.values():
            mine[doc.article].append(doc)
        for key, docs in mine.items():
            if len(docs) == 1:
                found[key].append((index, docs[0]))
    lines = []
    for (name, _title_key), holders in found.items():
        for i, (a, doc_a) in enumerate(holders):
            for b, doc_b in holders[i + 1 :]:
                if doc_a.sha256 == doc_b.sha256:
                    continue
                source = f" ({name})" if name else ""
                lines.append(
                    f"text differs: {_title(doc_a)!r}{source}: {snaps[a].name} has "
                    f"{doc_a.sha256[:12]}, {snaps[b].name} has {doc_b.sha256[:12]}"
                )
    return lines


def entity_conflicts(snaps: Sequence[Snapshot]) -> list[str]:
    """Entities of one name and label with two different knowledge-base ids: the target
    can hold one entity per (name, label)."""
    kb: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)  # -> kb_id -> first file
    for snap in snaps:
        for name, label, kb_id in snap.entities.values():
            if kb_id:
                kb[(name, label)].setdefault(kb_id, snap.name)
    return [
        f"entity {name!r} ({label}) has different knowledge-base ids: "
        + ", ".join(f"{kb_id} in {where}" for kb_id, where in ids.items())
        for (name, label), ids in kb.items()
        if len(ids) > 1
    ]


@dataclass(slots=True)
class SetPlan:
    """Which file's copy of each set goes into the target (index into the snapshots:
    0 is the target's own, when it exists) and what cannot be merged."""

    owner: dict[SetKey, int] = field(default_factory=dict)
    kept_once: int = 0  # identical copies left out
    conflicts: list[str] = field(default_factory=list)

    def copies(self, index: int, snap: Snapshot) -> list[int]:
        """The set ids `snap` (at `index`) must copy, in id order."""
        return sorted(set_id for key, set_id in snap.sets.items() if self.owner[key] == index)


def plan_sets(snaps: Sequence[Snapshot]) -> SetPlan:
    """The first file holding a set owns it; the same set elsewhere must be identical."""
    plan = SetPlan()
    holders: dict[SetKey, list[int]] = defaultdict(list)
    for index, snap in enumerate(snaps):
        for key in snap.sets:
            holders[key].append(index)
    shared = {key: where for key, where in holders.items() if len(where) > 1}
    contents: dict[int, dict[int, str]] = {}
    for index, snap in enumerate(snaps):
        ids = [snap.sets[key] for key, where in shared.items() if index in where]
        contents[index] = set_contents(snap, ids) if ids else {}
    for key, where in holders.items():
        plan.owner[key] = where[0]
        if len(where) == 1:
            continue
        if len({contents[i][snaps[i].sets[key]] for i in where}) == 1:
            plan.kept_once += len(where) - 1
            continue
        sha, annotator = key
        doc = snaps[where[0]].doc_by_sha()[sha]
        files = ", ".join(snaps[i].name for i in where)
        plan.conflicts.append(
            f"different sets of annotator {annotator!r} for {_title(doc)!r} ({sha[:12]}) in {files}"
        )
    return plan
