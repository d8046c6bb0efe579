"""Archive-sized corpora (issue 11): one database of --docs articles, each point measured.

The corpus is generated from the seeds' sentences (deterministic with --seed), with made-up
people, places (with diacritics) and dates so the vocabulary has a long tail, and stored
through the repository's bulk import (Repository.import_documents, batches of 1,000,
tokens from spaCy's tokenizer) as `newsmark import` stores them. A third of the
documents carry an imported annotation set for the annotator "bench" (preannotated with
their PERSON/GPE spans, a few in progress, accepted, rejected or skipped).

Measured, each against a baseline from the same run where one makes sense:
- import rate: the whole corpus (and its first vs last tenth: linear?), and a sample of
  5,000 with vs without the full-text index's triggers;
- pre-annotation rate on a sample (services.preannotation, --n-process) vs plain
  `nlp.pipe` on the same texts;
- the window opened to interactive in this process (MainWindow, offscreen, the lazy list
  filled and the first document painted) vs a bare QListView + QPlainTextEdit showing the
  first 200 titles and the first text; scrolling the list (each fetchMore page);
- with --gui-process: `newsmark gui` as a fresh process to its interactive marker (peek,
  database checks at open, window) vs a bare PySide6 window, as window_startup.py does,
  after a clean close (an archive-sized file then skips its quick_check) and after a kill;
- search (first page and counts) for a few kinds of query vs a plain LIKE scan and the
  old case-folding scan;
- status filters (first and a deep keyset page) and the count per status vs reading the
  whole list, which the window did on every refresh before;
- export peak memory (tracemalloc) for a small and a large status: constant?
- quick_check, integrity_check, `db check`, backup copy and the checked daily backup vs a
  plain file copy;
- a quote added through DocumentSession (commands + storage, as the window does) beside
  1,000 quotes vs beside 10, and the SQL statements each costs.

    python benchmarks/archive_scale.py --docs 20000 [--seed 11] [--workdir DIR] [--keep]
        [--preannotate 300] [--n-process 2] [--gui-process]

The corpus takes about 10 KB a document on disk (text, tokens, index); it is deleted at
the end unless --keep.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, best_of
from newsmark.domain.document import DocumentInput
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Origin, Span
from newsmark.domain.status import Status
from newsmark.nlp.tokens import tokenize_many
from newsmark.storage import Database, Repository, health, peek
from newsmark.storage import backup as backup_files

ANNOTATOR = "bench"
BATCH = 1000
# Made-up people, places with diacritics and topics: a long-tail vocabulary for search.
FIRST_NAMES = (  # noqa: SIM905 - a word list reads best as words
    "Anna Ben Chloé Dara Emil Fatima Gustav Hana Ivan Jamal Kasia Lars Maité Nils Olga Pedro "
    "Quentin Rosa Søren Tomás Ulla Vikram Wanda Xavier Yusuf Zoë Agnès Björn Çelik Dorota"
).split()
PLACES = (
    (
        "Zürich Malmö Kraków São_Paulo Reykjavík Besançon Göteborg Córdoba Łódź Ærøskøbing Tromsø "
        "Mönchengladbach Székesfehérvár Brașov Plzeň Alcalá Genève Düsseldorf Montréal Hämeenlinna "
        "Port_Ellery Valdora Lessa Oslo Lyon Porto Gdańsk Turku Bergen Aarhus Tartu Cluj Split"
    )
    .replace("_", " ")
    .split(" ")
)
TOPICS = (  # noqa: SIM905
    "budget harbour bridge water election housing rail tariffs hospital strike drought "
    "council school tram airport fisheries museum festival pension flood energy port"
).split()
SYLLABLES = "ka lo mi ne sa tu ve ri do an el or is um ba ze qu fo ly ck ss ov ič ez".split()  # noqa: SIM905
MONTHS = "January February March April May June July August September October November December"


def seed_sentences() -> list[str]:
    """The seeds' body sentences (front matter and the first metadata line dropped)."""
    out: list[str] = []
    for path in sorted((ROOT / "seeds").iterdir()):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---"):
            text = text.split("---", 2)[2]
        elif path.suffix == ".txt" and text.lstrip().startswith("date "):
            text = text.split("\n", 1)[1]
        for paragraph in text.split("\n\n"):
            sentences = re.split(r"(?<=[.!?”\"])\s+", paragraph)
            # Headlines (no final stop) stay out: they would run into the next sentence.
            out += [s.strip() for s in sentences if len(s) > 30 and s.strip()[-1] in '.!?”"']
    return out


