"""Team load: many annotators saving edits at once into one database, and what survives.

Each simulated annotator is a process (forked after the imports) with its own Repository
and connection, editing through the Repository's edit methods, the ones the window's undo
commands call, with the optimistic version check the window passes (`expected_version`):
it adds, moves, relabels and deletes spans and quotes in its own annotation set and sets
its status. Processes, not threads: a thread pool would measure the GIL (the ORM work of
an edit is Python) rather than the database. A few writers are reviewers: each edit goes
to another annotator's set, read fresh first, so version conflicts happen; a refused edit
(ConflictError) reloads the set, as the window does. Each writer waits a random think
time between edits (exponential, mean --think; 0 saturates the machine).

At the end every acknowledged edit (each writer keeps a journal of what the Repository
returned) is checked against the database: the versions of each set are 1..n with no
version acknowledged twice (two writers both told "saved" at version k is a lost
update), each acknowledged edit is the edit-log row it was given, and the sets' spans and
quotes are exactly a replay of the acknowledged edits in version order. Deadlocks and
lock timeouts are counted; any other error is reported and fails the run.

The baseline, measured in the same run on the same backend, is one annotator alone
saving back to back (no think time): the save latency without contention. --compare
also runs SQLite (its one-writer lock: BEGIN IMMEDIATE, busy_timeout 5 s) beside a
PostgreSQL --db and prints both.

    python benchmarks/team_load.py --db postgresql+psycopg://newsmark@127.0.0.1:54344/newsmark
        [--seconds 60] [--annotators 50] [--reviewers 5] [--think 1.0] [--compare] [--keep]
    python benchmarks/team_load.py --db /tmp/team.sqlite3   (and /tmp/team-baseline.sqlite3)

A PostgreSQL --db names a server and a database to connect to first: the run creates its
own database beside it (`<name>_team_load_<pid>`) and drops it afterwards (--keep keeps it).
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsmark.domain.document import DocumentInput
from newsmark.domain.errors import ConflictError, NewsmarkError
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Span
from newsmark.domain.status import Status
from newsmark.storage import Database, Edited, Repository, ServerDatabase

WORDS = 1200
SLOT = 6  # "w0000 ": one word a slot
SPAN_SLOTS = range(0, 600)
QUOTE_SLOTS = range(600, WORDS - 2, 3)  # a quote is words i..i+1, its speaker word i+2
LABELS = ("PERSON", "ORG", "GPE", "NORP")
KINDS = (QuoteKind.DIRECT, QuoteKind.INDIRECT, QuoteKind.MIXED)
STATUSES = (Status.IN_PROGRESS, Status.ACCEPTED, Status.SKIPPED)
# Errors that mean "the database made us wait too long" rather than a wrong answer.
DEADLOCK_WORDS = ("deadlock",)
TIMEOUT_WORDS = ("database is locked", "lock timeout", "lock_timeout", "statement timeout")


def article(n: int) -> str:
    return f"Article {n:03d}. " + " ".join(f"w{i:04d}" for i in range(WORDS))


OFFSET = len("Article 000. ")


def slot_range(slot: int, words: int = 1) -> tuple[int, int]:
    return OFFSET + slot * SLOT, OFFSET + slot * SLOT + words * SLOT - 1


def slot_of(start: int) -> int:
    return (start - OFFSET) // SLOT


def span_fields(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "label": span.label}


def quote_fields(quote: Quote) -> dict[str, Any]:
    return {
        "parts": [list(p) for p in quote.parts],
        "kind": QuoteKind(quote.kind).value,
        "speaker": list(quote.speaker) if quote.speaker else None,
    }


# -- the database ----------------------------------------------------------------------------


def is_server(target: str) -> bool:
    return "://" in target


def open_db(target: str, local_dir: Path) -> Database | ServerDatabase:
    if is_server(target):
        return ServerDatabase.open(target, local_dir=local_dir)
    return Database.open(Path(target))


def create_server_database(url: str) -> str:
    """A fresh database on the server of `url`; returns its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database or 'newsmark'}_team_load_{os.getpid()}"
    admin = create_engine(base.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_server_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(
        target.set(drivername="postgresql+psycopg", database="postgres"),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    admin.dispose()


def seed(target: str, local_dir: Path, owners: int) -> list[int]:
    """One document and one (empty) annotation set per annotator; returns the set ids."""
    with open_db(target, local_dir) as db:
        repo = Repository(db)
        added = repo.add_documents(
            [(DocumentInput(text=article(i)), []) for i in range(owners)], "import"
        )
        set_ids = []
        for i, (doc_id, _) in enumerate(added):
            aset = repo.annotation_set(doc_id, owner_name(i))
            assert aset is not None and aset.id is not None
            set_ids.append(aset.id)
        return set_ids


def owner_name(i: int) -> str:
    return f"ann{i:02d}"


# -- one writer --------------------------------------------------------------------------------


@dataclass
class View:
    """What a window shows of a set: its version, spans and quotes by id."""

    version: int
    spans: dict[int, Span]
    quotes: dict[int, Quote]


@dataclass
class Tally:
    saves: list[float] = field(default_factory=list)  # seconds per acknowledged save
    journal: list[dict[str, Any]] = field(default_factory=list)
    conflicts: int = 0
    deadlocks: int = 0
    timeouts: int = 0
    refused: Counter[str] = field(default_factory=Counter)  # other NewsmarkErrors
    crashed: list[str] = field(default_factory=list)  # anything else: a bug


def load_view(repo: Repository, set_id: int) -> View:
    aset = repo.get_set(set_id)
    return View(
        aset.version, {s.id or 0: s for s in aset.spans}, {q.id or 0: q for q in aset.quotes}
    )


def one_edit(
    repo: Repository, set_id: int, view: View, who: str, rng: random.Random
) -> dict[str, Any]:
    """Make one random edit of the set as `view` shows it; returns its journal entry."""
    used = {slot_of(s.start) for s in view.spans.values()}
    free = [i for i in SPAN_SLOTS if i not in used]
    qused = {slot_of(q.start) for q in view.quotes.values()}
    qfree = [i for i in QUOTE_SLOTS if i not in qused]
    v = view.version
    done: Edited[Any]
    roll = rng.random()
    if roll < 0.30 and free:
        start, end = slot_range(rng.choice(free))
        done = repo.add_span(set_id, Span(start, end, rng.choice(LABELS)), who, expected_version=v)
        op, target, after = "add_span", done.item.id or 0, span_fields(done.item)
        view.spans[target] = done.item
    elif roll < 0.45 and view.spans:
        old = view.spans[rng.choice(list(view.spans))]
        if rng.random() < 0.5 and free:
            start, end = slot_range(rng.choice(free))
            done = repo.update_span(
                set_id, old.id or 0, who, start=start, end=end, expected_version=v
            )
        else:
            label = rng.choice([x for x in LABELS if x != old.label])
            done = repo.update_span(set_id, old.id or 0, who, label=label, expected_version=v)
        op, target, after = "update_span", done.item.id or 0, span_fields(done.item)
        view.spans[target] = done.item
    elif roll < 0.58 and view.spans:
        target = rng.choice(list(view.spans))
        done = repo.delete_span(set_id, target, who, expected_version=v)
        op, after = "delete_span", None
        del view.spans[target]
    elif roll < 0.75 and qfree:
        slot = rng.choice(qfree)
        speaker = slot_range(slot + 2) if rng.random() < 0.5 else None
        new = Quote(parts=(slot_range(slot, 2),), kind=rng.choice(KINDS), speaker=speaker)
        done = repo.add_quote(set_id, new, who, expected_version=v)
        op, target, after = "add_quote", done.item.id or 0, quote_fields(done.item)
        view.quotes[target] = done.item
    elif roll < 0.87 and view.quotes:
        old_q = view.quotes[rng.choice(list(view.quotes))]
        kind = rng.choice([k for k in KINDS if k != old_q.kind])
        speaker = None if old_q.speaker else slot_range(slot_of(old_q.start) + 2)
        done = repo.update_quote(
            set_id, old_q.id or 0, who, expected_version=v, kind=kind, speaker=speaker
        )
        op, target, after = "update_quote", done.item.id or 0, quote_fields(done.item)
        view.quotes[target] = done.item
    elif roll < 0.95 and view.quotes:
        target = rng.choice(list(view.quotes))
        done = repo.delete_quote(set_id, target, who, expected_version=v)
        op, after = "delete_quote", None
        del view.quotes[target]
    else:
        status = rng.choice(STATUSES)
        done = repo.set_status(set_id, status, who, expected_version=v)
        op, target, after = "set_status", set_id, {"status": status.value}
    view.version = done.state.version
    return {
        "set": set_id,
        "v": done.state.version,
        "log": done.state.logged,
        "op": op,
        "id": target,
        "after": after,
        "who": who,
    }


def classify(exc: NewsmarkError, tally: Tally) -> None:
    low = str(exc).lower()
    if isinstance(exc, ConflictError):
        tally.conflicts += 1
    elif any(w in low for w in DEADLOCK_WORDS):
        tally.deadlocks += 1
    elif any(w in low for w in TIMEOUT_WORDS):
        tally.timeouts += 1
    else:
        tally.refused[f"{type(exc).__name__}: {str(exc)[:90]}"] += 1


def writer(
    target: str,
    local_dir: Path,
    index: int,
    set_ids: list[int],
    reviewer: bool,
    think: float,
    ready: Any,
    go: Any,
    deadline: Any,
    out: Path,
) -> None:
    """One annotator's process: edit until the deadline, then write the tally to `out`."""
    tally = Tally()
    rng = random.Random(1000 + index)
    try:
        repo = Repository(open_db(target, local_dir))
        who = f"rev{index:02d}" if reviewer else owner_name(index)
        own = None if reviewer else set_ids[index]
        view = None if own is None else load_view(repo, own)
        ready.release()
        go.wait()
        end = deadline.value
        while time.time() < end:
            if think:
                time.sleep(min(rng.expovariate(1 / think), max(0.0, end - time.time())))
                if time.time() >= end:
                    break
            set_id = own if own is not None else rng.choice(set_ids)
            if view is None or reviewer:
                view = load_view(repo, set_id)  # a reviewer opens the set fresh each time
            t0 = time.perf_counter()
            try:
                entry = one_edit(repo, set_id, view, who, rng)
            except NewsmarkError as exc:
                classify(exc, tally)
                view = None  # the window reloads the document
                continue
            tally.saves.append(time.perf_counter() - t0)
            tally.journal.append(entry)
    except Exception as exc:  # reported to the parent, which fails the run
        tally.crashed.append(f"{type(exc).__name__}: {exc}")
        ready.release()
    out.write_text(
        json.dumps(
            {
                "saves": tally.saves,
                "journal": tally.journal,
                "conflicts": tally.conflicts,
                "reviewer": reviewer,
                "deadlocks": tally.deadlocks,
                "timeouts": tally.timeouts,
                "refused": dict(tally.refused),
                "crashed": tally.crashed,
            }
        )
    )


# -- a run and its check -----------------------------------------------------------------------


@dataclass
class Result:
    backend: str
    writers: int
    reviewers: int
    seconds: float
    saves: list[float]
    conflicts: int
    reviewer_conflicts: int  # of `conflicts`, those a reviewer got (the rest: owners)
    deadlocks: int
    timeouts: int
    refused: Counter[str]
    crashed: list[str]
    problems: list[str]  # what the final check found wrong
    checked: int  # acknowledged edits found in the database

    @property
    def rate(self) -> float:
        return len(self.saves) / self.seconds

    def pct(self, p: float) -> float:
        if not self.saves:
            return math.nan
        ordered = sorted(self.saves)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def run(
    target: str,
    local_dir: Path,
    *,
    writers: int,
    reviewers: int,
    seconds: float,
    think: float,
) -> Result:
    owners = writers - reviewers
    set_ids = seed(target, local_dir, owners)
    ctx = mp.get_context("fork")
    ready, go = ctx.Semaphore(0), ctx.Event()
    deadline = ctx.Value("d", 0.0)
    outs = [local_dir / f"writer-{i}.json" for i in range(writers)]
    procs = [
        ctx.Process(
            target=writer,
            args=(target, local_dir, i, set_ids, i >= owners, think, ready, go, deadline, outs[i]),
        )
        for i in range(writers)
    ]
    for p in procs:
        p.start()
    for _ in procs:  # every writer has its connection before the clock starts
        ready.acquire()
    deadline.value = time.time() + seconds
    started = time.perf_counter()
    go.set()
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - started
    tallies = [json.loads(o.read_text()) if o.exists() else None for o in outs]
    crashed = [
        f"writer {i} left no tally (exit {p.exitcode})"
        for i, (p, t) in enumerate(zip(procs, tallies, strict=True))
        if t is None
    ]
    done = [t for t in tallies if t is not None]
    journal = [e for t in done for e in t["journal"]]
    problems, checked = check(target, local_dir, set_ids, journal)
    return Result(
        backend="PostgreSQL" if is_server(target) else "SQLite",
        writers=writers,
        reviewers=reviewers,
        seconds=min(elapsed, seconds) if elapsed else seconds,
        saves=[s for t in done for s in t["saves"]],
        conflicts=sum(t["conflicts"] for t in done),
        reviewer_conflicts=sum(t["conflicts"] for t in done if t["reviewer"]),
        deadlocks=sum(t["deadlocks"] for t in done),
        timeouts=sum(t["timeouts"] for t in done),
        refused=sum((Counter(t["refused"]) for t in done), Counter()),
        crashed=crashed + [c for t in done for c in t["crashed"]],
        problems=problems,
        checked=checked,
    )


def check(
    target: str, local_dir: Path, set_ids: list[int], journal: list[dict[str, Any]]
) -> tuple[list[str], int]:
    """Every acknowledged edit in the database, once, and nothing else: the problems found."""
    problems: list[str] = []
    by_set: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for entry in journal:
        by_set[entry["set"]].append(entry)
    checked = 0
    with open_db(target, local_dir) as db:
        repo = Repository(db)
        for set_id in set_ids:
            acks = sorted(by_set.get(set_id, []), key=lambda e: e["v"])
            aset = repo.get_set(set_id)
            versions = [a["v"] for a in acks]
            if versions != list(range(1, len(acks) + 1)) or aset.version != len(acks):
                twice = [v for v, n in Counter(versions).items() if n > 1]
                problems.append(
                    f"set {set_id}: version {aset.version}, {len(acks)} acknowledged edits"
                    + (
                        f", versions acknowledged twice (lost updates): {twice[:5]}"
                        if twice
                        else ""
                    )
                )
            log = {e.id: e for e in repo.edit_log(set_id)}
            if len(log) != len(acks):
                problems.append(
                    f"set {set_id}: {len(log)} edit-log rows for {len(acks)} acknowledged edits"
                )
            spans: dict[int, dict[str, Any]] = {}
            quotes: dict[int, dict[str, Any]] = {}
            for a in acks:
                row = log.get(a["log"])
                if row is None or (row.op, row.target_id) != (a["op"], a["id"]):
                    problems.append(f"set {set_id}: acknowledged {a} is not its edit-log row")
                    continue
                checked += 1
                if a["op"] in ("add_span", "update_span"):
                    spans[a["id"]] = a["after"]
                elif a["op"] == "delete_span":
                    spans.pop(a["id"], None)
                elif a["op"] in ("add_quote", "update_quote"):
                    quotes[a["id"]] = a["after"]
                elif a["op"] == "delete_quote":
                    quotes.pop(a["id"], None)
            stored_spans = {s.id: span_fields(s) for s in aset.spans}
            stored_quotes = {q.id: quote_fields(q) for q in aset.quotes}
            if stored_spans != spans or stored_quotes != quotes:
                problems.append(
                    f"set {set_id}: its spans/quotes differ from the replay of its "
                    "acknowledged edits"
                )
    return problems, checked


# -- the report --------------------------------------------------------------------------------


def fmt_ms(x: float) -> str:
    return f"{x:7.1f}"


def report(rows: list[tuple[str, Result]]) -> None:
    print(
        f"{'run':34} {'edits/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} "
        f"{'conflicts':>9} {'deadlk':>6} {'timeout':>7} {'lost':>5}"
    )
    for name, r in rows:
        lost = sum(1 for p in r.problems if "lost" in p or "differ" in p or "not its" in p)
        print(
            f"{name:34} {r.rate:8.1f} {fmt_ms(r.pct(50))} {fmt_ms(r.pct(95))} {fmt_ms(r.pct(99))} "
            f"{fmt_ms(max(r.saves, default=math.nan) * 1000)} {r.conflicts:9d} {r.deadlocks:6d} "
            f"{r.timeouts:7d} {lost:5d}"
        )


def describe(r: Result) -> list[str]:
    lines = [
        f"{r.backend}: {len(r.saves)} edits acknowledged by {r.writers} writers "
        f"({r.reviewers} reviewers) in {r.seconds:.1f} s; {r.checked} found in the database "
        f"as acknowledged, {len(r.problems)} problems; conflicts refused: "
        f"{r.reviewer_conflicts} to reviewers, {r.conflicts - r.reviewer_conflicts} to owners "
        "whose set a reviewer had changed (each reloaded its set)"
    ]
    lines += [f"  PROBLEM {p}" for p in r.problems[:10]]
    lines += [f"  CRASH {c}" for c in r.crashed[:10]]
    lines += [f"  refused {n}x {m}" for m, n in r.refused.most_common(5)]
    return lines


def measure(
    target: str, args: argparse.Namespace, work: Path, label: str
) -> list[tuple[str, Result]]:
    """The one-annotator baseline and the team run on one backend (fresh databases)."""
    results = []
    # The baseline saves back to back (no think time): the latency of a save alone.
    for name, writers, reviewers, seconds, think in (
        (f"{label}, 1 annotator (baseline)", 1, 0, args.baseline_seconds, 0.0),
        (
            f"{label}, {args.annotators} writers",
            args.annotators,
            args.reviewers,
            args.seconds,
            args.think,
        ),
    ):
        local = work / f"{label}-{writers}"
        local.mkdir()
        if is_server(target):
            db_url = create_server_database(target)
        elif target == "sqlite":  # --compare: files of the run's own
            db_url = str(local / "team.sqlite3")
        else:  # --db PATH: the team run there, its baseline beside it
            db_url = target if writers > 1 else baseline_path(target)
        try:
            print(f"{name}: running {seconds:g} s ...", file=sys.stderr, flush=True)
            result = run(
                db_url,
                local,
                writers=writers,
                reviewers=reviewers,
                seconds=seconds,
                think=think,
            )
        finally:
            if is_server(target) and not args.keep:
                drop_server_database(db_url)
        results.append((name, result))
    return results


def baseline_path(path: str) -> str:
    return str(Path(path).with_name(f"{Path(path).stem}-baseline.sqlite3"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--db",
        default=os.environ.get("NEWSMARK_DB", ""),
        help="PostgreSQL URL or SQLite path (default $NEWSMARK_DB)",
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--baseline-seconds", type=float, default=10.0)
    parser.add_argument(
        "--annotators", type=int, default=50, help="writers in all, reviewers included"
    )
    parser.add_argument(
        "--reviewers", type=int, default=5, help="of the writers, how many edit others' sets"
    )
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds between one writer's edits (0: none)"
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also run SQLite (a temp file) beside a PostgreSQL --db",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the server databases the run creates"
    )
    args = parser.parse_args()
    if not args.db:
        parser.error("--db URL|PATH (or NEWSMARK_DB) is required")
    if not 0 <= args.reviewers < args.annotators:
        parser.error("--reviewers must be fewer than --annotators")
    with tempfile.TemporaryDirectory(prefix="team-load-") as tmp:
        work = Path(tmp)
        if is_server(args.db):
            rows = measure(args.db, args, work, "PostgreSQL")
            if args.compare:
                rows += measure("sqlite", args, work, "SQLite")
        else:
            for path in (args.db, baseline_path(args.db)):
                if Path(path).exists():
                    parser.error(f"{path} exists: the run needs a new file")
            rows = measure(args.db, args, work, "SQLite")
    print(
        f"\n{args.annotators} writers ({args.reviewers} reviewers on others' sets), think time "
        f"{args.think:g} s mean, {args.seconds:g} s; {os.cpu_count()} CPUs; save latency = one "
        "Repository edit call, commit included"
    )
    report(rows)
    results = dict(rows)
    for name, r in rows:
        if "baseline" in name:
            continue
        base = next(b for n, b in rows if "baseline" in n and n.split(",")[0] == name.split(",")[0])
        print(
            f"{name}: p95 {r.pct(95) / base.pct(95):.1f}x the lone annotator's, "
            f"p50 {r.pct(50) / base.pct(50):.1f}x"
        )
    pg = [r for n, r in rows if n.startswith("PostgreSQL") and "baseline" not in n]
    lite = [r for n, r in rows if n.startswith("SQLite") and "baseline" not in n]
    if pg and lite:
        print(
            f"PostgreSQL / SQLite: edits/s {pg[0].rate / lite[0].rate:.2f}x, "
            f"p95 {pg[0].pct(95) / lite[0].pct(95):.2f}x, "
            f"p99 {pg[0].pct(99) / lite[0].pct(99):.2f}x"
        )
    bad = False
    for _name, r in results.items():
        for line in describe(r):
            print(line)
        bad |= bool(r.problems or r.crashed or r.deadlocks)
    print(
        "FAILED: see the problems above"
        if bad
        else "OK: every acknowledged edit is in the database, none twice"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
