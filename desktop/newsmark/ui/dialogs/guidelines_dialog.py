"""Help › Annotation guidelines (Shift+F1): docs/guidelines.md in a non-modal window."""

from __future__ import annotations

import re
import unicodedata

from PySide6.QtCore import QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from newsmark.resources import guidelines_file


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = unicodedata.normalize("NFKC", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def name_headings(document: QTextDocument) -> list[str]:
    """Give every heading its GitHub anchor name, so "(#slug)" links work here too.

    Qt's Markdown reader makes links but no heading anchors; repeated headings get
    "-1", "-2" as on GitHub. Returns the anchors in document order.
    """
    seen: dict[str, int] = {}
    names: list[str] = []
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() > 0 and block.text().strip():
            base = slug(block.text())
            count = seen.get(base, 0)
            seen[base] = count + 1
            name = f"{base}-{count}" if count else base
            cursor = QTextCursor(block)
            end = block.position() + block.length() - 1  # the heading's text, not its break
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            fmt = QTextCharFormat()
            fmt.setAnchor(True)
            fmt.setAnchorNames([name])
            cursor.mergeCharFormat(fmt)
            names.append(name)
        block = block.next()
    return names


def space_out(document: QTextDocument) -> None:
    """Reading spacing: Qt's Markdown blocks sit tight; a long page wants air."""
    document.setDocumentMargin(14)
    block = document.begin()
    while block.isValid():
        fmt = QTextBlockFormat()
        proportional = QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
        fmt.setLineHeight(125, proportional)
        if block.blockFormat().headingLevel() > 0:
            fmt.setTopMargin(16)
            fmt.setBottomMargin(6)
        QTextCursor(block).mergeBlockFormat(fmt)
        block = block.next()


class GuidelinesDialog(QDialog):
    """The guidelines rendered from Markdown; in-page links scroll, web links open outside."""

    def __init__(self, markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guidelines_dialog")
        self.setWindowTitle("Annotation guidelines")
        self.setModal(False)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("guidelines_browser")
        # Links are followed here: a relative file link (docs/formats.md) has no page in
        # the app, and QTextBrowser would warn about it.
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self.follow)
        self.browser.document().setMarkdown(markdown)
        self.anchors = name_headings(self.browser.document())
        space_out(self.browser.document())
        self.browser.moveCursor(QTextCursor.MoveOperation.Start)  # open at the top
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(760, 820)

    def follow(self, url: QUrl) -> None:
        """Scroll to "#anchor"; open http(s) links in the browser; ignore file links."""
        if url.scheme() in {"http", "https"}:
            QDesktopServices.openUrl(url)
        elif not url.path() and url.fragment():
            self.browser.scrollToAnchor(url.fragment())


def show_guidelines(parent: QWidget) -> GuidelinesDialog:
    """Show (and raise) the parent's one guidelines window, reading the file the first time."""
    dialog = parent.findChild(GuidelinesDialog)
    if dialog is None:
        try:
            text = guidelines_file().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:  # a broken installation: say so
            text = f"# Annotation guidelines\n\nThe guidelines could not be read: {exc}\n"
        dialog = GuidelinesDialog(text, parent)
    dialog.show()
    dialog.activateWindow()  # brings an open one to the front (raise_() too, on X11)
    return dialog
