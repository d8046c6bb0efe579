"""Undoable edits (QUndoCommands) that act through the repository."""
