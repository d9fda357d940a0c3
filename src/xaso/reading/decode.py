"""Bytes to clean Unicode text: encodings, legacy Vietnamese font encodings, binary detection.

Pure: no Django. The order of attempts in `decode_bytes`:

1. a byte-order mark (UTF-8, UTF-32, UTF-16);
2. UTF-16 without a BOM, recognised by its pattern of NUL bytes;
3. NUL bytes or many control characters left → binary, `ReadError`;
4. strict UTF-8 (or UTF-8 with a few damaged bytes, replaced and reported);
5. otherwise a single-byte file: Windows-1258, unless the bytes read much better as one of the
   legacy Vietnamese font encodings TCVN3 (ABC, fonts ".VnTime") or VNI ("VNI-Times").

Text typed in a legacy font and then stored as Unicode (a DOCX or web page using ".VnTime", a
text pasted into a UTF-8 file) looks like Latin-1 garbage: "Hµ Linh", "Haø Linh".
`detect_legacy` recognises it by comparing how many words are valid Vietnamese syllables before
and after conversion; `convert_legacy` converts, and `encode_legacy` is the inverse (tests).
"""

import codecs
import re
import unicodedata
from collections import Counter
from functools import lru_cache


class ReadError(Exception):
    """A file that cannot be read as a document; the message is Vietnamese, for the user."""

    def __init__(self, message: str, *, filename: str | None = None):
        super().__init__(message)
        self.message = message
        self.filename = filename

    def __str__(self) -> str:
        return self.message


EMPTY = "Tệp rỗng."
BINARY = "Tệp nhị phân, không phải văn bản."
UNDECODABLE = "Không giải mã được tệp (không phải UTF-8, UTF-16 hay Windows-1258)."

WARN_TCVN3 = "Đã chuyển từ mã TCVN3 (ABC) sang Unicode."
WARN_VNI = "Đã chuyển từ mã VNI sang Unicode."
WARN_CP1258 = "Tệp không phải UTF-8; đã đọc theo bảng mã Windows-1258."
LEGACY_WARNINGS = {"tcvn3": WARN_TCVN3, "vni": WARN_VNI}

LEGACY_ENCODINGS = ("tcvn3", "vni")

# --------------------------------------------------------------------------------------------
# Vietnamese letters

_VOWELS = "aăâeêioôơuưy"
# Tone marks, in the order the legacy tables list them: huyền, hỏi, ngã, sắc, nặng.
_TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
_TONE_NAMES = ("grave", "hook", "tilde", "acute", "dot")


def _toned(vowel: str, tone: int) -> str:
    return unicodedata.normalize("NFC", vowel + _TONES[tone])


# --------------------------------------------------------------------------------------------
# TCVN3 (TCVN 5712:1993). The ABC / ".VnTime" fonts use the VN3 subset: every lowercase letter
# plus the seven uppercase base letters Ă Â Ê Ô Ơ Ư Đ (uppercase toned letters were typed in the
# all-capitals ".VnTimeH" fonts with the lowercase codes). The full VN1 table also places the
# uppercase toned letters in positions VN3 leaves unused (0x80-0x9F, a few C0 controls and gaps
# between the lowercase letters); we read those too, so all 134 letters round-trip. VN1's
# combining tone marks at 0xB0-0xB4 are not mapped: there those bytes are far more often the
# Latin-1 signs ° ± ² ³ ´ of ordinary text.

# Code of each toned letter, tones in _TONES order.
_TCVN3_LOWER = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TCVN3_UPPER = {
    "A": (0x80, 0x81, 0x82, 0x83, 0x84),
    "Ă": (0xAF, 0xBA, 0xBF, 0xC0, 0x85),
    "Â": (0xC1, 0xC2, 0xC3, 0xC4, 0x86),
    "E": (0x87, 0x88, 0x89, 0x8A, 0x8B),
    "Ê": (0xC5, 0xCD, 0xD9, 0xDA, 0x8C),
    "I": (0x8D, 0x8E, 0x8F, 0x90, 0x91),
    "O": (0x92, 0x93, 0x94, 0x95, 0x96),
    "Ô": (0xDB, 0xE0, 0xF0, 0xFF, 0x97),
    "Ơ": (0x98, 0x99, 0x9A, 0x9B, 0x9C),
    "U": (0x9D, 0x9E, 0x9F, 0x01, 0x02),
    "Ư": (0x04, 0x05, 0x06, 0x11, 0x12),
    "Y": (0x13, 0x14, 0x15, 0x16, 0x17),
}
_TCVN3_BASE = {
    0xA1: "Ă",
    0xA2: "Â",
    0xA3: "Ê",
    0xA4: "Ô",
    0xA5: "Ơ",
    0xA6: "Ư",
    0xA7: "Đ",
    0xA8: "ă",
    0xA9: "â",
    0xAA: "ê",
    0xAB: "ô",
    0xAC: "ơ",
    0xAD: "ư",
    0xAE: "đ",
}


