"""Saved web pages: their charset, their article text and title, or one clear refusal."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from newsmark.domain.errors import InputError
from newsmark.formats import read_path
from newsmark.formats.decoding import declared_charset, decode_html
from shared_data import realfile


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every test here fails if reading a page reaches for the network (trafilatura must
    only parse the markup it is given)."""
    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args)[:200])
        raise OSError("network access while reading a page")

    for target, name in (
        (socket.socket, "connect"),
        (socket.socket, "connect_ex"),
        (socket, "create_connection"),
        (socket, "getaddrinfo"),
        (urllib.request, "urlopen"),
    ):
        monkeypatch.setattr(target, name, refuse)
    yield attempts
    assert attempts == [], "reading a page tried to reach the network"


def page(tmp_path: Path, body: str, head: str = "", encoding: str = "utf-8") -> Path:
    path = tmp_path / "page.html"
    markup = f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"
    path.write_bytes(markup.encode(encoding))
    return path


def refusal(path: Path) -> str:
    with pytest.raises(InputError) as info:
        read_path(path)
    assert (info.value.path, info.value.line) == (str(path), None)
    assert "\n" not in str(info.value)
    return info.value.reason


# Real pages (the real files README, section 9, says where each one comes from).


def test_real_latin1_declared_page_is_read_as_windows_1252() -> None:
    path = realfile("html", "trafilatura-eval-kyffhaeuser-de-latin1.html")
    data = path.read_bytes()
    markup = decode_html(data, path)
    assert len(markup) == len(data)  # single-byte: offsets agree
    assert markup[18137] == "ü"  # the first byte that is not UTF-8 (README)
    # 0x85: "…" in windows-1252, a C1 control in ISO-8859-1 (what the page declares).
    assert markup[data.index(b"\x85")] == "…"
    (doc,) = read_path(path)
    # The page title is the headline plus " : 31.10.2023, 10.19 Uhr"; the <h1> is this.
    assert doc.meta["title"] == "So viel Regen gab es lange nicht"
    assert "Lass uns übers Wetter reden" in doc.text
    assert doc.meta["sitename"] == "Kyffhäuser Nachrichten"


def test_real_utf8_page_with_entities_in_its_title() -> None:
    path = realfile("html", "goose3-elpais-es.html")
    (doc,) = read_path(path)
    assert doc.meta["title"] == "Las listas de espera se agravan"
    assert doc.meta["sitename"] == "EL PAÍS"
    assert "Los recortes elevan la demora para operarse un 125% en año y medio" in doc.text


def test_real_page_declaring_iso_8859_15_but_written_in_utf8() -> None:
    path = realfile("html", "goose3-elmondo-es-declared-iso8859-15.html")
    assert declared_charset(path.read_bytes()) == "iso8859-15"
    (doc,) = read_path(path)
    assert doc.meta["title"] == (
        "Cae en Francia Izaskun Lesaka, la jefa del aparato militar de ETA y otro miembro "
        "de la banda"
    )
    assert "La Guardia Civil ha detenido en un hotel de Macon, a 70 kilómetros" in doc.text
    assert "Ã" not in doc.text  # UTF-8 read as ISO-8859-15 would say kilÃ³metros


def test_real_page_with_a_newline_in_its_title() -> None:
    path = realfile("html", "newspaper4k-latvian-lv.html")
    (doc,) = read_path(path)
    assert doc.meta["title"] == "Norvēģijā pēc zemes nogruvuma pieci bojāgājušie"
    assert "Norvēģijas glābšanas komanda četras dienas pēc tam" in doc.text


# Pages written here, one per language and charset situation.

ENGLISH = (
    "<article><h1>Talks end without a deal</h1>"
    "<p>\x93We will not stop,\x94 the minister said on Monday \x97 and left the room\x85</p>"
    "<p>Officials from both sides met for six hours in Geneva before the talks collapsed.</p>"
    "</article>"
)


