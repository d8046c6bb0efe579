"""Preferences › Database: a PostgreSQL URL is stored without a password (refused with
one, masked), and the window says it opens at the next start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtTest import QTest
from test_preferences import ok, open_preferences, prefs_window  # noqa: F401 (fixture)

from newsmark.services.settings import Settings

URL = "postgresql+psycopg://maria@127.0.0.1:5432/newsroom"


def test_a_database_url_is_stored_without_its_password(qtbot, prefs_window, tmp_path: Path):  # noqa: F811
    win, _, data = prefs_window
    dialog = open_preferences(qtbot, win)
    assert dialog.database.text() == ""
    QTest.keyClicks(dialog.database, "postgresql+psycopg://maria:hunter2@127.0.0.1:5432/newsroom")
    ok(dialog)
    assert dialog.isVisible(), "a URL with a password is refused"
    assert "maria:***@127.0.0.1" in dialog.error.text() and ".pgpass" in dialog.error.text()
    assert "hunter2" not in dialog.error.text()
    assert Settings(data / "newsmark.ini").get("database") is None
    assert "hunter2" not in (data / "newsmark.ini").read_text(encoding="utf-8")

    dialog.database.selectAll()
    QTest.keyClicks(dialog.database, URL)
    with qtbot.waitSignal(win.preferences.preferences_changed):
        ok(dialog)
    assert Settings(data / "newsmark.ini").get("database") == URL
    assert "the new database opens at the next start" in win.statusBar().saved_label.text()
    again = open_preferences(qtbot, win)
    assert again.database.text() == URL
    again.reject()
