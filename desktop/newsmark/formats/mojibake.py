"""Signs that bytes were read in the wrong encoding, and the cleanest Western reading."""

from __future__ import annotations

import re
import unicodedata

# Western readings, best first. cp1252 also covers Latin-1: they differ only in
# 0x80-0x9F, letters and punctuation in cp1252 and C1 controls (never meant) in Latin-1.
_WESTERN = ("cp1252", "iso8859_15", "mac_roman")

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# The checks are Python loops over characters: a long file is judged by its head and
# tail (a 5 MB file took 30 s whole).
_SAMPLE = 60_000

# A Western reading may have flaws in 2% of its non-ASCII characters (stray bytes in
# real files) and odd characters in 20% (or one).
_MAX_BAD_SHARE = 0.02
_MAX_ODD_SHARE = 0.2
# The non-ASCII characters of Western news: letters of the Latin-1 range and Œ œ, and
# typographic punctuation. Any other (š Ÿ ˆ ‡ ¤ ½ √ π ı...) is odd: one may be real,
# many mean another reading is the right one.
_COMMON = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿŒœ"
    "€£¥¢«»°§©®™¿¡“”‘’„–—…•·\u00a0±²³¹µ×÷ªº"
)
# Non-letters that sit between two letters in real text: apostrophes, dashes, the
# middle dot (Catalan l·l), the soft hyphen, ordinal indicators (Nº).
_INWORD = frozenset("’‘–—·\u00adªº")
_APOSTROPHES = frozenset("’‘")
_ONE_LETTER = frozenset("ÀÅÉÖ")  # capitals that are words of their own (À Paris, Ö)
_DASHES = frozenset("–—")
# An apostrophe inside a word is an English contraction (it’s, don’t, we’re) or an
# elision (l’homme, dell’anno, qu’il); Mac Roman í read as cp1252 is not (ecograf’a).
_CONTRACTION = re.compile(r"(?:s|t|d|m|re|ll|ve|hui)\b", re.IGNORECASE)
_ELISION = re.compile(r"(?:\b[a-z]{1,2}|ll|un|nt)$", re.IGNORECASE)

