"""User settings as an INI file in the data dir (annotator, model, labels, keymap...), no Qt."""

from __future__ import annotations

import configparser
import getpass
import json
import os
from pathlib import Path
from typing import Any

from newsmark.domain.errors import AnnotationError
from newsmark.domain.labels import DEFAULT_LABELS, Label, LabelSet

SECTION = "newsmark"


def os_user() -> str:
    try:
        return getpass.getuser() or "annotator"
    except (KeyError, OSError):  # no passwd entry in some containers
        return os.environ.get("USER", "annotator")


class Settings:
    """A small typed view of `newsmark.ini`; writes go through a temp file and a rename."""

    def __init__(self, path: Path | None) -> None:
        self.path = path  # None: kept in memory only (windows built without a data dir)
        self._parser = configparser.ConfigParser(interpolation=None)
        if path is not None and path.is_file():
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
        if self.path is None:
            return
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

    @property
    def has_annotator(self) -> bool:
        """False until the first-run question (or `set`) stored a name."""
        return bool(self.get("annotator"))

    def get_json(self, key: str, default: Any) -> Any:
        raw = self.get(key)
        if not raw:
            return default
        try:
            return json.loads(raw)
        except ValueError:  # a hand-edited value gone wrong: defaults, file left alone
            return default

    def set_json(self, key: str, value: Any) -> None:
        self.set(key, json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    @property
    def labels(self) -> LabelSet:
        """The label set (`labels` holds a JSON list); the defaults when unset or invalid."""
        items = self.get_json("labels", None)
        if not isinstance(items, list):
            return LabelSet(DEFAULT_LABELS)
        try:
            return LabelSet(
                Label(
                    str(i["name"]),
                    str(i["color"]),
                    i.get("hotkey") or None,
                    i.get("description", ""),
                )
                for i in items
            )
        except (KeyError, TypeError, AttributeError, ValueError, AnnotationError):
            # A hand-edited file with a clash or a missing field: the defaults.
            return LabelSet(DEFAULT_LABELS)

    def set_labels(self, labels: LabelSet) -> None:
        self.set_json(
            "labels",
            [
                {
                    "name": lab.name,
                    "color": lab.color,
                    "hotkey": lab.hotkey,
                    "description": lab.description,
                }
                for lab in labels
            ],
        )

    @property
    def keymap(self) -> dict[str, list[str]]:
        """Action name -> shortcuts (portable text) the user changed from the defaults."""
        raw = self.get_json("keymap", {})
        if not isinstance(raw, dict):
            return {}
        return {str(k): [str(s) for s in v] for k, v in raw.items() if isinstance(v, list)}

    def set_keymap(self, keymap: dict[str, list[str]]) -> None:
        self.set_json("keymap", keymap)

    @property
    def recent(self) -> list[dict[str, Any]]:
        """Recently opened documents, newest first: {"doc_id", "title", "source"}."""
        raw = self.get_json("recent", [])
        return [r for r in raw if isinstance(r, dict)] if isinstance(raw, list) else []

    def set_recent(self, items: list[dict[str, Any]]) -> None:
        self.set_json("recent", items)

    @property
    def font(self) -> tuple[str | None, int | None]:
        size = self.get("font_size")
        return self.get("font_family") or None, int(size) if size and size.isdigit() else None

    @property
    def theme(self) -> str:
        """`system` (follow the OS), `light` or `dark`."""
        value = self.get("theme") or "system"
        return value if value in ("system", "light", "dark") else "system"

    @property
    def auto_advance(self) -> bool:
        """After accept, reject or skip, open the next unfinished document (default on)."""
        return (self.get("auto_advance") or "true").strip().lower() not in ("false", "0", "no")

    def set_auto_advance(self, on: bool) -> None:
        self.set("auto_advance", "true" if on else "false")


def set_database(settings: Settings, target: str) -> None:
    """Save the Preferences' database choice ("" for the data dir's SQLite file); a URL
    with a password is refused (UsageError) before anything is written."""
    from newsmark.domain.db_target import check_target

    settings.set("database", check_target(target, "database") if target.strip() else "")
