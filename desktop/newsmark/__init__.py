"""Newsmark: a native desktop annotation tool for news articles."""

__version__ = "0.1.0"
