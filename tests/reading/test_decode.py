"""Decoding files: BOMs, UTF-16 without BOM, Windows-1258, legacy TCVN3 / VNI, binary, empty."""

import codecs
import gzip
import random
import re
import unicodedata
from pathlib import Path

import pytest

from xaso.reading.decode import (
    BINARY,
    EMPTY,
    UNDECODABLE,
    WARN_CP1258,
    WARN_TCVN3,
    WARN_VNI,
    ReadError,
    convert_legacy,
    decode_bytes,
    detect_legacy,
    encode_legacy,
)

# Our own report paragraph, in the genre of the commune portals.
REPORT = (
    "Chiều ngày 14/3/2023, Đảng ủy xã Quỳnh Thạch tổ chức hội nghị sơ kết quý I, triển khai "
    "nhiệm vụ quý II năm 2023. Dự hội nghị có đồng chí Lê Văn Hưởng, Phó Chủ tịch UBND huyện; "
    "lãnh đạo các ban, ngành, đoàn thể và trưởng thôn của 9 thôn trong xã. Trong quý, toàn xã "
    "đã làm mới 2,4 km đường giao thông nông thôn, trồng 1.250 cây xanh, thu ngân sách ước đạt "
    "1.820 triệu đồng, bằng 36,4% kế hoạch huyện giao. Bên cạnh kết quả đạt được, công tác vệ "
    "sinh môi trường ở một số thôn còn hạn chế, việc thu gom rác thải chưa thường xuyên.\n"
    "Đồng chí Bí thư Đảng ủy yêu cầu các chi bộ tập trung chỉ đạo sản xuất vụ hè thu, phòng "
    "chống dịch bệnh trên đàn gia súc và khắc phục những tồn tại đã nêu.\n"
)

LOWER = "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵ"
ALL_LETTERS = " ".join([LOWER, LOWER.upper()])
# Every letter in a word of its own, both cases, and a sentence in capitals.
EVERY_LETTER = (
    REPORT
    + " ".join(f"x{ch}n" for ch in LOWER)
    + "\n"
    + " ".join(f"X{ch}N" for ch in LOWER.upper())
    + "\nỦY BAN NHÂN DÂN XÃ QUỲNH THẠCH: BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ QUÝ I.\n"
)

ENGLISH = (
    "The committee met on Tuesday to review progress on rural roads, clean water and the "
    "school building programme. Members agreed that the budget report should be ready by "
    "the end of the month, and that each village would send its figures by Friday.\n"
)
FRENCH = (
    "À la réunion de février, le comité a examiné les résultats de l'année écoulée : "
    "où en sont les travaux, quelles leçons en tirer, et comment améliorer la qualité des "
    "services publics. Noël approche ; les élèves préparent une fête très réussie, déjà "
    "célèbre dans la région. Garçon, un café crème s'il vous plaît !\n"
)
GERMAN = "Die Größe der Brücke überrascht; für die Bürger ist sie schön und völlig sicher.\n"

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Windows-1258 stores tones as combining marks after the (possibly shaped) base letter."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def test_the_letters_fixture_is_every_vietnamese_letter_outside_ascii():
    # Built apart from the fixture: each of the 12 vowels with each of the 5 tone marks,
    # and the 7 letters of the alphabet that are not in ASCII.
    vowels = "aăâeêioôơuưy"
    tones = "\u0300\u0309\u0303\u0301\u0323"  # huyền, hỏi, ngã, sắc, nặng
    toned = {unicodedata.normalize("NFC", v + t) for v in vowels for t in tones}
    letters = toned | set("ăâêôơưđ")

    assert set(LOWER) == letters
    assert set(ALL_LETTERS.replace(" ", "")) == letters | {c.upper() for c in letters}


# --- Unicode encodings ---------------------------------------------------------------------


def test_utf8():
    text, warnings = decode_bytes(REPORT.encode("utf-8"))
    assert text == REPORT
    assert warnings == []


def test_utf8_bom():
    text, warnings = decode_bytes(codecs.BOM_UTF8 + REPORT.encode("utf-8"))
    assert text == REPORT
    assert warnings == []


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("bom", [True, False])
def test_utf16(codec, bom):
    data = REPORT.encode(codec)
    if bom:
        data = (codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE) + data
    text, warnings = decode_bytes(data)
    assert text == REPORT
    assert warnings == []


def test_output_is_nfc_and_newlines_normalised():
    decomposed = unicodedata.normalize("NFD", REPORT).replace("\n", "\r\n")
    text, _ = decode_bytes(decomposed.encode("utf-8"))
    assert text == REPORT
    assert unicodedata.is_normalized("NFC", text)


def test_utf8_with_a_few_damaged_bytes_is_kept_with_a_warning():
    data = REPORT.encode("utf-8") * 3
    data = data[:100] + b"\xff" + data[100:]
    text, warnings = decode_bytes(data)
    assert "\ufffd" in text
    assert "Quỳnh Thạch" in text
    assert len(warnings) == 1
    assert "lỗi mã UTF-8" in warnings[0]


# --- Windows-1258 ---------------------------------------------------------------------------


def test_windows_1258():
    data = to_cp1258(REPORT)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text, warnings = decode_bytes(data)
    assert text == REPORT
    assert warnings == [WARN_CP1258]


def test_windows_1258_every_letter():
    text, warnings = decode_bytes(to_cp1258(EVERY_LETTER))
    assert text == EVERY_LETTER
    assert warnings == [WARN_CP1258]


def test_latin1_french_is_not_taken_for_a_legacy_font():
    text, warnings = decode_bytes(FRENCH.encode("cp1252"))
    assert text == FRENCH
    assert warnings == [WARN_CP1258]


