"""View › Review: one document's annotators' sets as a diff, adjudicated into gold by key.

Its own window (modeless), so its digit keys do not meet the main window's speaker
digits: 1-9 take annotator N's version of the current item, Ctrl+1-9 their whole set,
0 or Delete leaves gold without the item, J/K walk the items, F8/Shift+F8 jump to the
next/previous disagreement gold has not settled, Ctrl+Return marks the gold set reviewed.
Loads and writes run in workers (services/review.py); the window only shows results.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QKeySequence,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from newsmark.domain.offsets import Utf16Map
from newsmark.domain.quotes import Quote
from newsmark.domain.review import ReviewItem, Verdict
from newsmark.domain.spans import Span
from newsmark.services import review as rv
from newsmark.ui.review_text import (
    CURRENT_COLOR,
    DECIDED_COLOR,
    VERDICT_COLORS,
    VERDICT_LINES,
    clip,
    describe,
    detail,
)
from newsmark.workers.review_tasks import load_review_task, review_list_task, review_write_task
from newsmark.workers.task_runner import Task, TaskRunner

if TYPE_CHECKING:
    from newsmark.storage import Repository
    from newsmark.storage.review import ReviewRow

Item = ReviewItem[Span] | ReviewItem[Quote]
FIT = QHeaderView.ResizeMode.ResizeToContents
STRETCH = QHeaderView.ResizeMode.Stretch
KEYS_HELP = (
    "1–9: take that annotator's version of the item · Ctrl+1–9: their whole set · "
    "0/Del: gold without the item · J/K: next/previous item · F8/Shift+F8: next/previous "
    "open disagreement · Ctrl+Enter: mark reviewed"
)


class ReviewDialog(QDialog):
    """The document chooser, the text coloured by verdict, the item list and the current
    item's versions; every decision is a worker task whose result is shown again.

    Signals:
        review_shown(object): the Review now shown (after a load or a decision).
        review_failed(str): a load or decision was refused; its one-line message.
    """

    review_shown = Signal(object)
    review_failed = Signal(str)

    def __init__(
        self, repo: Repository, tasks: TaskRunner, reviewer: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("review_dialog")
        self.setWindowTitle("Review — Newsmark")
        self.repo, self.tasks, self.reviewer = repo, tasks, reviewer
        self.review: rv.Review | None = None
        self.current = 0
        self._task: Task | None = None
        self._rows: list[ReviewRow] = []

        self.documents = QComboBox(self)
        self.documents.setObjectName("review_documents")
        self.documents.setToolTip("Documents with sets of two or more annotators")
        # Long titles must not widen the window: the box is as wide as the layout gives.
        self.documents.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.documents.setMinimumContentsLength(30)
        self.summary = QLabel(self)
        self.summary.setObjectName("review_summary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # names come from files
        # Two lines (document and gold, then the counts), never squeezed by the layout.
        self.summary.setMinimumHeight(2 * self.summary.fontMetrics().lineSpacing() + 4)
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.text = QTextEdit(self)
        self.text.setObjectName("review_text")
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.text.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)  # the article is what is read here
        self.text.setFont(font)
        self.table = QTableWidget(self)
        self.table.setObjectName("review_items")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("review_details")
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(150)
        self.reviewed_button = QPushButton("Mark &reviewed", self)
        self.reviewed_button.setToolTip(
            "Accept the gold set as it is, reviewed by you (Ctrl+Enter)"
        )
        self.message = QLabel(KEYS_HELP, self)
        self.message.setObjectName("review_message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self._build_layout()
        self._bind_keys()
        self.documents.activated.connect(self._document_chosen)
        self.table.currentCellChanged.connect(lambda row, *_: self._select(row))
        self.reviewed_button.clicked.connect(self.mark_reviewed)
        self.resize(1200, 760)

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        label = QLabel("&Document:", self)
        label.setBuddy(self.documents)
        bar.addWidget(label)
        bar.addWidget(self.documents, 1)
        bar.addWidget(self.reviewed_button)
        right = QWidget(self)
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.table, 1)
        side.addWidget(self.details)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.text)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([520, 680])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)

    def _bind_keys(self) -> None:
        def key(sequence: str, slot: Callable[[], object]) -> None:
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.activated.connect(slot)

        for n in range(1, 10):
            key(str(n), partial(self.take_item, n))
            key(f"Ctrl+{n}", partial(self.take_version, n))
        for sequence in ("0", "Delete"):
            key(sequence, self.drop_item)
        key("J", lambda: self.step_item(1))
        key("K", lambda: self.step_item(-1))
        key("F8", lambda: self.jump(1))
        key("Shift+F8", lambda: self.jump(-1))
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            key(sequence, self.mark_reviewed)

    # -- loading ------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._task is not None

    def open_document(self, doc_id: int | None) -> None:
        """List the documents to review, then show `doc_id` (else the first listed)."""
        task = self._start(review_list_task(self.repo), "review list")
        if task is not None:
            task.signals.finished.connect(lambda found: self._listed(task, found, doc_id))

    def _listed(self, task: Task, found: list[ReviewRow], doc_id: int | None) -> None:
        if not self._ended(task):
            return
        self._rows = found
        self.documents.clear()
        for row in found:
            self.documents.addItem(
                clip(f"{row.doc_id}  {row.title}  [{rv.review_state(row)}]", 90), row.doc_id
            )
        ids = [row.doc_id for row in found]
        if doc_id not in ids:
            if not ids:
                self._show_failure("no document has sets of two or more annotators")
                return
            doc_id = ids[0]
        assert doc_id is not None
        self.documents.setCurrentIndex(ids.index(doc_id))
        self.load(doc_id)

    def _document_chosen(self, index: int) -> None:
        doc_id = self.documents.itemData(index)
        if isinstance(doc_id, int):
            self.current = 0
            self.load(doc_id)

    def load(self, doc_id: int) -> None:
        task = self._start(load_review_task(self.repo, doc_id), "review")
        if task is not None:
            task.signals.finished.connect(lambda review: self._loaded(task, review))

    # -- decisions ----------------------------------------------------------------------------

    def take_item(self, n: int) -> None:
        item, name = self.current_item(), self._annotator(n)
        if self.review is not None and item is not None and name is not None:
            review = self.review
            self._write(lambda: rv.take_item(self.repo, review, item, name, self.reviewer))

    def take_version(self, n: int) -> None:
        name = self._annotator(n)
        if self.review is not None and name is not None:
            review = self.review
            self._write(lambda: rv.take_version(self.repo, review, name, self.reviewer))

    def drop_item(self) -> None:
        item = self.current_item()
        if self.review is not None and item is not None:
            review = self.review
            self._write(lambda: rv.drop_item(self.repo, review, item, self.reviewer))

    def mark_reviewed(self) -> None:
        if self.review is not None:
            review = self.review
            self._write(lambda: rv.mark_reviewed(self.repo, review, self.reviewer))

    def _annotator(self, n: int) -> str | None:
        if self.review is None:
            return None
        names = self.review.annotators
        if n > len(names):
            self.message.setText(f"There is no annotator {n}: this document has {len(names)}.")
            return None
        return names[n - 1]

    def _write(self, write: Callable[[], rv.Review]) -> None:
        task = self._start(review_write_task(write), "review decision")
        if task is not None:
            task.signals.finished.connect(lambda review: self._loaded(task, review, wrote=True))

    # -- the tasks ----------------------------------------------------------------------------

    def _start(self, fn: Callable[..., object], name: str) -> Task | None:
        if self._task is not None:
            self.message.setText("Still saving the last decision…")
            return None
        task = self.tasks.start(fn, name)
        self._task = task
        task.signals.failed.connect(lambda message: self._failed(task, message))
        return task

    def _ended(self, task: Task) -> bool:
        if task is not self._task:
            return False
        self._task = None
        return True

    def _failed(self, task: Task, message: str) -> None:
        if not self._ended(task):
            return
        self._show_failure(message)
        if self.review is not None and "changed elsewhere" in message:
            self.load(self.review.document.id)  # someone else's decision: show it

    def _show_failure(self, message: str) -> None:
        self.message.setText(message)
        self.review_failed.emit(message)

    def _loaded(self, task: Task, review: rv.Review, *, wrote: bool = False) -> None:
        if not self._ended(task):
            return
        self.review = review
        self.current = min(self.current, max(len(review.diff.items) - 1, 0))
        self._show(review)
        self.message.setText("Saved. " + KEYS_HELP if wrote else KEYS_HELP)
        if wrote:
            self._refresh_state(review)
        self.review_shown.emit(review)

    # -- showing ------------------------------------------------------------------------------

    def current_item(self) -> Item | None:
        if self.review is None or not self.review.diff.items:
            return None
        return self.review.diff.items[self.current]

    def step_item(self, step: int) -> None:
        if self.review is not None and self.review.diff.items:
            self._select(max(0, min(len(self.review.diff.items) - 1, self.current + step)))

    def jump(self, step: int) -> None:
        """To the next (step 1) or previous (-1) item annotators differ on that gold has
        not settled on one annotator's version, wrapping around."""
        if self.review is None:
            return
        items = self.review.diff.items
        for k in range(1, len(items) + 1):
            i = (self.current + step * k) % len(items)
            if items[i].verdict is not Verdict.AGREE and not items[i].decided:
                self._select(i)
                return
        self.message.setText("No open disagreement left: Ctrl+Enter marks the gold set reviewed.")

    def _select(self, row: int) -> None:
        if self.review is None or not 0 <= row < len(self.review.diff.items):
            return
        self.current = row
        if self.table.currentRow() != row:
            self.table.setCurrentCell(row, 0)
        item = self.review.diff.items[row]
        text = self.review.document.text
        self.details.setPlainText("\n".join(detail(item, text)))
        self._mark_current(item)

    def _show(self, review: rv.Review) -> None:
        text = review.document.text
        by = review.reviewed_by
        state = (
            f"reviewed by {by} {rv.minute(review.reviewed_at)}".rstrip()
            if by and review.gold and review.gold.status.value == "accepted"
            else ("in review" if review.gold else "not reviewed yet")
        )
        names = "  ".join(f"{n} {name}" for n, name in enumerate(review.annotators, start=1))
        diff = review.diff
        self.summary.setText(
            f"{clip(review.document.title, 60)}   —   annotators: {names}   —   gold: {state}\n"
            f"{diff.count(Verdict.AGREE)} agree · {diff.count(Verdict.DISAGREE)} disagree · "
            f"{diff.count(Verdict.ONLY)} in one set only · "
            f"{sum(1 for i in diff.items if i.decided)} of {len(diff.items)} in gold"
        )
        self._fill_text(review)
        # Annotator columns carry the digit that takes their version; long names (an
        # e-mail from Label Studio) clipped, whole in the tooltip.
        numbered = [f"{n} {clip(a, 15)}" for n, a in enumerate(review.annotators, start=1)]
        headers = ["#", "kind", "verdict", *numbered, "gold"]
        self.table.blockSignals(True)
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        for c, name in enumerate(review.annotators, start=3):
            heading = self.table.horizontalHeaderItem(c)
            if heading is not None:
                heading.setToolTip(name)
        self.table.setRowCount(len(diff.items))
        for r, item in enumerate(diff.items):
            verdict = item.verdict.value + (f" ({', '.join(item.differs)})" if item.differs else "")
            cells = [str(r + 1), item.kind, verdict]
            cells += [describe(found, text) for _, found in item.versions]
            cells.append(("✓ " if item.decided else "") + describe(item.gold, text))
            for c, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                if c == 2:
                    cell.setBackground(QColor(VERDICT_COLORS[item.verdict]))
                elif c == len(cells) - 1 and item.decided:
                    cell.setBackground(QColor(DECIDED_COLOR))
                self.table.setItem(r, c, cell)
        header = self.table.horizontalHeader()
        for c in range(len(headers)):
            mode = (
                QHeaderView.ResizeMode.ResizeToContents if c < 3 else QHeaderView.ResizeMode.Stretch
            )
            header.setSectionResizeMode(c, mode)
        self.table.blockSignals(False)
        self.reviewed_button.setEnabled(True)
        if diff.items:
            self._select(self.current)
        else:
            self.details.setPlainText(
                "No annotations in any set: Ctrl+Enter accepts an empty gold set."
            )

    def _fill_text(self, review: rv.Review) -> None:
        text = review.document.text
        units = Utf16Map(text)
        self.text.setPlainText(text)
        cursor = QTextCursor(self.text.document())
        for item in review.diff.items:
            fmt = QTextCharFormat()
            if item.kind == "span":
                fmt.setBackground(QColor(VERDICT_COLORS[item.verdict]))
                ranges = [(x.start, x.end) for _, v in item.versions for x in v]
            else:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(QColor(VERDICT_LINES[item.verdict]))
                ranges = [
                    p for _, v in item.versions for x in v if isinstance(x, Quote) for p in x.parts
                ]
            for start, end in ranges:
                cursor.setPosition(units.to_utf16(start))
                cursor.setPosition(units.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
                cursor.mergeCharFormat(fmt)

    def _mark_current(self, item: Item) -> None:
        if self.review is None:
            return
        units = Utf16Map(self.review.document.text)
        selection = QTextEdit.ExtraSelection()
        selection.format.setBackground(QColor(CURRENT_COLOR))
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(units.to_utf16(item.start))
        cursor.setPosition(units.to_utf16(item.end), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        self.text.setExtraSelections([selection])
        shown = QTextCursor(self.text.document())
        shown.setPosition(units.to_utf16(item.start))
        self.text.setTextCursor(shown)
        self.text.ensureCursorVisible()

    def _refresh_state(self, review: rv.Review) -> None:
        """The chooser's entry for this document says its new review state."""
        index = self.documents.findData(review.document.id)
        if index < 0:
            return
        state = "in review"
        if review.reviewed_by and review.gold and review.gold.status.value == "accepted":
            state = f"reviewed by {review.reviewed_by}"
        self.documents.setItemText(
            index, clip(f"{review.document.id}  {review.document.title}  [{state}]", 90)
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._task is not None:
            self._task = None  # a late result is dropped
        super().closeEvent(event)
