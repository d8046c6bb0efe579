"""Where Newsmark keeps its data: --data-dir > NEWSMARK_HOME > the platform's data dir."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DB_FILENAME = "newsmark.sqlite3"
SETTINGS_FILENAME = "newsmark.ini"


def data_dir(override: str | Path | None = None) -> Path:
    """The data directory (not created here)."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get("NEWSMARK_HOME")
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir("newsmark", appauthor=False))


def database_path(directory: Path) -> Path:
    return directory / DB_FILENAME


def settings_path(directory: Path) -> Path:
    return directory / SETTINGS_FILENAME


def backups_dir(directory: Path) -> Path:
    return directory / "backups"


def logs_dir(directory: Path) -> Path:
    return directory / "logs"


def models_dir(directory: Path) -> Path:
    """Where `newsmark train` writes its pipelines: models/<name>/."""
    return directory / "models"
