"""The article's look from the settings: theme and font (the window and the start-up preview)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QPalette, QTextOption
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QWidget

from newsmark.ui.preferences_theme import apply_theme

ARTICLE_FONTS = ["Source Serif 4", "Noto Serif", "DejaVu Serif", "Georgia", "serif"]
ARTICLE_POINT_SIZE = 11
PAGE_MARGIN = 18  # the document margin around the text, in pixels


def article_font() -> QFont:
    """The article's default font (the window's and the start-up preview's)."""
    font = QFont()
    font.setFamilies(ARTICLE_FONTS)
    font.setPointSize(ARTICLE_POINT_SIZE)
    font.setStyleHint(QFont.StyleHint.Serif)
    return font


def style_page(view: QPlainTextEdit) -> None:
    """The article's page: read-only, frameless, wrapped, in the article font, and the
    side margins in the page colour rather than the window's grey (ArticleView and the
    start-up preview look the same)."""
    view.setReadOnly(True)
    view.setFrameShape(QFrame.Shape.NoFrame)
    view.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    view.setFont(article_font())
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.Base))
    view.setPalette(palette)
    view.setAutoFillBackground(True)
    view.document().setDocumentMargin(PAGE_MARGIN)


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
