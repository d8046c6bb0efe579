"""Bytes to text at import: BOM, UTF-8, a declared charset, a clean legacy reading, or refusal."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import charset_normalizer

from newsmark.domain.errors import InputError
from newsmark.formats.mojibake import latin_only, mojibake, western_reading

# Magic numbers of the binary files people most often drop into an article folder.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or .docx/.odt)"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
)

# Byte order marks that decide the encoding on their own (UTF-16/32 text contains NUL
# bytes, so they must be checked before the NUL test). Longest first: UTF-32 LE starts
# with the UTF-16 LE mark.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)

# Control characters other than whitespace: a few are tolerated (stray bytes in real
# articles), many mean the file is not text.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MAX_CONTROL_RATIO = 0.01

# What detection may answer: ASCII-compatible legacy encodings of other scripts. Western
# single-byte ones are left to _WESTERN (detection confuses them on short texts: Café
# came out as UTF-16, £ as halfwidth katakana), UTF-16/32 without a BOM and EBCDIC never.
_DETECTABLE = [
    "cp1250", "iso8859_2",  # Central European
    "cp1251", "koi8_r", "koi8_u", "iso8859_5", "mac_cyrillic", "cp866",  # Cyrillic
    "cp1253", "iso8859_7",  # Greek
    "cp1254", "iso8859_9",  # Turkish
    "cp1255", "iso8859_8",  # Hebrew
    "cp1256", "iso8859_6",  # Arabic
    "cp1257", "iso8859_13",  # Baltic
    "cp874",  # Thai
    "cp932", "shift_jis", "shift_jis_2004", "euc_jp", "euc_jis_2004",  # Japanese
    "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950",  # Chinese
    "cp949", "euc_kr",  # Korean
]  # fmt: skip
# A detection is sure when its reading is this clean (charset-normalizer's "mess", 0..1)
# and no other reading is nearly as clean and as much like a language.
_MAX_CHAOS = 0.1
_RIVAL_CHAOS = 0.02
_RIVAL_COHERENCE = 0.1


def binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def decode_bytes(data: bytes, path: str | Path | None) -> str:
    """Decode a text file: BOM, else UTF-8, else a clean legacy reading, else refuse.

    Raises InputError naming `path` for an empty file, a binary file and bytes no
    encoding reads cleanly. A UTF-8 BOM is stripped.
    """
    text = _decode_unicode(data, path)
    if text is None:
        text = decode_legacy(data, path)
    return _checked(text, path)


def _decode_unicode(data: bytes, path: str | Path | None) -> str | None:
    """The text if a BOM or valid UTF-8 decides it; None for legacy bytes."""
    if not data:
        raise InputError(path, None, "empty file")
    kind = binary_kind(data)
    if kind is not None:
        raise InputError(path, None, f"binary file, not text (looks like a {kind})")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(path, None, f"undecodable bytes: not valid {encoding}") from exc
    if b"\x00" in data:
        raise InputError(path, None, f"binary file, not text (contains NUL bytes{_utf16(data)})")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _utf16(data: bytes) -> str:
    # Latin text in UTF-16 has a NUL in every other byte: say so, it is fixable.
    head = data[:4096]
    if head[1::2].count(0) > 0.6 * len(head[1::2]) or head[0::2].count(0) > 0.6 * len(head[::2]):
        return "; if it is UTF-16 text, save it as UTF-8 or with a byte order mark"
    return ""


def _checked(text: str, path: str | Path | None) -> str:
    text = text.removeprefix("\ufeff")
    if len(_CONTROL.findall(text)) > max(1, len(text) * _MAX_CONTROL_RATIO):
        raise InputError(path, None, "binary file, not text (too many control characters)")
    return text


def decode_legacy(data: bytes, path: str | Path | None) -> str:
    """Bytes that are not UTF-8: the first clean reading of these, or InputError.

    1. detection (charset-normalizer) when it is sure of a non-Latin script (Cyrillic,
       Greek, Arabic, Hebrew, Thai, Chinese, Japanese, Korean);
    2. the cleanest Western reading (cp1252, ISO-8859-15, Mac Roman; ties go to cp1252);
    3. detection when it is sure of a Latin one (Central European, Turkish, Baltic).
    """
    damage = _utf8_damage(data)
    if damage is not None:
        raise InputError(path, *damage)
    results = charset_normalizer.from_bytes(data, cp_isolation=_DETECTABLE)
    detected, guess = _sure_detection(results)
    if detected is not None and not latin_only(detected):
        return detected
    western = western_reading(data)
    if western is not None:
        return western
    if detected is not None:
        return detected
    raise InputError(
        path,
        None,
        f"undecodable bytes: not UTF-8, and no encoding reads it cleanly "
        f"(best guess {guess or 'cp1252'}): save it as UTF-8",
    )


# A UTF-8 file with a few bytes that are not (a cp1252 quote pasted in, a cut-off end)
# is not in another encoding: any legacy reading of it is mojibake (UTF-8 Chinese reads
# as clean-looking GBK). Legacy text is almost never valid UTF-8 by chance: a Latin-1
# é is valid only before a byte 0x80-0xBF.
_MAX_UTF8_DAMAGE = 0.01
_MIN_UTF8_CHARS = 2


def _utf8_damage(data: bytes) -> tuple[int, str] | None:
    """(line, reason) for mostly valid UTF-8 with a few bad bytes, else None."""
    text = data.decode("utf-8", errors="surrogateescape")
    bad = [m.start() for m in _ESCAPED.finditer(text)]
    good = len(_UTF8_CHAR.findall(text))
    if not bad or good < max(_MIN_UTF8_CHARS, 3 * len(bad)):
        return None
    if len(bad) > max(3, good * _MAX_UTF8_DAMAGE):
        return None
    if bad[-1] == len(text) - 1 and bad[0] >= len(text) - 3:
        what = "the file ends inside a UTF-8 character (cut short?)"
    else:
        what = f"byte 0x{ord(text[bad[0]]) - 0xDC00:02X} is not UTF-8"
    line = text.count("\n", 0, bad[0]) + 1
    return line, f"{what}, though the rest of the file is: fix it or save the file as UTF-8 again"


_ESCAPED = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of a bad byte
_UTF8_CHAR = re.compile("[^\x00-\x7f\udc80-\udcff]")


def _sure_detection(results: charset_normalizer.CharsetMatches) -> tuple[str | None, str | None]:
    """(text, None) for a sure detection, else (None, the best guess's encoding or None)."""
    best = results.best()
    if best is None:
        return None, None
    text = str(best)
    if best.chaos > _MAX_CHAOS or mojibake(text) is not None:
        return None, best.encoding
    for other in results:
        if other is best:
            continue
        if (
            other.chaos <= best.chaos + _RIVAL_CHAOS
            and other.coherence >= best.coherence - _RIVAL_COHERENCE
            and mojibake(str(other)) is None
        ):
            return None, f"{best.encoding} or {other.encoding}"
    return text, None


def decode_html(data: bytes, path: str | Path | None) -> str:
    """Decode a web page: BOM, else UTF-8, else its declared charset, else as text.

    A declared charset is looked up as browsers do (WHATWG): iso-8859-1, latin1 and
    ascii mean windows-1252. Pages often declare a charset they are not in (El Mundo
    says iso-8859-15 and is UTF-8), so valid UTF-8 wins over the declaration.
    """
    text = _decode_unicode(data, path)
    if text is None:
        declared = declared_charset(data)
        if declared is not None:
            try:
                text = data.decode(declared)
            except UnicodeDecodeError:
                text = None  # not what it says either: judge the bytes as a text file's
        if text is None:
            text = decode_legacy(data, path)
    return _checked(text, path)


# <meta charset="x">, <meta http-equiv="Content-Type" content="text/html; charset=x">
# and an XML declaration's encoding="x", in the head (browsers honour a late one too).
_DECLARED = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_HEAD_BYTES = 64 * 1024
# WHATWG Encoding labels whose encoding is not Python's codec of the same name: browsers
# decode all of these as the superset on the right.
_WHATWG: dict[str, str] = {
    **dict.fromkeys(
        (
            "ansi_x3.4-1968", "ascii", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
            "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1",
            "latin1", "us-ascii", "windows-1252", "x-cp1252", "cp1252",
        ),
        "cp1252",
    ),
    **dict.fromkeys(
        (
            "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599", "iso_8859-9",
            "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254", "cp1254",
        ),
        "cp1254",
    ),
    **dict.fromkeys(
        ("dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874"),
        "cp874",
    ),
    **dict.fromkeys(
        (
            "chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80",
            "gbk", "iso-ir-58", "x-gbk", "gb18030",
        ),
        "gb18030",
    ),
    **dict.fromkeys(
        (
            "csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis",
            "windows-31j", "x-sjis",
        ),
        "cp932",
    ),
    **dict.fromkeys(
        (
            "cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
            "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949",
        ),
        "cp949",
    ),
    **dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"), "big5hkscs"),
    **dict.fromkeys(("csmacintosh", "mac", "macintosh", "x-mac-roman"), "mac_roman"),
    **dict.fromkeys(("iso-8859-8-i", "csiso88598i", "logical"), "iso8859_8"),
}  # fmt: skip


def declared_charset(data: bytes) -> str | None:
    """The Python codec of the charset a page declares, or None (none, unknown, UTF-16)."""
    match = _DECLARED.search(data, 0, _HEAD_BYTES)
    if match is None:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").strip().lower()
    name = _WHATWG.get(label, label)
    try:
        codec = codecs.lookup(name)
    except LookupError:
        return None
    # A page whose <meta> could be read is ASCII-compatible: a declared UTF-16 or EBCDIC
    # is wrong (WHATWG reads UTF-16 labels in <meta> as UTF-8, which already failed).
    if b"<meta charset=>".decode(codec.name, errors="replace") != "<meta charset=>":
        return None
    if codec.name.startswith(("utf-16", "utf-32", "utf_16", "utf_32")):
        return None
    return codec.name