def _build_tcvn3() -> dict[int, str]:
    table = dict(_TCVN3_BASE)
    for rows in (_TCVN3_LOWER, _TCVN3_UPPER):
        for vowel, codes in rows.items():
            for tone, code in enumerate(codes):
                assert code not in table, hex(code)
                table[code] = _toned(vowel, tone)
    return table


_TCVN3_DECODE: dict[int, str] = _build_tcvn3()  # code point (= byte) → letter
_TCVN3_ENCODE: dict[int, str] = {ord(v): chr(k) for k, v in _TCVN3_DECODE.items()}

# In files saved from Word, 0x85 and 0x91-0x97 are far more often the Windows-1252 "…", quotes,
# bullet and dashes than the rare VN1 capitals Ặ Ị Ò Ỏ Õ Ó Ọ Ộ; see `_restore_punctuation`.
_CP1252_PUNCT = re.compile(r"[\x85\x91-\x97]")
_C1_AS_CP1252 = {
    c: bytes([c]).decode("cp1252")
    for c in range(0x80, 0xA0)
    if c not in {0x81, 0x8D, 0x8F, 0x90, 0x9D}
}
_OPENING_QUOTE = {"\x92": "\x91", "\x94": "\x93"}  # ’ after ‘, ” after “

# --------------------------------------------------------------------------------------------
# VNI (VNI-Windows): a base letter followed by one mark character.

_VNI_TONE = dict(zip(_TONE_NAMES, "øûõùï", strict=True))  # on a e o u y ơ ư
_VNI_CIRCUMFLEX = dict(zip((None, *_TONE_NAMES), "âàåãáä", strict=True))  # â ê ô (+ tone)
_VNI_BREVE = dict(zip((None, *_TONE_NAMES), "êèúüéë", strict=True))  # ă (+ tone)
_VNI_I = dict(zip(_TONE_NAMES, "ìæóíò", strict=True))  # toned i: one character each
_VNI_SINGLE = {"ơ": "ô", "ư": "ö", "đ": "ñ", "ỵ": "î"}
_VNI_SHAPE = {"â": ("a", _VNI_CIRCUMFLEX), "ê": ("e", _VNI_CIRCUMFLEX), "ô": ("o", _VNI_CIRCUMFLEX)}


def _vni_lower(vowel: str, tone: int | None) -> str:
    name = None if tone is None else _TONE_NAMES[tone]
    if vowel in _VNI_SHAPE:
        base, marks = _VNI_SHAPE[vowel]
        return base + marks[name]
    if vowel == "ă":
        return "a" + _VNI_BREVE[name]
    if name is None:
        return _VNI_SINGLE.get(vowel, vowel)
    if vowel == "i":
        return _VNI_I[name]
    if vowel == "y" and name == "dot":
        return _VNI_SINGLE["ỵ"]
    return _VNI_SINGLE.get(vowel, vowel) + _VNI_TONE[name]


def _build_vni() -> tuple[dict[str, str], dict[str, str]]:
    encode: dict[str, str] = {"đ": "ñ", "Đ": "Ñ"}
    for vowel in _VOWELS:
        for tone in (None, 0, 1, 2, 3, 4):
            letter = vowel if tone is None else _toned(vowel, tone)
            code = _vni_lower(vowel, tone)
            if code == letter:  # plain a e i o u y
                continue
            encode[letter] = code
            encode[letter.upper()] = code.upper()
    decode = {code: letter for letter, code in encode.items()}
    # Lenient readings: a mark of the other case, and tones written after a plain i or y.
    for code, letter in list(decode.items()):
        if len(code) == 2:
            for mark in {code[1].lower(), code[1].upper()}:
                decode.setdefault(code[0] + mark, letter)
    for base in "iI":
        for name, mark in _VNI_TONE.items():
            letter = _toned(base.lower(), _TONE_NAMES.index(name))
            letter = letter.upper() if base.isupper() else letter
            decode.setdefault(base + mark, letter)
            decode.setdefault(base + mark.upper(), letter)
    return encode, decode


