"""Build the two shipped Word templates of the report (`xaso.publishing.docx_out`).

    .venv/bin/python tools/make_report_templates.py [OUTDIR]

writes `bao-cao-ubnd.docx` (a People's Committee's report, NĐ 30/2020/NĐ-CP) and
`bao-cao-dang-uy.docx` (a party committee's, HD 36-HD/VPTW) into OUTDIR, by default
src/xaso/publishing/templates/publishing/. The layout rules are in
shared/domain/document_layout.md; the placeholders in docs/publishing.md ("Word templates").

The templates are ordinary .docx files with docxtpl placeholders ({{ … }}, {%p … %},
{%tr … %}): an office can open one in Word, change what it likes and upload it as its own.
The output is reproducible (fixed document properties and zip dates), so a regenerated
template equals the committed one byte for byte; tests/publishing/test_docx.py checks it.
"""

import datetime as dt
import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

OUT = Path(__file__).resolve().parents[1] / "src/xaso/publishing/templates/publishing"
FONT = "Times New Roman"
STATE_FILE, PARTY_FILE = "bao-cao-ubnd.docx", "bao-cao-dang-uy.docx"
_FIXED = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Layout:
    """What differs between the two layouts (document_layout.md, A and B)."""

    party: bool
    body_size: int  # NĐ 30: 13–14; HD 36: 14–15
    title_size: int  # the document type: NĐ 30 13–14, HD 36 15–16
    number_size: int
    page_number_size: int
    header_left: float  # the header table's columns, cm (text width 16,5 cm)
    header_right: float
    # The rule under the motto (NĐ 30) or under "ĐẢNG CỘNG SẢN VIỆT NAM" (HD 36) is as long
    # as that line: measured in Liberation Serif 2.1 Bold, the metric twin of Times New
    # Roman ("Độc lập - Tự do - Hạnh phúc" at 13 pt: 5,61 cm; "ĐẢNG CỘNG SẢN VIỆT NAM" at
    # 15 pt: 7,29 cm), plus a hair so the text never wraps. The party's left column holds
    # "ĐẢNG ỦY THỊ TRẤN HƯƠNG KHÊ" at 14 pt bold (8,09 cm) on one line.
    motto_rule: float


STATE = Layout(
    party=False,
    body_size=14,
    title_size=14,
    number_size=13,
    page_number_size=13,
    header_left=6.0,
    header_right=10.5,
    motto_rule=5.7,
)
PARTY = Layout(
    party=True,
    body_size=14,
    title_size=15,
    number_size=14,
    page_number_size=14,
    header_left=8.3,
    header_right=8.2,
    motto_rule=7.4,
)

# Page: A4; margins top 20, bottom 20, left 30, right 15 mm (NĐ 30's ranges; HD 36's
# usual 20/20/30–35/15). The text is 16,5 cm wide.
TEXT_WIDTH = 16.5
BODY_RULE = 2.0  # under the issuing body: 1/3–1/2 of its line
SUBJECT_RULE = 4.0  # under the subject (NĐ 30): 1/3–1/2 of a line

# The table of indicators: TT, Chỉ tiêu, ĐVT, Kế hoạch, Thực hiện, % KH, Cùng kỳ năm trước.
MAIN_COLUMNS = (0.9, 4.3, 2.0, 3.3, 2.1, 1.6, 2.3)
BREAKDOWN_COLUMNS = (0.9, 6.0, 3.4, 3.6, 2.6)
SOURCE_COLUMNS = (1.0, 5.5, 10.0)
TABLE_PADDING = 0.1  # cm left and right of a cell's text (Word's default: 0,19)
SIGNATURE_COLUMNS = (7.0, 9.5)


# -- XML helpers ----------------------------------------------------------------------------


# The order of the children of a table's and a paragraph's properties (the schema's).
# fmt: off
_TBLPR = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
    "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
    "tblLayout", "tblCellMar", "tblLook"
)
_PPR = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap",
    "jc"
)
# fmt: on


