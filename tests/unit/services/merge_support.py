"""Helpers of the merge tests: annotators' database files built through the Repository,
their exports without database-local ids, and file fingerprints."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newsmark.domain.document import DocumentInput
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Origin, Span
from newsmark.nlp.tokens import tokenize
from newsmark.services.exporting import export
from newsmark.storage import Database, Repository

CALL = 'Benjamin Netanyahu spoke with Vladimir Putin. "We will win," he said in Jerusalem.'
BRIDGE = "Council backs harbour bridge repairs. \u201cIt is safe,\u201d Mayor Anna Berg said."
RIVER = "The river report blames farms. \u201cThe water is clean,\u201d Chief Lee said in Ohio."
ARTICLES = {
    "call": (CALL, "/home/alice/news/call.txt", "Leaders call"),
    "bridge": (BRIDGE, "/home/alice/news/bridge.txt", "Bridge vote"),
    "river": (RIVER, "/home/alice/news/river.txt", "River report"),
}


@contextmanager
def open_repo(path: Path) -> Iterator[Repository]:
    db = Database.open(path)
    try:
        yield Repository(db, labels=None)
    finally:
        db.close()


def add_article(repo: Repository, key: str, *, text: str | None = None, source: str = "") -> int:
    body, default_source, title = ARTICLES[key]
    body = text or body
    meta = {"source": source or default_source, "title": title}
    [(doc_id, _)] = repo.add_documents([(DocumentInput(text=body, meta=meta), tokenize(body))], "x")
    return doc_id


def add_import_set(repo: Repository, key: str) -> None:
    """The same pre-annotation every annotator's file gets (an import of one file)."""
    body, source, title = ARTICLES[key]
    first = body.split(" ")[0]
    item = DocumentInput(
        text=body,
        meta={"source": source, "title": title},
        spans=(Span(0, len(first), "ORG", Origin.IMPORT),),
        status="preannotated",
    )
    repo.add_documents([(item, tokenize(body))], "import:jsonl")


def annotate(repo: Repository, doc_id: int, who: str, *, extra: bool = False) -> int:
    """A person's work: a linked span, a span deleted again, a quote with speaker, cue and
    entity, an accept. Returns the set id."""
    text = repo.get_document(doc_id).text
    aset = repo.annotation_set(doc_id, who)
    assert aset is not None and aset.id is not None
    set_id = aset.id
    words = [(i, i + len(w)) for i, w in _words(text)]
    start, end = words[0]
    name = text[start:end]
    entity = repo.find_or_create_entity(name, "PERSON")
    span = repo.add_span(set_id, Span(start, end, "PERSON", Origin.HUMAN), who).item
    assert span.id is not None
    repo.link_span(set_id, span.id, entity.id, who)
    gone = repo.add_span(set_id, Span(*words[1], "ORG", Origin.HUMAN), who).item
    assert gone.id is not None
    repo.delete_span(set_id, gone.id, who)
    if extra:
        repo.add_span(set_id, Span(*words[-2], "GPE", Origin.HUMAN), who)
    open_mark = next(i for i, ch in enumerate(text) if ch in '"\u201c')
    close_mark = next(i for i in range(open_mark + 1, len(text)) if text[i] in '"\u201d')
    said = text.index("said")
    quote = Quote(
        parts=((open_mark, close_mark + 1),),
        kind=QuoteKind.DIRECT,
        speaker=(close_mark + 2, said - 1),
        speaker_label="PERSON",
        cue=(said, said + 4),
        entity=name,
        entity_id=entity.id,
    )
    repo.add_quote(set_id, quote, who)
    repo.set_status(set_id, "accepted", who)
    return set_id


def _words(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for word in text.split(" "):
        clean = word.strip('.,"\u201c\u201d')
        if clean and clean.isalpha():
            yield text.index(clean, pos), clean
        pos += len(word) + 1


def exported(path: Path, tmp: Path) -> list[str]:
    """Every set of the file as Newsmark JSONL, without what only names rows of that
    database (document and entity ids), sorted: comparable across files."""
    folder = tmp / "exports"  # not beside a database: exports keep out of its folder
    folder.mkdir(exist_ok=True)
    out = folder / f"{path.name}-{hashlib.sha1(str(path).encode()).hexdigest()[:8]}.jsonl"
    db = Database.open(path, readonly=True, upgrade=False)
    try:
        export(Repository(db, labels=None), out, fmt="newsmark", status="any", force=True)
    finally:
        db.close()
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return sorted(json.dumps(_portable(r), sort_keys=True) for r in records)


def _portable(record: dict[str, Any]) -> dict[str, Any]:
    entities = {e["id"]: [e["name"], e["label"], e["kb_id"]] for e in record["entities"]}
    record = dict(record)
    record["meta"] = {k: v for k, v in record["meta"].items() if k != "doc_id"}
    record.pop("_task_hash")  # hashes the entity ids too
    record["entities"] = sorted(entities.values())
    for key in ("spans", "quotes"):
        record[key] = [
            {**item, "entity_id": entities.get(item.get("entity_id"))} for item in record[key]
        ]
    return record


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file in `folder` (names and contents): what 'never modified' means."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}
