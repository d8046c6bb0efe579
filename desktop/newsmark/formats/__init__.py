"""Readers and writers of article and annotation files, and the registry that names them."""

from newsmark.formats import catalog as _catalog  # noqa: F401 - fills the registry
from newsmark.formats.registry import (
    Format,
    Output,
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
    "Output",
    "all_formats",
    "detect_format",
    "get_format",
    "iter_input_files",
    "known_extensions",
    "read_path",
    "register_format",
]