def _place(parent, child, order: list[str]) -> None:
    """Insert `child` into `parent` where the schema's `order` puts it."""
    rank = order.index(child.tag.rsplit("}", 1)[1])
    for sibling in parent:
        name = sibling.tag.rsplit("}", 1)[-1]
        if name in order and order.index(name) > rank:
            sibling.addprevious(child)
            return
    parent.append(child)


def _set(parent, tag: str, **attrs):
    """The child `tag` of `parent` (appended when missing), with `attrs`."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    for key, value in attrs.items():
        found.set(qn(f"w:{key}"), str(value))
    return found


def _fonts(rpr) -> None:
    """Times New Roman for every script, no theme font over it."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)


def _twips(cm: float) -> int:
    return round(cm / 2.54 * 1440)


def _border(paragraph, side: str, *, size: int = 6, space: int = 1) -> None:
    """A solid rule on one side of a paragraph (size in eighths of a point)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        _place(ppr, borders, _PPR)
    line = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", size), ("space", space), ("color", "000000")):
        line.set(qn(f"w:{key}"), str(value))
    borders.append(line)


def _no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    _place(tblpr, borders, _TBLPR)


def _cell_margins(table, left_right_cm: float) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(_twips(left_right_cm)))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    _place(table._tbl.tblPr, margins, _TBLPR)


def _table(document, rows: int, widths: tuple[float, ...], *, style: str | None = None):
    """A table of fixed column widths (Word reads the cells', LibreOffice the grid's)."""
    table = document.add_table(rows=rows, cols=len(widths))
    if style:
        table.style = document.styles[style]
        _cell_margins(table, TABLE_PADDING)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblpr = table._tbl.tblPr
    _set(tblpr, "w:tblW", w=_twips(sum(widths)), type="dxa")
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return table


def _row_flags(row, *, header: bool = False) -> None:
    """Rows never split across pages; a header row repeats on each page."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


def _write(paragraph, text: str, *, size: float | None = None, bold=None, italic=None):
    run = paragraph.add_run(text)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if italic is not None:
        run.font.italic = italic
    return run


def _first(cell, style: str):
    """A cell's first (empty) paragraph, styled."""
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    return paragraph


def _para(container, text: str = "", style: str | None = None, **run):
    paragraph = container.add_paragraph(style=style)
    if text:
        _write(paragraph, text, **run)
    return paragraph


def _indents(paragraph, column: float, length: float) -> None:
    """Narrow a centred paragraph to `length` cm of its `column` (for a rule of that length)."""
    side = Cm((column - length) / 2)
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side


def _rule(cell_or_doc, column: float, length: float, style: str):
    """An empty paragraph 5 pt high whose bottom border is a centred rule `length` cm long
    (a border on the line above would have to fit that line's text between its indents)."""
    paragraph = _para(cell_or_doc, style=style)
    _indents(paragraph, column, length)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(5)
    _border(paragraph, "bottom", space=0)
    return paragraph


# -- styles ---------------------------------------------------------------------------------


