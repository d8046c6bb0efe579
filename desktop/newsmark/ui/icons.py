"""The one icon registry: every icon the window shows, by role, as a qtawesome name.

The glyphs are drawn from the Font Awesome fonts qtawesome ships, without importing
qtawesome: its import (qtpy's star imports of every Qt module) cost ~0.15 s of start-up.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPixmap,
)

from newsmark.domain.status import Status

# Role -> qtawesome name. Widgets ask for a role, never for a font glyph directly, so the
# icon theme can change in one place (Spyder's icon manager).
ICONS: dict[str, str] = {
    "next_document": "fa6s.arrow-down",
    "previous_document": "fa6s.arrow-up",
    "accept": "fa6s.check",
    "reject": "fa6s.xmark",
    "skip": "fa6s.forward",
    "quit": "fa6s.power-off",
    "open": "fa6s.folder-open",
    "cancel": "fa6s.circle-stop",
    "about": "fa6s.circle-info",
    "undo": "fa6s.rotate-left",
    "redo": "fa6s.rotate-right",
    "delete_span": "fa6s.eraser",
    "search": "fa6s.magnifying-glass",
    "model": "fa6s.microchip",
    "saved": "fa6s.floppy-disk",
    "readonly": "fa6s.lock",
    "label": "fa6s.tag",
    "next_unfinished": "fa6s.forward-step",
    "next_span": "fa6s.angle-right",
    "previous_span": "fa6s.angle-left",
    "shortcuts": "fa6s.keyboard",
    "guidelines": "fa6s.book-open",
    "quote": "fa6s.quote-left",
    "speaker": "fa6s.user",
    "grow_span": "fa6s.up-right-and-down-left-from-center",
    "shrink_span": "fa6s.down-left-and-up-right-to-center",
    "history": "fa6s.clock-rotate-left",
    "status.new": "fa6.circle",
    "status.preannotated": "fa6s.wand-magic-sparkles",
    "status.in_progress": "fa6s.pen",
    "status.accepted": "fa6s.circle-check",
    "status.rejected": "fa6s.circle-xmark",
    "status.skipped": "fa6s.circle-arrow-right",
    "warning": "fa6s.triangle-exclamation",
    "merge": "fa6s.code-merge",
}

# Status badge colours: calm, distinguishable, readable on white and on a selection.
STATUS_COLORS: dict[Status, str] = {
    Status.NEW: "#9aa0a6",
    Status.PREANNOTATED: "#7b61c9",
    Status.IN_PROGRESS: "#d08a12",
    Status.ACCEPTED: "#2e8b57",
    Status.REJECTED: "#c0392b",
    Status.SKIPPED: "#5f7da8",
}

DEFAULT_COLOR = "#4a4f57"


# qtawesome's prefixes for the fonts used above, and their files in its fonts folder.
FONT_FILES = {"fa6s": "fontawesome6-solid-webfont", "fa6": "fontawesome6-regular-webfont"}


def _fonts_dir() -> Path:
    spec = importlib.util.find_spec("qtawesome")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("qtawesome (the icon fonts) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


@cache
def _font(prefix: str) -> tuple[str, dict[str, int]]:
    """The font family of a prefix, loaded into the application once, and its charmap."""
    folder = _fonts_dir()
    stem = FONT_FILES[prefix]
    ttf = next(folder.glob(f"{stem}-*.ttf"))
    charmap = next(folder.glob(f"{stem}-charmap-*.json"))
    font_id = QFontDatabase.addApplicationFont(str(ttf))
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        raise RuntimeError(f"cannot load the icon font {ttf}")
    codes = json.loads(charmap.read_text(encoding="utf-8"))
    return families[0], {name: int(code, 16) for name, code in codes.items()}


class GlyphEngine(QIconEngine):
    """Paints one font glyph in a colour at any size (as qtawesome's CharIconEngine)."""

    def __init__(self, family: str, char: str, color: QColor) -> None:
        super().__init__()
        self.family, self.char, self.color = family, char, color

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        color = QColor(self.color)
        if mode == QIcon.Mode.Disabled:
            app = QGuiApplication.instance()
            palette = app.palette() if isinstance(app, QGuiApplication) else None
            color = (
                palette.color(palette.ColorGroup.Disabled, palette.ColorRole.Text)
                if palette
                else color
            )
        painter.save()
        font = QFont(self.family)
        font.setPixelSize(max(1, round(0.875 * rect.height())))  # room for the bearing
        painter.setFont(font)
        painter.setPen(color)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), self.char)
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return GlyphEngine(self.family, self.char, self.color)


@cache
def icon(role: str, color: str | None = None) -> QIcon:
    """The icon for `role` (a key of ICONS); KeyError for unknown roles."""
    prefix, name = ICONS[role].split(".", 1)
    family, charmap = _font(prefix)
    engine = GlyphEngine(family, chr(charmap[name]), QColor(color or DEFAULT_COLOR))
    return QIcon(engine)


def status_icon(status: Status | None) -> QIcon:
    status = status or Status.NEW
    return icon(f"status.{status.value}", STATUS_COLORS[status])
