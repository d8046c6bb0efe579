"""The article's look from the settings: theme and font (the window and the start-up preview)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from newsmark.ui.preferences_theme import apply_theme

ARTICLE_FONTS = ["Source Serif 4", "Noto Serif", "DejaVu Serif", "Georgia", "serif"]
ARTICLE_POINT_SIZE = 11


def article_font() -> QFont:
    """The article's default font (the window's and the start-up preview's)."""
    font = QFont()
    font.setFamilies(ARTICLE_FONTS)
    font.setPointSize(ARTICLE_POINT_SIZE)
    font.setStyleHint(QFont.StyleHint.Serif)
    return font


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