# Scripts that sit next to Latin letters inside a word in real text (iPhone的).
_CJK = frozenset(
    ("CJK", "IDEOGRAPHIC", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA", "HANGUL", "FULLWIDTH")
)

_WORD = re.compile(r"[^\W\d_]+")
# Another script's letters below 20% of all letters are stray, not the text's own; above
# 25% capitals a Cyrillic or Greek text has its case turned over (KOI8-R vs cp1251).
_MIN_SCRIPT_SHARE = 0.2
_MAX_CAPITALS = 0.25
_MAX_RARE_HANGUL = 0.1


def western_reading(data: bytes) -> str | None:
    """The cleanest Western reading of `data` (fewest flaws, then cp1252 first), or None."""
    best: tuple[tuple[int, int, int], str] | None = None
    for rank, encoding in enumerate(_WESTERN):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue  # cp1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined
        sample = _sample(text)
        bad, odd = _western_flaws(sample)
        high = len(_NON_ASCII.findall(sample))
        if bad > high * _MAX_BAD_SHARE or odd > max(1, high * _MAX_ODD_SHARE):
            continue
        score = (bad, odd, rank)
        if best is None or score < best[0]:
            best = (score, text)
    return None if best is None else best[1]


def _western_flaws(text: str, *, runs: bool = True) -> tuple[int, int]:
    """(bad, odd) characters of a Latin-script reading: what mojibake leaves behind.

    Bad: control characters, a symbol between two letters (c½ur, Za¿ó³æ), a capital
    inside a word (fŸr, cafŽ, IÕd), a third accented letter or symbol in a row
    (Ïðèâåò: Cyrillic read as cp1252; £©°¢: Chinese read as Mac Roman). Odd: characters
    outside _COMMON, an apostrophe inside a word that is no contraction or elision, a
    dash glued to a letter on one side only, a lone accented capital (Mac Roman's curly
    quotes read as cp1252: ÒHello,Ó).
    """
    bad = odd = run = symbols = 0
    last = -2
    for match in _NON_ASCII.finditer(text):  # ASCII is never a flaw: skip it at C speed
        i = match.start()
        ch = match.group()
        if i != last + 1:
            run = symbols = 0
        last = i
        prev = text[i - 1 : i]
        cat = unicodedata.category(ch)
        nxt = text[i + 1 : i + 3]
        glued = prev.isalpha(), nxt[:1].isalpha()
        if ch not in _COMMON:
            odd += 1
        if cat in ("Lu", "Ll", "Lt") and ch != "ƒ":
            run += 1
            symbols = 0
            inside = prev.islower() or (glued[0] and nxt[:1].islower())
            if (runs and run >= 3) or (cat == "Lu" and inside):
                bad += 1
            elif cat == "Lu" and ((not any(glued) and ch not in _ONE_LETTER) or nxt.istitle()):
                odd += 1
        else:
            run = 0
            symbols += not ch.isspace()
            control = cat.startswith("C") and ch != "\u00ad"
            if symbols >= 3 or control or (all(glued) and ch not in _INWORD):
                bad += 1
            elif all(glued) and ch in _APOSTROPHES:
                odd += not (
                    _CONTRACTION.match(text, i + 1) or _ELISION.search(text, max(0, i - 4), i)
                )
            elif ch in _DASHES and any(glued) and not all(glued):
                odd += 1
    return bad, odd


def latin_only(text: str) -> bool:
    letters = (m.group() for m in _NON_ASCII.finditer(_sample(text)))
    return all(_script(ch) == "LATIN" for ch in letters if ch.isalpha())


def _script(ch: str) -> str:
    """LATIN, CJK (Han, kana, Hangul, fullwidth forms) or the first word of the letter's
    Unicode name (CYRILLIC, GREEK, ARABIC...)."""
    code = ord(ch)
    if code < 0x250 or 0x2B0 <= code < 0x300 or 0x1E00 <= code < 0x1F00:
        return "LATIN"
    first = unicodedata.name(ch, "").split(" ", 1)[0]
    return "CJK" if first in _CJK else first


def mojibake(text: str) -> str | None:
    """Why `text` looks like bytes read in the wrong encoding, or None if it looks clean.

    Signs: private-use or C1 control characters, a combining mark after no letter (Thai
    read from Chinese bytes), halfwidth katakana (never in news; what cp932 makes of
    Latin-1 £, é), a word mixing two alphabets (Cafй), a CJK character wedged between
    Latin letters (na<Han>e), a capital after a small letter or many capitals in a
    non-Latin alphabet (KOI8-R read as cp1251: мЁВ МЮ), Hangul syllables outside the
    common 2,350 (Korean read from Japanese bytes), letters of another script that are
    a small minority among Latin ones, and the flaws of western_reading in Latin text.
    """
    text = _sample(text)
    hangul = rare_hangul = 0
    for match in _NON_ASCII.finditer(text):
        ch = match.group()
        if "\ue000" <= ch <= "\uf8ff" or "\x80" <= ch <= "\x9f":
            return f"character U+{ord(ch):04X}"
        if "\uff61" <= ch <= "\uff9f":  # ｣ is what cp932 makes of Latin-1's £
            return "halfwidth katakana"
        prev = text[match.start() - 1 : match.start()]
        if unicodedata.category(ch) in ("Mn", "Mc") and not (
            prev.isalpha() or unicodedata.category(prev or " ").startswith("M")
        ):
            return f"a combining mark after no letter: U+{ord(ch):04X}"
        if "\uac00" <= ch <= "\ud7a3":
            hangul += 1
            rare_hangul += not _in_ks_x_1001(ch)
    if rare_hangul > max(1, hangul * _MAX_RARE_HANGUL):
        return "rare Hangul syllables"
    other = latin = cased = capitals = 0
    for match in _WORD.finditer(text):
        word = [ch for ch in match.group() if not unicodedata.category(ch).startswith("M")]
        scripts = [_script(ch) for ch in word]
        if len(set(scripts) - {"CJK"}) > 1:
            return f"a word mixing scripts: {match.group()[:20]!r}"
        for i, (ch, script) in enumerate(zip(word, scripts, strict=True)):
            if script == "LATIN":
                latin += 1
                continue
            other += 1
            if 0 < i < len(scripts) - 1 and scripts[i - 1] == scripts[i + 1] == "LATIN":
                return f"a {script} letter inside a Latin word: {match.group()[:20]!r}"
            if ch.isupper():
                cased += 1
                capitals += 1
                if i and word[i - 1].islower():
                    return f"a capital after a small letter: {match.group()[:20]!r}"
            elif ch.islower():
                cased += 1
    if cased >= 10 and capitals > cased * _MAX_CAPITALS:
        return "too many capital letters for a non-Latin alphabet"
    if other and other < _MIN_SCRIPT_SHARE * (other + latin):
        return "a few letters of another script among Latin ones"
    if not other:
        bad, _ = _western_flaws(text, runs=False)  # żółć: Polish has runs of accents
        if bad > len(_NON_ASCII.findall(text)) * _MAX_BAD_SHARE:
            return "accented letters and symbols in places no language puts them"
    return None


def _in_ks_x_1001(ch: str) -> bool:
    # Python's euc_kr spells the other syllables as 8-byte jamo sequences.
    try:
        return len(ch.encode("euc_kr")) == 2
    except UnicodeEncodeError:
        return False


def _sample(text: str) -> str:
    if len(text) <= 2 * _SAMPLE:
        return text
    return f"{text[:_SAMPLE]}\n{text[-_SAMPLE:]}"
