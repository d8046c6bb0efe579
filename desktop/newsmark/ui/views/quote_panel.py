"""The quote panel dock: the speaker roster and search beside the document's quotes;
clicking a quote selects it in the text, clicking a speaker attributes the quote."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from newsmark.domain.entities import Entity
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span
from newsmark.ui.colors import SpeakerKey, assign_speaker_colors, mention_key
from newsmark.ui.models.quote_list_model import QuoteListModel
from newsmark.ui.speaker_roster import Speaker, build_roster

ROSTER_DELAY_MS = 150
ROSTER_WIDTH = 180
RosterSource = Callable[[], tuple[str, Sequence[Span], Sequence[Quote]]]


class QuotePanel(QWidget):
    """Lists quotes with speaker, kind and cue.

    Signals:
        quote_selected(object): the Quote the user picked.
        entity_chosen(object): a corpus Entity picked in the speaker search box.
        speaker_chosen(int): a roster entry clicked (its number, 1-9).
    """

    quote_selected = Signal(object)
    entity_chosen = Signal(object)
    speaker_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QuoteListModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("quote_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 150)  # narrower beside the roster: the quote needs the room
        header.resizeSection(2, 70)
        header.resizeSection(3, 80)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        # The roster: one row per speaker (digit, name in its colour, mentions), a click
        # attributes the selected quote like the digit key.
        self.roster_list = QListWidget(self)
        self.roster_list.setObjectName("speaker_roster")
        self.roster_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # digits stay the article's
        self.roster_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.roster_list.setToolTip("Speakers: press the digit or click to attribute the quote")
        self.roster_list.itemClicked.connect(self._roster_clicked)
        self.roster: list[Speaker] = []
        self._roster_source: RosterSource | None = None
        self._roster_timer = QTimer(self)
        self._roster_timer.setSingleShot(True)
        self._roster_timer.setInterval(ROSTER_DELAY_MS)  # after a burst of edits, once
        self._roster_timer.timeout.connect(self.refresh_roster)
        # Speakers from the whole corpus, with autocomplete: "Netanyahu" finds the entity
        # annotated in another article.
        self.speaker_search = QLineEdit(self)
        self.speaker_search.setObjectName("speaker_search")
        self.speaker_search.setPlaceholderText("Speaker from the corpus…")
        self._entities: dict[str, Entity] = {}
        self._entity_names: dict[int, str] = {}
        self.completer = QCompleter([], self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.speaker_search.setCompleter(self.completer)
        self.completer.activated.connect(self._choose)
        self.speaker_search.returnPressed.connect(lambda: self._choose(self.speaker_search.text()))
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.speaker_search)
        side.addWidget(self.roster_list, 1)
        sidebar = QWidget(self)
        sidebar.setLayout(side)
        sidebar.setFixedWidth(ROSTER_WIDTH)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(sidebar)
        layout.addWidget(self.table, 1)
        self.table.clicked.connect(self._on_clicked)

    def set_quotes(self, text: str, quotes: Sequence[Quote]) -> None:
        self.model.set_quotes(text, quotes)

    def set_entities(self, entities: Sequence[Entity]) -> None:
        """The corpus entities the speaker search box completes."""
        self._entities = {f"{e.name} ({e.label})": e for e in entities}
        self._entity_names = {e.id: e.name for e in entities}
        self.completer.model().setStringList(list(self._entities))  # type: ignore[attr-defined]

    def _choose(self, text: str) -> None:
        entity = self._entities.get(text) or next(
            (e for e in self._entities.values() if e.name.casefold() == text.strip().casefold()),
            None,
        )
        if entity is not None:
            self.entity_chosen.emit(entity)
            self.speaker_search.clear()

    def set_roster_source(self, source: RosterSource) -> None:
        """Where the roster comes from: a callable returning (text, spans, quotes)."""
        self._roster_source = source

    def refresh_roster_soon(self) -> None:
        self._roster_timer.start()

    def refresh_roster(self) -> None:
        """Rebuild the roster shown above the quotes at once: digit, name in the speaker
        colour, how many mentions (each entry a link: a click attributes the quote)."""
        self._roster_timer.stop()
        if self._roster_source is None:
            return
        text, spans, quotes = self._roster_source()
        self.roster = build_roster(text, spans, quotes, self._entity_names)
        self.roster_list.clear()
        # The article's colours: an entry takes the colour of its entity's (or any of its
        # mentions') quotes; entries with no quote yet take the next free ones.
        entry_keys: list[list[SpeakerKey]] = [
            [("entity", str(sp.entity_id))]
            if sp.entity_id is not None
            else [mention_key(text, m.start, m.end) for m in sp.mentions]
            for sp in self.roster
        ]
        colors = assign_speaker_colors(quotes, text, also=[k[0] for k in entry_keys if k])
        for n, (sp, keys) in enumerate(zip(self.roster, entry_keys, strict=True), start=1):
            count = len(sp.mentions)
            item = QListWidgetItem(f"{n}  {sp.name}" + (f"  ×{count}" if count > 1 else ""))
            color = next((colors[k] for k in keys if k in colors), None)
            if color is not None:
                item.setForeground(QColor(color))
            item.setData(Qt.ItemDataRole.UserRole, n)
            written = dict.fromkeys(" ".join(text[m.start : m.end].split()) for m in sp.mentions)
            item.setToolTip(
                f"<b>{escape(sp.name)}</b> ({sp.label or 'no entity label'}): "
                f"{count} mention(s)<br>{escape(' · '.join(written))}"
            )
            self.roster_list.addItem(item)
        if not self.roster:
            empty = QListWidgetItem("Label people to list them")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.roster_list.addItem(empty)

    def roster_texts(self) -> list[str]:
        """The roster rows as shown."""
        return [self.roster_list.item(i).text() for i in range(self.roster_list.count())]

    def _roster_clicked(self, item: QListWidgetItem) -> None:
        number = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(number, int):
            self.speaker_chosen.emit(number)

    def _on_clicked(self, index: QModelIndex) -> None:
        quote = self.model.quote_at(index.row())
        if quote is not None:
            self.quote_selected.emit(quote)