_VNI_ENCODE, _VNI_DECODE = _build_vni()
_VNI_MARKS = "".join(sorted({c for k in _VNI_DECODE if len(k) == 2 for c in k[1]}))
_VNI_BASES = "aeiouyAEIOUYôöÔÖ"
_VNI_LETTERS = "".join(sorted(k for k in _VNI_DECODE if len(k) == 1))
_VNI_PATTERN = re.compile(
    f"[{_VNI_BASES}][{re.escape(_VNI_MARKS)}]|[{re.escape(_VNI_LETTERS)}]",
)


def _vni_replace(match: re.Match[str]) -> str:
    code = match.group()
    letter = _VNI_DECODE.get(code)
    if letter is not None:
        return letter
    # A base with a mark that does not fit it: convert the base alone, keep the mark as it is.
    return _VNI_DECODE.get(code[0], code[0]) + code[1:]


# --------------------------------------------------------------------------------------------
# Conversion API


def convert_legacy(text: str, encoding: str) -> str:
    """Text typed in a legacy font ("tcvn3" or "vni"), read as Latin-1, to NFC Unicode."""
    if encoding == "tcvn3":
        out = text.translate(_TCVN3_DECODE)
    elif encoding == "vni":
        out = _VNI_PATTERN.sub(_vni_replace, text)
    else:
        raise ValueError(f"unknown legacy encoding: {encoding!r}")
    return unicodedata.normalize("NFC", out)


def encode_legacy(text: str, encoding: str) -> str:
    """The inverse of `convert_legacy`: Unicode Vietnamese to how a legacy font stores it."""
    text = unicodedata.normalize("NFC", text)
    if encoding == "tcvn3":
        return text.translate(_TCVN3_ENCODE)
    if encoding == "vni":
        return "".join(_VNI_ENCODE.get(ch, ch) for ch in text)
    raise ValueError(f"unknown legacy encoding: {encoding!r}")


# --------------------------------------------------------------------------------------------
# Detection: score words as Vietnamese syllables

_NUCLEI = [
    *("iêu", "yêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyê", "uyu"),
    *("ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi"),
    *("oo", "ôi", "ơi", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê"),
    *("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"),
]
_SYLLABLE = re.compile(
    "(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
    f"(?:{'|'.join(_NUCLEI)})"
    "(?:ch|ng|nh|[cmnpt])?"
)
_TONE_SET = frozenset(_TONES)


@lru_cache(maxsize=8192)
def _is_syllable(word: str) -> bool:
    """Whether a lowercase word is a well-formed Vietnamese syllable (at most one tone)."""
    if len(word) > 7:
        return False
    decomposed = unicodedata.normalize("NFD", word)
    tones = sum(1 for ch in decomposed if ch in _TONE_SET)
    if tones > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_SET))
    return _SYLLABLE.fullmatch(bare) is not None


# Words: runs of anything but white space, ASCII digits and punctuation, and general punctuation.
_WORD = re.compile(r"[^\s\x21-\x40\x5b-\x60\x7b-\x7e\u2010-\u206f]+")

# Latin-1 characters that proper Vietnamese never uses (all but NBSP and the 34 accented letters
# Vietnamese shares with Latin-1), plus the C1 controls: the traces of a legacy font.
_VIET_LATIN1 = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý"
_ODD = "".join(chr(c) for c in range(0x80, 0x100) if c != 0xA0 and chr(c) not in _VIET_LATIN1)
_ODD_RE = re.compile(f"[{re.escape(_ODD)}]")
# Letters of proper Vietnamese beyond Latin-1.
_VIET_HIGH_RE = re.compile("[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9]")

_SAMPLE = 6000  # characters looked at when scoring


def has_unicode_vietnamese(text: str) -> bool:
    """Whether `text` has letters (ạ, ơ, đ …) no legacy-font text read as Latin-1 can contain."""
    return _VIET_HIGH_RE.search(text) is not None


def _score(text: str) -> tuple[int, int, int]:
    """(valid syllables, invalid words, all words) over words with non-ASCII letters."""
    words = _WORD.findall(text)
    valid = invalid = 0
    for word, count in Counter(w for w in words if len(w) > 1 and not w.isascii()).items():
        if _is_syllable(word.lower()):
            valid += count
        else:
            invalid += count
    return valid, invalid, len(words)


