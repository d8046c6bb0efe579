"""The configurable keymap: default shortcuts from actions.py, the user's changes on top."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtGui import QAction, QKeySequence

from newsmark.services.settings import Settings
from newsmark.ui.actions import ACTION_SPECS

PORTABLE = QKeySequence.SequenceFormat.PortableText


def default_keys(name: str) -> list[str]:
    """An action's default shortcuts as portable text ("Ctrl+E")."""
    for spec in ACTION_SPECS:
        if spec.name == name:
            return [QKeySequence(s).toString(PORTABLE) for s in spec.shortcuts]
    return []


def action_keys(action: QAction) -> list[str]:
    return [k.toString(PORTABLE) for k in action.shortcuts() if not k.isEmpty()]


def set_keys(action: QAction, keys: Sequence[str]) -> None:
    """Shortcuts, and the tooltip that shows the first of them."""
    action.setShortcuts([QKeySequence(k) for k in keys])
    tip = action.statusTip() or action.text().replace("&", "")
    shown = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{tip} ({shown})" if shown else tip)


def clash(actions: Iterable[QAction], name: str, keys: Sequence[str]) -> str | None:
    """Why `keys` cannot go to the action `name` (another action has one), else None."""
    wanted = {QKeySequence(k).toString(PORTABLE) for k in keys if k}
    for action in actions:
        if action.objectName() == name:
            continue
        taken = wanted.intersection(action_keys(action))
        if taken:
            key = QKeySequence(sorted(taken)[0]).toString(QKeySequence.SequenceFormat.NativeText)
            label = action.text().replace("&", "")
            return f"{key} is already the shortcut of “{label}”; change that one first."
    return None


class Keymap:
    """Applies the stored keymap to the window's actions and changes it; no signals.

    The settings' `keymap` holds only the user's changes from the defaults.
    """

    def __init__(self, settings: Settings, actions: Sequence[QAction]) -> None:
        self.settings = settings
        self.actions = list(actions)
        self._by_name = {a.objectName(): a for a in self.actions}

    def apply(self) -> list[str]:
        """Apply the stored changes; returns the ones refused (unknown action or a clash)."""
        refused = []
        for name, keys in self.settings.keymap.items():
            action = self._by_name.get(name)
            if action is None or clash(self.actions, name, keys):
                refused.append(name)
                continue
            set_keys(action, keys)
        return refused

    def change(self, name: str, keys: Sequence[str]) -> str | None:
        """Give `name` these shortcuts and store them; the refusal's message, else None."""
        action = self._by_name[name]
        keys = [QKeySequence(k).toString(PORTABLE) for k in keys if k]
        reason = clash(self.actions, name, keys)
        if reason:
            return reason
        set_keys(action, keys)
        keymap = dict(self.settings.keymap)
        if keys == default_keys(name):
            keymap.pop(name, None)
        else:
            keymap[name] = keys
        self.settings.set_keymap(keymap)
        return None

    def reset(self, name: str) -> str | None:
        return self.change(name, default_keys(name))