@dataclass
class Article:
    item: DocumentInput
    status: str | None
    person: str


class Corpus:
    """Articles numbered 0..n-1, the same for the same seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.sentences = seed_sentences()
        rnd = random.Random(seed)
        self.surnames = sorted(
            {
                "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4))).capitalize()
                for _ in range(6000)
            }
        )

    def article(self, n: int) -> Article:
        rnd = random.Random(self.seed * 1_000_003 + n)
        person = f"{rnd.choice(FIRST_NAMES)} {rnd.choice(self.surnames)}"
        place, topic = rnd.choice(PLACES), rnd.choice(TOPICS)
        year = 1995 + n * 30 // 1_000_000 + rnd.randint(0, 1)
        date = f"{rnd.randint(1, 28)} {rnd.choice(MONTHS.split())} {year}"
        spans: list[Span] = []
        parts: list[str] = []
        pos = 0
        lead = f"{person}, speaking in {place} on {date}, said the {topic} plan was settled."
        for k in range(rnd.randint(4, 9)):
            sentences = rnd.sample(self.sentences, rnd.randint(2, 5))
            if k == 0:
                sentences.insert(0, lead)
                spans.append(Span(pos, pos + len(person), "PERSON", Origin.IMPORT))
                at = pos + lead.index(place)
                spans.append(Span(at, at + len(place), "GPE", Origin.IMPORT))
            paragraph = " ".join(sentences)
            parts.append(paragraph)
            pos += len(paragraph) + 2
        text = "\n\n".join(parts) + "\n"
        meta: dict[str, Any] = {"source": f"archive/{year}/{n:07d}.txt", "date": date}
        if n % 20:  # one in twenty has no title: the list shows its first words
            meta["title"] = f"{topic.capitalize()} in {place}: {person} on the {topic} ({n})"
        roll = rnd.random()
        status = (
            "preannotated"
            if roll < 0.28
            else "in_progress"
            if roll < 0.30
            else "accepted"
            if roll < 0.33
            else "rejected"
            if roll < 0.335
            else "skipped"
            if roll < 0.34
            else None
        )
        item = DocumentInput(
            text=text,
            meta=meta,
            spans=tuple(spans) if status else (),
            annotator=ANNOTATOR if status else None,
            status=status,
        )
        return Article(item, status, person)


# -- measuring -------------------------------------------------------------------------------


@dataclass
class Row:
    what: str
    value: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""


ROWS: list[Row] = []


def row(what: str, value: str, baseline: str = "", ratio: str = "", target: str = "") -> None:
    ROWS.append(Row(what, value, baseline, ratio, target))
    print(f"  {what}: {value}" + (f"  (baseline {baseline}, ratio {ratio})" if ratio else ""))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def median_time(fn: Callable[[], object], repeat: int = 5) -> float:
    return best_of(repeat, fn)


def ratio(ours: float, base: float) -> str:
    return f"{ours / base:.2f}x" if base > 0 else "-"


def import_batches(repo: Repository, corpus: Corpus, start: int, stop: int) -> Iterator[int]:
    """Import articles [start, stop) in batches; yields the count after each batch."""
    for lo in range(start, stop, BATCH):
        items = [corpus.article(n).item for n in range(lo, min(stop, lo + BATCH))]
        tokens = tokenize_many(i.text for i in items)
        repo.import_documents(list(zip(items, tokens, strict=True)), "import:archive")
        yield min(stop, lo + BATCH)


def build(repo: Repository, corpus: Corpus, docs: int) -> None:
    print(f"building {docs:,} articles ...", flush=True)
    t0 = time.perf_counter()
    tenth = max(docs // 10, BATCH)
    marks: list[tuple[int, float]] = [(0, t0)]
    for done in import_batches(repo, corpus, 0, docs):
        if done % tenth < BATCH or done == docs:
            marks.append((done, time.perf_counter()))
            rate = (done - marks[-2][0]) / (marks[-1][1] - marks[-2][1])
            print(f"  {done:,} imported ({rate:,.0f} docs/s over the last stretch)", flush=True)
    total = time.perf_counter() - t0
    first = (marks[1][0] - marks[0][0]) / (marks[1][1] - marks[0][1])
    last = (marks[-1][0] - marks[-2][0]) / (marks[-1][1] - marks[-2][1])
    row("import, whole corpus", f"{docs / total:,.0f} docs/s ({total:.0f} s)")
    row(
        "import, last tenth vs first tenth",
        f"{last:,.0f} docs/s",
        f"{first:,.0f} docs/s",
        ratio(last, first),
        "~1 (linear)",
    )


def import_with_and_without_index(corpus: Corpus, tmp: Path, n: int) -> None:
    """The same `n` articles into new databases with and without the FTS triggers,
    alternating (the better of two runs each: the machine is shared)."""

    def run(name: str, drop_triggers: bool) -> float:
        db = Database.open(tmp / f"{name}.sqlite3")
        if drop_triggers:
            with sqlite3.connect(db.path) as conn:
                for trigger in ("insert", "update", "delete"):
                    conn.execute(f"DROP TRIGGER documents_fts_{trigger}")
            conn.close()
        repo = Repository(db)
        t0 = time.perf_counter()
        for _ in import_batches(repo, corpus, 0, n):
            pass
        took = time.perf_counter() - t0
        db.close()
        for leftover in tmp.glob(f"{name}.sqlite3*"):
            leftover.unlink()
        return n / took

    rates: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(2):
        for drop in (True, False):
            rates[drop].append(run("sample", drop))
    without, with_index = max(rates[True]), max(rates[False])
    row(
        f"import {n:,} into a new database",
        f"{with_index:,.0f} docs/s",
        f"{without:,.0f} docs/s without the FTS triggers",
        ratio(with_index, without),
        ">= 0.8",
    )


def preannotation(repo: Repository, sample: int, n_process: int) -> None:
    from newsmark.nlp.model import load_model
    from newsmark.services.preannotation import preannotate

    ids = repo.document_ids()[-sample:]
    texts = list(repo.iter_texts(ids))
    model, plain = load_model(), load_model(quotes=False)
    list(plain.nlp.pipe(texts[:4]))
    list(model.nlp.pipe(texts[:4]))
    t0 = time.perf_counter()
    for _ in plain.nlp.pipe(texts, batch_size=32, n_process=n_process):
        pass
    base = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = preannotate(repo, model, ids, annotator="model", batch_size=32, n_process=n_process)
    ours = time.perf_counter() - t0
    assert len(report.done) == len(ids)
    row(
        f"pre-annotate {sample} documents, {n_process} process(es)",
        f"{sample / ours:,.1f} docs/s",
        f"{sample / base:,.1f} docs/s plain nlp.pipe",
        ratio(sample / ours, sample / base),
        ">= 0.9",
    )


def lists_and_counts(repo: Repository) -> None:
    from newsmark.ui.models.document_list_model import PAGE_ROWS

    ids = repo.document_ids()
    deep = ids[-min(1000, len(ids))]  # a keyset page near the end of the list
    for status in (None, "new", "preannotated", "accepted"):
        label = status or "all"
        first = median_time(lambda s=status: repo.list_documents(s, ANNOTATOR, limit=PAGE_ROWS))
        later = median_time(
            lambda s=status: repo.list_documents(s, ANNOTATOR, limit=PAGE_ROWS, after=deep)
        )
        row(
            f"list page ({PAGE_ROWS} rows), {label}: first / near the end",
            f"{ms(first)} / {ms(later)}",
            target="< 100 ms",
        )
    counts = median_time(lambda: repo.count_by_status(ANNOTATOR))
    t0 = time.perf_counter()
    whole = repo.list_documents(annotator=ANNOTATOR)
    everything = time.perf_counter() - t0
    row(
        "count per status (the panel's counts)",
        ms(counts),
        f"{ms(everything)} whole list, {len(whole):,} rows",
        ratio(counts, everything),
        "< 100 ms",
    )
    print("    counts:", {s.value: n for s, n in repo.count_by_status(ANNOTATOR).items()})


def searches(repo: Repository, db: Database, corpus: Corpus) -> None:
    rare = corpus.article(len(repo.document_ids()) // 2).person.split()[-1]  # a surname
    queries = {
        "rare surname": rare,
        "place, folded": "zurich",
        "phrase": "prime minister",
        "common word": "the",
        "common 4-letter prefix": "coun",
        "phrase being typed": "prime minis",
        "no match": "xylophonist",
    }
    conn = sqlite3.connect(db.path)
    conn.create_function("nm_casefold", 1, lambda v: v.casefold() if isinstance(v, str) else v)
    for name, q in queries.items():
        page = median_time(
            lambda q=q: repo.list_documents(annotator=ANNOTATOR, search=q, limit=100)
        )
        count = median_time(lambda q=q: repo.count_documents(None, ANNOTATOR, q), repeat=3)
        like_page = median_time(
            lambda q=q: conn.execute(
                "SELECT id FROM documents WHERE title LIKE ?1 OR text LIKE ?1 ORDER BY id"
                " LIMIT 100",
                (f"%{q}%",),
            ).fetchall(),
            repeat=3,
        )
        like_count = median_time(
            lambda q=q: conn.execute(
                "SELECT count(*) FROM documents WHERE title LIKE ?1 OR text LIKE ?1", (f"%{q}%",)
            ).fetchall(),
            repeat=1,
        )
        hits = repo.count_documents(None, ANNOTATOR, q)
        row(
            f"search {name} {q!r} ({hits:,}{'+' if hits > 10_000 else ''} hits): page / count",
            f"{ms(page)} / {ms(count)}",
            f"{ms(like_page)} / {ms(like_count)} LIKE",
            ratio(page + count, like_page + like_count),
            "< 200 ms",
        )
    old = median_time(
        lambda: conn.execute(
            "SELECT id FROM documents WHERE instr(nm_casefold(title), ?1) > 0"
            " OR instr(nm_casefold(text), ?1) > 0 ORDER BY id LIMIT 200",
            (queries["rare surname"].casefold(),),
        ).fetchall(),
        repeat=1,
    )
    row("old case-folding scan, rare surname (before this change)", ms(old))
    conn.close()


class PaintWatch:
    """Counts paints of a widget through an event filter (kept alive by the caller)."""

    def __init__(self, widget: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        watch = self

        class Filter(QObject):
            def eventFilter(self, _obj: Any, event: Any) -> bool:
                if event.type() == QEvent.Type.Paint:
                    watch.paints += 1
                return False

        self.paints = 0
        self.filter = Filter()
        widget.installEventFilter(self.filter)


def until(app: Any, ready: Callable[[], bool], timeout: float = 30.0) -> None:
    t0 = time.perf_counter()
    while not ready() and time.perf_counter() - t0 < timeout:
        app.processEvents()
    if not ready():
        raise RuntimeError("timed out waiting for the window")


def window(repo: Repository, db: Database, tmp: Path) -> None:
    from PySide6.QtCore import QStringListModel
    from PySide6.QtWidgets import QApplication, QListView, QPlainTextEdit, QSplitter

    from newsmark.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])

    def bare() -> float:
        t0 = time.perf_counter()
        conn = sqlite3.connect(db.path)
        titles = [r[0] or "" for r in conn.execute("SELECT title FROM documents LIMIT 200")]
        text = conn.execute("SELECT text FROM documents ORDER BY id LIMIT 1").fetchone()[0]
        conn.close()
        split = QSplitter()
        view = QListView(split)
        view.setUniformItemSizes(True)
        view.setModel(QStringListModel(titles, view))
        edit = QPlainTextEdit(split)
        edit.setPlainText(text)
        split.resize(1280, 800)
        watch = PaintWatch(edit.viewport())
        split.show()
        until(app, lambda: watch.paints > 0)
        took = time.perf_counter() - t0
        split.close()
        split.deleteLater()
        app.processEvents()
        return took

    def ours() -> tuple[float, Any]:
        t0 = time.perf_counter()
        win = MainWindow(repo, ANNOTATOR, settings_path=tmp / "window.ini")
        win.resize(1280, 800)
        watch = PaintWatch(win.article.viewport())
        win.show()
        win.load()
        until(
            app,
            lambda: (
                win.documents.model.rowCount() > 0
                and win.article.toPlainText() != ""
                and watch.paints > 0
            ),
        )
        return time.perf_counter() - t0, win

    bare()
    first, win = ours()  # warm-up (imports, icon fonts)
    win.close()
    base = statistics.median(bare() for _ in range(3))
    runs = []
    for _ in range(3):
        took, win = ours()
        runs.append(took)
        if len(runs) < 3:
            win.close()
            win.deleteLater()
    opened = statistics.median(runs)
    row(
        "window open to interactive (in process, lazy list)",
        ms(opened),
        f"{ms(base)} bare QListView + QPlainTextEdit",
        ratio(opened, base),
        "< 1.5 s",
    )
    row("  first window in this process (imports, fonts)", ms(first))
    # Scrolling: page down through 10,000 rows; each step that reaches the end fetches more.
    view, model = win.documents.view, win.documents.model
    steps = []
    while model.rowCount() < 10_000 and model.canFetchMore():
        t0 = time.perf_counter()
        view.scrollToBottom()
        app.processEvents()
        steps.append(time.perf_counter() - t0)
    steps.sort()
    row(
        f"scroll to the end of the loaded rows ({len(steps)} steps to {model.rowCount():,})",
        f"median {ms(steps[len(steps) // 2])}, max {ms(steps[-1])}",
        target="< 16 ms median",
    )
    t0 = time.perf_counter()
    win.documents.search.setText("zurich")
    win.documents.filter_changed.emit()
    app.processEvents()
    row("search typed in the window (query, reset, paint)", ms(time.perf_counter() - t0))
    win.close()
    app.processEvents()


def gui_process(data_dir: Path) -> None:
    from _common import SEED
    from newsmark.storage import Database, clean_close
    from window_startup import BASELINE, time_to_marker

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NEWSMARK_BENCH_MARKER": "1"}
    env.pop("NEWSMARK_HOME", None)
    app_cmd = [sys.executable, "-m", "newsmark", "--data-dir", str(data_dir), "gui"]
    base_cmd = [sys.executable, "-c", BASELINE, str(SEED)]
    db_path = data_dir / "newsmark.sqlite3"
    # The first start takes the daily backup (in the start-up task); the one taken when
    # the corpus's database was new must not count as today's.
    for old in (data_dir / "backups").glob("*.sqlite3"):
        old.unlink()
    _, daily_ready = time_to_marker(app_cmd, env, interactive=True, timeout=600)
    row("`newsmark gui` first start of the day: interactive", ms(daily_ready))
    time.sleep(10)  # let that start's background backup finish

    def clean_close_first() -> None:  # as quitting the window does (a writer's close)
        Database.open(db_path).close()

    def killed_first() -> None:  # a kill leaves no clean-close stamp
        clean_close.stamp_path(db_path).unlink(missing_ok=True)

    # time_to_marker ends each start with SIGTERM, which leaves no stamp either.
    for label, prepare in (("after a clean close", clean_close_first),
                           ("after a kill", killed_first)):  # fmt: skip
        base, first, ready = [], [], []
        for _ in range(3):
            prepare()
            base.append(time_to_marker(base_cmd, env)[0])
            f, r = time_to_marker(app_cmd, env, interactive=True, timeout=600)
            first.append(f)
            ready.append(r)
        b, f, r = statistics.median(base), statistics.median(first), statistics.median(ready)
        what = f"`newsmark gui` process, {label}"
        row(f"{what}: first paint", ms(f), f"{ms(b)} bare window", ratio(f, b))
        row(f"{what}: interactive", ms(r), f"{ms(b)} bare window", ratio(r, b), "< 1.5 s")


def export_memory(repo: Repository, tmp: Path) -> None:
    from newsmark.services.exporting import export

    counts = repo.count_by_status(ANNOTATOR)
    peaks = {}
    for status in ("accepted", "preannotated"):
        out = tmp / f"export-{status}.jsonl"
        tracemalloc.start()
        t0 = time.perf_counter()
        report = export(repo, out, status=status, annotator=ANNOTATOR, force=True)
        took = time.perf_counter() - t0
        peaks[status] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        size = out.stat().st_size
        out.unlink()
        row(
            f"export {status} ({report.records:,} records, {size / 1e6:,.0f} MB, {took:.0f} s)",
            f"peak {peaks[status] / 1e6:.1f} MB traced",
        )
    assert counts[Status.PREANNOTATED] > counts[Status.ACCEPTED]
    row(
        "export peak, large vs small status",
        f"{peaks['preannotated'] / 1e6:.1f} MB",
        f"{peaks['accepted'] / 1e6:.1f} MB",
        ratio(peaks["preannotated"], peaks["accepted"]),
        "~1 (constant)",
    )
    row(
        "process max RSS so far",
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB",
    )


def checks_and_backups(db: Database, tmp: Path) -> None:
    size = db.path.stat().st_size
    row("database size", f"{size / 1e6:,.0f} MB")

    def pragma(name: str) -> float:
        conn = sqlite3.connect(f"{db.path.as_uri()}?mode=ro", uri=True)
        t0 = time.perf_counter()
        result = conn.execute(f"PRAGMA {name}").fetchall()
        took = time.perf_counter() - t0
        conn.close()
        assert result == [("ok",)], result
        return took

    copy = tmp / "copy.sqlite3"
    t0 = time.perf_counter()
    shutil.copyfile(db.path, copy)
    plain = time.perf_counter() - t0
    copy.unlink()
    quick = pragma("quick_check(1)")
    full = pragma("integrity_check(1)")
    row(
        "quick_check (peek and open above the threshold)",
        f"{quick:.2f} s",
        f"{plain:.2f} s cp",
        ratio(quick, plain),
    )
    row(
        f"integrity_check (open, up to {256} MB today)",
        f"{full:.2f} s ({full / (size / 1e8):.2f} s per 100 MB)",
        f"{plain:.2f} s cp",
        ratio(full, plain),
    )
    t0 = time.perf_counter()
    problems = health.deep_check(db.path)
    deep = time.perf_counter() - t0
    assert problems == [], problems[:3]
    row(
        "`db check` (integrity, foreign keys, UTF-8)",
        f"{deep:.2f} s",
        f"{plain:.2f} s cp",
        ratio(deep, plain),
    )
    t0 = time.perf_counter()
    first = peek.first_document(db.path)
    peeked = time.perf_counter() - t0
    row("start-up peek (quick_check + first document)", f"{peeked:.2f} s", ok_or(first))
    dest = tmp / "backups"
    t0 = time.perf_counter()
    made = db.backup(tmp / "manual.sqlite3")
    copied = time.perf_counter() - t0
    made.unlink()
    row(
        "backup copy (SQLite backup API)",
        f"{copied:.2f} s",
        f"{plain:.2f} s cp",
        ratio(copied, plain),
    )
    t0 = time.perf_counter()
    daily = backup_files.auto_backup(db.path, dest, "daily", keep=10)
    checked = time.perf_counter() - t0
    row(
        "daily backup at start-up (copy + integrity_check of the copy)",
        f"{checked:.2f} s",
        f"{plain:.2f} s cp",
        ratio(checked, plain),
    )
    daily.unlink()


class Counter:
    """Counts calls (an event listener)."""

    def __init__(self) -> None:
        self.n = 0

    def add(self, *_: Any) -> None:
        self.n += 1


def ok_or(found: Any) -> str:
    return "first document found" if found is not None else "peek gave up"


def quote_edits(repo: Repository) -> None:
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import event

    from newsmark.ui.document_session import DocumentSession

    app = QApplication.instance() or QApplication(sys.argv[:1])
    sentence = '"We will win this vote," said the minister in Sydney. '
    results = {}
    for stored in (10, 1000):
        text = f"Quotes {stored}.\n\n" + sentence * (stored + 60)
        offset = len(f"Quotes {stored}.\n\n")
        (tokens,) = tokenize_many([text])
        [(doc_id, _)] = repo.add_documents(
            [(DocumentInput(text, {"title": "Quotes"}), tokens)], "q"
        )
        quotes = [
            Quote(
                ((offset + i * len(sentence), offset + i * len(sentence) + 24),), QuoteKind.DIRECT
            )
            for i in range(stored)
        ]
        repo.save_predictions(doc_id, ANNOTATOR, [], quotes)
        session = DocumentSession(repo, ANNOTATOR)
        session.open(doc_id)
        statements = Counter()
        event.listen(repo.db.engine, "before_cursor_execute", statements.add)
        times = []
        for k in range(stored, stored + 40):
            at = offset + k * len(sentence)
            t0 = time.perf_counter()
            assert session.mark_quote(at, at + 24)
            times.append(time.perf_counter() - t0)
        event.remove(repo.db.engine, "before_cursor_execute", statements.add)
        app.processEvents()
        results[stored] = (statistics.median(times), statements.n / 40)
    (few, few_sql), (many, many_sql) = results[10], results[1000]
    row(
        "quote added beside 1,000 quotes (DocumentSession)",
        f"{ms(many)}, {many_sql:.0f} SQL statements",
        f"{ms(few)}, {few_sql:.0f} statements beside 10",
        ratio(many, few),
        "~1",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the corpus")
    parser.add_argument("--preannotate", type=int, default=300, help="sample size (0: skip)")
    parser.add_argument("--n-process", type=int, default=2)
    parser.add_argument("--gui-process", action="store_true")
    args = parser.parse_args()

    work = Path(args.workdir or tempfile.mkdtemp(prefix="newsmark-archive-"))
    data = work / "data"
    data.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(args.seed)
    print(f"corpus in {work}: {args.docs:,} articles, seed {args.seed}")
    try:
        from newsmark.services.workspace import open_workspace

        ws = open_workspace(data, take_lock=True)
        ws.settings.set("annotator", ANNOTATOR)
        repo, db = ws.repo, ws.db
        if not repo.document_ids():
            build(repo, corpus, args.docs)
        print("import with and without the index ...", flush=True)
        import_with_and_without_index(corpus, work, 3000)
        print("lists and counts ...", flush=True)
        lists_and_counts(repo)
        print("search ...", flush=True)
        searches(repo, db, corpus)
        print("window ...", flush=True)
        window(repo, db, work)
        print("quote edits ...", flush=True)
        quote_edits(repo)
        print("export ...", flush=True)
        export_memory(repo, work)
        print("checks and backups ...", flush=True)
        checks_and_backups(db, work)
        if args.preannotate:
            print("pre-annotation ...", flush=True)
            preannotation(repo, args.preannotate, args.n_process)
        ws.close()
        if args.gui_process:
            print("`newsmark gui` as a process ...", flush=True)
            gui_process(data)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(f"Archive scale: {args.docs:,} articles (seed {args.seed})")
    width = max(len(r.what) for r in ROWS)
    print(f"{'measure':{width}}  {'value':28}  {'baseline':46}  {'ratio':7}  target")
    for r in ROWS:
        print(f"{r.what:{width}}  {r.value:28}  {r.baseline:46}  {r.ratio:7}  {r.target}")


if __name__ == "__main__":
    main()
