"""Roles on a real PostgreSQL server: each person logs in as their own login role, and
every write session checks that login's role in `users` (ADR 0013). Refusals write
nothing; with no users the server is single-user (everyone may do everything)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError
from storage_helpers import TEXT, item

import postgres_support
from newsmark.domain.errors import PermissionDenied
from newsmark.domain.spans import Span
from newsmark.domain.status import Status
from newsmark.storage import Repository, ServerDatabase, roles
from team_logins import ANNOTATOR_GRANTS, as_login, create_logins

pytestmark = pytest.mark.postgres

LOGINS = ["ana", "ben", "cleo", "dora", "eve"]  # eve logs in but is no user


class Team:
    """The database's owner (who set it up) and a Repository per login."""

    def __init__(self, url: str, tmp_path: Path) -> None:
        self.url = url
        self.tmp_path = tmp_path
        self.dbs: list[ServerDatabase] = []
        self.owner = self.repo(None)
        [(self.doc, _)] = self.owner.add_documents(
            [item(TEXT, meta={"title": "Bridge vote"})], "import"
        )
        self.ana_set = self.owner.annotation_set(self.doc, "ana")
        self.ben_set = self.owner.annotation_set(self.doc, "ben")

    def repo(self, login: str | None) -> Repository:
        url = self.url if login is None else as_login(self.url, login)
        db = ServerDatabase.open(url, local_dir=self.tmp_path / "data")
        self.dbs.append(db)
        return Repository(db)

    def add_users(self) -> None:
        me = self.owner.login()
        assert me is not None
        for name, role in [
            (me, "admin"),
            ("ana", "annotator"),
            ("ben", "annotator"),
            ("cleo", "reviewer"),
            ("dora", "admin"),
        ]:
            self.owner.add_user(name, role)


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Team]:
    with postgres_support.fresh_database(tmp_path) as url:
        create_logins(url, LOGINS, tmp_path, monkeypatch)
        found = Team(url, tmp_path)
        try:
            yield found
        finally:
            for db in found.dbs:
                db.close()


def span(start: int = 0, end: int = 18) -> Span:
    return Span(start, end, "PERSON")


def test_the_login_is_the_server_user(team: Team) -> None:
    assert team.repo("ana").login() == "ana"


def test_no_users_everyone_may_do_everything(team: Team) -> None:
    ben = team.repo("ben")
    assert ben.users() == {}
    ben.add_span(team.ana_set.id, span(), "ben")
    assert ben.assign({team.doc: ("ana", "ben")}, "ben", replace=False) == 2
    assert [s.label for s in team.owner.get_set(team.ana_set.id).spans] == ["PERSON"]


def test_annotator_writes_their_own_set(team: Team) -> None:
    team.add_users()
    ana = team.repo("ana")
    added = ana.add_span(team.ana_set.id, span(), "ana")
    ana.set_status(team.ana_set.id, Status.ACCEPTED, "ana")
    [(doc2, _)] = team.owner.add_documents([item("Another text here.")], "import")
    created = ana.annotation_set(doc2, "ana")
    assert created is not None and created.annotator == "ana"
    got = team.owner.get_set(team.ana_set.id)
    assert [s.id for s in got.spans] == [added.item.id] and got.status is Status.ACCEPTED


def test_annotator_may_not_edit_anothers_set(team: Team) -> None:
    team.add_users()
    ana = team.repo("ana")
    ana.add_span(team.ana_set.id, span(), "ana")
    before = team.owner.get_set(team.ana_set.id)
    ben = team.repo("ben")
    with pytest.raises(PermissionDenied) as refused:
        ben.add_span(team.ana_set.id, span(30, 45), "ben")
    assert str(refused.value) == "ben is an annotator: may not edit ana's set of 'Bridge vote'"
    [existing] = before.spans
    for attempt in (
        lambda: ben.delete_span(team.ana_set.id, existing.id or 0, "ben"),
        lambda: ben.set_status(team.ana_set.id, Status.REJECTED, "ben"),
        lambda: ben.revert(team.owner.last_edit_id(team.ana_set.id) or 0, "ben"),
        lambda: ben.annotation_set(team.doc, "cleo"),  # creating someone else's set
        lambda: ben.save_predictions(team.doc, "ana", [span(30, 45)], []),
    ):
        with pytest.raises(PermissionDenied, match=r"^ben is an annotator: may not "):
            attempt()
    after = team.owner.get_set(team.ana_set.id)
    assert (after.version, after.status, after.spans) == (
        before.version,
        before.status,
        before.spans,
    )
    assert team.owner.annotation_set(team.doc, "cleo", create=False) is None


def test_annotator_may_not_assign_nor_manage(team: Team) -> None:
    team.add_users()
    ben = team.repo("ben")
    with pytest.raises(PermissionDenied) as refused:
        ben.assign({team.doc: ("ben",)}, "ben", replace=False)
    assert str(refused.value) == "ben is an annotator: may not assign documents (admins only)"
    with pytest.raises(PermissionDenied, match="may not add or remove users"):
        ben.add_user("zed", "admin")
    with pytest.raises(PermissionDenied, match="may not import documents"):
        ben.add_documents([item("A new article.")], "ben")
    entity = ben.find_or_create_entity("Benjamin Netanyahu", "PERSON")  # linking needs it
    with pytest.raises(PermissionDenied, match=r"entities \(reviewers and admins only\)"):
        ben.update_entity(entity.id, "ben", name="Bibi")
    assert team.owner.assignments() == {}
    assert "zed" not in team.owner.users()
    assert team.owner.get_entity(entity.id).name == "Benjamin Netanyahu"


