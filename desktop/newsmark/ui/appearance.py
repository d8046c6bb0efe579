"""The article's look from the settings: theme and font (the window and the start-up preview)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from newsmark.ui.preferences_theme import apply_theme


def apply_appearance(
    theme: str,
    family: str | None,
    size: int | None,
    article: QWidget | None,
    base_font: QFont,
    default_size: int,
) -> None:
    """Apply the theme to the application and the article's font: `base_font` with
    `family` first (when set) at `size` points (or `default_size`)."""
    apply_theme(theme, article)
    if article is None:
        return
    font = QFont(base_font)
    if family:
        font.setFamilies([family, *font.families()])
    font.setPointSize(size or default_size)
    article.setFont(font)
