"""PDF to plain text: the text layer with pdfminer.six, scanned pages through OCR.

Pure: no Django. pdfminer groups a page's characters into text boxes in reading order (a
column at a time); each box becomes a paragraph, its lines joined (a line that starts a list
item keeps its own line). A box at the top or bottom edge of a page that is only a page number
("3", "- 3 -", "Trang 3/12"), or that repeats (numbers aside) at that edge of at least half of
the pages, is a running header or footer and goes. A page with no usable text layer (no
letters, or glyphs without a Unicode mapping, "(cid:12)") but an image on it is a scan: it is
rendered and read by `xaso.reading.ocr`, and its number recorded.

Bounded: at most `MAX_PAGES` pages, `ocr.MAX_PAGES` of them by OCR; the text layer is read in
a separate process stopped after `SECONDS` and limited to `MEMORY`; OCR starts no new page
after `ocr.TOTAL_SECONDS`.
"""

import io
import logging
import multiprocessing
import re
import resource
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pdfminer.layout import LAParams, LTContainer, LTImage, LTTextBox
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage

from xaso.reading import budget, ocr
from xaso.reading.decode import ReadError

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings of ordinary PDFs

MAX_PAGES = 300
SECONDS = 20.0  # for the text layer, in a process of its own (`_layout_apart`)
MEMORY = 1 << 30  # bytes of address space that process may use

BROKEN = "Tệp PDF bị hỏng, không đọc được."
TOO_SLOW_PDF = (
    "Đọc tệp PDF quá {seconds:g} giây mà chưa xong: tệp quá lớn, quá phức tạp hoặc hỏng; hãy "
    "in lại thành PDF hoặc lưu thành .docx."
)
TOO_BIG = "Tệp PDF cần quá nhiều bộ nhớ để đọc: tệp hỏng hoặc quá phức tạp; hãy lưu thành .docx."
LOCKED = "Tệp PDF có mật khẩu hoặc bị khoá: hãy mở khoá rồi tải lên lại."
TOO_MANY_PAGES = "Tệp PDF dài quá {limit} trang: hãy tách thành nhiều tệp."
NO_TEXT = "Tệp PDF không có chữ (không có lớp văn bản, cũng không có ảnh quét)."
NOTHING_RECOGNISED = "Không nhận dạng (OCR) được chữ nào trong các trang quét của tệp PDF."
MORE_SCANNED = (
    "Chỉ nhận dạng (OCR) {limit} trang quét đầu tiên; các trang {rest} chưa đọc: hãy tách tệp."
)
TOO_SLOW = (
    "Nhận dạng (OCR) đã quá {seconds} giây nên dừng; các trang {rest} chưa đọc: hãy tách tệp."
)
SKIPPED_SCANS = "Các trang {pages} là bản quét nhưng chưa đọc được: {reason}"

_CID = re.compile(r"\(cid:\d+\)")
_LIST_ITEM = re.compile(r"[-–—•+*]\s|\(?[a-zđ\d]{1,2}[).]\s|[IVX]{1,4}\.\s")
_PAGE_NUMBER = re.compile(
    r"(?:trang\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:/|trên)\s*\d{1,4})?|page\s+\d{1,4}", re.I
)
_CELL_LINES = 4  # a box of at most this many lines may be a table cell
_MIN_LETTERS = 10  # a page with fewer letters in its text layer has none to speak of


def join_lines(lines: list[str]) -> str:
    """One paragraph from the lines of a box: wrapped lines joined by a space; a line that
    starts a list item, or follows one ending in ":", starts a new line."""
    out: list[str] = []
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if out and not _LIST_ITEM.match(line) and not out[-1].endswith(":"):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return "\n".join(out)


@dataclass
class _Page:
    number: int  # 1-based
    width: float
    height: float
    boxes: list[str] = field(default_factory=list)  # paragraphs in reading order
    edges: set[int] = field(default_factory=set)  # indices of the top and bottom boxes
    has_image: bool = False
    scanned: bool = False  # no usable text layer but an image: read by OCR