def _styles(document, layout: Layout) -> None:
    styles = document.styles
    # Defaults under every style: Times New Roman, Vietnamese, no theme fonts.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr)
    _set(rpr, "w:lang", val="vi-VN", eastAsia="vi-VN", bidi="ar-SA")
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is not None:  # python-docx's template adds space after every paragraph
        defaults.remove(ppr_default)

    normal = styles["Normal"]
    normal.font.name = FONT
    _fonts(normal.element.get_or_add_rPr())
    normal.font.size = Pt(layout.body_size)
    body = normal.paragraph_format
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.first_line_indent = Cm(1.27)
    body.space_before = Pt(0)
    body.space_after = Pt(6)  # ≥ 6 pt between paragraphs
    body.line_spacing = 1.2  # single up to 1,5 lines
    body.widow_control = True

    def add(name: str, *, base: str = "Normal", size=None, bold=None, italic=None, **para):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
        if size is not None:
            style.font.size = Pt(size)
        if bold is not None:
            style.font.bold = bold
        if italic is not None:
            style.font.italic = italic
        fmt = style.paragraph_format
        for key, value in para.items():
            setattr(fmt, key, value)
        return style

    plain = {"first_line_indent": Cm(0), "space_before": Pt(0), "space_after": Pt(0)}
    centred = {**plain, "alignment": WD_ALIGN_PARAGRAPH.CENTER, "line_spacing": 1.0}
    add("Report Header", **centred)
    add("Report Title", size=layout.title_size, bold=True, **{**centred, "space_before": Pt(18)})
    add("Report Subject", bold=True, keep_with_next=True, **centred)
    add("Report Section", bold=True, keep_with_next=True, space_before=Pt(6))
    add("Report Caption", size=13, bold=True, keep_with_next=True, **centred)
    add("Report Figure", **{**centred, "space_before": Pt(6), "space_after": Pt(6)})
    cell = {**plain, "alignment": WD_ALIGN_PARAGRAPH.LEFT, "line_spacing": 1.0}
    add("Report Table", size=12, **{**cell, "space_before": Pt(1), "space_after": Pt(1)})
    add("Report Table Head", base="Report Table", bold=True, alignment=WD_ALIGN_PARAGRAPH.CENTER)
    add("Report Table Number", base="Report Table", alignment=WD_ALIGN_PARAGRAPH.CENTER)
    add("Report Recipients Label", size=12, bold=True, italic=True, **plain)
    add("Report Recipients", size=11, **{**plain, "alignment": WD_ALIGN_PARAGRAPH.LEFT})
    add("Report Signature", bold=True, **centred)
    add("Report Annex", bold=True, **{**centred, "page_break_before": True})
    add("Report Annex Title", bold=True, keep_with_next=True, **centred)
    add("Report Annex Note", italic=True, **{**centred, "space_after": Pt(12)})
    add("Report Annex Part", bold=True, keep_with_next=True, space_before=Pt(12))
    # The lines of docxtpl's tags ({%p for … %}): grey in the template, gone when rendered.
    add("Report Control", size=10, **plain).font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    add("Report Page Number", size=layout.page_number_size, **centred)


# -- the parts ------------------------------------------------------------------------------


def _page(document, layout: Layout) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    # Page numbers centred in the top margin, from page 2 on (page 1 shows none).
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.style = document.styles["Report Page Number"]
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2")):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _header(document, layout: Layout) -> None:
    """The two-column borderless table: issuing body and number | motto and place, date."""
    left, right = layout.header_left, layout.header_right
    table = _table(document, 2, (left, right))
    _no_borders(table)
    _cell_margins(table, 0)
    (body_cell, motto_cell), (number_cell, date_cell) = (row.cells for row in table.rows)
    for cell in (body_cell, motto_cell, number_cell, date_cell):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    style = "Report Header"
    if layout.party:
        # ĐẢNG BỘ HUYỆN … 14 · ĐẢNG ỦY … 14 bold · "*" | ĐẢNG CỘNG SẢN VIỆT NAM 15 bold, rule.
        _write(_first(body_cell, style), "{{ parent_line }}", size=14)
        _para(body_cell, "{{ body }}", style, size=14, bold=True)
        _para(body_cell, "{{ separator }}", style, size=14)
        motto = _first(motto_cell, style)
        _write(motto, "{{ motto_1 }}", size=15, bold=True)
        _indents(motto, right, layout.motto_rule)
        _border(motto, "bottom", size=6, space=1)
        place = _para(motto_cell, "{{ place_date }}", style, size=14, italic=True)
        place.paragraph_format.space_before = Pt(8)
        number = _first(number_cell, style)
        _write(number, "{{ number }}", size=layout.number_size)
        number.paragraph_format.space_before = Pt(2)
        _first(date_cell, style)
    else:
        # ỦY BAN NHÂN DÂN / XÃ … 13 bold, short rule | Quốc hiệu 12 bold, tiêu ngữ 13 bold, rule.
        _write(_first(body_cell, style), "{{ body }}", size=13, bold=True)
        _rule(body_cell, left, BODY_RULE, style)
        _write(_first(motto_cell, style), "{{ motto_1 }}", size=12, bold=True)
        motto = _para(motto_cell, "{{ motto_2 }}", style, size=13, bold=True)
        _indents(motto, right, layout.motto_rule)
        _border(motto, "bottom", size=6, space=1)
        number = _first(number_cell, style)
        _write(number, "{{ number }}", size=layout.number_size)
        date = _first(date_cell, style)
        _write(date, "{{ place_date }}", size=14, italic=True)
        for paragraph in (number, date):
            paragraph.paragraph_format.space_before = Pt(8)
    for row in table.rows:
        _row_flags(row)


