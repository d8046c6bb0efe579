"""A stop signal that lands inside a weakref callback still stops pre-annotation, quietly.

Python prints and drops an exception raised in a weakref callback or `__del__`; SQLAlchemy
cleans its identity map in one, so under load SIGTERM to `preannotate --n-process 2`
was swallowed there and the process died later on its stopped workers' pipes, with two
tracebacks (seen once in a loaded clean-clone CI run).
"""

from __future__ import annotations

import os
import signal
import weakref

import pytest

from newsmark.nlp.workers import stop_workers_on_signal


class Row:
    """Stands for an ORM object whose collection runs a callback."""


def signal_inside_a_weakref_callback(sig: signal.Signals) -> None:
    row = Row()
    ref = weakref.ref(row, lambda _ref: os.kill(os.getpid(), sig))
    del row  # the callback runs now, and the handler raises inside it
    assert ref() is None


@pytest.mark.parametrize(
    ("sig", "expected"), [(signal.SIGTERM, SystemExit), (signal.SIGINT, KeyboardInterrupt)]
)
def test_a_swallowed_stop_is_raised_when_the_workers_pipes_fail(
    sig: signal.Signals, expected: type[BaseException], capfd: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(expected) as stopped, stop_workers_on_signal():
        signal_inside_a_weakref_callback(sig)
        # What spaCy's pipe raises next, its workers being gone:
        raise OSError("got end of file during message")
    if expected is SystemExit:
        assert stopped.value.code == 128 + sig
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    # The handlers are put back: the next SIGINT is Python's own again.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_errors_without_a_stop_pass_through() -> None:
    with pytest.raises(OSError, match="disk"), stop_workers_on_signal():
        raise OSError("disk full")
