"""Settings-backed window features: preferences, appearance, labels, keymap, re-run model."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFontInfo, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from newsmark.domain.labels import LabelSet
from newsmark.services.settings import Settings, os_user, set_database
from newsmark.ui.actions import ActionRegistry
from newsmark.ui.appearance import ARTICLE_POINT_SIZE, apply_appearance, article_font
from newsmark.ui.dialogs.preferences_dialog import (
    AnnotatorDialog,
    Preferences,
    PreferencesDialog,
)
from newsmark.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from newsmark.ui.document_session import DocumentSession
from newsmark.ui.keymap import Keymap
from newsmark.ui.views.article_view import ArticleView
from newsmark.ui.views.status_bar import StatusBar
from newsmark.workers.nlp_worker import NlpWorker

log = logging.getLogger(__name__)

ADD_NEW_ONLY = "Add new model spans only"


class PreferencesController(QObject):
    """Owns the dialogs that read or write the settings, and the actions Preferences,
    Keyboard shortcuts and Re-run model (its question; the session does the work, this
    object never touches the repository).

    Signals:
        preferences_changed(object): the Preferences the user confirmed (and stored).
    """

    preferences_changed = Signal(object)

    def __init__(
        self,
        settings: Settings,
        session: DocumentSession,
        status: StatusBar,
        actions: ActionRegistry,
        article: ArticleView,
        window: QWidget,
        worker: NlpWorker | None = None,
    ) -> None:
        super().__init__(window)
        self.worker = worker  # reloads the model when Preferences change it
        self.window = window  # the dialogs' parent
        self.settings = settings
        self.session = session
        self.status = status
        self.actions = actions
        self.article = article
        self.keymap = Keymap(settings, actions.all())
        for name in self.keymap.apply():
            log.warning("keymap: shortcut for %s not applied (unknown or clashing)", name)
        self._rerunning = False  # "Re-running the model…" is showing
        # Replaced in tests: after a human edit, True adds new model spans, False skips.
        self.ask_add_new_only = self._ask_add_new_only
        self.apply_appearance()
        actions.bind("preferences", self.show_preferences)
        actions.bind("shortcuts", self.show_shortcuts)
        actions.bind("rerun_model", self.rerun_model)
        actions["rerun_model"].setEnabled(session.can_rerun)
        session.rerun_done.connect(self._on_rerun_done)
        session.document_opened.connect(lambda *_: self._rerun_ended())
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(lambda *_: self.apply_appearance())

    # -- appearance -------------------------------------------------------------------
    def apply_appearance(self) -> None:
        family, size = self.settings.font
        theme = self.settings.theme
        apply_appearance(theme, family, size, self.article, article_font(), ARTICLE_POINT_SIZE)

    def ask_annotator(self) -> str:
        """First run: ask who annotates (the OS user by default), store it and use it."""
        default = os_user()
        dialog = AnnotatorDialog(default, self.window)
        dialog.exec()  # Cancel keeps the OS user
        name = dialog.annotator(default)
        self.settings.set("annotator", name)
        self.session.annotator = name  # nothing is open yet at first start
        return name

    # -- dialogs ----------------------------------------------------------------------
    def current_preferences(self) -> Preferences:
        family, size = self.settings.font
        return Preferences(
            annotator=self.settings.annotator,
            model=self.settings.model or "",
            labels=self.settings.labels,
            font_family=family or QFontInfo(self.article.font()).family(),
            font_size=size or self.article.font().pointSize(),
            theme=self.settings.theme,
            auto_advance=self.settings.auto_advance,
            database=self.settings.get("database") or "",
        )

    def show_preferences(self) -> PreferencesDialog:
        dialog = PreferencesDialog(self.current_preferences(), self.window)
        dialog.accepted_preferences.connect(self.store)
        dialog.open()
        return dialog

    def store(self, prefs: Preferences) -> None:
        """Store the preferences and apply them now: appearance, labels, and the
        annotator (the session reopens the document as them) and model (reloaded in
        the NLP thread), without a restart."""
        s = self.settings
        annotator = prefs.annotator.strip() or s.annotator
        model_changed = (prefs.model.strip() or None) != s.model
        s.set("annotator", annotator)
        s.set("model", prefs.model.strip())
        s.set_labels(prefs.labels)
        s.set("font_family", prefs.font_family)
        s.set("font_size", str(prefs.font_size))
        s.set("theme", prefs.theme)
        s.set_auto_advance(prefs.auto_advance)
        database_changed = prefs.database != (s.get("database") or "")
        if database_changed:
            set_database(s, prefs.database)
        self.apply_appearance()
        if list(prefs.labels) != list(self.actions.labels):
            self.apply_labels(prefs.labels)
        done = ["preferences"]
        if annotator != self.session.annotator:
            self.session.switch_annotator(annotator)
            done.append(f"now annotating as {annotator}")
        if model_changed and self.worker is not None:
            self.worker.set_model(prefs.model.strip() or None)
            done.append(f"loading model {prefs.model.strip() or '(default)'}")
        if database_changed:
            done.append("the new database opens at the next start")
        self.status.show_saved("; ".join(done))
        self.preferences_changed.emit(prefs)

    def apply_labels(self, labels: LabelSet) -> None:
        """Use a new label set now: label actions (hence the Label menu, palette and
        highlights, which follow them), keymap, repository."""
        self.actions.set_labels(labels)
        self.session.use_labels(labels)  # edits are checked against the new set
        self.keymap = Keymap(self.settings, self.actions.all())

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(
            self.actions.all(), self.window, self.keymap.change, self.keymap.reset
        )
        dialog.open()
        return dialog

    # -- re-run the model -------------------------------------------------------------
    def rerun_model(self) -> int | None:
        """Ask the session to re-run the model on the current document; the request id."""
        request = self.session.rerun_model(lambda: self.ask_add_new_only())
        if request is not None:
            self._rerunning = True
            self.status.show_busy("Re-running the model…")
        return request

    def _rerun_ended(self) -> None:
        # Its answer is no longer wanted once another document opens.
        if self._rerunning:
            self._rerunning = False
            self.status.show_busy("")

    def _on_rerun_done(self, added: int) -> None:
        self._rerun_ended()
        if added < 0:
            self.status.showMessage("Re-run skipped: your edits are kept as they are", 6000)
        else:
            self.status.show_saved(f"model re-run: {added} model span(s)")

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
