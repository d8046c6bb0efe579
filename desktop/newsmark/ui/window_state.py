"""Window geometry, dock layout and view toggles kept in an INI file under the data dir
(QSettings), and the default dock layout, sized to the window it is shown in."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

# Bumped when the default layout changes: a dock state saved by an older layout is not
# restored (the geometry still is), so its cramped arrangement does not come back.
# 2: the bottom docks span the window's width; side docks sized to the window.
LAYOUT_VERSION = 2

# The docks' object names and titles, by area (main_window builds them; the start-up
# preview builds empty ones like them, so its article sits where the window's will).
SIDE_DOCKS = (("documents", "Documents"), ("labels", "Labels"))
BOTTOM_DOCKS = (("quotes", "Quotes"), ("history", "History"), ("entities", "Entities"))

CENTRAL_MIN_WIDTH = 360  # the article: side docks give way before it gets narrower


def side_widths(window_width: int) -> tuple[int, int]:
    """Default widths of the left (documents) and right (labels) docks."""
    left = max(190, min(320, round(window_width * 0.19)))
    right = max(175, min(200, round(window_width * 0.12)))
    return left, right


def bottom_height(window_height: int) -> int:
    """Default height of the bottom docks: at 1000 px the quote table fits 8+ rows."""
    return max(190, min(420, round(window_height * 0.34)))


def set_corners(window: QMainWindow) -> None:
    """The bottom docks take the full width (the quote text column gets the space)."""
    bottom = Qt.DockWidgetArea.BottomDockWidgetArea
    window.setCorner(Qt.Corner.BottomLeftCorner, bottom)
    window.setCorner(Qt.Corner.BottomRightCorner, bottom)


def apply_default_layout(
    window: QMainWindow, left: QDockWidget, right: QDockWidget, bottom: QDockWidget
) -> None:
    """Side docks and the bottom docks sized to the window (call once it has its size)."""
    size = window.size()
    window.resizeDocks([left, right], list(side_widths(size.width())), Qt.Orientation.Horizontal)
    window.resizeDocks([bottom], [bottom_height(size.height())], Qt.Orientation.Vertical)


class WindowState:
    """Saves and restores one main window's geometry and dock state; no signals."""

    def __init__(self, path: Path | None) -> None:
        self.settings = QSettings(str(path), QSettings.Format.IniFormat) if path else None

    def restore(self, window: QMainWindow) -> bool:
        """Restore the geometry, and the dock state when it is of this layout version;
        True when the dock state was restored."""
        if self.settings is None:
            return False
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if geometry is not None:
            window.restoreGeometry(geometry)  # a QByteArray read back from the INI file
        if state is None or self.layout_version() != LAYOUT_VERSION:
            return False
        return bool(window.restoreState(state, LAYOUT_VERSION))

    def layout_version(self) -> int:
        if self.settings is None:
            return 0
        value = str(self.settings.value("window/layout_version", 0))  # INI keeps text
        return int(value) if value.isdigit() else 0

    def save(self, window: QMainWindow) -> None:
        if self.settings is None:
            return
        self.settings.setValue("window/geometry", window.saveGeometry())
        self.settings.setValue("window/state", window.saveState(LAYOUT_VERSION))
        self.settings.setValue("window/layout_version", LAYOUT_VERSION)
        self.settings.sync()

    def flag(self, name: str, default: bool = False) -> bool:
        """A view toggle (`view/<name>`), e.g. "Show attributions"."""
        if self.settings is None:
            return default
        value = self.settings.value(f"view/{name}", default)
        return value in (True, "true", "1")  # INI files give strings back

    def set_flag(self, name: str, on: bool) -> None:
        if self.settings is None:
            return
        self.settings.setValue(f"view/{name}", on)
        self.settings.sync()