@dataclass
class PdfText:
    text: str
    warnings: list[str]
    ocr_pages: list[int]  # 1-based numbers of the pages read by OCR


def _has_image(item) -> bool:
    if isinstance(item, LTImage):
        return True
    return isinstance(item, LTContainer) and any(_has_image(child) for child in item)


@dataclass
class _Box:
    x0: float
    x1: float
    top: float
    bottom: float
    lines: int
    text: str

    @property
    def line_height(self) -> float:
        return (self.top - self.bottom) / max(self.lines, 1)


def _rows(boxes: list[_Box]) -> list[_Box]:
    """Table rows put back together: short boxes (cells) side by side whose tops align within
    about half a line become one line, left to right, joined by " | " as a DOCX table's row
    is; it stands where its top cell (the first of equal tops in reading order) came.
    Sorted by top, each box is compared with the few that follow within half a line."""
    short = sorted(
        (i for i, box in enumerate(boxes) if box.lines <= _CELL_LINES), key=lambda i: -boxes[i].top
    )
    row_of = list(range(len(boxes)))
    for position, i in enumerate(short):
        for j in short[position + 1 :]:
            a, b = boxes[i], boxes[j]
            if a.top - b.top > 0.6 * a.line_height:
                break  # sorted by top: no later box aligns with a
            if (
                row_of[j] == j
                and (a.x1 <= b.x0 or b.x1 <= a.x0)
                and abs(a.top - b.top) <= 0.6 * b.line_height
            ):
                row_of[j] = row_of[i]
    members: dict[int, list[int]] = {}
    for i, row in enumerate(row_of):
        members.setdefault(row, []).append(i)
    out = []
    for i, box in enumerate(boxes):
        if row_of[i] != i:
            continue
        cells = sorted((boxes[j] for j in members[i]), key=lambda cell: cell.x0)
        if len(cells) == 1:
            out.append(box)
            continue
        text = " | ".join(" ".join(cell.text.split()) for cell in cells)
        top, bottom = max(c.top for c in cells), min(c.bottom for c in cells)
        out.append(_Box(cells[0].x0, cells[-1].x1, top, bottom, 1, text))
    return out


def _read_page(number: int, layout) -> _Page:
    page = _Page(number, layout.width, layout.height)
    boxes, cids = [], 0
    for item in layout:
        if isinstance(item, LTTextBox):
            raw = item.get_text()
            cids += len(_CID.findall(raw))
            text = join_lines(_CID.sub("", raw).split("\n"))
            if text:
                boxes.append(_Box(item.x0, item.x1, item.y1, item.y0, len(item), text))
        elif _has_image(item):
            page.has_image = True
    boxes = _rows(boxes)
    page.boxes = [box.text for box in boxes]
    if boxes:
        top = max(range(len(boxes)), key=lambda i: boxes[i].top)
        bottom = min(range(len(boxes)), key=lambda i: boxes[i].bottom)
        page.edges = {top, bottom}
    letters = sum(ch.isalpha() for text in page.boxes for ch in text)
    page.scanned = page.has_image and (letters < _MIN_LETTERS or cids > letters)
    if page.scanned:
        page.boxes, page.edges = [], set()
    return page


