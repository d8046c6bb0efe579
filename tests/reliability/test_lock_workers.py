"""`preannotate --n-process 2` killed, terminated or interrupted: no worker outlives it and
the writer lock is free at once for the next command (issue: workers inherited the lock)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ARTICLE = (
    "Olena Petrenko arrived in Kyiv on Monday. "
    '"We expect talks to continue," Petrenko told reporters, adding that Jonas Weber '
    "of the Berlin office had said the talks would resume.\n\n"
)


def newsmark(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "newsmark", "--data-dir", str(data), *args]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with enough documents that pre-annotation runs for many seconds."""
    root = tmp_path_factory.mktemp("lock-workers")
    folder = root / "articles"
    folder.mkdir()
    for n in range(400):
        (folder / f"a{n:03d}.txt").write_text(f"Item {n}. " + ARTICLE * 12, encoding="utf-8")
    data = root / "data"
    subprocess.run(newsmark(data, "import", str(folder)), check=True, capture_output=True)
    return data


def children(pid: int) -> set[int]:
    """Every descendant of `pid` (Linux /proc)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                kids = {int(k) for k in (task / "children").read_text().split()}
            except OSError:
                continue
            todo.extend(kids - found)
            found |= kids
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited


def start_workers(data: Path) -> tuple[subprocess.Popen[bytes], set[int]]:
    """Start `preannotate --all --n-process 2` and wait until its two workers run."""
    proc = subprocess.Popen(
        newsmark(data, "preannotate", "--all", "--force", "--n-process", "2", "--batch-size", "4"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        kids = {k for k in children(proc.pid) if alive(k)}
        if len(kids) >= 2:
            time.sleep(2)  # the workers are loading the model and taking batches
            return proc, kids
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        time.sleep(0.1)
    proc.kill()
    pytest.fail("the spaCy workers never started")


def wait_gone(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = {p for p in pids if alive(p)}
        if not left:
            return set()
        time.sleep(0.1)
    return {p for p in pids if alive(p)}


def lock_is_free(data: Path) -> subprocess.CompletedProcess[str]:
    """A writing command right after: it must not be refused as "being edited"."""
    return subprocess.run(
        newsmark(data, "db", "upgrade"), capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_stopping_preannotate_stops_its_workers_and_frees_the_lock(
    corpus: Path, sig: signal.Signals
) -> None:
    proc, workers = start_workers(corpus)
    try:
        os.kill(proc.pid, sig)
        proc.wait(timeout=60)
        left = wait_gone(workers, 20)
        assert not left, f"workers {sorted(left)} outlived their parent ({sig.name})"
        done = lock_is_free(corpus)
        assert done.returncode == 0, done.stderr
        if sig is not signal.SIGKILL:
            stderr = proc.stderr.read().decode() if proc.stderr else ""
            assert "Traceback" not in stderr and "W127" not in stderr
            assert proc.returncode in (130, 143), (proc.returncode, stderr)
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
