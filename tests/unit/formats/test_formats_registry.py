"""The format registry: names, detection by extension and content, and folder walking."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsmark.domain.document import DocumentInput
from newsmark.domain.errors import InputError, UsageError
from newsmark.formats import (
    Format,
    all_formats,
    detect_format,
    get_format,
    iter_input_files,
    read_path,
    registry,
)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_builtin_formats_are_registered() -> None:
    names = [f.name for f in all_formats()]
    assert names[:5] == ["txt", "md", "html", "newsmark", "prodigy"]
    assert get_format("newsmark").write is not None
    assert get_format("jsonl") is get_format("newsmark")
    assert get_format("newsmark").names == ("newsmark", "jsonl")
    assert get_format(" HTM ") is get_format("html")


def test_unknown_format_name() -> None:
    with pytest.raises(UsageError) as info:
        get_format("docx")
    assert str(info.value).startswith("unknown format 'docx' (known: ")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.txt", "txt"), ("b.TXT", "txt"), ("c.md", "md"), ("d.htm", "html"), ("e.html", "html")],
)
def test_detect_by_extension(tmp_path: Path, name: str, expected: str) -> None:
    assert detect_format(write(tmp_path / name, "x")).name == expected


def test_detect_jsonl_by_keys_of_first_line(tmp_path: Path) -> None:
    newsmark = write(tmp_path / "a.jsonl", '\n{"text": "A", "schema_version": 1}\n')
    prodigy = write(tmp_path / "b.jsonl", '{"text": "A", "spans": []}\n')
    assert detect_format(newsmark).name == "newsmark"
    assert detect_format(prodigy).name == "prodigy"


def test_detect_jsonl_with_broken_first_line_leaves_it_to_the_reader(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", "{not json\n")
    fmt = detect_format(path)
    with pytest.raises(InputError) as info:
        read_path(path, fmt)
    assert info.value.line == 1
    assert info.value.reason.startswith("invalid JSON: ")


def test_detect_html_without_extension_by_content(tmp_path: Path) -> None:
    path = write(tmp_path / "page", "<!DOCTYPE html>\n<html><body><p>Hi</p></body></html>")
    assert detect_format(path).name == "html"


def test_unknown_extension(tmp_path: Path) -> None:
    path = write(tmp_path / "notes.xyz", "Just some words.")
    with pytest.raises(InputError) as info:
        detect_format(path)
    assert info.value.path == str(path)
    assert info.value.line is None
    assert info.value.reason.startswith("unknown file type (extension '.xyz'; known: .txt ")
    assert info.value.reason.endswith("use --format to say")


def _reader_a(path: Path, options: object = None) -> Iterator[DocumentInput]:
    yield DocumentInput(text="a")


def _reader_b(path: Path, options: object = None) -> Iterator[DocumentInput]:
    yield DocumentInput(text="b")


def test_ambiguous_content_asks_for_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Two real formats that claim the same extension and both recognise the content.
    for name, reader in (("zz-a", _reader_a), ("zz-b", _reader_b)):
        fmt = Format(name, (".zz",), "test", "nothing", read=reader, sniff=lambda line: True)
        monkeypatch.setitem(registry._FORMATS, name, fmt)
    path = write(tmp_path / "x.zz", "content")
    with pytest.raises(InputError) as info:
        detect_format(path)
    assert info.value.reason == "cannot tell the format (zz-a, zz-b all fit); use --format"
    assert read_path(path, "zz-b")[0].text == "b"


def test_folder_walk_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    write(root / "b.txt", "B")
    write(root / "a.md", "A")
    write(root / "sub" / "c.html", "<p>C</p>")
    write(root / "sub" / "deeper" / "d.jsonl", '{"text": "D"}')
    write(root / "A-upper.txt", "upper")
    write(root / ".hidden.txt", "hidden")
    write(root / ".git" / "e.txt", "in a hidden folder")
    write(root / "image.png", b"\x89PNG\r\n\x1a\n")
    write(root / "notes.xyz", "unknown extension")
    found = [p.relative_to(root).as_posix() for p in iter_input_files([root])]
    assert found == ["A-upper.txt", "a.md", "b.txt", "sub/c.html", "sub/deeper/d.jsonl"]


def test_files_are_kept_as_given_and_deduplicated(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", "A")
    odd = write(tmp_path / ".odd.xyz", "given explicitly")
    assert iter_input_files([a, odd, tmp_path / "." / "a.txt"]) == [a, odd]


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(InputError) as info:
        iter_input_files([missing])
    assert info.value.path == str(missing)
    assert info.value.line is None
    assert info.value.reason == "no such file or directory"


@pytest.mark.parametrize("contents", [{}, {"image.png": b"\x89PNG", ".hidden.txt": b"x"}])
def test_folder_without_articles(tmp_path: Path, contents: dict[str, bytes]) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    for name, data in contents.items():
        write(folder / name, data)
    with pytest.raises(InputError) as info:
        iter_input_files([folder])
    assert info.value.path == str(folder)
    assert info.value.reason.startswith("no articles in this folder (looked for .txt .md")


def test_read_path_is_whole_or_nothing(tmp_path: Path) -> None:
    good = json.dumps({"text": "Good one."})
    path = write(tmp_path / "mixed.jsonl", f"{good}\n{good}\n{{broken\n")
    with pytest.raises(InputError) as info:
        read_path(path, "newsmark")
    assert info.value.line == 3
    assert len(read_path(write(tmp_path / "ok.jsonl", f"{good}\n{good}\n"), "newsmark")) == 2


def test_write_only_or_read_only_format_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fmt = Format("out-only", (".out",), "test", "nothing")
    monkeypatch.setitem(registry._FORMATS, "out-only", fmt)
    with pytest.raises(InputError, match="cannot be read, only written"):
        read_path(write(tmp_path / "x.out", "x"), "out-only")


@pytest.mark.parametrize(
    ("content", "reason"), [("", "empty file"), ("\n\n", "empty file (no JSON lines)")]
)
def test_jsonl_nobody_recognises_goes_to_the_default_reader(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = write(tmp_path / "a.jsonl", content)
    assert detect_format(path).name == "newsmark"
    with pytest.raises(InputError) as info:
        read_path(path)
    assert (info.value.path, info.value.line, info.value.reason) == (str(path), None, reason)
