"""Readers and writers of article and annotation files, and the registry that names them."""

from newsmark.formats.registry import (
    Format,
    all_formats,
    detect_format,
    get_format,
    iter_input_files,
    known_extensions,
    read_path,
    register_format,
)

__all__ = [
    "Format",
    "all_formats",
    "detect_format",
    "get_format",
    "iter_input_files",
    "known_extensions",
    "read_path",
    "register_format",
]
