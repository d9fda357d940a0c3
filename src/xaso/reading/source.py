"""From a file's bytes to clean article text: format, encoding, furniture, repeated publication.

Pure: no Django. `load_document` picks the format by content and name (DOCX, old Word .doc
and RTF through LibreOffice, PDF — its text layer, scanned pages by OCR —, PNG/JPEG photos by
OCR, HTML, plain text), decodes, converts legacy Vietnamese font encodings, strips portal
furniture and collapses a page that publishes the same article twice. It returns NFC text and
Vietnamese warnings for the user (text read by OCR is marked there: `ocr.notice`), or raises
`ReadError` with a Vietnamese message. `load_source` also gives the pages read by OCR.
"""

import io
import re
import unicodedata
import zipfile
from os import PathLike
from pathlib import Path
from typing import NamedTuple

from xaso.reading import budget, ocr
from xaso.reading.archive import ZIP_ERRORS
from xaso.reading.decode import EMPTY, LEGACY_WARNINGS, ReadError, decode_bytes, repair_legacy
from xaso.reading.doc import RTF, WORD_97, doc_to_docx, is_word
from xaso.reading.docx import BROKEN as DOCX_BROKEN
from xaso.reading.docx import read_docx
from xaso.reading.furniture import strip_furniture
from xaso.reading.html import html_to_text
from xaso.reading.pdf import BROKEN as PDF_BROKEN
from xaso.reading.pdf import read_pdf

NO_TEXT = "Tệp không có nội dung văn bản."
REPEATED = "Bài được đăng lặp lại; đã bỏ phần lặp."
NOT_FOUND = "Không tìm thấy tệp."
UNREADABLE = "Không đọc được tệp."
PDF = PDF_BROKEN  # what a PDF that cannot be read gives
OLD_OFFICE = "Tệp Excel/PowerPoint đời cũ (.xls, .ppt) không phải văn bản; hãy gửi tệp Word."
NOT_DOCX = "Tệp nén (ZIP) này không phải tài liệu Word .docx."

_HTML_EXTENSIONS = (".html", ".htm", ".xhtml", ".shtml", ".aspx", ".php")
_HTML_START = re.compile(
    r"\ufeff?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w-]+)", re.I)

_REPEAT_MIN = 200  # a paragraph this long seen twice means the article was published twice


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except ZIP_ERRORS:
        return False


def _sniff(data: bytes, filename: str) -> str:
    name = filename.lower()
    head = data[:1024]
    if head.startswith(b"PK\x03\x04"):
        if _is_docx(data):
            return "docx"
        raise ReadError(DOCX_BROKEN if name.endswith((".docx", ".docm")) else NOT_DOCX)
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if is_word(data):
            return "doc"
        raise ReadError(OLD_OFFICE)
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")) and ocr.is_image(data):
        return "image"  # (a broken one is refused as binary below)
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"  # often saved as .doc by old offices: LibreOffice converts it too
    start = head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")
    if name.endswith(_HTML_EXTENSIONS) or _HTML_START.match(start):
        return "html"
    return "text"


def _paragraph_key(line: str) -> str:
    return line.strip()  # portals repeat the same markup, so the copies agree exactly


def collapse_repeats(text: str) -> tuple[str, bool]:
    """Drop a second publication of the same article; (text, whether anything was dropped).

    A paragraph of at least 200 characters found twice marks the repeat; the repeated block is
    extended backwards and forwards as long as both copies agree, and the later copy removed;
    then the search goes on after what was kept. One pass: the paragraphs before a removed
    copy have no repeat among them, so they are final (a text of the same paragraph a
    thousand times takes a thousand steps, not a thousand passes).
    """
    lines = text.split("\n")
    paragraphs = [i for i, line in enumerate(lines) if line.strip()]
    keys = [_paragraph_key(lines[i]) for i in paragraphs]
    kept: list[int] = []  # the paragraphs kept so far (indices into `paragraphs`)
    long_seen: dict[str, int] = {}  # the key of a long kept paragraph → its position in kept
    dropped: list[tuple[int, int]] = []  # line ranges removed, in order, not overlapping
    cursor, count = 0, len(paragraphs)
    while cursor < count:
        if cursor & 1023 == 0:
            budget.check()
        key, second = keys[cursor], len(kept)
        first = long_seen.get(key) if len(lines[paragraphs[cursor]]) >= _REPEAT_MIN else None
        if first is None:
            if len(lines[paragraphs[cursor]]) >= _REPEAT_MIN:
                long_seen[key] = second
            kept.append(cursor)
            cursor += 1
            continue
        start = 0  # how many paragraphs before the long one belong to the repeat
        while (
            second - start - 1 > first
            and first - start - 1 >= 0
            and keys[kept[first - start - 1]] == keys[kept[second - start - 1]]
        ):
            start += 1
        length = 1
        while (
            cursor + length < count
            and first + length < second - start
            and keys[kept[first + length]] == keys[cursor + length]
        ):
            length += 1
        begin = paragraphs[kept[second - start]] if start else paragraphs[cursor]
        for position in range(second - start, second):
            if long_seen.get(keys[kept[position]]) == position:
                del long_seen[keys[kept[position]]]
        del kept[second - start :]
        while dropped and dropped[-1][0] >= begin:
            dropped.pop()  # a range the new one contains
        dropped.append((begin, paragraphs[cursor + length - 1] + 1))
        cursor += length
    if not dropped:
        return text, False
    out: list[str] = []
    position = 0
    for begin, end in dropped:
        out.extend(lines[position:begin])
        position = end
    out.extend(lines[position:])
    return "\n".join(_tidy(out)), True


