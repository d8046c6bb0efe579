"""Which database a data dir opens: `--db`, else NEWSMARK_DB, else the Preferences'
choice, else the SQLite file in the data dir (stdlib only: the window decides before it
loads SQLAlchemy whether a local file can be previewed)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from newsmark import paths
from newsmark.domain.db_target import check_target, is_server_url, mask
from newsmark.services.settings import Settings

ENV = "NEWSMARK_DB"
SETTING = "database"  # the settings file's key (Preferences)


@dataclass(frozen=True)
class DbChoice:
    """A SQLite path or a PostgreSQL URL (never with a password), and where it came from."""

    target: str
    source: str  # "--db", "NEWSMARK_DB", the settings file, or "default"

    @property
    def server(self) -> bool:
        return is_server_url(self.target)

    @property
    def path(self) -> Path:
        """The SQLite file (only for a choice that is not a server)."""
        return Path(self.target).expanduser().absolute()

    @property
    def shown(self) -> str:
        return mask(self.target)


def choose(directory: Path, given: str | None = None, settings: Settings | None = None) -> DbChoice:
    """The database for the data dir `directory`; UsageError for a refused choice (a URL
    with a password, another kind of URL), naming where it came from."""
    if given:
        return DbChoice(check_target(given, "--db"), "--db")
    env = os.environ.get(ENV, "").strip()
    if env:
        return DbChoice(check_target(env, ENV), ENV)
    if settings is None:
        settings = Settings(paths.settings_path(directory))
    saved = (settings.get(SETTING) or "").strip()
    if saved:
        where = f"{settings.path or 'settings'}: {SETTING}"
        return DbChoice(check_target(saved, where), where)
    return DbChoice(str(paths.database_path(directory)), "default")