# --- legacy font encodings ------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_round_trip_every_letter(encoding):
    encoded = encode_legacy(EVERY_LETTER, encoding)
    assert encoded != EVERY_LETTER
    assert all(ord(ch) < 256 for ch in encoded)  # stored as single bytes
    assert convert_legacy(encoded, encoding) == EVERY_LETTER


def test_tcvn3_known_forms():
    assert encode_legacy("Hà Linh", "tcvn3") == "Hµ Linh"
    assert encode_legacy("Cộng hoà xã hội chủ nghĩa Việt Nam", "tcvn3") == (
        "Céng hoµ x· héi chñ nghÜa ViÖt Nam"
    )
    assert convert_legacy("§éc lËp - Tù do - H¹nh phóc", "tcvn3") == "Độc lập - Tự do - Hạnh phúc"


def test_vni_known_forms():
    assert encode_legacy("Hà Linh", "vni") == "Haø Linh"
    assert encode_legacy("Cộng hòa xã hội chủ nghĩa Việt Nam", "vni") == (
        "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"
    )
    assert convert_legacy("Ñoäc laäp - Töï do - Haïnh phuùc", "vni") == (
        "Độc lập - Tự do - Hạnh phúc"
    )
    assert convert_legacy("NGÖÔØI THÖÏC HIEÄN: Nguyeãn Thò Thaûo", "vni") == (
        "NGƯỜI THỰC HIỆN: Nguyễn Thị Thảo"
    )


TCVN3_CHARMAP = Path("/usr/share/i18n/charmaps/TCVN5712-1.gz")


@pytest.mark.skipif(not TCVN3_CHARMAP.exists(), reason="glibc's TCVN5712-1 charmap not installed")
def test_tcvn3_table_agrees_with_the_glibc_charmap():
    charmap = {}
    with gzip.open(TCVN3_CHARMAP, "rt", encoding="ascii", errors="replace") as lines:
        for line in lines:
            match = re.match(r"<U([0-9A-F]{4})>\s+/x([0-9a-f]{2})\s", line)
            if match:
                charmap[chr(int(match.group(1), 16))] = int(match.group(2), 16)
    for letter in ALL_LETTERS.replace(" ", ""):
        assert encode_legacy(letter, "tcvn3") == chr(charmap[letter]), letter


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_text_is_detected(encoding):
    assert detect_legacy(encode_legacy(REPORT, encoding)) == encoding
    assert detect_legacy(encode_legacy("Xã Hà Linh", encoding)) == encoding


@pytest.mark.parametrize(
    "text",
    [REPORT, EVERY_LETTER, ENGLISH, FRENCH, GERMAN, "Size: 10 µm © 2024", "", "Hà Nội"],
)
def test_proper_text_is_not_detected_as_legacy(text):
    assert detect_legacy(text) is None


@pytest.mark.parametrize(("encoding", "warning"), [("tcvn3", WARN_TCVN3), ("vni", WARN_VNI)])
def test_legacy_bytes_are_converted(encoding, warning):
    data = encode_legacy(EVERY_LETTER, encoding).encode("latin-1")
    text, warnings = decode_bytes(data)
    assert text == EVERY_LETTER
    assert warnings == [warning]


@pytest.mark.parametrize(("encoding", "warning"), [("tcvn3", WARN_TCVN3), ("vni", WARN_VNI)])
def test_legacy_text_inside_utf8_is_converted(encoding, warning):
    data = encode_legacy(REPORT, encoding).encode("utf-8")
    text, warnings = decode_bytes(data)
    assert text == REPORT
    assert warnings == [warning]


def test_tcvn3_from_word_keeps_windows_quotes_and_dashes():
    # ABC text saved by Word as "text only": quotes, dashes and "…" are Windows-1252 bytes,
    # while the same byte range inside a word in capitals holds VN1 letters (Ộ = 0x97).
    original = (
        "HỘI NGHỊ biểu dương “Gia đình văn hóa” – năm 2023… tổ chức “HỘI THI” ĐẶC SẮC\n"
        "• TRÒ CHƠI dân gian, HỌ tên người đạt giải—xem biểu kèm theo."
    )
    legacy = encode_legacy(original, "tcvn3")  # the punctuation is not in the table
    data = b"".join(ch.encode("cp1252" if ord(ch) > 0xFF else "latin-1") for ch in legacy)
    assert b"\x97" in data
    assert b"\x93" in data
    text, warnings = decode_bytes(data)
    assert text == original
    assert warnings == [WARN_TCVN3]


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \r\n\t  \n"])
def test_empty_file(data):
    with pytest.raises(ReadError) as err:
        decode_bytes(data)
    assert str(err.value) == EMPTY == "Tệp rỗng."


def test_png_is_binary():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00"
    with pytest.raises(ReadError) as err:
        decode_bytes(png + random.Random(1).randbytes(500))
    assert str(err.value) == BINARY == "Tệp nhị phân, không phải văn bản."


def test_random_bytes_with_nuls_are_binary():
    data = bytearray(random.Random(2).randbytes(3000))
    data[10] = data[500] = 0
    with pytest.raises(ReadError) as err:
        decode_bytes(bytes(data))
    assert str(err.value) == BINARY


def test_random_bytes_without_nuls_are_refused():
    data = bytes(b or 1 for b in random.Random(3).randbytes(3000))
    with pytest.raises(ReadError) as err:
        decode_bytes(data)
    assert str(err.value) in {BINARY, UNDECODABLE}


def test_undecodable_single_byte_text():
    # Windows-1258 has no character for 0x81 and 0x8D; the rest looks like text.
    data = to_cp1258(REPORT).replace(b"Th", b"Th\x81\x8d")
    with pytest.raises(ReadError) as err:
        decode_bytes(data)
    assert str(err.value) == UNDECODABLE
    assert "Windows-1258" in err.value.message
