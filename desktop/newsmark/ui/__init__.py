"""The window: main window, panels, item models, dialogs (Qt widgets only)."""
