"""Decoding of non-UTF-8 text files: the right characters, or one clear refusal, never mojibake."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from newsmark.domain.errors import InputError
from newsmark.formats import read_path
from newsmark.formats.decoding import decode_bytes
from newsmark.formats.mojibake import mojibake, western_reading
from shared_data import realfile

UNCLEAR = "undecodable bytes: not UTF-8, and no encoding reads it cleanly"

# Expected characters at the byte offsets /work/shared/realfiles/README.md gives (the files
# are single-byte, so a byte offset is a character offset).
REAL = [
    ("es-news-latin1.txt", {191: "ü"}, set("áéíñóúü")),
    ("de-text-cp1252.txt", {23: "ö"}, set("äöü€")),
    ("en-cp1252-smart-quotes.txt", {14: "“", 72: "–", 111: "—"}, set("“”–—")),
]


@pytest.mark.parametrize(("name", "at", "alphabet"), REAL)
def test_real_legacy_files_decode_to_the_documented_characters(
    name: str, at: dict[int, str], alphabet: set[str]
) -> None:
    path = realfile("text-encodings", name)
    data = path.read_bytes()
    text = decode_bytes(data, path)
    assert len(text) == len(data)
    for offset, char in at.items():
        assert text[offset] == char
    assert {ch for ch in text if not ch.isascii()} == alphabet


def test_real_cp1252_euro_byte_is_the_euro_sign() -> None:
    path = realfile("text-encodings", "de-text-cp1252.txt")
    data = path.read_bytes()
    # 0x80 is € in windows-1252 and a C1 control character in Latin-1.
    assert decode_bytes(data, path)[data.index(b"\x80")] == "€"


def test_real_utf8_news_keeps_its_pound_sign() -> None:
    path = realfile("text-encodings", "bbc-business-060-utf8.txt")
    (doc,) = read_path(path)
    # £ is the only non-ASCII character (bytes C2 A3 at byte offset 793): character 793.
    assert path.read_bytes()[793:795] == b"\xc2\xa3"
    assert doc.text[793] == "£"
    assert doc.meta["title"] == "Insurance bosses plead guilty"


@pytest.mark.parametrize(("name", "at", "alphabet"), REAL)
@pytest.mark.parametrize("size", [8, 40, 200])
def test_every_short_piece_of_a_real_legacy_file_decodes_right(
    name: str, at: dict[int, str], alphabet: set[str], size: int
) -> None:
    """Short texts are where detection failed (a CJK codec ranked first): cut the real
    files into pieces around each accented byte and check every piece."""
    data = realfile("text-encodings", name).read_bytes()
    for high in (i for i, byte in enumerate(data) if byte >= 0x80):
        piece = data[max(0, high - size // 2) : high + size // 2]
        # All three files' high bytes mean the same in Latin-1 and cp1252, except 0x80.
        assert decode_bytes(piece, "piece.txt") == piece.decode("cp1252"), piece


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"Profits rose to \xa315.8m", "Profits rose to £15.8m"),
        (b"Rose to \xa315.8m in 2004, from \xa312.1m.", "Rose to £15.8m in 2004, from £12.1m."),
        (b"Caf\xe9", "Café"),
        (b"na\xefve", "naïve"),
        (b"\x93Yes,\x94 he said.", "“Yes,” he said."),
        (b"\x80 5", "€ 5"),
    ],
)  # fmt: skip
def test_short_latin1_and_cp1252_texts(data: bytes, text: str) -> None:
    assert decode_bytes(data, "a.txt") == text


RUSSIAN = (
    "Президент России Владимир Путин в воскресенье провёл телефонный разговор с "
    "премьер-министром Израиля Биньямином Нетаньяху. Стороны обсудили ситуацию в секторе "
    "Газа, сообщили в Кремле. По словам пресс-секретаря, разговор был долгим и трудным."
)
JAPANESE = (
    "東京都は月曜日、新しい条例を発表した。知事は記者会見で「市民の安全が最優先だ」と述べ、"
    "来月から施行する方針を示した。専門家は効果を疑問視している。"
)
CHINESE = (
    "北京时间星期一，国家统计局发布了最新的经济数据。专家表示，经济增长速度有所放缓，"
    "但就业情况保持稳定。政府将继续推动改革。"
)
GREEK = (
    "Ο πρωθυπουργός δήλωσε ότι η κυβέρνηση θα στηρίξει τις μικρές επιχειρήσεις τους "
    "επόμενους μήνες. Η αντιπολίτευση ζήτησε περισσότερα μέτρα."
)
ARABIC = (
    "قال رئيس الوزراء إن الحكومة ستدعم الشركات الصغيرة في الأشهر المقبلة. "
    "وطالبت المعارضة بمزيد من الإجراءات لمساعدة العائلات."
)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("“We will not stop,” he said – and left… It’s over — for now. £15.8m (€18m).", "cp1252"),
        ("El niño pidió una canción; la señora Muñoz respondió: «¡Qué alegría!»", "latin-1"),
        ("Le cœur de l'œuvre coûte 15 € à Paris.", "iso8859_15"),
        ("„Wir müssen jetzt handeln“, sagte der Bürgermeister am Montag in München.", "mac_roman"),
        (RUSSIAN, "cp1251"),
        (RUSSIAN, "koi8_r"),
        (JAPANESE, "shift_jis"),
        (JAPANESE, "euc_jp"),
        (CHINESE, "gbk"),
        (CHINESE, "gb18030"),
        (GREEK, "cp1253"),
        (ARABIC, "cp1256"),
        (RUSSIAN, "utf-16"),  # with a BOM, as Windows writes it
        (CHINESE, "utf-16-be"),
    ],
)  # fmt: skip
def test_legacy_encodings_decode_right(tmp_path: Path, text: str, encoding: str) -> None:
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    (doc,) = read_path(path)
    assert doc.text == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        # KOI8-R this short: detection calls it Shift-JIS, whose reading is halfwidth
        # katakana; the cp1252 reading is runs of accented letters.
        ("Путин заявил о переговорах.".encode("koi8_r"), UNCLEAR),
        (bytes(range(128, 256)) * 4, UNCLEAR),
        (
            "Putin spoke to Netanyahu.".encode("utf-16-le"),
            "binary file, not text (contains NUL bytes; if it is UTF-16 text, save it as "
            "UTF-8 or with a byte order mark)",
        ),
        (bytes(range(1, 9)) * 40 + b"text", "binary file, not text (too many control characters)"),
    ],
)  # fmt: skip
def test_unclear_bytes_are_refused_in_one_line(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_path(path)
    assert (info.value.path, info.value.line) == (str(path), None)
    assert info.value.reason.startswith(reason)
    assert "\n" not in str(info.value)
    if reason == UNCLEAR:
        assert info.value.reason.endswith("save it as UTF-8")
        assert "best guess " in info.value.reason


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Ты пошто боярыню обидел, смерд?!!", "koi8_r"),
        ("ראש הממשלה אמר כי הממשלה תתמוך בעסקים קטנים.", "cp1255"),
        ("ロンドンはイギリスの大都市です。", "shift_jis"),
        ("런던은 영국의 수도이자 가장 큰 도시입니다.", "euc_kr"),
        ("Где си ти?", "cp1251"),
    ],
)
def test_short_texts_detection_cannot_pin_decode_right_or_are_refused(
    text: str, encoding: str
) -> None:
    """One sentence is too little to tell these apart from their cousins: whichever way
    it goes, what comes out is the text or a refusal, never another script's letters."""
    try:
        decoded = decode_bytes(text.encode(encoding), "short.txt")
    except InputError as exc:
        assert exc.reason.startswith(UNCLEAR)
    else:
        assert decoded == text