def test_reviewer_writes_the_gold_set_and_others_sets(team: Team) -> None:
    team.add_users()
    cleo = team.repo("cleo")
    gold = cleo.annotation_set(team.doc, "gold")
    assert gold is not None
    cleo.add_span(gold.id, span(), "cleo")
    cleo.set_status(gold.id, Status.ACCEPTED, "cleo")
    cleo.add_span(team.ana_set.id, span(30, 45), "cleo")  # correcting an annotator's set
    entity = cleo.find_or_create_entity("Vladimir Putin", "PERSON")
    assert cleo.update_entity(entity.id, "cleo", kb_id="Q7747").kb_id == "Q7747"
    with cleo.db.session(guard=roles.of_set(gold.id, review=True)):
        pass  # marking a set reviewed: a reviewer's
    with pytest.raises(PermissionDenied, match=r"^cleo is a reviewer: may not assign"):
        cleo.assign({team.doc: ("ana",)}, "cleo", replace=False)
    assert team.owner.get_set(gold.id).status is Status.ACCEPTED
    assert len(team.owner.get_set(team.ana_set.id).spans) == 1


def test_annotator_may_not_mark_even_their_own_set_reviewed(team: Team) -> None:
    team.add_users()
    ana = team.repo("ana")
    with (
        pytest.raises(PermissionDenied) as refused,
        ana.db.session(guard=roles.of_set(team.ana_set.id, review=True)),
    ):
        pass
    assert str(refused.value) == (
        "ana is an annotator: may not review ana's set of 'Bridge vote' (reviewers and admins only)"
    )


def test_admin_assigns_and_manages(team: Team) -> None:
    team.add_users()
    dora = team.repo("dora")
    assert dora.assign({team.doc: ("ana", "ben")}, "dora", replace=False) == 2
    dora.add_user("eve", "annotator")
    assert dora.remove_user("eve") == "annotator"
    dora.add_span(team.ben_set.id, span(), "dora")
    assert team.owner.assignments() == {team.doc: ("ana", "ben")}


def test_a_login_that_is_no_user_may_not_write(team: Team) -> None:
    team.add_users()
    eve = team.repo("eve")
    with pytest.raises(PermissionDenied) as refused:
        eve.annotation_set(team.doc, "eve")
    assert str(refused.value) == (
        "eve is not a user of this database: may not write eve's set of 'Bridge vote' "
        "(an admin adds them: newsmark users add eve --role annotator)"
    )
    assert eve.get_set(team.ana_set.id).annotator == "ana"  # reads are not roles' business


def test_a_role_change_applies_to_the_next_write(team: Team) -> None:
    team.add_users()
    ben = team.repo("ben")
    with pytest.raises(PermissionDenied):
        ben.add_span(team.ana_set.id, span(), "ben")
    dora = team.repo("dora")
    dora.remove_user("ben")
    dora.add_user("ben", "reviewer")
    ben.add_span(team.ana_set.id, span(), "ben")  # the same open database
    assert len(team.owner.get_set(team.ana_set.id).spans) == 1


def test_the_readme_s_least_privilege_annotator_login(
    team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: an annotator's login with only the README's GRANTs still does an
    annotator's whole job through Newsmark, and the server itself refuses what the
    storage check refuses (here bypassed with plain SQL)."""
    create_logins(team.url, ["fay"], tmp_path, monkeypatch, grants=ANNOTATOR_GRANTS)
    team.add_users()
    team.owner.add_user("fay", "annotator")
    fay = team.repo("fay")
    own = fay.annotation_set(team.doc, "fay")
    assert own is not None
    added = fay.add_span(own.id, span(), "fay")
    entity = fay.find_or_create_entity("Benjamin Netanyahu", "PERSON")
    fay.link_span(own.id, added.item.id or 0, entity.id, "fay")
    fay.set_status(own.id, Status.ACCEPTED, "fay")
    fay.revert(fay.last_edit_id(own.id) or 0, "fay")  # undo the accept
    fay.save_predictions(team.doc, "fay", [span(30, 45)], [], force=True)
    got = team.owner.get_set(own.id)
    assert got.status is not Status.ACCEPTED and len(got.spans) == 2
    raw = create_engine(as_login(team.url, "fay"))
    try:
        for sql in (
            f"INSERT INTO assignments (document_id, annotator, assigned_at, assigned_by) "
            f"VALUES ({team.doc}, 'fay', 'now', 'fay')",
            "INSERT INTO users (name, role, created_at) VALUES ('fay2', 'admin', 'now')",
            "UPDATE users SET role = 'admin' WHERE name = 'fay'",
            "DELETE FROM documents",
        ):
            with pytest.raises(ProgrammingError, match="permission denied"), raw.begin() as c:
                c.execute(text(sql))
    finally:
        raw.dispose()
    assert team.owner.users()["fay"] == "annotator"
