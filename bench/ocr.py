"""Input formats (issue 19): the time per page of a PDF's text layer, of a scanned page read by
OCR (Tesseract, Vietnamese) and of a photo, the time of a .doc through LibreOffice, and what OCR
gets wrong against the text layer of the same page.

The pages are our own corpus (`bench/corpus.py`) in Liberation Serif 13 pt, made a DOCX by
python-docx, a PDF and a .doc by LibreOffice, rendered by pdftoppm at 300 DPI; the scan is an
image-only PDF of those images (PIL). One process; Tesseract one thread a page.
"""

import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from docx import Document
from docx.shared import Pt
from PIL import Image

from bench.corpus import document
from xaso.reading import ocr
from xaso.reading.reader import read_text
from xaso.reading.source import load_source

DOCS = 3  # documents of about 10 KB: three to four pages each
REPEATS = 3


def _office(folder: Path, seed: int) -> dict[str, Path]:
    docx = Document()
    docx.styles["Normal"].font.name = "Liberation Serif"
    docx.styles["Normal"].font.size = Pt(13)
    for paragraph in document(seed).split("\n\n"):
        docx.add_paragraph(paragraph)
    source = folder / f"doc{seed}.docx"
    docx.save(source)
    out = {}
    for kind in ("pdf", "doc"):
        command = [shutil.which("soffice"), f"-env:UserInstallation={(folder / 'p').as_uri()}"]
        command += ["--headless", "--convert-to", kind, "--outdir", str(folder), str(source)]
        subprocess.run(command, check=True, capture_output=True, timeout=300)  # noqa: S603
        out[kind] = source.with_suffix(f".{kind}")
    prefix = folder / f"doc{seed}-page"
    command = [shutil.which("pdftoppm"), "-r", "300", "-gray", "-png", str(out["pdf"]), str(prefix)]
    subprocess.run(command, check=True, timeout=300)  # noqa: S603
    pages = sorted(folder.glob(f"doc{seed}-page-*.png"))
    images = [Image.open(page) for page in pages]
    scan = folder / f"doc{seed}-scan.pdf"
    images[0].save(scan, "PDF", resolution=300, save_all=True, append_images=images[1:])
    out["pngs"] = pages
    out["scan"] = scan
    return out


def _timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def _words(text: str) -> list[str]:
    return re.findall(r"\w+(?:[.,/]\d+)*", text.lower())


def _word_recall(truth: str, read: str) -> tuple[int, int]:
    """How many of the true words (a bag) the OCR text holds."""
    remaining: dict[str, int] = {}
    for word in _words(read):
        remaining[word] = remaining.get(word, 0) + 1
    found = 0
    truth_words = _words(truth)
    for word in truth_words:
        if remaining.get(word):
            remaining[word] -= 1
            found += 1
    return found, len(truth_words)


def _figures(text: str) -> set:
    return {(f.value, f.unit) for f in read_text(text, seconds=60).figures}


def run() -> str:
    missing = [t for t in ("soffice", "pdftoppm", "tesseract") if shutil.which(t) is None]
    if missing or ocr.missing():
        return "## Input formats (issue 19)\n\nNot run: missing " + (
            ", ".join(missing) or "tesseract-ocr-vie"
        )
    layer, scanned, photo, doc_times = [], [], [], []
    found = total = figures_same = figures_all = 0
    pages = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for seed in range(DOCS):
            files = _office(folder, seed)
            count = len(files["pngs"])
            pages += count
            pdf_bytes = files["pdf"].read_bytes()
            for _ in range(REPEATS):
                seconds, truth = _timed(lambda b=pdf_bytes: load_source(b, "a.pdf"))
                layer.append(seconds / count)
            seconds, read = _timed(lambda s=files["scan"]: load_source(s.read_bytes(), "s.pdf"))
            scanned.append(seconds / count)
            assert read.ocr_pages == list(range(1, count + 1))
            for png in files["pngs"]:
                seconds, _ = _timed(lambda p=png: load_source(p.read_bytes(), "a.png"))
                photo.append(seconds)
            seconds, _ = _timed(lambda d=files["doc"]: load_source(d.read_bytes(), "a.doc"))
            doc_times.append(seconds)
            hit, of = _word_recall(truth.text, read.text)
            found, total = found + hit, total + of
            true_figures, read_figures = _figures(truth.text), _figures(read.text)
            figures_same += len(true_figures & read_figures)
            figures_all += len(true_figures)
    median = statistics.median
    print(
        f"ocr: text layer {median(layer) * 1000:.0f} ms/page, scan {median(scanned):.2f} s/page, "
        f"photo {median(photo):.2f} s, .doc {median(doc_times):.1f} s, words {found}/{total}"
    )
    return "\n".join(
        [
            "## Input formats: PDF, OCR, .doc (`xaso.reading.pdf`, `ocr`, `doc`; issue 19)",
            "",
            f"{DOCS} documents of our own corpus (`bench/corpus.py`), {pages} A4 pages in "
            "Liberation Serif 13 pt: DOCX (python-docx) → PDF and .doc (LibreOffice) → PNG at "
            "300 DPI (pdftoppm) → an image-only PDF (PIL). Times through `load_source` (bytes → "
            "clean text), one process; Tesseract 5 with `-l vie`, one thread.",
            "",
            "| input | time (median) |",
            "|---|---|",
            f"| PDF text layer (pdfminer.six) | {median(layer) * 1000:.0f} ms per page |",
            f"| scanned PDF (pdftoppm 300 DPI + Tesseract) | {median(scanned):.2f} s per page |",
            f"| photo, PNG of one page (Tesseract) | {median(photo):.2f} s per page |",
            f"| .doc (LibreOffice → DOCX, start included) | {median(doc_times):.1f} s per file |",
            "",
            f"OCR against the text layer of the same pages: {found}/{total} words "
            f"({found / total:.1%}) found; {figures_same}/{figures_all} figures (value and unit) "
            "read the same from the OCR text as from the text layer.",
        ]
    )


if __name__ == "__main__":
    print(run())
