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
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from xaso.reading import budget
from xaso.reading.archive import check_archive
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
_ON = frozenset({"1", "true", "on"})
_RUN_TAGS = (qn("w:r"), qn("w:hyperlink"))
_MAX_TABLE_DEPTH = 8  # tables inside table cells inside …; deeper ones are left out


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


class _Styles:
    """The font of each style, following "based on" links, read once into dictionaries.

    python-docx looks a style up by searching every style, for every paragraph and run (and
    follows "based on" links with no end when they form a loop); this reads them once. Like
    python-docx, a missing or unknown style, or one of the wrong type, means the default style
    of that type (the last one marked default).
    """

    def __init__(self, styles_element) -> None:
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        self.defaults: dict[str, str] = {}
        for style in styles_element.iterchildren(qn("w:style")):
            style_id, kind = style.get(qn("w:styleId")), style.get(qn("w:type"))
            if style_id is None or style_id in self.styles:
                continue
            # find(), not xpath(): python-docx compiles an XPath expression at every call.
            fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            based_on = style.find(qn("w:basedOn"))
            self.styles[style_id] = (
                kind,
                (fonts.get(qn("w:ascii")) or None) if fonts is not None else None,
                based_on.get(qn("w:val")) if based_on is not None else None,
            )
            if kind and (style.get(qn("w:default")) or "").lower() in _ON:
                self.defaults[kind] = style_id
        self._fonts: dict[str, str | None] = {}

    def font(self, style_id: str | None, kind: str) -> str | None:
        """The font a paragraph ("paragraph") or run ("character") style gives its text."""
        known = self.styles.get(style_id) if style_id else None
        if known is None or known[0] != kind:
            style_id = self.defaults.get(kind)
        if style_id is None:
            return None
        if style_id not in self._fonts:
            self._fonts[style_id] = self._chain_font(style_id)
        return self._fonts[style_id]

    def _chain_font(self, style_id: str) -> str | None:
        seen: set[str] = set()
        current: str | None = style_id
        while current is not None and current not in seen and current in self.styles:
            seen.add(current)
            _kind, font, based_on = self.styles[current]
            if font:
                return font
            current = based_on
        return None


class _Reader:
    def __init__(self, document) -> None:
        self.document = document
        self.parent = document._body
        self.used: set[str] = set()
        styles = document.styles.element
        self.styles = _Styles(styles)
        defaults = styles.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:rFonts/@w:ascii")
        self.default_font: str | None = str(defaults[0]) if defaults else None
        self.blocks_read = 0

    def _count_block(self) -> None:
        self.blocks_read += 1
        if self.blocks_read > budget.MAX_BLOCKS:
            raise ReadError(budget.TOO_MANY_BLOCKS)
        budget.check()

    def _run_text(self, run: Run, paragraph_font: str | None) -> str:
        text = run.text
        if not text:
            return text
        font = run.font.name or self.styles.font(run._r.style, "character") or paragraph_font
        encoding, capitals = _font_encoding(font)
        # Unicode typed into a run that merely inherits a legacy font stays as it is.
        if encoding in LEGACY_ENCODINGS and not has_unicode_vietnamese(text):
            self.used.add(encoding)
            text = convert_legacy(text, encoding)
            if capitals:
                text = text.upper()
        return text

    def paragraph(self, element) -> str:
        self._count_block()
        paragraph = Paragraph(element, self.parent)
        paragraph_font = self.styles.font(element.style, "paragraph") or self.default_font
        if _font_encoding(paragraph_font)[0] is None and not any(
            _font_encoding(run.font.name)[0] for run in paragraph.runs
        ):
            # the common case, no legacy font anywhere: Paragraph.text without its XPath
            return "".join(child.text for child in element.iterchildren(*_RUN_TAGS))
        parts = []
        for item in paragraph.iter_inner_content():
            runs = [item] if isinstance(item, Run) else item.runs
            parts.extend(self._run_text(run, paragraph_font) for run in runs)
        return "".join(parts)

    def cell(self, tc, depth: int) -> str:
        texts = [self.paragraph(p) for p in tc.p_lst]
        for tbl in tc.tbl_lst:
            texts.extend(self.table(tbl, depth + 1))
        return " ".join(" ".join(t.split()) for t in texts if t.strip())

    def table(self, tbl, depth: int = 0) -> list[str]:
        """One line per row, its cells joined by " | ": a cell spanning several grid columns
        counts once, and a cell that continues a vertical merge repeats the text of the cell
        it continues (as python-docx's `row.cells` gives it, but in one pass)."""
        if depth > _MAX_TABLE_DEPTH:
            return []
        rows = []
        above: dict[int, tuple[object, str]] = {}  # grid offset → (cell starting there, text)
        for tr in tbl.tr_lst:
            self._count_block()
            cells, previous, here = [], None, {}
            offset = tr.grid_before
            for tc in tr.tc_lst:
                merged = above.get(offset) if tc.vMerge == "continue" else None
                root, text = merged or (tc, self.cell(tc, depth))
                here[offset] = (root, text)
                offset += tc.grid_span
                if root is not previous:
                    cells.append(text)
                previous = root
            above = here
            if any(cells):
                rows.append(" | ".join(cells))
        return rows

    def blocks(self) -> Iterator[str]:
        for element in self.document.element.body.inner_content_elements:
            if element.tag == qn("w:p"):
                yield self.paragraph(element)
            else:
                yield "\n".join(self.table(element))


def read_docx(data: bytes) -> tuple[str, list[str]]:
    """(NFC text, warnings) of a DOCX file. Raises `ReadError` if it is not one, or if it goes
    beyond the limits of `xaso.reading.archive` and `xaso.reading.budget`."""
    check_archive(data, broken=BROKEN)
    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # zipfile, KeyError, lxml and python-docx errors alike
        raise ReadError(BROKEN) from exc
    reader = _Reader(document)
    blocks, length = [], 0
    for block in reader.blocks():
        block = block.strip()
        if block:
            blocks.append(block)
            length += len(block) + 2
            if length > budget.MAX_TEXT:
                raise ReadError(budget.TOO_LONG)
    text = "\n\n".join(blocks)
    warnings = [_LEGACY_WARNINGS[e] for e in LEGACY_ENCODINGS if e in reader.used]
    return unicodedata.normalize("NFC", text), warnings


def docx_to_text(data: bytes) -> str:
    """The text of a DOCX file: paragraphs in order, table rows with cells joined by " | "."""
    return read_docx(data)[0]