def test_iso_8859_1_declared_means_windows_1252(tmp_path: Path) -> None:
    head = '<meta charset="iso-8859-1"><title>Talks end without a deal | Example News</title>'
    path = page(tmp_path, ENGLISH, head, encoding="latin-1")
    (doc,) = read_path(path)
    assert doc.meta["title"] == "Talks end without a deal"
    assert "“We will not stop,” the minister said on Monday — and left the room…" in doc.text


GERMAN = (
    "<article><h1>Bürgermeister warnt vor Hochwasser</h1>"
    "<p>In München und Würzburg stiegen die Pegel am Wochenende über die Warnstufe.</p>"
    "<p>„Wir müssen jetzt handeln“, sagte der Bürgermeister am Montag vor der Presse.</p>"
    "</article>"
)


@pytest.mark.parametrize(
    ("head", "encoding"),
    [
        ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', "cp1252"),
        ("", "cp1252"),  # no declaration: the text rule reads it
        ("<meta charset=utf-8>", "utf-8"),
        ('<meta charset="iso-8859-1">', "utf-8-sig"),  # a BOM beats the declaration
    ],
)
def test_german_page_in_each_charset_situation(tmp_path: Path, head: str, encoding: str) -> None:
    path = page(tmp_path, GERMAN, head + "<title>Hochwasser</title>", encoding=encoding)
    (doc,) = read_path(path)
    assert "In München und Würzburg stiegen die Pegel" in doc.text
    assert "„Wir müssen jetzt handeln“, sagte der Bürgermeister" in doc.text


ARABIC_TITLE = "الحكومة تعلن خطة لدعم الشركات الصغيرة"
ARABIC = (
    f'<article dir="rtl"><h1>{ARABIC_TITLE}</h1>'
    "<p>قال رئيس الوزراء يوم الاثنين إن الحكومة ستدعم الشركات الصغيرة "
    "في الأشهر المقبلة بقروض ميسرة.</p>"
    "<p>وطالبت المعارضة بمزيد من الإجراءات لمساعدة العائلات التي تضررت "
    "من ارتفاع الأسعار هذا العام.</p>"
    "</article>"
)  # fmt: skip


@pytest.mark.parametrize(("charset", "encoding"), [("utf-8", "utf-8"), ("windows-1256", "cp1256")])
def test_arabic_page_right_to_left(tmp_path: Path, charset: str, encoding: str) -> None:
    head = f'<meta charset="{charset}"><title>{ARABIC_TITLE} - أخبار</title>'
    path = page(tmp_path, ARABIC, head, encoding=encoding)
    (doc,) = read_path(path)
    assert doc.meta["title"] == ARABIC_TITLE
    assert "ستدعم الشركات الصغيرة في الأشهر المقبلة" in doc.text
    assert "\u200f" not in doc.text and "\u202b" not in doc.text  # no direction marks added


CHINESE_TITLE = "国家统计局发布最新经济数据"
CHINESE = (
    f"<article><h1>{CHINESE_TITLE}</h1>"
    "<p>北京时间星期一，国家统计局发布了最新的经济数据。专家表示，经济增长速度有所放缓。</p>"
    "<p>但就业情况保持稳定，政府将继续推动改革，并加大对中小企业的支持力度。</p>"
    "</article>"
)


@pytest.mark.parametrize(("charset", "encoding"), [("utf-8", "utf-8"), ("gb2312", "gbk")])
def test_chinese_page(tmp_path: Path, charset: str, encoding: str) -> None:
    # gb2312 is a WHATWG label of GBK: browsers decode such pages as GBK, and so do we.
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
    path = page(tmp_path, CHINESE, head + f"<title>{CHINESE_TITLE} - 新闻网</title>", encoding)
    (doc,) = read_path(path)
    assert doc.meta["title"] == CHINESE_TITLE
    assert "专家表示，经济增长速度有所放缓。" in doc.text


