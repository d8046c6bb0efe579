"""The window on a server with roles: the annotator name in Preferences is the window's
own claim, the server login is who writes. Logged in as ben, a window that calls itself
"ana" may not edit ana's set: the status bar says why and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import server_window, server_workspace

from newsmark.domain.document import DocumentInput
from newsmark.domain.spans import Span
from newsmark.nlp.tokens import tokenize_many
from newsmark.services.workspace import open_workspace
from team_logins import as_login, create_logins

pytestmark = pytest.mark.postgres

TEXT = "Olaf Scholz met Emmanuel Macron in Berlin. The chancellor said talks went well."


def test_a_window_may_not_write_as_someone_else(
    qtbot, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_logins(pg_url, ["ana", "ben"], tmp_path, monkeypatch)
    owner = open_workspace(tmp_path / "owner", db=pg_url)
    ben = server_workspace(tmp_path / "ben", as_login(pg_url, "ben"))
    try:
        [tokens] = tokenize_many([TEXT])
        [(doc_id, _)] = owner.repo.add_documents(
            [(DocumentInput(TEXT, {"title": "Scholz"}), tokens)], "import"
        )
        owner.repo.annotation_set(doc_id, "ana")
        me = owner.repo.login()
        for name, role in ((me, "admin"), ("ana", "annotator"), ("ben", "annotator")):
            owner.repo.add_user(name, role)

        posing = server_window(qtbot, ben, "ana", tmp_path / "ben")
        assert posing.session.document is not None
        assert not posing.session.label_range(0, 11, "PERSON")
        message = "ben is an annotator: may not edit ana's set of 'Scholz'"
        assert posing.status.currentMessage() == message
        qtbot.wait(50)  # the status bar repaints
        Path("/tmp/shots").mkdir(exist_ok=True)
        posing.grab().save("/tmp/shots/roles15-refused.png")
        assert owner.repo.annotation_set(doc_id, "ana", create=False).spans == []
        posing.close()

        honest = server_window(qtbot, ben, "ben", tmp_path / "ben")
        assert honest.session.label_range(0, 11, "PERSON")
        theirs = owner.repo.annotation_set(doc_id, "ben", create=False)
        assert theirs is not None and [s.key for s in theirs.spans] == [Span(0, 11, "PERSON").key]
        honest.close()
    finally:
        ben.close()
        owner.close()
