"""Settings-backed window features: export, preferences, keymap, recent files, re-run model."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QFont, QFontInfo, QGuiApplication
from PySide6.QtWidgets import QMenu, QMessageBox

from newsmark.domain.document import Document
from newsmark.domain.labels import LabelSet
from newsmark.services.settings import Settings, os_user
from newsmark.ui.actions import label_actions
from newsmark.ui.dialogs.preferences_dialog import (
    AnnotatorDialog,
    Preferences,
    PreferencesDialog,
)
from newsmark.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from newsmark.ui.keymap import Keymap
from newsmark.ui.preferences_theme import apply_theme
from newsmark.ui.views.article_view import ARTICLE_POINT_SIZE, article_font

if TYPE_CHECKING:
    from newsmark.ui.dialogs.export_dialog import ExportDialog
    from newsmark.ui.main_window import MainWindow

log = logging.getLogger(__name__)

RECENT_MAX = 10
ADD_NEW_ONLY = "Add new model spans only"


class PreferencesController(QObject):
    """Owns the dialogs and menus that read or write the settings, and Re-run model's
    question; the session does the work, this object never touches the repository.

    Signals:
        preferences_changed(object): the Preferences the user confirmed (and stored).
    """

    preferences_changed = Signal(object)

    def __init__(self, window: MainWindow, settings: Settings) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.keymap = Keymap(settings, window.all_actions())
        for name in self.keymap.apply():
            log.warning("keymap: shortcut for %s not applied (unknown or clashing)", name)
        self.recent_menu = QMenu("Open &Recent", window)
        self.recent_menu.setObjectName("recent_menu")
        self.export_dialog: ExportDialog | None = None
        self._rerunning = False  # "Re-running the model…" is showing
        # Replaced in tests: after a human edit, True adds new model spans, False skips.
        self.ask_add_new_only = self._ask_add_new_only
        self.apply_appearance()
        self._rebuild_recent()
        a, s = window.window_actions, window.session
        a["export"].triggered.connect(self.show_export)
        a["preferences"].triggered.connect(self.show_preferences)
        a["rerun_model"].triggered.connect(self.rerun_model)
        a["rerun_model"].setEnabled(s.can_rerun)
        s.rerun_done.connect(self._on_rerun_done)
        s.document_opened.connect(self._remember)
        s.document_opened.connect(lambda *_: self._rerun_ended())
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(lambda *_: self.apply_appearance())

    # -- appearance -------------------------------------------------------------------
    def apply_appearance(self) -> None:
        apply_theme(self.settings.theme, self.window.article)
        family, size = self.settings.font
        font = article_font()
        if family:
            font = QFont(font)
            font.setFamilies([family, *font.families()])
        font.setPointSize(size or ARTICLE_POINT_SIZE)
        self.window.article.setFont(font)

    def ask_annotator(self) -> str:
        """First run: ask who annotates (the OS user by default), store it and use it."""
        default = os_user()
        dialog = AnnotatorDialog(default, self.window)
        dialog.exec()
        name = dialog.annotator(default)
        self.settings.set("annotator", name)
        self.window.session.annotator = name  # nothing is open yet at first start
        return name

    # -- dialogs ----------------------------------------------------------------------
    def show_export(self) -> ExportDialog:
        if self.export_dialog is None:
            # Imported on first use: the formats it lists are not needed at start-up.
            from newsmark.ui.dialogs.export_dialog import ExportDialog

            w = self.window
            self.export_dialog = ExportDialog(
                w.session.repo, w.tasks, [w.session.annotator], w, start_dir=Path.home()
            )
            self.export_dialog.exported.connect(
                lambda report: w.status.show_saved(report.summary())
            )
        self.export_dialog.show()  # modeless: the user can keep reading while it runs
        return self.export_dialog

    def current_preferences(self) -> Preferences:
        family, size = self.settings.font
        return Preferences(
            annotator=self.settings.annotator,
            model=self.settings.model or "",
            labels=self.settings.labels,
            font_family=family or QFontInfo(self.window.article.font()).family(),
            font_size=size or self.window.article.font().pointSize(),
            theme=self.settings.theme,
        )

    def show_preferences(self) -> PreferencesDialog:
        dialog = PreferencesDialog(self.current_preferences(), self.window)
        dialog.accepted_preferences.connect(self.store)
        dialog.open()
        return dialog

    def store(self, prefs: Preferences) -> None:
        s = self.settings
        s.set("annotator", prefs.annotator)
        s.set("model", prefs.model)
        s.set_labels(prefs.labels)
        s.set("font_family", prefs.font_family)
        s.set("font_size", str(prefs.font_size))
        s.set("theme", prefs.theme)
        self.apply_appearance()
        if list(prefs.labels) != list(self.window.labels):
            self.apply_labels(prefs.labels)
        self.window.status.show_saved("preferences")
        self.preferences_changed.emit(prefs)

    def apply_labels(self, labels: LabelSet) -> None:
        """Use a new label set now: palette, highlights, Label menu, hotkeys, repository."""
        w = self.window
        menu: QMenu | None = None
        for item in w.menuBar().actions():
            candidate = item.menu()
            if item.text() == "&Label" and isinstance(candidate, QMenu):
                menu = candidate
        first_other = None
        for action in w.label_actions:
            if menu is not None:
                menu.removeAction(action)
            action.deleteLater()
        if menu is not None:
            first_other = next(iter(menu.actions()), None)  # the separator before the rest
        w.labels = labels
        w.label_actions = label_actions(labels, w)
        for action in w.label_actions:
            name = str(action.data())
            action.triggered.connect(lambda _=False, n=name: w.editor.label_selection(n))
            action.setEnabled(w.session.annotations is not None and not w.session.readonly)
            if menu is not None and first_other is not None:
                menu.insertAction(first_other, action)
            elif menu is not None:
                menu.addAction(action)
        w.article.set_labels(labels)
        w.label_palette.set_labels(labels)
        w.session.use_labels(labels)  # edits are checked against the new set
        self.keymap = Keymap(self.settings, w.all_actions())

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(
            self.window.all_actions(), self.window, self.keymap.change, self.keymap.reset
        )
        dialog.open()
        return dialog

    # -- recent documents -------------------------------------------------------------
    def _remember(self, document: Document, _aset: object) -> None:
        source = str(document.meta.get("source") or "") if document.meta else ""
        entry = {"doc_id": document.id, "title": document.title, "source": source}
        items = [r for r in self.settings.recent if r.get("doc_id") != document.id]
        self.settings.set_recent([entry, *items][:RECENT_MAX])
        self._rebuild_recent()

    def _rebuild_recent(self) -> None:
        self.recent_menu.clear()
        items = self.settings.recent
        for n, item in enumerate(items, start=1):
            title = str(item.get("title") or f"Document {item.get('doc_id')}")
            action = QAction(f"&{n % 10} {title}" if n <= 10 else title, self.recent_menu)
            action.setStatusTip(str(item.get("source") or ""))
            action.triggered.connect(lambda _=False, it=item: self.open_recent(it))
            self.recent_menu.addAction(action)
        if items:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction("&Clear the list")
            clear.triggered.connect(self.clear_recent)
        self.recent_menu.setEnabled(bool(items))

    def clear_recent(self) -> None:
        self.settings.set_recent([])
        self._rebuild_recent()

    def open_recent(self, item: dict[str, Any]) -> None:
        """Select the document if it is stored; else import its file again if it exists."""
        w = self.window
        doc_id = item.get("doc_id")
        if isinstance(doc_id, int) and w.documents.model.row_of(doc_id) is not None:
            w.documents.select(doc_id)
            return
        source = Path(str(item.get("source") or ""))
        if item.get("source") and source.is_file():
            w.importer.import_paths([source])
        else:
            w.status.show_error(f"“{item.get('title')}” is no longer listed or on disk")

    # -- re-run the model -------------------------------------------------------------
    def rerun_model(self) -> int | None:
        """Ask the session to re-run the model on the current document; the request id."""
        request = self.window.session.rerun_model(lambda: self.ask_add_new_only())
        if request is not None:
            self._rerunning = True
            self.window.status.show_busy("Re-running the model…")
        return request

    def _rerun_ended(self) -> None:
        # Its answer is no longer wanted once another document opens.
        if self._rerunning:
            self._rerunning = False
            self.window.status.show_busy("")

    def _on_rerun_done(self, added: int) -> None:
        self._rerun_ended()
        if added < 0:
            self.window.status.showMessage("Re-run skipped: your edits are kept as they are", 6000)
        else:
            self.window.status.show_saved(f"model re-run: {added} model span(s)")

    def _ask_add_new_only(self) -> bool:
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Re-run the model")
        box.setText("This document has your edits, which the model never overwrites.")
        box.setInformativeText(
            "Add the model's new spans where you have none (quotes are left as they are), "
            "or skip the re-run?"
        )
        add = box.addButton(ADD_NEW_ONLY, QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Skip", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is add
