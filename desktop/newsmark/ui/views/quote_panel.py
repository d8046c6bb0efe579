"""The quote panel dock: the document's quotes; clicking one selects it in the text."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from newsmark.domain.quotes import Quote
from newsmark.ui.models.quote_list_model import QuoteListModel


class QuotePanel(QWidget):
    """Lists quotes with speaker, kind and cue.

    Signals:
        quote_selected(object): the Quote the user picked.
    """

    quote_selected = Signal(object)

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
        header.resizeSection(1, 200)
        header.resizeSection(2, 80)
        header.resizeSection(3, 110)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.table)
        self.table.clicked.connect(self._on_clicked)

    def set_quotes(self, text: str, quotes: Sequence[Quote]) -> None:
        self.model.set_quotes(text, quotes)

    def _on_clicked(self, index: QModelIndex) -> None:
        quote = self.model.quote_at(index.row())
        if quote is not None:
            self.quote_selected.emit(quote)
