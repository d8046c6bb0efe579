"""spaCy's `n_process` workers: they end with the process that started them.

spaCy forks its workers (multiprocessing). Killed with SIGKILL, a parent would leave them
blocked on a pipe forever; stopped with Ctrl+C or SIGTERM, it would wait forever for them
in `Language._multiprocessing_pipe`'s `join`. So each worker asks the kernel for SIGTERM
when its parent dies, and while workers run, SIGINT and SIGTERM stop them first.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import multiprocessing.queues
import os
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_forking_pid = 0
_registered = False
_stopping: int | None = None  # the signal that stopped the workers, while it is handled


def _remember_parent() -> None:
    global _forking_pid
    _forking_pid = os.getpid()


def _die_with_parent() -> None:
    """In a forked child: SIGTERM when the parent dies (Linux), or exit if it already has."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != _forking_pid:  # the parent died between fork and prctl
        os._exit(1)


def workers_die_with_parent() -> None:
    """Make every later fork of this process end when this process ends (idempotent)."""
    global _registered
    if _registered or not sys.platform.startswith("linux"):
        return
    os.register_at_fork(before=_remember_parent, after_in_child=_die_with_parent)
    _registered = True


def _stop_workers(signum: int, frame: FrameType | None) -> None:
    global _stopping
    _stopping = signum
    for child in multiprocessing.active_children():
        child.terminate()
    # WORKAROUND: spaCy's Language._multiprocessing_pipe feeds its workers through
    # multiprocessing Queues; with the workers gone, a queue's feeder thread blocks on
    # a full pipe forever, and Python joins it at exit (seen: SIGINT never exited).
    for obj in gc.get_objects():
        if isinstance(obj, multiprocessing.queues.Queue):
            obj.cancel_join_thread()
    # spaCy then warns that its workers did not complete: they were stopped on purpose.
    warnings.filterwarnings("ignore", message=r"\[W127\]")
    raise _stop(signum)


def _stop(signum: int) -> BaseException:
    return KeyboardInterrupt() if signum == signal.SIGINT else SystemExit(128 + signum)


def _unraisable(previous: Callable[[sys.UnraisableHookArgs], object]) -> Callable[..., None]:
    """A signal that lands while Python runs a weakref callback or `__del__` (SQLAlchemy's
    identity map cleans up in one) has its exception printed and dropped there: keep quiet
    about ours, which `stop_workers_on_signal` raises again."""

    def hook(unraisable: sys.UnraisableHookArgs) -> None:
        if _stopping is not None and isinstance(
            unraisable.exc_value, KeyboardInterrupt | SystemExit
        ):
            return
        previous(unraisable)

    return hook


@contextmanager
def stop_workers_on_signal() -> Iterator[None]:
    """While the block runs: SIGINT/SIGTERM terminate the workers, then stop this process.

    Only the main thread can handle signals; elsewhere (the window's worker threads) the
    block runs unchanged. A stop that a callback swallowed still stops: the stopped
    workers' pipes then fail in the block, which raises the stop instead.
    """
    global _stopping
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _stopping = None
    previous = {sig: signal.signal(sig, _stop_workers) for sig in (signal.SIGINT, signal.SIGTERM)}
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _unraisable(previous_hook)
    try:
        yield
    except Exception:
        if _stopping is None:
            raise
        raise _stop(_stopping) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sys.unraisablehook = previous_hook
