"""Build tests/data/migrations/<revision>.sqlite3: real data in the schema of one revision.

    python tests/data/migrations/make_fixture.py 0001

Each revision gets a builder writing plain SQL against *that* revision's schema (not the
ORM, which always follows head), plus <revision>.json: what the data must look like
through the repository after upgrading to head. When you add a migration, add a builder
for the new revision here (data in its schema), run this script for it and commit both
files; tests/unit/storage/test_migrations.py fails until a revision has its fixture.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from newsmark.storage import migrate

HERE = Path(__file__).resolve().parent
AT = "2026-11-25T12:00:00.000000+00:00"

DOCS = [
    (
        "Benjamin Netanyahu spoke with Vladimir Putin. "
        '"We will win," he said in Jerusalem. "And soon," he added.',
        {"title": "The call", "source": "seeds/call.txt", "date": "2023-12-10"},
    ),
    ("Emoji 🎉 test: Angela Merkel visited Paris.", {"title": "Merkel 🎉"}),
    ("A document nobody has annotated yet.", {}),
]


def tokens(text: str) -> str:
    flat: list[int] = []
    pos = 0
    for word in text.split(" "):
        if word:
            flat += [pos, pos + len(word), 1]
        pos += len(word) + 1
    if flat:
        flat[-1] = 0
    return json.dumps(flat, separators=(",", ":"))


def build_0001(conn: sqlite3.Connection) -> dict[str, Any]:
    import hashlib

    ids = []
    for text, meta in DOCS:
        cur = conn.execute(
            "INSERT INTO documents (sha256, text, meta, title, source, created_at, tokens)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                hashlib.sha256(text.encode()).hexdigest(),
                text,
                json.dumps(meta),
                meta.get("title"),
                meta.get("source"),
                AT,
                tokens(text),
            ),
        )
        ids.append(cur.lastrowid)
    conn.executemany(
        "INSERT INTO entities (id, name, label, kb_id) VALUES (?, ?, ?, ?)",
        [(1, "Benjamin Netanyahu", "PERSON", "Q43723"), (2, "Vladimir Putin", "PERSON", None)],
    )
    conn.executemany(
        "INSERT INTO annotation_sets (id, document_id, annotator, status, version, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (1, ids[0], "ann1", "accepted", 5, AT, AT),
            (2, ids[1], "model", "preannotated", 1, AT, AT),
        ],
    )
    spans = [
        (1, 1, 0, 18, "PERSON", "human", None, 1),
        (2, 1, 30, 44, "PERSON", "model", "en_core_web_sm==3.8.0", 2),
        (3, 1, 72, 81, "GPE", "import", None, None),
        (4, 2, 14, 27, "PERSON", "model", "en_core_web_sm==3.8.0", None),
        (5, 2, 36, 41, "GPE", "rule", None, None),
    ]
    conn.executemany(
        'INSERT INTO spans (id, set_id, start, "end", label, origin, model, entity_id)'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        spans,
    )
    quotes = [
        (
            1,
            1,
            "direct",
            [[46, 60], [83, 94]],
            61,
            63,
            "PERSON",
            64,
            68,
            "Benjamin Netanyahu",
            1,
            "human",
            None,
        ),
    ]
    conn.executemany(
        "INSERT INTO quotes (id, set_id, kind, parts, speaker_start, speaker_end, speaker_label,"
        " cue_start, cue_end, entity, entity_id, origin, model)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*q[:3], json.dumps(q[3]), *q[4:]) for q in quotes],
    )
    log = [
        (1, "ann1", "save_predictions", None, None, {"model_spans": 2}),
        (1, "ann1", "add_span", 1, None, {"id": 1, "start": 0, "end": 18, "label": "PERSON"}),
        (1, "ann1", "add_quote", 1, None, {"id": 1, "kind": "direct"}),
        (1, "ann1", "set_status", 1, {"status": "in_progress"}, {"status": "accepted"}),
        (2, "model", "save_predictions", None, None, {"model_spans": 1}),
    ]
    conn.executemany(
        "INSERT INTO edit_log (set_id, at, who, op, target_id, before, after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (s, AT, who, op, t, None if b is None else json.dumps(b), json.dumps(a))
            for s, who, op, t, b, a in log
        ],
    )
    return {
        "documents": [{"id": i, "text": t, "meta": m} for i, (t, m) in zip(ids, DOCS, strict=True)],
        "sets": [
            {
                "id": set_id,
                "document_id": ids[doc],
                "annotator": ann,
                "status": status,
                "version": version,
                "spans": [list(s[2:]) for s in spans if s[1] == set_id],
                "quotes": [
                    [q[2], q[3], [q[4], q[5]], q[6], [q[7], q[8]], q[9], q[10], q[11]]
                    for q in quotes
                    if q[1] == set_id
                ],
                "log_ops": [e[2] for e in log if e[0] == set_id],
            }
            for set_id, doc, ann, status, version in [
                (1, 0, "ann1", "accepted", 5),
                (2, 1, "model", "preannotated", 1),
            ]
        ],
        "entities": [
            [1, "Benjamin Netanyahu", "PERSON", "Q43723"],
            [2, "Vladimir Putin", "PERSON", None],
        ],
    }


def build_0004(conn: sqlite3.Connection) -> dict[str, Any]:
    """0001's data, and set 1's span 3 relabelled GPE -> LOC and undone: the undo's row
    names the row it reverts (the column 0004 adds)."""
    expected = build_0001(conn)
    gpe = {"id": 3, "start": 72, "end": 81, "label": "GPE", "origin": "import"}
    gpe |= {"model": None, "entity_id": None}
    loc = {**gpe, "label": "LOC", "origin": "human"}
    cur = conn.execute(
        "INSERT INTO edit_log (set_id, at, who, op, target_id, before, after, reverts)"
        " VALUES (1, ?, 'ann1', 'update_span', 3, ?, ?, NULL)",
        (AT, json.dumps(gpe), json.dumps(loc)),
    )
    conn.execute(
        "INSERT INTO edit_log (set_id, at, who, op, target_id, before, after, reverts)"
        " VALUES (1, ?, 'ann1', 'replace_span', 3, ?, ?, ?)",
        (AT, json.dumps(loc), json.dumps(gpe), cur.lastrowid),
    )
    conn.execute("UPDATE annotation_sets SET version = version + 2 WHERE id = 1")
    first = expected["sets"][0]
    first["version"] += 2
    first["log_reverts"] = [None] * len(first["log_ops"]) + [None, cur.lastrowid]
    first["log_ops"] += ["update_span", "replace_span"]
    return expected


def build_0006(conn: sqlite3.Connection) -> dict[str, Any]:
    """0004's data, two annotators assigned (document 1 to both: an overlap), a user, and
    set 1 reviewed (the columns 0006 adds)."""
    expected = build_0004(conn)
    assigned = [(1, "ann1", "coord"), (1, "ann2", "coord"), (2, "ann2", "coord")]
    conn.executemany(
        "INSERT INTO assignments (document_id, annotator, assigned_at, assigned_by)"
        " VALUES (?, ?, ?, ?)",
        [(doc, ann, AT, by) for doc, ann, by in assigned],
    )
    conn.execute("INSERT INTO users (name, role, created_at) VALUES ('coord', 'admin', ?)", (AT,))
    conn.execute(
        "UPDATE annotation_sets SET reviewed_by = 'coord', reviewed_at = ? WHERE id = 1", (AT,)
    )
    expected["assignments"] = [list(a) for a in assigned]
    expected["users"] = [["coord", "admin"]]
    expected["reviewed"] = [[1, "coord", AT]]
    return expected


BUILDERS: dict[str, Callable[[sqlite3.Connection], dict[str, Any]]] = {
    "0001": build_0001,
    "0002": build_0001,  # 0002 only adds an index: the same data in the same tables
    # 0003 adds an index and the full-text index, whose triggers index these inserts.
    "0003": build_0001,
    "0004": build_0004,  # edit_log.reverts
    "0005": build_0004,  # adds trained_models (empty) and annotation_sets.uncertainty (NULL)
    "0006": build_0006,  # assignments, users, annotation_sets.reviewed_by/_at
}


def make(revision: str, folder: Path = HERE) -> Path:
    path = folder / f"{revision}.sqlite3"
    path.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as sa_conn:
        migrate.upgrade(sa_conn, revision)
    engine.dispose()
    conn = sqlite3.connect(path)
    try:
        expected = BUILDERS[revision](conn)
        conn.commit()
        conn.execute("VACUUM")
    finally:
        conn.close()
    (folder / f"{revision}.json").write_text(
        json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path


if __name__ == "__main__":
    for rev in sys.argv[1:] or list(BUILDERS):
        print(make(rev))
