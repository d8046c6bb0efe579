"""Readers of plain text, Markdown and HTML files."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmark.domain.errors import InputError
from newsmark.formats import read_path

DATA = Path(__file__).resolve().parents[2] / "data" / "formats"


def test_seed_txt(seed_path: Path) -> None:
    (doc,) = read_path(seed_path)
    assert doc.text.startswith("The two leaders accused each other of wrong policies")
    assert doc.meta == {
        "source": str(seed_path),
        "date": "2023-12-10",
        "author": "Yuri Kobzar",
        "published": "20:37, 12/10/23",
        "title": "The two leaders accused each other of wrong policies regarding the Gaza Strip.",
    }
    assert not doc.has_annotations


def test_txt_with_bom_crlf_and_emoji(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffHeadline 😀\r\n\r\nBody line\rnext.\r\n".encode())
    (doc,) = read_path(path)
    assert doc.text == "Headline 😀\n\nBody line\nnext.\n"
    assert doc.meta == {"source": str(path), "title": "Headline 😀"}


def test_txt_title_is_first_non_empty_line_cut_to_200(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("\n\n   " + "w" * 250 + "  \nBody.", encoding="utf-8")
    (doc,) = read_path(path)
    assert doc.meta["title"] == "w" * 200


def test_md_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "---\ntitle: Talks fail\ndate: 2023-12-10\ntags: [gaza, russia]\n---\n\n# Talks\n\nBody.\n",
        encoding="utf-8",
    )
    (doc,) = read_path(path)
    assert doc.text == "# Talks\n\nBody.\n"
    assert doc.meta == {
        "source": str(path),
        "title": "Talks fail",
        "date": "2023-12-10",  # a YAML date, stored as ISO text
        "tags": ["gaza", "russia"],
    }


def test_md_without_front_matter_takes_first_line_as_title(tmp_path: Path) -> None:
    path = tmp_path / "b.md"
    path.write_text("# Heading\n\nText --- with dashes.\n", encoding="utf-8")
    (doc,) = read_path(path)
    assert doc.text == "# Heading\n\nText --- with dashes.\n"
    assert doc.meta["title"] == "# Heading"


def test_md_invalid_yaml_reports_the_file_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: ok\nauthor: [unclosed\n---\nBody.\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_path(path)
    assert info.value.path == str(path)
    # The YAML error is found where the flow sequence should have ended: file line 4.
    assert info.value.line == 4
    assert info.value.reason.startswith("invalid YAML front matter: ")


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        ("---\ntitle: x\nBody never closes.\n", 1, "front matter starts with --- but never ends"),
        (
            "---\n- a\n- b\n---\nBody.\n",
            2,
            "front matter must be a YAML mapping (key: value lines)",
        ),
        ("---\ntitle: x\n---\n\n  \n", None, "empty file (only whitespace)"),
    ],
)
def test_md_bad_front_matter(tmp_path: Path, content: str, line: int | None, reason: str) -> None:
    path = tmp_path / "bad.md"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_path(path)
    assert (info.value.path, info.value.line, info.value.reason) == (str(path), line, reason)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        (
            "picture.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "binary file, not text (looks like a PNG image)",
        ),
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\r\n\t\n", "empty file (only whitespace)"),
        (
            "latin.md",
            bytes(range(128, 256)) * 4,
            "undecodable bytes: not UTF-8, and no encoding reads it cleanly "
            "(best guess cp1252): save it as UTF-8",
        ),
        ("page.html", b"", "empty file"),
    ],
)
def test_bad_files(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_path(path)
    assert (info.value.path, info.value.line, info.value.reason) == (str(path), None, reason)


def test_html_article() -> None:
    path = DATA / "article.html"
    (doc,) = read_path(path)
    assert doc.text == (
        "Netanyahu and Putin speak\n"
        "The two leaders accused each other of wrong policies regarding the Gaza Strip.\n"
        "“We will not stop,” Netanyahu said. 😀 Café au lait."
    )
    assert "EVIL" not in doc.text and "Copyright" not in doc.text and "Home" not in doc.text
    assert doc.meta["source"] == str(path)
    assert doc.meta["title"] == "Netanyahu and Putin speak"
    assert doc.meta["author"] == "Yuri Kobzar"
    assert doc.meta["date"] == "2023-12-10"


def test_html_without_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text(
        "<html><head><script>alert(1)</script></head><body></body></html>", encoding="utf-8"
    )
    with pytest.raises(InputError) as info:
        read_path(path)
    assert (info.value.path, info.value.line) == (str(path), None)
    assert info.value.reason == "no article text found in this HTML page"


def test_sample_txt_with_bom_crlf_emoji_and_meta_line() -> None:
    path = DATA / "crlf_bom_emoji.txt"
    (doc,) = read_path(path)
    assert doc.text == ("Putin 😀 spoke to Netanyahu.\n\n“We will not stop,” Netanyahu said.\n")
    assert doc.meta == {
        "source": str(path),
        "date": "2023-12-10",
        "author": "Yuri Kobzar",
        "published": "20:37, 12/10/23",
        "title": "Putin 😀 spoke to Netanyahu.",
    }


def test_sample_md() -> None:
    path = DATA / "article.md"
    (doc,) = read_path(path)
    assert doc.text == (
        "# Netanyahu and Putin speak\n\n"
        "The two leaders accused each other of wrong policies regarding the Gaza Strip.\n"
    )
    assert doc.meta == {
        "source": str(path),
        "title": "Netanyahu and Putin speak",
        "author": "Yuri Kobzar",
        "date": "2023-12-10",
        "tags": ["gaza", "russia"],
    }