def _choose_legacy(view: str, baseline: str) -> str | None:
    """Which legacy encoding `view` (Latin-1 reading) is in, compared with reading `baseline`."""
    view = view[:_SAMPLE]
    base_valid, base_invalid, _ = _score(baseline[:_SAMPLE])
    best, best_net = None, base_valid - base_invalid
    for encoding in LEGACY_ENCODINGS:
        valid, invalid, words = _score(convert_legacy(view, encoding))
        net = valid - invalid
        if valid < 2 or valid < 2 * invalid or (valid + invalid) < 0.15 * words:
            continue
        if net - (base_valid - base_invalid) >= 2 and net > best_net:
            best, best_net = encoding, net
    return best


def detect_legacy(text: str) -> str | None:
    """The legacy encoding ("tcvn3", "vni") `text` was typed in, read as Latin-1; else None.

    Needs at least two words that become valid Vietnamese syllables only after conversion.
    """
    if not _ODD_RE.search(text):
        return None
    sample = text[:_SAMPLE]
    # Proper Vietnamese is full of letters beyond Latin-1; legacy text has none of them.
    if len(_VIET_HIGH_RE.findall(sample)) > len(_ODD_RE.findall(sample)):
        return None
    return _choose_legacy(text, text)


def _restore_punctuation(view: str) -> str:
    """Read 0x85 and 0x91-0x97 of a TCVN3 text as Windows-1252 punctuation or as VN1 capitals.

    They are capitals inside a word beside another capital ("HỘI"), or at the end of a word in
    capitals ("NGHỊ", "HỌ"), except that a closing quote after a word in capitals is a quote
    when its opening quote precedes it on the same line. Elsewhere they are "…", quotes, the
    bullet and dashes.
    """

    def letter(ch: str) -> str:
        return _TCVN3_DECODE.get(ord(ch), ch)

    # The matches come in order; what is known of the text before the current one (where its
    # line starts, where the last opening quotes are) is carried along, so that each part of
    # the text is searched once: a single long line of quotes stays linear.
    line_start, searched = 0, 0
    openings: dict[str, int] = {}  # opening quote → its last position

    def fix(match: re.Match[str]) -> str:
        nonlocal line_start, searched
        i = match.start()
        code = match.group()
        line_start = max(line_start, view.rfind("\n", searched, i) + 1)
        searched = i
        if code in ("\x91", "\x93"):
            openings[code] = i
        before = letter(view[i - 1]) if i > 0 else " "
        after = letter(view[i + 1]) if i + 1 < len(view) else " "
        if before.isalpha() and after.isalpha() and (before.isupper() or after.isupper()):
            return code
        if before.isupper():
            opening = _OPENING_QUOTE.get(code)
            if opening is None or openings.get(opening, -1) < line_start:
                return code
        return code.encode("latin-1").decode("cp1252")

    return _CP1252_PUNCT.sub(fix, view)


def _apply_legacy(view: str, encoding: str) -> str:
    # TCVN3 (VN1) has capitals among 0x80-0x9F; VNI leaves them to Windows-1252 punctuation.
    tcvn3 = encoding == "tcvn3"
    view = _restore_punctuation(view) if tcvn3 else view.translate(_C1_AS_CP1252)
    return convert_legacy(view, encoding)


def repair_legacy(text: str) -> tuple[str, str | None]:
    """(text, warning): `text` converted to Unicode if it is legacy-font garbage."""
    encoding = detect_legacy(text)
    if encoding is None:
        return text, None
    return _apply_legacy(text, encoding), LEGACY_WARNINGS[encoding]


# --------------------------------------------------------------------------------------------
# Bytes

_CONTROL_RE = re.compile(r"[\x00\x03\x07\x08\x0e-\x10\x18\x19\x1b-\x1f\x7f]")
_VN1_CONTROL_RE = re.compile(r"[\x01\x02\x04-\x06\x11-\x17]")  # VN1 capitals Ú Ụ Ừ … Ỵ
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1A), *range(0x1B, 0x20), 0x7F])
_ANY_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
_NEWLINES = (("\u2028", "\n"), ("\u2029", "\n\n"), ("\v", "\n"), ("\f", "\n"))
_STRAY_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufeff\u200b]")
_UTF8_SEQ = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _has_control_bytes(data: bytes) -> bool:
    """Whether any control byte (but tab, newlines, form feed, ^Z) occurs; at C speed."""
    return len(data.translate(None, _CONTROL_BYTES)) != len(data)


