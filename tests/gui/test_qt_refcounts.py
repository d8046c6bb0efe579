"""The Qt bindings keep Python's reference counts: a leak on None crashes the window.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every Qt call returning
nothing (`QColor.setAlpha`, painting); after some thousands of them the interpreter
aborts (`none_dealloc`), losing the annotator's window. pyproject.toml keeps 6.12 off 3.11.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor


def test_qt_calls_returning_nothing_keep_none_alive() -> None:
    colour = QColor(1, 2, 3)
    before = sys.getrefcount(None)
    for _ in range(200):
        colour.setAlpha(1)
    # A few references may come and go with the interpreter's own work; 200 calls
    # losing one each would be far more.
    assert abs(sys.getrefcount(None) - before) < 50
