"""Choosing the database: a SQLite path or a PostgreSQL URL, never with a password."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmark.domain.db_target import check_target, mask
from newsmark.domain.errors import UsageError
from newsmark.services.db_choice import choose
from newsmark.services.settings import Settings, set_database

URL = "postgresql+psycopg://ann@db.example.org:5432/newsroom"


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("postgresql+psycopg://ann:s3cr:et@h/db", "postgresql+psycopg://ann:***@h/db"),
        ("postgresql://ann:p%40ss@h:5432/db", "postgresql://ann:***@h:5432/db"),
        (
            "postgresql+psycopg://ann@h/db?password=x&sslmode=require",
            "postgresql+psycopg://ann@h/db?password=***&sslmode=require",
        ),
        (URL, URL),
        ("/home/ann/newsmark.sqlite3", "/home/ann/newsmark.sqlite3"),
    ],
)
def test_mask_hides_every_password(given: str, shown: str) -> None:
    assert mask(given) == shown


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://ann:hunter2@db.example.org/newsroom",
        "postgresql+psycopg://ann@db.example.org/newsroom?password=hunter2",
        "postgresql+psycopg://:hunter2@db.example.org/newsroom",
    ],
)
def test_a_password_in_the_url_is_refused_and_never_shown(url: str) -> None:
    with pytest.raises(UsageError, match=r"--db: .* carries a password.*~/\.pgpass") as caught:
        check_target(url, "--db")
    assert "hunter2" not in str(caught.value)


def test_other_urls_and_empty_choices_are_refused() -> None:
    with pytest.raises(UsageError, match="not a PostgreSQL URL"):
        check_target("mysql://ann@h/db", "--db")
    with pytest.raises(UsageError, match="names no database"):
        check_target("postgresql+psycopg://ann@h", "--db")
    with pytest.raises(UsageError, match="empty"):
        check_target("  ", "NEWSMARK_DB")
    assert check_target(f" {URL} ", "--db") == URL


def test_db_option_then_environment_then_settings_then_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSMARK_DB", raising=False)
    settings = Settings(tmp_path / "newsmark.ini")
    default = choose(tmp_path, None, settings)
    assert (default.source, default.path, default.server) == (
        "default",
        tmp_path / "newsmark.sqlite3",
        False,
    )
    set_database(settings, URL)
    assert choose(tmp_path, None, Settings(tmp_path / "newsmark.ini")).target == URL
    monkeypatch.setenv("NEWSMARK_DB", str(tmp_path / "other.sqlite3"))
    assert choose(tmp_path, None, settings).source == "NEWSMARK_DB"
    chosen = choose(tmp_path, URL.replace("newsroom", "desk"), settings)
    assert (chosen.source, chosen.server) == ("--db", True)


def test_preferences_never_write_a_password(tmp_path: Path) -> None:
    path = tmp_path / "newsmark.ini"
    settings = Settings(path)
    with pytest.raises(UsageError, match="carries a password"):
        set_database(settings, "postgresql+psycopg://ann:hunter2@h/db")
    assert not path.exists()
    path.write_text("[newsmark]\ndatabase = postgresql://ann:hunter2@h/db\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"newsmark\.ini: database: .*ann:\*\*\*@h") as caught:
        choose(tmp_path, None, Settings(path))
    assert "hunter2" not in str(caught.value)