def test_shift_jis_and_windows_1251_declared_pages(tmp_path: Path) -> None:
    body = "<article><h1>{0}</h1><p>{1}</p></article>"
    japanese = body.format(
        "新しい条例を発表",
        "東京都は月曜日、新しい条例を発表した。知事は来月から施行する方針を示した。",
    )
    path = page(tmp_path, japanese, '<meta charset="Shift_JIS">', encoding="shift_jis")
    (doc,) = read_path(path)
    assert "知事は来月から施行する方針を示した。" in doc.text
    russian = body.format(
        "Путин и Нетаньяху",
        "Президент России Владимир Путин провёл телефонный разговор с премьер-министром Израиля.",
    )
    path = page(tmp_path, russian, '<meta charset="windows-1251">', encoding="cp1251")
    (doc,) = read_path(path)
    assert "провёл телефонный разговор с премьер-министром Израиля." in doc.text


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("ISO-8859-1", "cp1252"),
        ("latin1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("iso-8859-9", "cp1254"),
        ("gb2312", "gb18030"),
        ("Shift_JIS", "cp932"),
        ("euc-kr", "cp949"),
        ("koi8-r", "koi8-r"),
        ("utf-16", None),  # a <meta> that could be read is not UTF-16
        ("x-no-such-charset", None),
    ],
)
def test_declared_charset_labels(label: str, codec: str | None) -> None:
    data = f'<html><head><meta charset="{label}"></head></html>'.encode("ascii")
    assert declared_charset(data) == codec


def test_declared_charset_the_bytes_are_not_in_falls_back_to_the_text_rule(
    tmp_path: Path,
) -> None:
    # Declares Shift_JIS, is cp1252 (0x81 starts a Shift_JIS pair that "é " cannot end).
    body = GERMAN.replace("München", "Caf\u00e9 M\u00fcnchen")
    path = page(tmp_path, body, '<meta charset="Shift_JIS">', encoding="cp1252")
    data = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("cp932")
    (doc,) = read_path(path)
    assert "In Café München und Würzburg" in doc.text


# Pages without an article.


def test_meta_refresh_stub_is_refused_naming_its_target(tmp_path: Path) -> None:
    path = tmp_path / "stub.html"
    path.write_text(
        '<html><head><meta http-equiv="refresh" content="0; url=https://news.example/story-1">'
        "<title>Redirecting</title></head><body><p>If you are not redirected, "
        '<a href="https://news.example/story-1">click here</a>.</p></body></html>',
        encoding="utf-8",
    )
    assert refusal(path) == (
        "a redirect page to https://news.example/story-1, no article text: save that page"
    )


def test_page_with_only_navigation_is_refused(tmp_path: Path) -> None:
    nav = "".join(
        f'<li><a href="/{w}">{w.title()}</a></li>' for w in ("world", "business", "sport")
    )
    path = page(
        tmp_path,
        f"<header><nav><ul>{nav}</ul></nav></header>"
        '<nav class="side"><a href="/a">Most read</a> <a href="/b">Newsletters</a></nav>'
        "<footer><p>© 2024 Example News. All rights reserved.</p></footer>",
        "<title>Example News - Home</title>",
    )
    assert refusal(path) == "no article text found in this HTML page"


def test_a_news_site_that_refreshes_itself_is_still_read(tmp_path: Path) -> None:
    # News front pages reload every few minutes: a refresh with an article is no stub.
    head = '<meta http-equiv="refresh" content="300"><title>Talks end without a deal</title>'
    path = page(tmp_path, ENGLISH.replace("\x93", "“").replace("\x94", "”"), head)
    (doc,) = read_path(path)
    assert "Officials from both sides met for six hours in Geneva" in doc.text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text (looks like a PNG image)"),
        (bytes(range(256)) * 8, "binary file, not text (contains NUL bytes)"),
        (b"<html><body>" + bytes(range(1, 9)) * 50 + b"</body></html>",
         "binary file, not text (too many control characters)"),
    ],
)  # fmt: skip
def test_binary_data_named_html_is_refused(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(data)
    assert refusal(path) == reason