def _looks_binary(text: str, maybe: bool = True) -> bool:
    """Too many control characters for a text; `maybe=False` when the bytes showed none."""
    if not maybe or not _ANY_CONTROL_RE.search(text):
        return False
    n = max(len(text), 1)
    others = len(_CONTROL_RE.findall(text))
    vn1 = len(_VN1_CONTROL_RE.findall(text))
    return others > 0.02 * n or (others + vn1) > 0.10 * n


def _sniff_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_zero = sample[0 : 2 * pairs : 2].count(0)
    odd_zero = sample[1 : 2 * pairs : 2].count(0)
    if odd_zero >= 0.3 * pairs and even_zero <= 0.02 * pairs:
        return "utf-16-le"
    if even_zero >= 0.3 * pairs and odd_zero <= 0.02 * pairs:
        return "utf-16-be"
    return None


def _unicode_text(data: bytes) -> str | None:
    """Text from a BOM or a BOM-less UTF-16 pattern; None when neither applies."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            body = data[len(bom) :]
            if codec.startswith("utf-16"):
                body = body[: len(body) // 2 * 2]
            try:
                return body.decode(codec)
            except UnicodeDecodeError:
                if codec == "utf-8":
                    return None  # handled with the other UTF-8 cases
                raise ReadError(UNDECODABLE) from None
    codec = _sniff_utf16(data)
    if codec:
        try:
            return data[: len(data) // 2 * 2].decode(codec)
        except UnicodeDecodeError:
            return None
    return None


def _finish(text: str, controls: bool = True) -> str:
    """Unix newlines, no stray controls or zero-width marks, NFC."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for old, new in _NEWLINES:
        if old in text:
            text = text.replace(old, new)
    if controls or "\ufeff" in text or "\u200b" in text:
        text = _STRAY_RE.sub("", text)
    return unicodedata.normalize("NFC", text)


def decode_bytes(data: bytes, *, hint: str | None = None) -> tuple[str, list[str]]:
    """Decode a text file: (NFC text, warnings). Raises `ReadError`.

    `hint` is an encoding the container declared (an HTML charset), tried after UTF-8.
    """
    if not data.strip(b" \t\r\n\x0b\x0c"):
        raise ReadError(EMPTY)
    warnings: list[str] = []
    controls = _has_control_bytes(data)  # also true for UTF-16, whose NULs count
    text = _unicode_text(data)
    if text is None:
        if b"\x00" in data:
            raise ReadError(BINARY)
        text = _decode_utf8(data, warnings)
    if text is None and hint:
        text = _decode_hint(data, hint)
    if text is not None:
        if _looks_binary(text, controls):
            raise ReadError(BINARY)
        encoding = detect_legacy(text)
        if encoding:
            text = _apply_legacy(text, encoding)
            warnings.append(LEGACY_WARNINGS[encoding])
    else:
        text = _decode_single_byte(data, warnings, controls)
    text = _finish(text, controls)
    if not text.strip():
        raise ReadError(EMPTY)
    return text, warnings


def _decode_utf8(data: bytes, warnings: list[str]) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few damaged bytes (a cut or a bad copy): keep it, say so.
    text = data.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    sequences = len(_UTF8_SEQ.findall(data))
    if sequences >= 20 * damaged:
        warnings.append(f"Tệp có {damaged} chỗ lỗi mã UTF-8; đã thay bằng ký tự �.")
        return text
    return None


def _decode_hint(data: bytes, hint: str) -> str | None:
    try:
        codec = codecs.lookup(hint).name
    except LookupError:
        return None
    if codec in {"utf-8", "cp1258", "latin-1", "iso8859-1", "cp1252", "ascii"}:
        return None  # the single-byte path handles these, legacy fonts included
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _decode_single_byte(data: bytes, warnings: list[str], controls: bool) -> str:
    view = data.decode("latin-1")
    if _looks_binary(view, controls):
        raise ReadError(BINARY)
    try:
        cp1258: str | None = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        cp1258 = None
    encoding = _choose_legacy(view, cp1258 or view) if _ODD_RE.search(view) else None
    if encoding:
        warnings.append(LEGACY_WARNINGS[encoding])
        return _apply_legacy(view, encoding)
    if cp1258 is None:
        raise ReadError(UNDECODABLE)
    warnings.append(WARN_CP1258)
    return cp1258