def _furniture(pages: list[_Page]) -> set[tuple[int, int]]:
    """(page index, box index) of page numbers and running headers and footers."""

    def key(text: str) -> str:
        return re.sub(r"\d+", "#", text.casefold())

    edge_keys = Counter(
        key(page.boxes[i]) for page in pages for i in page.edges if not page.scanned
    )
    read = sum(1 for page in pages if page.boxes)
    repeated = {k for k, n in edge_keys.items() if read >= 2 and n >= max(2, (read + 1) // 2)}
    return {
        (p, i)
        for p, page in enumerate(pages)
        for i in page.edges
        if _PAGE_NUMBER.fullmatch(page.boxes[i]) or key(page.boxes[i]) in repeated
    }


def _layout(data: bytes, max_pages: int) -> list[_Page]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager

    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=LAParams())
    interpreter = PDFPageInterpreter(manager, device)
    pages = []
    with budget.time_budget(SECONDS):
        for number, page in enumerate(PDFPage.get_pages(io.BytesIO(data)), start=1):
            if number > max_pages:
                raise ReadError(TOO_MANY_PAGES.format(limit=max_pages))
            budget.check()
            interpreter.process_page(page)
            pages.append(_read_page(number, device.get_result()))
    return pages


def _layout_or_error(data: bytes, max_pages: int) -> list[_Page]:
    """`_layout`, with every failure a `ReadError` (so that only it crosses processes)."""
    try:
        return _layout(data, max_pages)
    except ReadError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ReadError(LOCKED) from exc
    except MemoryError as exc:
        raise ReadError(TOO_BIG) from exc
    except Exception as exc:  # pdfminer's errors on a broken file are of all kinds (like docx)
        raise ReadError(BROKEN) from exc


def _limit_memory(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _layout_apart(data: bytes) -> list[_Page]:
    """`_layout` in a process of its own, stopped after `SECONDS` and limited to `MEMORY`:
    pdfminer is pure Python and reads a content stream whole, so a small file whose stream
    expands to hundreds of megabytes would otherwise hold a worker for minutes."""
    context = multiprocessing.get_context("spawn")  # nothing of the server's state is copied
    with context.Pool(1, _limit_memory, (MEMORY,)) as pool:  # terminated on leaving
        job = pool.apply_async(_layout_or_error, (data, MAX_PAGES))  # read now, not there
        try:
            return job.get(timeout=SECONDS)
        except multiprocessing.TimeoutError as exc:
            raise ReadError(TOO_SLOW_PDF.format(seconds=SECONDS)) from exc


def read_pdf(data: bytes) -> PdfText:
    """The text of a PDF, scanned pages read by OCR. Raises `ReadError`."""
    pages = _layout_apart(data)
    warnings: list[str] = []
    ocr_pages = _ocr(data, [page for page in pages if page.scanned], warnings)
    dropped = _furniture(pages)
    blocks = []
    for p, page in enumerate(pages):
        if page.number in ocr_pages:
            blocks.append(ocr_pages[page.number])
        blocks.extend(box for i, box in enumerate(page.boxes) if (p, i) not in dropped)
    text = unicodedata.normalize("NFC", "\n\n".join(b for b in blocks if b.strip()))
    if not text.strip():
        if any(page.scanned for page in pages):
            raise ReadError(ocr.missing() or NOTHING_RECOGNISED)
        raise ReadError(NO_TEXT)
    if ocr_pages:
        warnings.insert(0, ocr.notice(sorted(ocr_pages)))
    return PdfText(text, warnings, sorted(ocr_pages))


def _ocr(data: bytes, scanned: list[_Page], warnings: list[str]) -> dict[int, str]:
    """The text of each scanned page read by OCR, by page number."""
    if not scanned:
        return {}
    reason = ocr.missing()
    if reason:
        warnings.append(SKIPPED_SCANS.format(pages=_numbers(scanned), reason=reason))
        return {}
    if len(scanned) > ocr.MAX_PAGES:
        rest = scanned[ocr.MAX_PAGES :]
        warnings.append(MORE_SCANNED.format(limit=ocr.MAX_PAGES, rest=_numbers(rest)))
        scanned = scanned[: ocr.MAX_PAGES]
    texts: dict[int, str] = {}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="xaso-pdf-") as folder:
        path = Path(folder) / "in.pdf"
        path.write_bytes(data)
        for index, page in enumerate(scanned):
            if texts and time.monotonic() - started > ocr.TOTAL_SECONDS:
                rest = _numbers(scanned[index:])
                warnings.append(TOO_SLOW.format(seconds=ocr.TOTAL_SECONDS, rest=rest))
                break
            texts[page.number] = ocr.ocr_pdf_page(path, page.number, page.width, page.height)
    return texts


def _numbers(pages: list[_Page]) -> str:
    return ", ".join(str(page.number) for page in pages)
