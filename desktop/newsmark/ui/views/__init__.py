"""Widgets: the article view, docks and the status bar."""
