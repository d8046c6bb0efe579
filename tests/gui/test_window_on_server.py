"""The window on a PostgreSQL server database (team mode): it opens, lists and edits
like on the file, and two windows as two annotators edit one document side by side."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import server_window, server_workspace

from newsmark.domain.document import DocumentInput
from newsmark.domain.spans import Span
from newsmark.nlp.tokens import tokenize_many

pytestmark = pytest.mark.postgres

TEXT = "Olaf Scholz met Emmanuel Macron in Berlin. The chancellor said talks went well."


def test_two_annotators_windows_on_one_server(qtbot, pg_url: str, tmp_path: Path) -> None:
    first = server_workspace(tmp_path / "ann1", pg_url)
    second = server_workspace(tmp_path / "ann2", pg_url)
    try:
        assert not first.readonly and not second.readonly  # no writer lock on a server
        [tokens] = tokenize_many([TEXT])
        first.repo.add_documents([(DocumentInput(TEXT, {"title": "Scholz"}), tokens)], "import")
        one = server_window(qtbot, first, "ann1", tmp_path / "ann1")
        two = server_window(qtbot, second, "ann2", tmp_path / "ann2")
        for win in (one, two):
            assert win.session.document is not None
            assert win.session.document.text == TEXT
        doc_id = one.session.document.id
        # Each annotator writes into their own set through their window's session.
        for win, span in ((one, Span(0, 11, "PERSON")), (two, Span(16, 31, "PERSON"))):
            assert win.session.label_range(span.start, span.end, span.label)
        sets = {
            name: first.repo.annotation_set(doc_id, name, create=False) for name in ("ann1", "ann2")
        }
        assert [s.key for s in sets["ann1"].spans] == [Span(0, 11, "PERSON").key]
        assert [s.key for s in sets["ann2"].spans] == [Span(16, 31, "PERSON").key]
        one.close()
        two.close()
    finally:
        first.close()
        second.close()
