"""Quote attribution from keyboard and mouse: Ctrl+click a speaker, cue, kind, next unattributed."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from newsmark.commands.quote_commands import UpdateQuoteCommand
from newsmark.domain.entities import Entity
from newsmark.domain.quotes import Quote, QuoteKind
from newsmark.domain.spans import Span
from newsmark.ui.document_session import DocumentSession
from newsmark.ui.views.article_view import ArticleView

KIND_CYCLE = (QuoteKind.DIRECT, QuoteKind.INDIRECT, QuoteKind.MIXED)


class QuoteEditor(QObject):
    """Edits the selected quote through the session (every change one undo step).

    Signals:
        hint_given(str): a short message for the status bar.
    """

    hint_given = Signal(str)

    def __init__(self, article: ArticleView, session: DocumentSession, parent: QObject) -> None:
        super().__init__(parent)
        self.article = article
        self.session = session

    def _quote(self) -> Quote | None:
        quote = self.article.selected_quote
        if quote is None:
            self.hint_given.emit("Select a quote first (Quotes panel, or mark one with Q)")
        return quote

    def _reselect(self, quote: Quote) -> None:
        aset = self.session.annotations
        found = [q for q in (aset.quotes if aset else []) if q.id == quote.id]
        self.article.select_quote(found[0] if found else None)

    def attribute_to_mention(self, mention: Span | None) -> None:
        """Ctrl+click on a mention: it becomes the selected quote's speaker."""
        if mention is None:
            self.hint_given.emit("Ctrl+click a highlighted name to make it the speaker")
            return
        quote = self._quote()
        if quote is not None and self.session.attribute(quote, mention):
            self._reselect(quote)

    def attribute_to_entity(self, entity: Entity) -> None:
        """A corpus entity picked in the speaker search box becomes the speaker; the
        mention is the entity's first linked one in this document, else the quote's own
        mention (now linked to it); a quote with neither carries the entity only."""
        quote, aset = self._quote(), self.session.annotations
        if quote is None or aset is None:
            return
        mention = next((s for s in aset.spans if s.entity_id == entity.id), None)
        if mention is None and quote.speaker is not None:  # the quote's mention, relinked
            label = quote.speaker_label or entity.label
            mention = Span(*quote.speaker, label)
        if mention is not None:
            if self.session.attribute(quote, mention, entity):
                self._reselect(quote)
            return
        self._update(
            quote, f"Attribute quote to {entity.name}", entity=entity.name, entity_id=entity.id
        )

    def mark_cue(self) -> None:
        """The selected text (snapped to tokens) is the selected quote's cue."""
        quote = self.article.selected_quote
        target = self.article.snapped_selection()
        if quote is None or target is None:
            self.hint_given.emit("Select a quote, then select its reporting verb and press C")
            return
        cue = self.article.text[target[0] : target[1]]
        self._update(quote, f"Cue “{cue}”", cue=target)

    def cycle_kind(self) -> None:
        quote = self._quote()
        if quote is None:
            return
        kind = KIND_CYCLE[(KIND_CYCLE.index(quote.kind) + 1) % len(KIND_CYCLE)]
        self._update(quote, f"Kind {quote.kind.value} → {kind.value}", kind=kind.value)

    def next_unattributed(self) -> Quote | None:
        """Select the next quote (after the selected one, wrapping) with no speaker."""
        aset = self.session.annotations
        quotes = sorted(aset.quotes if aset else [], key=lambda q: (q.start, q.end))
        open_ = [q for q in quotes if q.speaker is None and q.entity_id is None]
        if not open_:
            self.hint_given.emit("Every quote has a speaker")
            return None
        current = self.article.selected_quote
        after = current.start if current is not None else -1
        target = next((q for q in open_ if q.start > after), open_[0])
        self.article.select_span(None)
        self.article.select_quote(target)
        self.article.setTextCursor(self.article.cursor_for(target.start, target.start))
        self.article.ensureCursorVisible()
        return target

    def _update(self, quote: Quote, text: str, **changes: object) -> None:
        s, aset = self.session, self.session.annotations
        if s.readonly or aset is None or aset.id is None:
            return
        command = UpdateQuoteCommand(
            s.repo, aset.id, quote, s.annotator, s.apply_quote_changes, text, **changes
        )
        if s.push(command):
            self._reselect(quote)
