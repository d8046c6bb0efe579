"""User settings as an INI file in the data dir (annotator, model), readable without Qt."""

from __future__ import annotations

import configparser
import getpass
import os
from pathlib import Path

SECTION = "newsmark"


def os_user() -> str:
    try:
        return getpass.getuser() or "annotator"
    except (KeyError, OSError):  # no passwd entry in some containers
        return os.environ.get("USER", "annotator")


class Settings:
    """A small typed view of `newsmark.ini`; writes go through a temp file and a rename."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._parser = configparser.ConfigParser(interpolation=None)
        if path.is_file():
            try:
                self._parser.read(path, encoding="utf-8")
            except (configparser.Error, UnicodeDecodeError):
                # A broken settings file must not stop the app: keep defaults, leave it be.
                self._parser = configparser.ConfigParser(interpolation=None)

    def get(self, key: str, default: str | None = None) -> str | None:
        return self._parser.get(SECTION, key, fallback=default)

    def set(self, key: str, value: str) -> None:
        if not self._parser.has_section(SECTION):
            self._parser.add_section(SECTION)
        self._parser.set(SECTION, key, value)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".ini.tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            self._parser.write(fh)
        tmp.replace(self.path)

    @property
    def annotator(self) -> str:
        return self.get("annotator") or os_user()

    @property
    def model(self) -> str | None:
        return self.get("model") or None
