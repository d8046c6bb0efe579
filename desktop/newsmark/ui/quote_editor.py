"""The quote panel's controller and quote attribution from keyboard and mouse: the
roster (digits, clicks), Ctrl+click a speaker, Mark speaker, cue (C, Ctrl+Shift+click), kind,
next unattributed."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Unpack

from PySide6.QtCore import QObject, Signal

from newsmark.commands.macro_command import MacroCommand
from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.cue_rule import cue_at
from newsmark.domain.document import Document
from newsmark.domain.entities import Entity
from newsmark.domain.errors import NewsmarkError
from newsmark.domain.noun_phrase import noun_phrase_at
from newsmark.domain.quotes import Quote, QuoteChanges, QuoteKind
from newsmark.domain.spans import Span
from newsmark.ui.actions import ActionRegistry
from newsmark.ui.document_session import DocumentSession
from newsmark.ui.quote_attribution import (
    attribution_command,
    link_command,
    mention_command,
    roster_command,
)
from newsmark.ui.speaker_roster import Speaker
from newsmark.ui.views.article_view import ArticleView
from newsmark.ui.views.quote_panel import QuotePanel
from newsmark.ui.views.status_bar import StatusBar

KIND_CYCLE = (QuoteKind.DIRECT, QuoteKind.INDIRECT, QuoteKind.MIXED)


class QuoteEditor(QObject):
    """Keeps the Quotes panel (list, speaker roster, corpus speakers) in step with the
    session and edits the selected quote through it (every change one undo step).

    Owns the actions Speaker 1-9, Speaker: Ctrl+click, Mark speaker, Mark cue, Cue:
    Ctrl+Shift+click, Change
    quote kind and Next unattributed quote.

    Signals:
        hint_given(str): a short message for the status bar.
    """

    hint_given = Signal(str)

    def __init__(
        self,
        article: ArticleView,
        panel: QuotePanel,
        session: DocumentSession,
        status: StatusBar,
        actions: ActionRegistry,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.article = article
        self.panel = panel
        self.session = session
        self.hint_given.connect(status.show_hint)
        session.document_opened.connect(self._show_document)
        session.annotations_changed.connect(self._show_quotes)
        session.quotes_changed.connect(self._show_quotes)
        panel.set_roster_source(
            lambda: (
                article.text,
                session.annotations.spans if session.annotations else [],
                session.annotations.quotes if session.annotations else [],
            )
        )
        # Another document: its roster at once (never the last one's, even briefly).
        session.document_opened.connect(lambda *_: panel.refresh_roster())
        for changed in (session.annotations_changed, session.spans_changed, session.quotes_changed):
            changed.connect(panel.refresh_roster_soon)
        article.mention_clicked.connect(self.attribute_to_mention)
        article.phrase_clicked.connect(self.attribute_to_phrase)
        article.cue_clicked.connect(self.cue_by_click)
        panel.entity_chosen.connect(self.attribute_to_entity)
        panel.speaker_chosen.connect(self.attribute_to_roster)
        actions.bind("speaker_by_click", lambda: self.attribute_to_mention(None))
        actions.bind("mark_speaker", self.mark_speaker)
        for n in range(1, 10):
            actions.bind(f"speaker_{n}", partial(self.attribute_to_roster, n))
        actions.bind("mark_cue", self.mark_cue)
        actions.bind("cue_by_click", lambda: self.cue_by_click(None))
        actions.bind("cycle_kind", self.cycle_kind)
        actions.bind("next_unattributed", self.next_unattributed)

    def _show_document(self, document: Document, aset: AnnotationSet | None) -> None:
        self.panel.set_quotes(document.text, aset.quotes if aset else [])

    def _show_quotes(self, *_: object) -> None:
        aset = self.session.annotations
        self.panel.set_quotes(self.article.text, aset.quotes if aset else [])

    def show_entities(self, entities: Sequence[Entity], _counts: Mapping[int, object]) -> None:
        """The corpus entities: the speaker search completes them, the roster names them."""
        self.panel.set_entities(entities)
        self.panel.refresh_roster_soon()  # linked mentions show their entity's name

    def _quote(self) -> Quote | None:
        quote = self.article.selected_quote
        if quote is None:
            self.hint_given.emit("Select a quote first (Quotes panel, or mark one with Q)")
        return quote

    def _reselect(self, quote: Quote) -> None:
        self.article.select_quote(self.session.quote_now(quote))

    def attribute_to_mention(self, mention: Span | None) -> None:
        """Ctrl+click on a mention: it becomes the selected quote's speaker."""
        if mention is None:
            self.hint_given.emit("Ctrl+click a highlighted name to make it the speaker")
            return
        quote = self._quote()
        if quote is not None and self.session.attribute(quote, mention):
            self._reselect(quote)

    def attribute_to_phrase(self, offset: int) -> None:
        """Ctrl+click on a word that is no entity span: the noun phrase around it becomes
        the selected quote's speaker mention (domain/noun_phrase.py says which words)."""
        doc = self.session.document
        found = noun_phrase_at(doc.text, doc.tokens, offset) if doc is not None else None
        if found is None:
            self.hint_given.emit("Ctrl+click a name or a noun (not a function word)")
            return
        quote = self._quote()
        if quote is not None:
            self._push_for(quote, lambda: mention_command(self.session, quote, found))

    def mark_speaker(self) -> None:
        """Shift+S: the selected text (snapped to tokens) is the selected quote's speaker
        mention; no entity span is made for it."""
        quote = self.article.selected_quote
        target = self.article.snapped_selection()
        if quote is None or target is None:
            self.hint_given.emit("Select a quote, then select its speaker and press Shift+S")
            return
        self._push_for(quote, lambda: mention_command(self.session, quote, target))

    def attribute_to_roster(self, number: int) -> None:
        """Speaker `number` of the roster (digit key or click): its nearest mention before
        the quote, or the quote's own unlinked mention linked to it."""
        quote = self._quote()
        if quote is None:
            return
        self.panel.refresh_roster()  # a pending refresh lands first: what the key means now
        roster = self.panel.roster
        if not 1 <= number <= len(roster):
            self.hint_given.emit(f"No speaker {number}: label the people first")
            return
        speaker = roster[number - 1]
        self._push_for(quote, lambda: roster_command(self.session, quote, speaker))

    def attribute_to_entity(self, entity: Entity) -> None:
        """A corpus entity picked in the speaker search box: as its roster entry when it
        has one; else the quote's own mention is linked to it (a quote with none carries
        the entity only)."""
        quote, aset = self._quote(), self.session.annotations
        if quote is None or aset is None:
            return
        self.panel.refresh_roster()
        listed = next((sp for sp in self.panel.roster if sp.entity_id == entity.id), None)
        if listed is None:
            text, quotes = self.article.text, aset.quotes
            listed = self._speaker_of(entity, text, aset.spans, quotes)
        if listed is not None:
            self._push_for(quote, lambda: roster_command(self.session, quote, listed))
        elif quote.speaker is not None:  # the quote's own mention, (re)linked
            span = next((sp for sp in aset.spans if (sp.start, sp.end) == quote.speaker), None)
            if span is not None:
                self._push_for(
                    quote, lambda: attribution_command(self.session, quote, span, entity)
                )
            else:
                self._push_for(quote, lambda: link_command(self.session, quote, entity))
        else:
            self._update(
                quote, f"Attribute quote to {entity.name}", entity=entity.name, entity_id=entity.id
            )

    @staticmethod
    def _speaker_of(
        entity: Entity, text: str, spans: Sequence[Span], quotes: Sequence[Quote]
    ) -> Speaker | None:
        """The entity's mentions in this document as a roster entry (it may be past nine)."""
        mentions = tuple(s for s in spans if s.entity_id == entity.id)
        mentions += tuple(
            Span(*q.speaker, q.speaker_label or "", entity_id=entity.id)
            for q in quotes
            if q.speaker
            and q.entity_id == entity.id
            and q.speaker not in {(m.start, m.end) for m in mentions}
        )
        if not mentions:
            return None
        return Speaker(
            entity.name, entity.label, tuple(sorted(mentions, key=lambda m: m.start)), entity.id
        )

    def _push_for(self, quote: Quote, build: Callable[[], MacroCommand]) -> None:
        """Build a command (errors: a status message) and push it as one undo step."""
        s = self.session
        if s.readonly or s.annotations is None:
            return
        try:
            command = build()
        except NewsmarkError as exc:
            self.hint_given.emit(str(exc))
            return
        if s.push(command):
            self._reselect(quote)

    def mark_cue(self) -> None:
        """The selected text (snapped to tokens) is the selected quote's cue."""
        quote = self.article.selected_quote
        target = self.article.snapped_selection()
        if quote is None or target is None:
            self.hint_given.emit("Select a quote, then select its reporting verb and press C")
            return
        cue = self.article.text[target[0] : target[1]]
        self._update(quote, f"Cue “{cue}”", cue=target)

    def cue_by_click(self, offset: int | None) -> None:
        """Ctrl+Shift+click on a word: it (or a known phrase through it: "according to",
        "called for", "has said") is the selected quote's cue, one undo step; a word
        near the cue extends it ("pointed" + "out", "sounded" + "a call for")."""
        doc, quote = self.session.document, self.article.selected_quote
        current = quote.cue if quote is not None else None
        found = (
            cue_at(doc.text, doc.tokens, offset, current=current)
            if doc and offset is not None
            else None
        )
        if found is None:
            self.hint_given.emit("With a quote selected, Ctrl+Shift+click its reporting verb")
            return
        quote = self._quote()
        if quote is not None:
            cue = self.article.text[found[0] : found[1]]
            self._update(quote, f"Cue “{cue}”", cue=found)

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

    def _update(self, quote: Quote, text: str, **changes: Unpack[QuoteChanges]) -> None:
        if self.session.update_quote(quote, text, **changes):
            self._reselect(quote)