def _title(document, layout: Layout) -> None:
    _para(document, "{{ title }}", "Report Title")
    _para(document, "{{ subject }}", "Report Subject")
    if not layout.party:  # NĐ 30: a short rule under the subject
        _rule(document, TEXT_WIDTH, SUBJECT_RULE, "Report Header")
    _para(document, style="Report Header").paragraph_format.space_after = Pt(6)


def _control(container, tag: str):
    """A paragraph holding only a docxtpl tag ({%p for … %}): it disappears when rendered."""
    return _para(container, tag, "Report Control")


def _body(document) -> None:
    _para(document, "I. {{ results_heading }}", "Report Section")
    _control(document, "{%p for line in results %}")
    _para(document, "- {{ line }}")
    _control(document, "{%p endfor %}")
    _control(document, "{%p for line in criteria %}")
    _para(document, "- {{ line }}")
    _control(document, "{%p endfor %}")
    _control(document, "{%p if table %}")
    caption = _para(document, "{{ table_caption }}", "Report Caption")
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(3)
    _main_table(document)
    _control(document, "{%p endif %}")
    _control(document, "{%p if chart %}")
    _para(document, "{{ chart }}", "Report Figure")
    _control(document, "{%p endif %}")

    _para(document, "II. {{ limitations_heading }}", "Report Section")
    _control(document, "{%p for line in limitations %}")
    _para(document, "- {{ line }}")
    _control(document, "{%p endfor %}")

    _para(document, "III. {{ tasks_heading }}", "Report Section")
    _control(document, "{%p for line in tasks %}")
    _para(document, "{{ loop.index }}. {{ line }}")
    _control(document, "{%p endfor %}")


def _head_row(table, names: tuple[str, ...]) -> None:
    row = table.rows[0]
    _row_flags(row, header=True)
    for cell, name in zip(row.cells, names, strict=True):
        _write(_first(cell, "Report Table Head"), name)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _control_row(row, tag: str) -> None:
    _write(_first(row.cells[0], "Report Table"), tag)


def _cells(row, texts: tuple[str, ...], styles: tuple[str, ...]) -> None:
    _row_flags(row)
    for cell, text, style in zip(row.cells, texts, styles, strict=True):
        if text:
            _write(_first(cell, style), text)
        else:
            _first(cell, style)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _group_row(row, number: str, text: str) -> None:
    """A row of a group (or an indicator in the appendix): its number, then one merged cell."""
    _row_flags(row)
    merged = row.cells[1].merge(row.cells[-1])
    _write(_first(row.cells[0], "Report Table Number"), number, bold=True)
    _write(_first(merged, "Report Table"), text, bold=True)


def _main_table(document) -> None:
    names = ("TT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện", "% KH", "Cùng kỳ năm trước")
    table = _table(document, 8, MAIN_COLUMNS, style="Table Grid")
    _head_row(table, names)
    _control_row(table.rows[1], "{%tr for r in table %}")
    _control_row(table.rows[2], "{%tr if r.group %}")
    _group_row(table.rows[3], "{{ r.number }}", "{{ r.group }}")
    _control_row(table.rows[4], "{%tr else %}")
    number, text = "Report Table Number", "Report Table"
    _cells(
        table.rows[5],
        tuple(
            f"{{{{ r.{key} }}}}"
            for key in ("number", "name", "unit", "plan", "value", "percent", "last_year")
        ),
        (number, text, number, number, number, number, number),
    )
    _control_row(table.rows[6], "{%tr endif %}")
    _control_row(table.rows[7], "{%tr endfor %}")


