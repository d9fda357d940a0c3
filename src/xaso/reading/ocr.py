"""Text from pictures: photos (PNG, JPEG) and scanned PDF pages, with the Tesseract OCR CLI.

Pure: no Django. Tesseract (Debian `tesseract-ocr`) reads with its Vietnamese data
(`tesseract-ocr-vie`); a PDF page is first rendered by poppler's `pdftoppm`. Every tool runs
as a subprocess with a timeout, on files in a temporary directory that is removed afterwards.
A missing tool gives a Vietnamese `ReadError`, never a crash.

What came from OCR is recorded in the warnings (`notice`), which are kept with the document,
so that the review page can say so after any number of re-readings (`pages_in`).
"""

import io
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from xaso.reading.decode import ReadError

LANGUAGE = "vie"
DPI = 300  # what Tesseract reads best at; lowered for a page too large (MAX_SIDE)
MAX_SIDE = 5000  # pixels along the longer side of a rendered page or of a photo
MAX_PIXELS = 40_000_000  # a photo larger than this is refused (a decompression bomb)
MAX_PAGES = 20  # scanned pages of one PDF read by OCR; the rest are left out, with a warning
PAGE_SECONDS = 60  # timeout of one pdftoppm or tesseract run
# OCR of one PDF stops starting pages after this (the first page is always read), well inside
# a web request's timeout (`xaso serve --timeout`, 60 s); the pages left are named in a warning.
TOTAL_SECONDS = 40

NO_TESSERACT = (
    "Máy chủ chưa cài Tesseract OCR tiếng Việt (tesseract-ocr-vie) nên không đọc được ảnh "
    "chụp/bản quét."
)
NO_PDFTOPPM = "Máy chủ chưa cài poppler-utils (pdftoppm) nên không đọc được trang PDF là bản quét."
BAD_IMAGE = "Tệp ảnh bị hỏng hoặc không phải ảnh PNG/JPEG."
HUGE_IMAGE = (
    "Ảnh quá lớn (quá 40 triệu điểm ảnh): hãy chụp hoặc quét lại với độ phân giải thấp hơn."
)
NOTHING_READ = "Không nhận dạng (OCR) được chữ nào trong ảnh: ảnh mờ, nghiêng hoặc không có chữ?"
OCR_FAILED = "Không nhận dạng được chữ trong ảnh (Tesseract báo lỗi hoặc chạy quá lâu)."
NOTICE = "Văn bản được nhận dạng từ ảnh (OCR): hãy đối chiếu với bản gốc"
_NOTICE_PAGES = re.compile(re.escape(NOTICE) + r"(?: \(trang ([\d, ]+)\))?\.")


def notice(pages: list[int] | None) -> str:
    """The warning that marks OCR text: pages of a PDF (1-based), or None for a photo."""
    if pages is None:
        return f"{NOTICE}."
    return f"{NOTICE} (trang {', '.join(str(page) for page in pages)})."


def pages_in(warnings: list[str] | None) -> list[int]:
    """The pages read by OCR, from the warnings a load produced: [1] for a photo."""
    for warning in warnings or []:
        match = _NOTICE_PAGES.fullmatch(warning)
        if match:
            return [int(p) for p in match.group(1).split(", ")] if match.group(1) else [1]
    return []


def missing() -> str | None:
    """Why OCR cannot run on this server (a Vietnamese message), or None when it can."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return NO_TESSERACT
    try:
        done = subprocess.run(  # noqa: S603 -- a fixed command
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=PAGE_SECONDS
        )
    except (OSError, subprocess.SubprocessError):
        return NO_TESSERACT
    languages = (done.stdout + done.stderr).split()
    return None if LANGUAGE in languages else NO_TESSERACT


def _run(command: list[str], failure: str) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(  # noqa: S603 -- a fixed command on our own temp files
            command,
            capture_output=True,
            timeout=PAGE_SECONDS,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},  # one thread: faster for one page
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise ReadError(failure) from exc
    if done.returncode != 0:
        raise ReadError(failure)
    return done


def paragraphs(text: str) -> str:
    """Tesseract's output as paragraphs: lines of a block joined, blocks apart by a blank line;
    a line that starts a list item ("-", "+", "•", "a)", "1.") starts a new line."""
    from xaso.reading.pdf import join_lines  # the same joining as a PDF's text layer

    blocks = re.split(r"\n\s*\n", text.replace("\x0c", "\n"))
    return "\n\n".join(block for block in (join_lines(b.split("\n")) for b in blocks) if block)


def _tesseract(image: Path) -> str:
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        raise ReadError(NO_TESSERACT)
    done = _run([tesseract, str(image), "stdout", "-l", LANGUAGE], OCR_FAILED)
    return unicodedata.normalize("NFC", paragraphs(done.stdout.decode("utf-8", "replace")))


def is_image(data: bytes) -> bool:
    """Whether the bytes open as a PNG or JPEG image (its header, not every pixel)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.format in {"PNG", "JPEG"}
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False


def ocr_image(data: bytes) -> str:
    """The text of a photo or scan (PNG or JPEG bytes). Raises `ReadError`."""
    reason = missing()
    if reason:
        raise ReadError(reason)
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in {"PNG", "JPEG"}:
                raise ReadError(BAD_IMAGE)
            if image.width * image.height > MAX_PIXELS:
                raise ReadError(HUGE_IMAGE)
            image = ImageOps.exif_transpose(image).convert("L")  # a phone's rotation applied
            if max(image.size) > MAX_SIDE:
                image.thumbnail((MAX_SIDE, MAX_SIDE))
            with tempfile.TemporaryDirectory(prefix="xaso-ocr-") as folder:
                path = Path(folder) / "page.png"
                image.save(path)
                text = _tesseract(path)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ReadError(BAD_IMAGE) from exc
    if not text.strip():
        raise ReadError(NOTHING_READ)
    return text


def ocr_pdf_page(pdf: Path, page: int, width: float, height: float) -> str:
    """The text of one page (1-based) of a PDF on disk, rendered at `DPI` (less when the page,
    `width` × `height` points, would exceed `MAX_SIDE` pixels). Raises `ReadError`."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise ReadError(NO_PDFTOPPM)
    dpi = max(36, min(DPI, int(MAX_SIDE * 72 / max(width, height, 1))))
    out = pdf.parent / f"page-{page}"
    number = str(page)
    command = [pdftoppm, "-r", str(dpi), "-gray", "-png", "-singlefile"]
    _run([*command, "-f", number, "-l", number, str(pdf), str(out)], OCR_FAILED)
    image = out.with_suffix(".png")
    try:
        return _tesseract(image)
    finally:
        image.unlink(missing_ok=True)
