"""Window geometry, dock layout and view toggles kept in an INI file under the data dir
(QSettings)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow


class WindowState:
    """Saves and restores one main window's geometry and dock state; no signals."""

    def __init__(self, path: Path | None) -> None:
        self.settings = QSettings(str(path), QSettings.Format.IniFormat) if path else None

    def restore(self, window: QMainWindow) -> None:
        if self.settings is None:
            return
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if geometry is not None:
            window.restoreGeometry(geometry)  # a QByteArray read back from the INI file
        if state is not None:
            window.restoreState(state)

    def save(self, window: QMainWindow) -> None:
        if self.settings is None:
            return
        self.settings.setValue("window/geometry", window.saveGeometry())
        self.settings.setValue("window/state", window.saveState())
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
