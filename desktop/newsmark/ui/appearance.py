"""The article's look from the settings: theme and font (the window and the start-up preview)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from newsmark.ui.preferences_theme import apply_theme
from newsmark.ui.views.article_view import ARTICLE_POINT_SIZE, article_font


def apply_appearance(
    theme: str, family: str | None, size: int | None, article: QWidget | None
) -> None:
    """Apply the theme to the application and the article font (`family` before the
    default serif fonts, `size` in points, each None for the default)."""
    apply_theme(theme, article)
    if article is None:
        return
    font = article_font()
    if family:
        font = QFont(font)
        font.setFamilies([family, *font.families()])
    font.setPointSize(size or ARTICLE_POINT_SIZE)
    article.setFont(font)
