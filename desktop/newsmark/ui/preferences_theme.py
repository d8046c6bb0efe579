"""Light, dark or the OS's colour scheme (Qt 6.5+ QStyleHints.colorScheme) as a palette."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

Role = QPalette.ColorRole


def dark_palette() -> QPalette:
    palette = QPalette()
    colors = {
        Role.Window: "#2b2d30",
        Role.WindowText: "#dfe1e5",
        Role.Base: "#1e1f22",
        Role.AlternateBase: "#26282b",
        Role.ToolTipBase: "#3c3f41",
        Role.ToolTipText: "#dfe1e5",
        Role.PlaceholderText: "#8c8f94",
        Role.Text: "#dfe1e5",
        Role.Button: "#393b40",
        Role.ButtonText: "#dfe1e5",
        Role.BrightText: "#ff6b6b",
        Role.Highlight: "#2f65ca",
        Role.HighlightedText: "#ffffff",
        Role.Link: "#589df6",
        Role.Light: "#4a4d52",
        Role.Midlight: "#3c3f44",
        Role.Mid: "#33353a",
        Role.Dark: "#1b1c1f",
        Role.Shadow: "#000000",
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    for role in (Role.Text, Role.WindowText, Role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6f737a"))
    return palette


def is_dark(theme: str) -> bool:
    """`theme` is system, light or dark; system asks the platform (light when unknown)."""
    if theme in ("light", "dark"):
        return theme == "dark"
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def apply_theme(theme: str, article: QWidget | None = None) -> bool:
    """Apply the palette for `theme`; True when it is dark. The article's page colour
    is set too (it paints its margins in the Window colour)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return False
    dark = is_dark(theme)
    style = app.style()
    app.setPalette(dark_palette() if dark else style.standardPalette())
    if article is not None:
        # The article stays a light page in the dark theme: the label colours are
        # displaCy's pastels, made for dark text on a light ground (a dimmed paper, not
        # white, keeps it calm beside the dark panels).
        palette = app.palette() if not dark else style.standardPalette()
        if dark:
            palette.setColor(Role.Base, QColor("#e8e6e1"))
        palette.setColor(Role.Window, palette.color(Role.Base))
        article.setPalette(palette)
    return dark
