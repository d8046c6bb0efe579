"""The one icon registry: every icon the window shows, by role, as a qtawesome name."""

from __future__ import annotations

from functools import cache

import qtawesome as qta
from PySide6.QtGui import QColor, QIcon
from qtawesome.iconic_font import IconicFont

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


@cache
def _font() -> IconicFont:
    """The icon fonts ICONS names, loaded on the first icon. qta.icon's own font loads and
    hashes all twelve bundled fonts first (35-70 ms of the window's start-up)."""
    prefixes = {name.split(".", 1)[0] for name in ICONS.values()}
    return IconicFont(*(font for font in qta._BUNDLED_FONTS if font[0] in prefixes))


@cache
def icon(role: str, color: str | None = None) -> QIcon:
    """The icon for `role` (a key of ICONS); KeyError for unknown roles."""
    return _font().icon(ICONS[role], color=QColor(color or DEFAULT_COLOR))


def status_icon(status: Status | None) -> QIcon:
    status = status or Status.NEW
    return icon(f"status.{status.value}", STATUS_COLORS[status])