def _tidy(lines: list[str]) -> list[str]:
    """One blank line at most between paragraphs, none at the ends."""
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return out


def _html_charset(data: bytes) -> str | None:
    match = _CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def _legacy_fix(text: str, warnings: list[str]) -> str:
    if any(w in warnings for w in LEGACY_WARNINGS.values()):
        return text
    text, warning = repair_legacy(text)
    if warning:
        warnings.append(warning)
    return text


class Loaded(NamedTuple):
    text: str  # clean NFC text
    warnings: list[str]
    ocr_pages: list[int]  # pages read by OCR (1-based; [1] for a photo)


def load_document(
    data: bytes, filename: str, *, seconds: float | None = None
) -> tuple[str, list[str]]:
    """(clean NFC text, warnings) of a document's bytes. Raises `ReadError`.

    Bounded: the limits of `xaso.reading.archive` for a DOCX, those of `xaso.reading.budget`
    for the text, and a time budget of `seconds` (default `budget.DEFAULT_SECONDS`); the
    conversions before it (LibreOffice, a PDF's layout, OCR) have their own limits.
    """
    loaded = load_source(data, filename, seconds=seconds)
    return loaded.text, loaded.warnings


def load_source(data: bytes, filename: str, *, seconds: float | None = None) -> Loaded:
    """`load_document`, with the pages read by OCR."""
    try:
        if not data.strip():
            raise ReadError(EMPTY)
        kind = _sniff(data, filename)
        ocr_pages, extracted = [], None
        if kind in {"doc", "rtf"}:
            data, kind = doc_to_docx(data, WORD_97 if kind == "doc" else RTF), "docx"
        elif kind == "pdf":
            pdf = read_pdf(data)
            extracted, ocr_pages = (pdf.text, pdf.warnings), pdf.ocr_pages
        elif kind == "image":
            extracted, ocr_pages = (ocr.ocr_image(data), [ocr.notice(None)]), [1]
        with budget.time_budget(seconds):
            text, warnings = _load(data, kind, extracted)
        return Loaded(text, warnings, ocr_pages)
    except ReadError as exc:
        exc.filename = exc.filename or filename
        raise


def _load(data: bytes, kind: str, extracted: tuple[str, list[str]] | None) -> tuple[str, list[str]]:
    if extracted is not None:  # a PDF or a photo, already text
        text, warnings = extracted[0], list(extracted[1])
        budget.check_text(text)
        text = strip_furniture(_legacy_fix(text, warnings))
    elif kind == "docx":
        text, warnings = read_docx(data)
        text = strip_furniture(_legacy_fix(text, warnings))
    else:
        text, warnings = decode_bytes(data, hint=_html_charset(data) if kind == "html" else None)
        budget.check()
        if kind == "text" and _HTML_START.match(text):
            kind = "html"
        if kind == "html":
            text = _legacy_fix(html_to_text(text), warnings)
        else:
            budget.check_lines(text)
            text = strip_furniture(text)
    budget.check()
    text, repeated = collapse_repeats(text)
    if repeated:
        warnings.append(REPEATED)
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise ReadError(NO_TEXT)
    budget.check_text(text)
    return text, warnings


def load_path(path: str | PathLike[str], *, seconds: float | None = None) -> tuple[str, list[str]]:
    """`load_document` of a file on disk. Raises `ReadError` (also when it cannot be read)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ReadError(NOT_FOUND, filename=str(path)) from exc
    except OSError as exc:
        raise ReadError(UNREADABLE, filename=str(path)) from exc
    return load_document(data, path.name, seconds=seconds)
