"""WriterLock: one writer per database, across handles and processes; dies with its holder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from newsmark.domain.errors import StorageError
from newsmark.services.workspace import open_workspace
from newsmark.storage import WriterLock


def test_second_handle_cannot_take_the_lock(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    first, second = WriterLock(db_path), WriterLock(db_path)
    assert first.acquire()
    assert first.acquire()  # idempotent for its holder
    assert first.path == db_path.with_name("newsmark.sqlite3.lock")
    assert not second.acquire()
    holder = second.holder()
    assert holder is not None and holder["pid"] == os.getpid() and holder["command"]
    first.release()
    assert second.holder() is None
    assert second.acquire()
    second.release()


def test_context_manager_refuses_with_the_holder(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    with WriterLock(db_path) as held:
        assert held.held
        with pytest.raises(
            StorageError, match=rf"in use by another Newsmark process \(pid {os.getpid()}"
        ):
            WriterLock(db_path).__enter__()
    assert WriterLock(db_path).holder() is None


def test_holder_is_none_without_a_lock_file(tmp_path: Path) -> None:
    assert WriterLock(tmp_path / "x.sqlite3").holder() is None


def test_missing_folder_is_created(tmp_path: Path) -> None:
    lock = WriterLock(tmp_path / "new-data-dir" / "x.sqlite3")
    assert lock.acquire()
    lock.release()


def test_unusable_lock_location_is_a_storage_error(tmp_path: Path) -> None:
    # A file where the folder should be: fails for root too, unlike permission bits.
    (tmp_path / "blocker").write_text("not a folder")
    with pytest.raises(StorageError, match="cannot create the lock file"):
        WriterLock(tmp_path / "blocker" / "x.sqlite3").acquire()


def test_lock_held_by_another_process_and_freed_when_it_dies(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from pathlib import Path
                from newsmark.storage import WriterLock
                lock = WriterLock(Path({str(db_path)!r}))
                print(lock.acquire(), flush=True)
                time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "True"
        mine = WriterLock(db_path)
        assert not mine.acquire()
        holder = mine.holder()
        assert holder is not None and holder["pid"] == child.pid
        # SIGKILL: no cleanup code runs, yet the kernel drops the flock.
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        assert mine.acquire()
        mine.release()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_forked_children_do_not_keep_the_lock(db_path: Path) -> None:
    # spaCy's n_process workers are forks: an flock is shared with them unless they drop it.
    lock = WriterLock(db_path)
    assert lock.acquire()
    pid = os.fork()
    if pid == 0:  # the child: keep running while the parent lets go
        time.sleep(5)
        os._exit(0)
    try:
        lock.release()
        other = WriterLock(db_path)
        assert other.acquire(), "the forked child kept the parent's lock"
        other.release()
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def test_a_lock_left_behind_by_an_exited_holder_names_what_holds_it(
    db_path: Path, tmp_path: Path
) -> None:
    # The holder hands its descriptor to another program and exits without unlocking:
    # the recorded pid is gone, the flock stays; the message must say who holds it.
    db_path.parent.mkdir(parents=True)
    script = textwrap.dedent(
        f"""
        import os, subprocess
        from pathlib import Path
        from newsmark.storage import WriterLock
        lock = WriterLock(Path({str(db_path)!r}))
        assert lock.acquire()
        quiet = subprocess.DEVNULL
        keeper = subprocess.Popen(["sleep", "60"], pass_fds=[lock._fd], stdout=quiet, stderr=quiet)
        print(os.getpid(), keeper.pid, flush=True)
        os._exit(0)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    holder_pid, keeper = (int(x) for x in out.stdout.split())
    try:
        holder = WriterLock(db_path).holder()
        assert holder is not None
        assert holder["pid"] == holder_pid
        assert holder["leftover"] == [keeper]
        with pytest.raises(StorageError) as info:
            open_workspace(db_path.parent)
        assert (
            f"which has exited; processes it left behind hold the lock: end them with "
            f"`kill {keeper}`"
        ) in str(info.value)
    finally:
        os.kill(keeper, signal.SIGKILL)  # not our child: init reaps it
