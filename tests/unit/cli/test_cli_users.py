"""`newsmark users [add NAME --role R | remove NAME]` on a SQLite file (roles are not
enforced there: single-user) and on a real PostgreSQL server with login roles (every
write checked); garbage refused in one line, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import digest, run

from newsmark.cli import main
from newsmark.services.workspace import open_workspace
from team_logins import as_login, create_logins


@pytest.fixture
def local(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("NEWSMARK_DB", raising=False)
    open_workspace(data_dir).close()  # the file, migrated
    return data_dir


def test_users_on_a_file(capsys: pytest.CaptureFixture[str], local: Path) -> None:
    assert run(capsys, "users") == (
        0,
        "no users: single-user, everyone may do everything\n"
        "(a database file: roles apply on a server only)\n",
        "",
    )
    assert run(capsys, "users", "add", "boss", "--role", "admin") == (
        0,
        "added boss as admin\n",
        "",
    )
    assert run(capsys, "users", "add", "ana", "--role", "annotator")[0] == 0
    code, out, _ = run(capsys, "users")
    assert (code, out) == (
        0,
        "ana   annotator\nboss  admin\n(a database file: roles apply on a server only)\n",
    )
    assert run(capsys, "users", "remove", "ana") == (
        0,
        "removed ana (annotator); their sets and assignments stay\n",
        "",
    )


@pytest.mark.parametrize(
    ("setup", "argv", "reason"),
    [
        ([], ["add", "ana", "--role", "annotator"], "the first user must be an admin"),
        ([], ["add", "ana", "--role", "chief"], "unknown role 'chief'; use one of annotator,"),
        ([], ["add", " ", "--role", "admin"], "a user needs a name"),
        ([("boss", "admin")], ["add", "boss", "--role", "reviewer"], "user 'boss' exists"),
        ([("boss", "admin")], ["remove", "boss"], "'boss' is the last admin"),
        ([("boss", "admin"), ("ana", "annotator")], ["remove", "bob"], "no user 'bob'"),
    ],
)
def test_garbage_is_refused_and_writes_nothing(
    capsys: pytest.CaptureFixture[str],
    local: Path,
    setup: list[tuple[str, str]],
    argv: list[str],
    reason: str,
) -> None:
    ws = open_workspace(local)
    try:
        for name, role in setup:
            ws.repo.add_user(name, role)
    finally:
        ws.close()
    before = digest(local)
    code, out, err = run(capsys, "users", *argv)
    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1 and reason in err
    assert digest(local) == before


def test_missing_role_is_argparse_s(capsys: pytest.CaptureFixture[str], local: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["users", "add", "ana"])
    assert exited.value.code == 2 and "--role" in capsys.readouterr().err


@pytest.mark.postgres
def test_users_on_a_server(
    capsys: pytest.CaptureFixture[str],
    pg_url: str,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    create_logins(pg_url, ["ana", "ben", "dora"], tmp_path, monkeypatch)
    as_ben, as_dora = as_login(pg_url, "ben"), as_login(pg_url, "dora")
    # Empty: everyone may; the first user must be an admin, and the owner who adds one
    # that is not themselves is told they now may not write.
    code, out, _ = run(capsys, "--db", as_ben, "users", "add", "dora", "--role", "admin")
    assert code == 0 and out.startswith("added dora as admin; roles now apply on this server")
    assert "you log in as ben, not a user" in out
    code, _, err = run(capsys, "--db", as_ben, "users", "add", "ben", "--role", "admin")
    assert code == 2 and err == (
        "newsmark: error: ben is not a user of this database: may not add or remove users "
        "(admins only) (an admin adds them: newsmark users add ben --role annotator)\n"
    )
    for name, role in (("ana", "annotator"), ("ben", "annotator")):
        assert run(capsys, "--db", as_dora, "users", "add", name, "--role", role)[0] == 0
    code, _, err = run(capsys, "--db", as_ben, "users", "remove", "ana")
    assert code == 2 and err == (
        "newsmark: error: ben is an annotator: may not add or remove users (admins only)\n"
    )
    code, out, _ = run(capsys, "--db", as_ben, "users")
    assert (code, out) == (
        0,
        "ana   annotator\nben   annotator\ndora  admin\n(you log in as ben, annotator)\n",
    )
    article = tmp_path / "article.txt"
    article.write_text("Angela Merkel met Emmanuel Macron.\n", encoding="utf-8")
    code, _, err = run(capsys, "--db", as_ben, "import", str(article))
    assert code == 2 and err == (
        "newsmark: error: ben is an annotator: may not import documents (admins only)\n"
    )
    code, _, err = run(capsys, "--db", as_dora, "users", "remove", "dora")
    assert code == 2 and "'dora' is the last admin" in err
    assert run(capsys, "--db", as_dora, "users", "remove", "ana")[0] == 0
    code, out, _ = run(capsys, "--db", as_dora, "users")
    assert out == "ben   annotator\ndora  admin\n(you log in as dora, admin)\n"