def test_readings_with_the_marks_of_mojibake_are_not_kept() -> None:
    # What the old decoder stored for a short Latin-1 text (cp932's reading of £).
    assert mojibake("Profits rose to ｣15.8m") == "halfwidth katakana"
    assert mojibake("Cafй au lait") is not None  # Latin-1 é read as cp1251
    # Cyrillic read as cp1252 (Ïðåçèäåíò): runs of accented letters, no clean reading.
    assert western_reading(RUSSIAN.encode("cp1251")) is None
    for clean in (RUSSIAN, JAPANESE, CHINESE, GREEK, ARABIC, "Café, naïve, £15.8m"):
        assert mojibake(clean) is None, clean


def test_decoded_legacy_text_has_no_c1_controls_or_private_use() -> None:
    # The five bytes cp1252 leaves undefined are C1 controls in Latin-1: never taken.
    for byte in (0x81, 0x8D, 0x8F, 0x90, 0x9D):
        data = b"Le caf\xe9 " + bytes([byte]) + b" est bon, tr\xe8s bon."
        try:
            text = decode_bytes(data, "x.txt")
        except InputError:
            continue
        assert not any(unicodedata.category(ch) in ("Cc", "Co") for ch in text), text


@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        (
            "Köln, München 🙂 talks\nWeber said it’s over.".encode().replace("’".encode(), b"\x92"),
            2,
            "byte 0x92 is not UTF-8",
        ),
        # Read as GBK these bytes look like clean Chinese: a legacy reading is no repair.
        (("北京时间星期一。\n" + CHINESE).encode().replace("专".encode(), b"\xff"), 2,
         "byte 0xFF is not UTF-8"),
        ("Straße, Köln und München\nsind teuer, sagt das Caf".encode() + "é".encode()[:1], 2,
         "the file ends inside a UTF-8 character (cut short?)"),
    ],
)  # fmt: skip
def test_utf8_with_a_few_bad_bytes_names_the_line(
    tmp_path: Path, data: bytes, line: int, reason: str
) -> None:
    path = tmp_path / "almost.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_path(path)
    assert (info.value.path, info.value.line) == (str(path), line)
    assert info.value.reason == (
        f"{reason}, though the rest of the file is: fix it or save the file as UTF-8 again"
    )
