"""Kill a writer with SIGKILL mid-stream: every acknowledged edit survives, none is half-done.

A quick version of the reliability suite (tests/reliability runs many more kills).
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from newsmark.storage import Database, Repository

WORDS = 2000
TEXT = " ".join(f"w{i:04d}" for i in range(WORDS))

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from newsmark.domain.document import DocumentInput
    from newsmark.domain.spans import Span
    from newsmark.storage import Database, Repository

    text = " ".join(f"w{i:04d}" for i in range(2000))
    db = Database.open(Path(sys.argv[1]))
    repo = Repository(db)
    [(doc_id, _)] = repo.add_documents([(DocumentInput(text=text), [])], "import")
    aset = repo.annotation_set(doc_id, "ann1")
    start = len(aset.spans)
    print("ready", flush=True)
    for i in range(start, 2000):
        span = repo.add_span(aset.id, Span(i * 6, i * 6 + 5, "ORG"), "ann1").item
        print(span.id, flush=True)  # the acknowledgement: sent only after the commit
    """
)


def run_and_kill(db_path: Path, seconds: float) -> list[int]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    acked: list[int] = []

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            acked.append(int(line))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    threading.Event().wait(seconds)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    reader.join(timeout=10)
    return acked


def test_acknowledged_edits_survive_sigkill(db_path: Path) -> None:
    rng = random.Random(7)
    acked: list[int] = []
    for _round in range(5):
        acked += run_and_kill(db_path, rng.uniform(0.05, 0.4))
    assert acked, "the child never acknowledged an edit: the test proves nothing"
    with Database.open(db_path) as db:
        assert db.integrity_check() == ["ok"]
        repo = Repository(db)
        [doc_id] = repo.document_ids()
        aset = repo.annotation_set(doc_id, "ann1", create=False)
        assert aset is not None and aset.id is not None
        stored = {s.id or 0 for s in aset.spans}
        assert set(acked) <= stored
        # No half-applied edit: each span has its log row, each log row its span.
        logged = [e.target_id or 0 for e in repo.edit_log(aset.id) if e.op == "add_span"]
        assert sorted(logged) == sorted(stored)
        assert aset.version == len(logged)
        for span in aset.spans:
            assert TEXT[span.start : span.end].startswith("w")
