"""DOCX to plain text with python-docx: paragraphs and tables in document order.

Pure: no Django. Each paragraph becomes a block separated by a blank line; a table becomes one
line per row with its cells joined by " | " (a cell spanning several grid columns counts once,
empty rows are left out). Runs set in a legacy Vietnamese font (".VnTime", ".VnTimeH" … for
TCVN3, "VNI-Times" … for VNI), directly or through their style, are converted to Unicode (the
all-capitals ".Vn…H" fonts to capitals) unless they already hold Unicode Vietnamese letters.
"""

import io
import unicodedata
from collections.abc import Iterator

from docx import Document
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from xaso.reading.decode import (
    LEGACY_ENCODINGS,
    ReadError,
    convert_legacy,
    has_unicode_vietnamese,
)

BROKEN = "Tệp DOCX bị hỏng hoặc không phải tài liệu Word."
_LEGACY_WARNINGS = {
    "tcvn3": "Đã chuyển các đoạn dùng phông TCVN3 (.VnTime) sang Unicode.",
    "vni": "Đã chuyển các đoạn dùng phông VNI sang Unicode.",
}


def _font_encoding(font: str | None) -> tuple[str | None, bool]:
    """(legacy encoding, all-capitals font) for a font name."""
    if not font:
        return None, False
    name = font.strip().lower()
    if name.startswith(".vn"):
        return "tcvn3", name.endswith("h")
    if name.startswith("vni"):
        return "vni", False
    return None, False


class _Reader:
    def __init__(self, document) -> None:
        self.document = document
        self.used: set[str] = set()
        styles = document.styles.element
        defaults = styles.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:rFonts/@w:ascii")
        self.default_font: str | None = str(defaults[0]) if defaults else None

    def _style_font(self, style) -> str | None:
        while style is not None:
            name = style.font.name
            if name:
                return name
            style = style.base_style
        return None

    def _run_text(self, run: Run, paragraph_font: str | None) -> str:
        text = run.text
        if not text:
            return text
        font = run.font.name or self._style_font(run.style) or paragraph_font
        encoding, capitals = _font_encoding(font)
        # Unicode typed into a run that merely inherits a legacy font stays as it is.
        if encoding in LEGACY_ENCODINGS and not has_unicode_vietnamese(text):
            self.used.add(encoding)
            text = convert_legacy(text, encoding)
            if capitals:
                text = text.upper()
        return text

    def paragraph(self, paragraph: Paragraph) -> str:
        paragraph_font = self._style_font(paragraph.style) or self.default_font
        if _font_encoding(paragraph_font)[0] is None and not any(
            _font_encoding(run.font.name)[0] for run in paragraph.runs
        ):
            return paragraph.text  # the common case: no legacy font anywhere
        parts = []
        for item in paragraph.iter_inner_content():
            runs = [item] if isinstance(item, Run) else item.runs
            parts.extend(self._run_text(run, paragraph_font) for run in runs)
        return "".join(parts)

    def cell(self, cell: _Cell) -> str:
        texts = [self.paragraph(p) for p in cell.paragraphs]
        for table in cell.tables:
            texts.extend(self.table(table))
        return " ".join(" ".join(t.split()) for t in texts if t.strip())

    def table(self, table: Table) -> list[str]:
        rows = []
        for row in table.rows:
            cells, previous = [], None
            for cell in row.cells:
                if cell._tc is previous:  # one cell spanning several grid columns
                    continue
                previous = cell._tc
                cells.append(self.cell(cell))
            if any(cells):
                rows.append(" | ".join(cells))
        return rows

    def blocks(self) -> Iterator[str]:
        for item in self.document.iter_inner_content():
            if isinstance(item, Paragraph):
                yield self.paragraph(item)
            else:
                yield "\n".join(self.table(item))


def read_docx(data: bytes) -> tuple[str, list[str]]:
    """(NFC text, warnings) of a DOCX file. Raises `ReadError` if it is not one."""
    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # zipfile, KeyError, lxml and python-docx errors alike
        raise ReadError(BROKEN) from exc
    reader = _Reader(document)
    blocks = [block.strip() for block in reader.blocks()]
    text = "\n\n".join(block for block in blocks if block)
    warnings = [_LEGACY_WARNINGS[e] for e in LEGACY_ENCODINGS if e in reader.used]
    return unicodedata.normalize("NFC", text), warnings


def docx_to_text(data: bytes) -> str:
    """The text of a DOCX file: paragraphs in order, table rows with cells joined by " | "."""
    return read_docx(data)[0]
