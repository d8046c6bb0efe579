"""Every window action in one place: text, shortcut, icon and tooltip."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence

from newsmark.domain.labels import LabelSet
from newsmark.ui.icons import icon


@dataclass(frozen=True, slots=True)
class ActionSpec:
    name: str
    text: str
    shortcuts: tuple[str | QKeySequence.StandardKey, ...]
    tip: str
    icon_role: str | None = None


# Label hotkeys take plain letters, speakers take digits (domain/labels.py); window
# actions use the letters kept for them (a, s, x) and keys no label can take.
ACTION_SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "next_document",
        "&Next document",
        ("]", "Alt+Down"),
        "Open the next document",
        "next_document",
    ),
    ActionSpec(
        "previous_document",
        "&Previous document",
        ("[", "Alt+Up"),
        "Open the previous document",
        "previous_document",
    ),
    ActionSpec("accept", "&Accept", ("A",), "Accept the annotations as gold", "accept"),
    ActionSpec("reject", "&Reject", ("Shift+X",), "Reject this document", "reject"),
    ActionSpec("skip", "&Skip", ("S",), "Skip this document for now", "skip"),
    ActionSpec(
        "next_unfinished",
        "Next &unfinished document",
        ("Ctrl+]",),
        "Open the next document not yet accepted, rejected or skipped",
        "next_unfinished",
    ),
    ActionSpec("next_span", "Next span", ("Tab",), "Select the next span", "next_span"),
    ActionSpec(
        "previous_span",
        "Previous span",
        ("Shift+Tab",),
        "Select the previous span",
        "previous_span",
    ),
    ActionSpec(
        "grow_span_end",
        "Extend end by a token",
        ("Alt+Right",),
        "Move the selected span's end one token right",
        "grow_span",
    ),
    ActionSpec(
        "shrink_span_end",
        "Shrink end by a token",
        ("Alt+Left",),
        "Move the selected span's end one token left",
        "shrink_span",
    ),
    ActionSpec(
        "grow_span_start",
        "Extend start by a token",
        ("Alt+Shift+Left",),
        "Move the selected span's start one token left",
        "grow_span",
    ),
    ActionSpec(
        "shrink_span_start",
        "Shrink start by a token",
        ("Alt+Shift+Right",),
        "Move the selected span's start one token right",
        "shrink_span",
    ),
    ActionSpec("mark_quote", "Mark &quote", ("Q",), "Mark the selected text as a quote", "quote"),
    ActionSpec(
        "same_speaker",
        "Same speaker as previous quote",
        ("=",),
        "Attribute the selected quote to the previous quote's speaker",
        "speaker",
    ),
    ActionSpec("mark_cue", "Mark &cue", ("C",), "The selected text is the quote's cue", "quote"),
    ActionSpec(
        "cycle_kind",
        "Change quote &kind",
        ("Shift+K",),
        "Cycle the selected quote's kind: direct, indirect, mixed",
        "quote",
    ),
    ActionSpec(
        "next_unattributed",
        "&Next unattributed quote",
        ("Shift+N",),
        "Select the next quote with no speaker (Ctrl+click a name to attribute it)",
        "speaker",
    ),
    ActionSpec(
        "speaker_by_click",
        "Speaker: Ctrl+click a name",
        (),
        "With a quote selected, Ctrl+click a highlighted name to make it the speaker",
        "speaker",
    ),
    ActionSpec(
        "cue_by_click",
        "Cue: Ctrl+Shift+click a word",
        (),
        'With a quote selected, Ctrl+Shift+click its reporting verb ("said", "according to")',
        "quote",
    ),
    ActionSpec(
        "mark_speaker",
        "Mark &speaker",
        ("Shift+S",),
        'The selected text (any words: "she", "a spokesman") is the quote\'s speaker',
        "speaker",
    ),
    ActionSpec(
        "apply_all",
        "Apply to &all mentions…",
        ("Ctrl+Shift+L",),
        "Label every other occurrence of the selected span's text the same way",
        "label",
    ),
    *(
        ActionSpec(
            f"speaker_{n}",
            f"Speaker {n}",
            (str(n),),
            f"Attribute the selected quote to speaker {n} of the roster",
            None,
        )
        for n in range(1, 10)
    ),
    ActionSpec(
        "merge_entities",
        "&Merge entities",
        ("Ctrl+M",),
        "Merge the proposed duplicate (or the second selected entity into the first)",
        "merge",
    ),
    ActionSpec("undo", "&Undo", (QKeySequence.StandardKey.Undo,), "Undo the last edit", "undo"),
    ActionSpec("redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo the undone edit", "redo"),
    ActionSpec(
        "delete_span",
        "&Delete",
        ("Delete", "X"),
        "Delete the selected span or quote",
        "delete_span",
    ),
    ActionSpec("open", "&Open…", (QKeySequence.StandardKey.Open,), "Import article files", "open"),
    ActionSpec("export", "&Export…", ("Ctrl+E",), "Export annotation sets to a file", None),
    ActionSpec(
        "preferences",
        "&Preferences…",
        ("Ctrl+,",),
        "Annotator, model, labels, font and theme",
        None,
    ),
    ActionSpec(
        "rerun_model",
        "Re-run &model",
        ("Ctrl+R",),
        "Predict this document again; your edits are never overwritten",
        "model",
    ),
    ActionSpec("find_document", "&Find document…", ("Ctrl+F",), "Search titles and text", "search"),
    ActionSpec(
        "show_attributions",
        "Show &attributions",
        ("Shift+L",),
        "Draw every visible quote's link to its speaker",
        None,
    ),
    # StandardKey.Quit is empty on X11 and Windows: Ctrl+Q everywhere.
    ActionSpec("quit", "&Quit", ("Ctrl+Q",), "Quit Newsmark", "quit"),
    ActionSpec(
        "shortcuts",
        "&Keyboard shortcuts",
        ("F1", "?"),
        "Every shortcut on one page",
        "shortcuts",
    ),
    ActionSpec("about", "&About Newsmark", (), "About Newsmark", "about"),
    # Editing the selected quote (ui/quote_shaper.py); Alt+arrows move its edges.
    ActionSpec("next_quote", "Next quote", (".",), "Select the next quote", "quote"),
    ActionSpec("previous_quote", "Previous quote", (",",), "Select the previous quote", "quote"),
    ActionSpec(
        "add_quote_part",
        "Add selection as a quote &part",
        ("Shift+Q",),
        "The selected text becomes another part of the selected quote (a split quote)",
        "quote",
    ),
    ActionSpec(
        "remove_quote_part",
        "Remove quote part",
        ("Ctrl+Shift+Q",),
        "Remove the part of the selected quote the cursor is in",
        "quote",
    ),
    ActionSpec(
        "clear_speaker",
        "Clear speaker",
        ("Ctrl+Shift+S",),
        "The selected quote has no speaker (nor entity)",
        "speaker",
    ),
    ActionSpec("clear_cue", "Clear cue", ("Shift+C",), "The selected quote has no cue", "quote"),
    ActionSpec("kind_direct", "Kind: direct", ("Shift+D",), "The selected quote is direct", None),
    ActionSpec(
        "kind_indirect", "Kind: indirect", ("Shift+I",), "The selected quote is indirect", None
    ),
    ActionSpec("kind_mixed", "Kind: mixed", ("Shift+M",), "The selected quote is mixed", None),
    ActionSpec(
        "guidelines",
        "Annotation &guidelines",
        ("Shift+F1",),
        "What counts as a quote, a speaker and a cue, with examples",
        "guidelines",
    ),
    ActionSpec(
        "train_model",
        "&Train a model…",
        (),
        "Train entities (and quotes) from the accepted gold; the window stays usable",
        None,
    ),
    ActionSpec(
        "model_vs_gold",
        "&Model vs gold…",
        (),
        "Charts: the model against the accepted gold, annotation progress, learning curve",
        None,
    ),
    ActionSpec(
        "agreement",
        "A&greement…",
        (),
        "Agreement between annotators: span F1, Cohen's/Fleiss' κ, Krippendorff's α and uα",
        None,
    ),
    ActionSpec(
        "review",
        "Re&view…",
        ("F7",),
        "Review: the annotators' sets of a document as a diff, picked into the gold set",
        None,
    ),
)


class ActionRegistry(QObject):
    """The window's actions by name (`actions["accept"]`), made from ACTION_SPECS, and
    one action per label of the current label set.

    The specs stay in one table (the keymap's defaults and the plan of which keys labels
    may take need every key in view); each controller binds the handlers of the actions
    it owns (`bind`), once, and keeps their enabled state. The label actions all trigger
    `label_triggered`, so they can be replaced (`set_labels`) without re-binding.

    Signals:
        label_triggered(str): a label action fired; the label's name.
        labels_changed(object): `set_labels` replaced the label set (and its actions).
    """

    label_triggered = Signal(str)
    labels_changed = Signal(object)

    def __init__(self, labels: LabelSet, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._actions: dict[str, QAction] = {}
        self._bound: set[str] = set()
        for spec in ACTION_SPECS:
            action = QAction(spec.text, self)
            action.setObjectName(spec.name)
            action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
            shown = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{spec.tip} ({shown})" if shown else spec.tip)
            action.setStatusTip(spec.tip)
            if spec.icon_role:
                action.setIcon(icon(spec.icon_role))
            self._actions[spec.name] = action
        self.labels = labels
        self.label_actions = self._make_label_actions(labels)

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def __iter__(self) -> Iterator[QAction]:
        return iter(self._actions.values())

    def all(self) -> list[QAction]:
        """Every action, window actions first (the shortcuts sheet's order), then labels."""
        return [*self._actions.values(), *self.label_actions]

    def bind(self, name: str, slot: Callable[[], object]) -> QAction:
        """Make `slot` the action's handler; each action has one owner."""
        if name in self._bound:
            raise ValueError(f"the action {name!r} is bound already")
        action = self._actions[name]
        action.triggered.connect(lambda _checked=False: slot())
        self._bound.add(name)
        return action

    def unbound(self) -> list[str]:
        """Names of actions no controller has bound (a composed window has none)."""
        return [name for name in self._actions if name not in self._bound]

    def set_enabled(self, names: Iterable[str], enabled: bool) -> None:
        for name in names:
            self._actions[name].setEnabled(enabled)

    def set_labels(self, labels: LabelSet) -> None:
        """Replace the label actions with one per label of `labels` (hotkeys included)."""
        for action in self.label_actions:
            action.deleteLater()
        self.labels = labels
        self.label_actions = self._make_label_actions(labels)
        self.labels_changed.emit(labels)

    def _make_label_actions(self, labels: LabelSet) -> list[QAction]:
        out = []
        for label in labels:
            action = QAction(f"{label.name}", self)
            action.setObjectName(f"label_{label.name}")
            action.setData(label.name)
            if label.hotkey:
                action.setShortcut(QKeySequence(label.hotkey.upper()))
            action.setStatusTip(label.description or label.name)
            action.triggered.connect(
                lambda _checked=False, n=label.name: self.label_triggered.emit(n)
            )
            out.append(action)
        return out
