"""Crash-test writer: forks edit streams on request; each acknowledges its commits on stdout.

Run as `python edit_child.py DB SET_ID`, DB a SQLite path or a PostgreSQL URL (team mode:
the client killed, the server running on). The process imports Newsmark once, then reads
commands from stdin: `fork SEED` starts a fresh writer process (a fork, so 100 kills do
not pay 100 interpreter start-ups) that opens the database itself and edits through the
Repository, the same methods the window's undo commands call. After each commit it prints
one JSON line `{"v": version, "op", "id", "after"}` and flushes: the acknowledgement the
window would show as "saved". The parent SIGKILLs that writer; this process reaps it and
prints `dead PID`.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Span
from newsmark.domain.status import Status
from newsmark.storage import Database, Repository, ServerDatabase

WORDS = 2000
SLOT = 6  # "w0000 " : a span slot is one word
SPAN_SLOTS = range(0, 1000)  # entity spans live in the first half of the text
QUOTE_SLOTS = range(1000, WORDS - 2, 3)  # quotes: word i..i+1, speaker word i+2
LABELS = ("PERSON", "ORG", "GPE", "NORP")
KINDS = (QuoteKind.DIRECT, QuoteKind.INDIRECT, QuoteKind.MIXED)
STATUSES = (Status.IN_PROGRESS, Status.ACCEPTED, Status.REJECTED, Status.SKIPPED)


def text() -> str:
    return " ".join(f"w{i:04d}" for i in range(WORDS))


def slot_range(slot: int, words: int = 1) -> tuple[int, int]:
    return slot * SLOT, slot * SLOT + words * SLOT - 1


def span_fields(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "label": span.label}


def quote_fields(quote: Quote) -> dict[str, Any]:
    return {
        "parts": [list(p) for p in quote.parts],
        "kind": str(quote.kind),
        "speaker": list(quote.speaker) if quote.speaker else None,
    }


def ack(version: int, op: str, target: int, after: dict[str, Any] | None) -> None:
    line = json.dumps({"v": version, "op": op, "id": target, "after": after})
    # One write per line: a line is shorter than PIPE_BUF, so a kill never splits it.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def open_target(target: str) -> Database | ServerDatabase:
    """A SQLite file by path, or a server database by URL (its local dir: a temp folder)."""
    if "://" in target:
        local = Path(tempfile.gettempdir()) / f"edit-child-{os.getpid()}"
        return ServerDatabase.open(target, local_dir=local)
    return Database.open(Path(target))


def edit_forever(target: str, set_id: int, seed: int) -> None:
    rng = random.Random(seed)
    repo = Repository(open_target(target))
    aset = repo.get_set(set_id)
    version = aset.version
    spans = {s.id or 0: s for s in aset.spans}
    quotes = {q.id or 0: q for q in aset.quotes}
    print(f"ready {os.getpid()}", flush=True)
    while True:
        used = {s.start // SLOT for s in spans.values()}
        free = [i for i in SPAN_SLOTS if i not in used]
        qused = {q.start // SLOT for q in quotes.values()}
        qfree = [i for i in QUOTE_SLOTS if i not in qused]
        roll = rng.random()
        if roll < 0.30 and free:
            start, end = slot_range(rng.choice(free))
            span = repo.add_span(set_id, Span(start, end, rng.choice(LABELS)), "ann1").item
            spans[span.id or 0] = span
            op, target, after = "add_span", span.id or 0, span_fields(span)
        elif roll < 0.45 and spans:
            old = spans[rng.choice(list(spans))]
            if rng.random() < 0.5 and free:
                start, end = slot_range(rng.choice(free))
                span = repo.update_span(set_id, old.id or 0, "ann1", start=start, end=end).item
            else:
                label = rng.choice([x for x in LABELS if x != old.label])
                span = repo.update_span(set_id, old.id or 0, "ann1", label=label).item
            spans[span.id or 0] = span
            op, target, after = "update_span", span.id or 0, span_fields(span)
        elif roll < 0.60 and spans:
            target = rng.choice(list(spans))
            repo.delete_span(set_id, target, "ann1")
            del spans[target]
            op, after = "delete_span", None
        elif roll < 0.75 and qfree:
            slot = rng.choice(qfree)
            speaker = slot_range(slot + 2) if rng.random() < 0.5 else None
            new = Quote(parts=(slot_range(slot, 2),), kind=rng.choice(KINDS), speaker=speaker)
            quote = repo.add_quote(set_id, new, "ann1").item
            quotes[quote.id or 0] = quote
            op, target, after = "add_quote", quote.id or 0, quote_fields(quote)
        elif roll < 0.85 and quotes:
            old_q = quotes[rng.choice(list(quotes))]
            kind = rng.choice([k for k in KINDS if k != old_q.kind])
            speaker = None if old_q.speaker else slot_range(old_q.start // SLOT + 2)
            quote = repo.update_quote(
                set_id, old_q.id or 0, "ann1", kind=kind, speaker=speaker
            ).item
            quotes[quote.id or 0] = quote
            op, target, after = "update_quote", quote.id or 0, quote_fields(quote)
        elif roll < 0.92 and quotes:
            target = rng.choice(list(quotes))
            repo.delete_quote(set_id, target, "ann1")
            del quotes[target]
            op, after = "delete_quote", None
        else:
            status = rng.choice(STATUSES)
            repo.set_status(set_id, status, "ann1")
            op, target, after = "set_status", set_id, {"status": status.value}
        version += 1
        ack(version, op, target, after)


def main() -> None:
    target, set_id = sys.argv[1], int(sys.argv[2])
    if "://" in target:
        # Imported once here, not in every forked writer: SQLAlchemy loads the driver at
        # the first connect, which would eat the start of each round.
        import psycopg  # noqa: F401
    print("zygote", flush=True)
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command != "fork":
            break
        pid = os.fork()
        if pid == 0:
            try:
                edit_forever(target, set_id, int(arg))
            finally:
                os._exit(3)  # never fall back into the zygote's loop
        _, status = os.waitpid(pid, 0)
        print(f"dead {pid} {status}", flush=True)


if __name__ == "__main__":
    main()