def _signature(document, layout: Layout) -> None:
    """Nơi nhận on the left, level with the signer's authority on the right."""
    _para(document, style="Report Header")  # a space above the block
    table = _table(document, 1, SIGNATURE_COLUMNS)
    _no_borders(table)
    _cell_margins(table, 0)
    row = table.rows[0]
    _row_flags(row)
    left, right = row.cells
    left.vertical_alignment = right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    label = _write(_first(left, "Report Recipients Label"), "Nơi nhận:")
    if layout.party:  # HD 36 practice: the label underlined
        label.font.underline = True
    _control(left, "{%p for line in recipients %}")
    _para(left, "{{ line }}", "Report Recipients")
    _control(left, "{%p endfor %}")
    _para(left, style="Report Recipients")
    _write(_first(right, "Report Signature"), "{{ authority }}")
    _para(right, "{{ signer_title }}", "Report Signature")
    for _ in range(4):  # room for the signature and the seal
        _para(right, style="Report Signature")
    _para(right, "{{ signer_name }}", "Report Signature")


def _annexes(document) -> None:
    """Phụ lục: each indicator by unit below, then where each figure came from."""
    _control(document, "{%p if breakdowns %}")
    _para(document, "{{ breakdown_annex }}", "Report Annex")
    _para(document, "KẾT QUẢ CÁC CHỈ TIÊU THEO ĐƠN VỊ TRỰC THUỘC", "Report Annex Title")
    _para(document, "{{ annex_note }}", "Report Annex Note")
    _control(document, "{%p for b in breakdowns %}")
    _para(document, "{{ b.number }}. {{ b.name }} ({{ b.unit }})", "Report Annex Part")
    names = ("TT", "Đơn vị", "Kế hoạch", "Thực hiện", "% KH")
    table = _table(document, 4, BREAKDOWN_COLUMNS, style="Table Grid")
    _head_row(table, names)
    _control_row(table.rows[1], "{%tr for r in b.rows %}")
    number, text = "Report Table Number", "Report Table"
    _cells(
        table.rows[2],
        tuple(f"{{{{ r.{key} }}}}" for key in ("number", "name", "plan", "value", "percent")),
        (number, text, number, number, number),
    )
    _control_row(table.rows[3], "{%tr endfor %}")
    _control(document, "{%p endfor %}")
    _control(document, "{%p endif %}")

    _control(document, "{%p if sources %}")
    _para(document, "{{ sources_annex }}", "Report Annex")
    _para(document, "NGUỒN SỐ LIỆU", "Report Annex Title")
    _para(document, "{{ annex_note }}", "Report Annex Note")
    names = ("TT", "Chỉ tiêu", "Nguồn số liệu: lượt nhập, thời gian, người nhập, cách nhập")
    table = _table(document, 4, SOURCE_COLUMNS, style="Table Grid")
    _head_row(table, names)
    _control_row(table.rows[1], "{%tr for r in sources %}")
    _cells(
        table.rows[2],
        tuple(f"{{{{ r.{key} }}}}" for key in ("number", "name", "source")),
        (number, text, text),
    )
    _control_row(table.rows[3], "{%tr endfor %}")
    _control(document, "{%p endif %}")


def build(layout: Layout):
    document = Document()
    _styles(document, layout)
    _page(document, layout)
    _header(document, layout)
    _title(document, layout)
    _body(document)
    _signature(document, layout)
    _annexes(document)
    return finish(document)


def finish(document):
    """The last paragraph and fixed properties every shipped template ends with."""
    _para(document, style="Report Control")  # a body never ends with a table
    props = document.core_properties
    props.author = props.last_modified_by = "xaso"
    props.title = "{{ title }} {{ subject }}"
    props.created = props.modified = _FIXED.replace(tzinfo=None)
    props.revision = 1
    props.comments = ""
    # Not carried over from python-docx's own template: its sample thumbnail, and Word 2010's
    # copy of the styles (400 KB that every report would parse and write again).
    for rels in (document.part.package.rels, document.part.rels):
        for key, relation in list(rels.items()):
            if relation.reltype.endswith(("/thumbnail", "/stylesWithEffects")):
                del rels[key]
    return document


def reproducible(document) -> bytes:
    """The .docx with fixed zip dates and order, so the same build gives the same bytes."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w") as target:
        for name in sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    out.mkdir(parents=True, exist_ok=True)
    for name, layout in ((STATE_FILE, STATE), (PARTY_FILE, PARTY)):
        (out / name).write_bytes(reproducible(build(layout)))
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
