"""The report as DOCX: laid out per NĐ 30/2020 (a People's Committee) and HD 36 (a party
committee), read back with python-docx from what `write_report` gives.

Expected texts are written here by hand (3.750 / 15.511 = 24,18 % → "24,2%"), not taken from
the code under test; sizes and margins are the rules of shared/domain/document_layout.md.
"""

import datetime as dt
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Pt

from tests.factories import make_indicator, make_unit
from xaso.figures.services import record_result, set_target
from xaso.org.models import UnitKind
from xaso.periods import parse_period
from xaso.publishing import docx_out
from xaso.publishing.contents import report_contents
from xaso.publishing.models import ReportTemplate
from xaso.publishing.reports import write_report

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
H1 = parse_period("2020-H1")
DAY = dt.date(2020, 7, 10)
TNR = "Times New Roman"
REVENUE = (
    "Thu ngân sách trên địa bàn 6 tháng đầu năm 2020 ước đạt 3.750 triệu đồng/15.511 triệu "
    "đồng, đạt 24,2% kế hoạch huyện giao."
)


@pytest.fixture
def township():
    """Thị trấn Hương Khê under its district: revenue against the district's plan (an
    estimate), rice against the year's plan, families planned but not reported (a gap),
    trees planted by its two residential groups (a breakdown)."""
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="42")
    district = make_unit("Hương Khê", UnitKind.DISTRICT, province, code="hk")
    town = make_unit("Hương Khê", UnitKind.TOWNSHIP, district, code="hk-tt")
    groups = [
        make_unit(str(n), UnitKind.RESIDENTIAL_GROUP, town, code=f"hk-tt-{n}") for n in (1, 2)
    ]
    revenue = make_indicator(
        "thu-ngan-sach",
        name="Thu ngân sách trên địa bàn",
        unit="trieu_dong",
        group="Kinh tế",
        position=1,
    )
    set_target(unit=town, indicator=revenue, period="2020", source="district_plan", value="15511")
    record_result(unit=town, indicator=revenue, period=H1, value="3.750", status="estimated")
    rice = make_indicator(
        "luong-thuc", name="Tổng sản lượng lương thực", unit="tan", group="Kinh tế", position=2
    )
    set_target(unit=town, indicator=rice, period="2020", source="annual_plan", value="560")
    record_result(unit=town, indicator=rice, period=H1, value="280")
    families = make_indicator(
        "gia-dinh-van-hoa",
        name="Hộ đạt danh hiệu Gia đình văn hóa",
        unit="ho",
        group="Văn hóa - xã hội",
        position=3,
    )
    set_target(
        unit=town, indicator=families, period="2020", source="council_resolution", value="2880"
    )
    trees = make_indicator(
        "cay-xanh", name="Cây xanh trồng mới", unit="cay", group="Môi trường", position=4
    )
    record_result(unit=groups[0], indicator=trees, period=H1, value="120")
    record_result(unit=groups[1], indicator=trees, period=H1, value="95")
    return town, district


def report_of(unit, issuer: str, period, day) -> Document:
    found = write_report(user=None, unit=unit, period=period, fmt="docx", issuer=issuer, day=day)
    assert found.filename.startswith("bao-cao-")
    assert found.filename.endswith(f"-{period.code}-{unit.code}.docx")
    return Document(io.BytesIO(found.content))


def report(unit, issuer: str) -> Document:
    return report_of(unit, issuer, H1, DAY)


def effective(paragraph, run, name: str):
    """A run's font property as Word reads it: the run's own, else its paragraph style's
    (and that style's bases)."""
    value = getattr(run.font, name)
    style = paragraph.style
    while value is None and style is not None:
        value = getattr(style.font, name)
        style = style.base_style
    return value


def texts(cell) -> list[str]:
    return [paragraph.text for paragraph in cell.paragraphs]


def all_paragraphs(document):
    """Every paragraph: the body's, the tables' (nested ones too) and the page headers'."""
    yield from document.paragraphs
    tables = list(document.tables)
    while tables:
        table = tables.pop()
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
                tables += cell.tables
    for section in document.sections:
        yield from section.header.paragraphs


def body_paragraphs(document):
    """The paragraphs outside tables, by text."""
    return {paragraph.text: paragraph for paragraph in document.paragraphs if paragraph.text}


def mm(length) -> float:
    return round(length.mm, 1)


# -- the page -------------------------------------------------------------------------------


@pytest.mark.parametrize("issuer", ["state", "party"])
def test_the_page_is_a4_with_margins_of_the_rules_and_numbers_from_page_two(township, issuer):
    town, _ = township
    document = report(town, issuer)
    [section] = document.sections
    assert (mm(section.page_width), mm(section.page_height)) == (210.0, 297.0)
    assert 20 <= mm(section.top_margin) <= 25
    assert 20 <= mm(section.bottom_margin) <= 25
    assert 30 <= mm(section.left_margin) <= 35
    assert 15 <= mm(section.right_margin) <= 20
    # The number sits in the top margin, centred, on every page but the first.
    assert section.different_first_page_header_footer
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    [number] = section.header.paragraphs
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER or (
        number.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    )
    assert "PAGE" in "".join(number._p.itertext())
    assert 13 <= effective(number, number.runs[0], "size").pt <= 14


@pytest.mark.parametrize("issuer", ["state", "party"])
def test_every_text_is_times_new_roman_and_the_body_is_14_pt(township, issuer):
    town, _ = township
    document = report(town, issuer)
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    fonts = [defaults.find(qn("w:rPr")).find(qn("w:rFonts"))]
    paragraphs = list(all_paragraphs(document))
    for paragraph in paragraphs:
        style = paragraph.style
        while style is not None:  # the styles in use, and what they are based on
            fonts.append(style.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}"))
            style = style.base_style
        fonts += [run._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}") for run in paragraph.runs]
    fonts = [element for element in fonts if element is not None]
    assert fonts
    for element in fonts:
        assert set(element.attrib) == {qn(f"w:{k}") for k in ("ascii", "hAnsi", "eastAsia", "cs")}
        assert set(element.attrib.values()) == {TNR}
    normal = document.styles["Normal"]
    assert normal.font.name == TNR
    assert normal.font.size == Pt(14)
    body = normal.paragraph_format
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert round(body.first_line_indent.cm, 2) == 1.27
    assert body.space_after >= Pt(6)
    assert 1 <= body.line_spacing <= 1.5
    sentence = body_paragraphs(document)[f"- {REVENUE}"]
    assert sentence.style.name == "Normal"
    assert all(effective(sentence, run, "size") == Pt(14) for run in sentence.runs)


# -- the heading ----------------------------------------------------------------------------


def test_the_state_heading_follows_nd_30(township):
    town, _ = township
    document = report(town, "state")
    header = document.tables[0]
    left, right = header.rows[0].cells
    assert texts(left)[0] == "ỦY BAN NHÂN DÂN\nTHỊ TRẤN HƯƠNG KHÊ"
    body = left.paragraphs[0]
    assert all(effective(body, run, "bold") for run in body.runs)
    assert 12 <= effective(body, body.runs[0], "size").pt <= 13
    # A short rule under the issuing body: a border, 1/3–1/2 of the line.
    rule = left.paragraphs[1]
    assert rule._p.pPr.find(qn("w:pBdr")) is not None
    assert texts(right) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    nation, motto = right.paragraphs
    assert effective(nation, nation.runs[0], "bold") and effective(motto, motto.runs[0], "bold")
    assert 12 <= effective(nation, nation.runs[0], "size").pt <= 13
    assert 13 <= effective(motto, motto.runs[0], "size").pt <= 14
    assert motto._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")) is not None
    number, date = header.rows[1].cells
    assert texts(number) == ["Số:        /BC-UBND"]
    # Place and date on the number's row, italic.
    assert texts(date) == ["Hương Khê, ngày 10 tháng 7 năm 2020"]
    run = date.paragraphs[0].runs[0]
    assert effective(date.paragraphs[0], run, "italic")
    assert not effective(date.paragraphs[0], run, "bold")
    # No borders: the heading is a layout table.
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_the_party_heading_follows_hd_36(township):
    town, _ = township
    document = report(town, "party")
    header = document.tables[0]
    left, right = header.rows[0].cells
    assert texts(left) == ["ĐẢNG BỘ HUYỆN HƯƠNG KHÊ", "ĐẢNG ỦY THỊ TRẤN HƯƠNG KHÊ", "*"]
    parent, body, _star = left.paragraphs
    assert not effective(parent, parent.runs[0], "bold")
    assert effective(body, body.runs[0], "bold")
    assert effective(body, body.runs[0], "size") == Pt(14)
    assert texts(right) == ["ĐẢNG CỘNG SẢN VIỆT NAM", "Hương Khê, ngày 10 tháng 7 năm 2020"]
    party, date = right.paragraphs
    assert effective(party, party.runs[0], "bold")
    assert effective(party, party.runs[0], "size") == Pt(15)
    assert party._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")) is not None
    assert effective(date, date.runs[0], "italic")
    assert effective(date, date.runs[0], "size") == Pt(14)
    [number] = texts(header.rows[1].cells[0])
    assert re.fullmatch(r"Số +-BC/ĐU", number)  # no colon; hyphen, then slash


@pytest.mark.parametrize(("issuer", "size"), [("state", 14), ("party", 15)])
def test_the_title_and_subject_are_bold_and_centred(township, issuer, size):
    town, _ = township
    paragraphs = body_paragraphs(report(town, issuer))
    title = paragraphs["BÁO CÁO"]
    subject = paragraphs["Sơ kết 6 tháng đầu năm 2020, nhiệm vụ trọng tâm 6 tháng cuối năm 2020"]
    for paragraph in (title, subject):
        assert paragraph.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert effective(paragraph, paragraph.runs[0], "bold")
    assert effective(title, title.runs[0], "size") == Pt(size)


# -- the body -------------------------------------------------------------------------------


def test_the_body_says_each_figure_against_its_plan_in_sections_i_to_iii(township):
    town, _ = township
    paragraphs = body_paragraphs(report(town, "state"))
    headings = [text for text in paragraphs if re.match(r"I{1,3}\. ", text)]
    assert headings == [
        "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ 6 THÁNG ĐẦU NĂM 2020",
        "II. TỒN TẠI, HẠN CHẾ",
        "III. NHIỆM VỤ TRỌNG TÂM 6 THÁNG CUỐI NĂM 2020",
    ]
    for heading in headings:
        paragraph = paragraphs[heading]
        assert effective(paragraph, paragraph.runs[0], "bold")
        assert paragraph.style.paragraph_format.keep_with_next  # never alone at a page's foot
    assert f"- {REVENUE}" in paragraphs
    assert (
        "- Tổng sản lượng lương thực 6 tháng đầu năm 2020 đạt 280 tấn/560 tấn, "
        "đạt 50,0% kế hoạch năm."
    ) in paragraphs
    # The state body ends with "./." after the last sentence's full stop.
    body = list(paragraphs)[: list(paragraphs).index("Phụ lục I")]
    last_task = [text for text in body if re.match(r"\d+\. ", text)][-1]
    assert last_task.endswith("(kế hoạch HĐND giao năm 2020)./.")


def test_the_party_body_has_no_end_mark(township):
    town, _ = township
    paragraphs = body_paragraphs(report(town, "party"))
    assert not any(text.endswith("./.") for text in paragraphs)


def test_the_table_writes_plans_values_and_percents_the_vietnamese_way(township):
    town, _ = township
    document = report(town, "state")
    table = document.tables[1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == [
        "TT",
        "Chỉ tiêu",
        "ĐVT",
        "Kế hoạch",
        "Thực hiện",
        "% KH",
        "Cùng kỳ năm trước",
    ]
    header = table.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None  # repeated on each page
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    body = rows[1:]
    # 3.750 / 15.511 = 24,18 %; 280 / 560 = 50 %. Groups in Roman numerals, merged cells.
    assert body[0][:2] == ["I", "Kinh tế"]
    assert body[1] == [
        "1",
        "Thu ngân sách trên địa bàn",
        "triệu đồng",
        "15.511\n(KH huyện giao năm 2020)",
        "3.750\n(ước)",
        "24,2%",
        "",
    ]
    assert body[2] == [
        "2",
        "Tổng sản lượng lương thực",
        "tấn",
        "560\n(KH năm 2020)",
        "280",
        "50,0%",
        "",
    ]
    assert body[3][:2] == ["II", "Văn hóa - xã hội"]
    assert body[4] == [
        "3",
        "Hộ đạt danh hiệu Gia đình văn hóa",
        "hộ",
        "2.880\n(KH HĐND giao năm 2020)",
        "",
        "",
        "",
    ]
    assert body[5][:2] == ["III", "Môi trường"]
    assert body[6][:5] == ["4", "Cây xanh trồng mới", "cây", "", "215"]
    # A plan and its source on two lines of one cell: a line break, not a newline character.
    assert table.rows[2].cells[3]._tc.xpath(".//w:br")
    # A smaller font in the table: 12 pt.
    cell = table.rows[2].cells[1].paragraphs[0]
    assert effective(cell, cell.runs[0], "size") == Pt(12)


def test_a_gap_is_highlighted_yellow_and_only_the_gap(township):
    town, _ = township
    document = report(town, "party")
    gap = "[Cần bổ sung: kết quả hộ đạt danh hiệu Gia đình văn hóa 6 tháng đầu năm 2020"
    [paragraph] = [p for p in document.paragraphs if gap in p.text]
    marked = [run for run in paragraph.runs if run.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert [run.text for run in marked] == [
        "[Cần bổ sung: kết quả hộ đạt danh hiệu Gia đình văn hóa 6 tháng đầu năm 2020"
        " (kế hoạch 2.880 hộ)]"
    ]
    assert paragraph.text.startswith("- [Cần bổ sung:")  # the dash is not marked
    revenue = body_paragraphs(document)[f"- {REVENUE}"]
    assert all(run.font.highlight_color is None for run in revenue.runs)


def test_the_chart_is_one_png_picture_the_width_of_the_text(township):
    town, _ = township
    document = report(town, "state")
    [picture] = document.inline_shapes
    assert round(picture.width.mm) == 160
    images = [part for part in document.part.package.parts if part.partname.endswith(".png")]
    assert len(images) == 1
    assert images[0].blob.startswith(b"\x89PNG")


# -- signature and appendices ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("issuer", "authority", "title", "recipients"),
    [
        (
            "state",
            "TM. ỦY BAN NHÂN DÂN",
            "CHỦ TỊCH",
            ["- UBND huyện Hương Khê;", "- Thường trực Đảng ủy, HĐND thị trấn;", "- Lưu: VT, VP."],
        ),
        (
            "party",
            "T/M ĐẢNG ỦY",
            "BÍ THƯ",
            [
                "- Ban Thường vụ Huyện ủy;",
                "- Các đồng chí Đảng ủy viên;",
                "- Các chi bộ trực thuộc;",
                "- Lưu Văn phòng Đảng ủy.",
            ],
        ),
    ],
)
def test_recipients_on_the_left_level_with_the_signature_on_the_right(
    township, issuer, authority, title, recipients
):
    town, _ = township
    document = report(town, issuer)
    [signature] = [t for t in document.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:")]
    left, right = signature.rows[0].cells
    label = left.paragraphs[0]
    assert label.text == "Nơi nhận:"
    assert effective(label, label.runs[0], "bold") and effective(label, label.runs[0], "italic")
    assert effective(label, label.runs[0], "size") == Pt(12)
    listed = [p for p in left.paragraphs[1:] if p.text]
    assert [p.text for p in listed] == recipients
    assert all(effective(p, p.runs[0], "size") == Pt(11) for p in listed)
    signed = [p for p in right.paragraphs if p.text]
    assert [p.text for p in signed[:2]] == [authority, title]
    assert all(effective(p, p.runs[0], "bold") for p in signed[:2])
    # Nobody known to sign: a marked gap where the name goes.
    name = signed[-1]
    assert name.text == "[Cần bổ sung: họ và tên người ký]"
    assert name.runs[0].font.highlight_color == WD_COLOR_INDEX.YELLOW


def test_the_appendices_give_each_unit_below_and_each_figures_source(township):
    town, _ = township
    document = report(town, "state")
    paragraphs = body_paragraphs(document)
    assert "Phụ lục I" in paragraphs
    assert paragraphs["Phụ lục I"].style.paragraph_format.page_break_before
    assert "Phụ lục II" in paragraphs
    assert (
        "(Kèm theo Báo cáo số        /BC-UBND ngày 10 tháng 7 năm 2020 của Ủy ban nhân dân "
        "thị trấn Hương Khê)"
    ) in paragraphs
    assert "1. Cây xanh trồng mới (cây)" in paragraphs
    [breakdown] = [t for t in document.tables if t.rows[0].cells[1].text == "Đơn vị"]
    assert [[c.text for c in row.cells] for row in breakdown.rows[1:]] == [
        ["1", "Tổ dân phố 1", "", "120", ""],
        ["2", "Tổ dân phố 2", "", "95", ""],
    ]
    [sources] = [t for t in document.tables if t.rows[0].cells[-1].text.startswith("Nguồn số")]
    listed = {row.cells[1].text: row.cells[2].text for row in sources.rows[1:]}
    assert set(listed) == {
        "Thu ngân sách trên địa bàn (triệu đồng)",
        "Tổng sản lượng lương thực (tấn)",
        "Cây xanh trồng mới (cây)",
    }
    assert listed["Thu ngân sách trên địa bàn (triệu đồng)"].startswith(
        "Số của thị trấn: 1 lượt nhập"
    )
    assert listed["Cây xanh trồng mới (cây)"].startswith(
        "Tổng hợp từ 2 lượt nhập của 2 đơn vị trực thuộc"
    )


def test_a_table_of_few_rows_stays_on_one_page(township):
    town, _ = township
    document = report(town, "state")
    [breakdown] = [t for t in document.tables if t.rows[0].cells[1].text == "Đơn vị"]
    kept = [
        all(p.paragraph_format.keep_with_next for p in row.cells[0].paragraphs)
        for row in breakdown.rows
    ]
    assert kept == [True, True, False]  # each row with the next; the last one free


def test_a_long_table_leaves_no_row_alone_at_either_end_of_a_page(township):
    town, _ = township
    document = Document()
    table = document.add_table(rows=3, cols=1)
    for row, text in zip(
        table.rows, ("{%tr for i in range(12) %}", "{{ i }}", "{%tr endfor %}"), strict=True
    ):
        row.cells[0].paragraphs[0].add_run(text)
    out = io.BytesIO()
    document.save(out)
    contents = report_contents(town, H1, day=DAY)
    [table] = Document(io.BytesIO(docx_out.render(contents, out.getvalue()))).tables
    kept = [row.cells[0].paragraphs[0].paragraph_format.keep_with_next for row in table.rows]
    # The first three rows together, the last three together, the middle free to break.
    assert kept == [True, True, None, None, None, None, None, None, None, True, True, None]


# -- templates ------------------------------------------------------------------------------


def tiny_template() -> bytes:
    document = Document()
    document.add_paragraph("{{ title }}")
    document.add_paragraph().add_run("{{ place_date }}").italic = True
    document.add_paragraph("{{ results[1] }}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_an_offices_own_template_is_used_when_given(township):
    town, _ = township
    contents = report_contents(town, H1, issuer="party", day=DAY)
    document = Document(io.BytesIO(docx_out.render(contents, tiny_template())))
    assert [p.text for p in document.paragraphs] == [
        "BÁO CÁO",
        "Hương Khê, ngày 10 tháng 7 năm 2020",
        "Tổng sản lượng lương thực 6 tháng đầu năm 2020 đạt 280 tấn/560 tấn, "
        "đạt 50,0% kế hoạch năm.",
    ]
    assert document.paragraphs[1].runs[0].italic


def test_a_template_looping_over_cells_gets_a_grid_of_as_many_columns(township):
    town, _ = township
    document = Document()
    row = document.add_table(rows=1, cols=3).rows[0]
    tags = ("{%tc for m in motto %}", "{{ m }}", "{%tc endfor %}")
    for cell, text in zip(row.cells, tags, strict=True):
        cell.paragraphs[0].add_run(text)
    out = io.BytesIO()
    document.save(out)
    contents = report_contents(town, H1, issuer="state", day=DAY)
    [table] = Document(io.BytesIO(docx_out.render(contents, out.getvalue()))).tables
    assert [cell.text for cell in table.rows[0].cells] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert len(table._tbl.tblGrid.gridCol_lst) == 2


def test_a_districts_template_serves_its_township(township):
    town, district = township
    ReportTemplate.objects.create(
        unit=district, issuer="party", filename="mau-huyen.docx", content=tiny_template()
    )
    document = report(town, "party")
    assert document.paragraphs[0].text == "BÁO CÁO"
    assert len(document.paragraphs) == 3
    # The state layout has no template of the district's: the shipped one.
    assert len(report(town, "state").tables) > 1


@pytest.mark.parametrize(
    ("content", "said"),
    [(b"not a word file", "không phải là tệp Word"), (None, r"viết sai: .*«\{\{ title»")],
)
def test_a_broken_template_is_refused_with_a_reason(township, content, said):
    town, _ = township
    if content is None:
        document = Document()
        document.add_paragraph("{{ title ")
        out = io.BytesIO()
        document.save(out)
        content = out.getvalue()
    contents = report_contents(town, H1, day=DAY)
    with pytest.raises(docx_out.TemplateProblem, match=said):
        docx_out.render(contents, content)


PLACEHOLDER = re.compile(r"{{\s*([a-z_0-9]+)|{%[pr]?\s*(?:if|for \w+ in)\s+([a-z_0-9]+)")


def placeholders(docx: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        xml = archive.read("word/document.xml").decode()
    text = re.sub(r"<[^>]+>", "", xml)
    return {a or b for a, b in PLACEHOLDER.findall(text)} - {"loop", "line", "r", "b"}


def test_the_shipped_templates_are_what_the_script_builds(tmp_path):
    done = subprocess.run(  # noqa: S603 -- our own script
        [sys.executable, str(ROOT / "tools" / "make_report_templates.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for name in docx_out.TEMPLATES.values():
        built, shipped = (tmp_path / name).read_bytes(), (docx_out.TEMPLATE_DIR / name).read_bytes()
        with zipfile.ZipFile(io.BytesIO(built)) as a, zipfile.ZipFile(io.BytesIO(shipped)) as b:
            assert a.namelist() == b.namelist(), f"{name}: run tools/make_report_templates.py"
            for member in a.namelist():
                assert a.read(member) == b.read(member), f"{name}: {member} differs"


def test_every_placeholder_is_in_the_context_and_the_docs(township):
    town, _ = township
    contents = report_contents(town, H1, issuer="party", day=DAY)
    context = docx_out.context(contents)
    documented = (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")
    for name in docx_out.TEMPLATES.values():
        used = placeholders((docx_out.TEMPLATE_DIR / name).read_bytes())
        assert used <= set(context), f"{name}: {used - set(context)}"
    for key in context:
        assert f"`{key}`" in documented, f"docs/publishing.md does not describe {key}"


# -- the demo -------------------------------------------------------------------------------


def test_the_demo_townships_six_month_report_reads_as_its_party_committee_wrote_it():
    from xaso.demo.loader import load_demo
    from xaso.org.models import OrgUnit

    load_demo()  # about ten seconds: the only test here that loads the demo
    town = OrgUnit.objects.get(code="42.huong-khe.tt")
    document = report_of(town, "party", H1, DAY)
    text = "\n".join(p.text for p in all_paragraphs(document))
    assert (
        "Thu ngân sách trên địa bàn 6 tháng đầu năm 2020 ước đạt 3.750 triệu đồng/15.511 triệu "
        "đồng, đạt 24,2% kế hoạch huyện giao"
    ) in text
    assert "Đạt 22/24 tiêu chí theo bộ tiêu chí thị trấn đạt chuẩn văn minh đô thị" in text
    header = document.tables[0]
    assert texts(header.rows[0].cells[0]) == [
        "ĐẢNG BỘ HUYỆN HƯƠNG KHÊ",
        "ĐẢNG ỦY THỊ TRẤN HƯƠNG KHÊ",
        "*",
    ]
    assert "Nguyễn Anh Tuấn" in text  # the secretary on the day, from the meeting's record
    assert len(document.inline_shapes) == 1
    # The commune's monthly report in the state layout, with its villages in Phụ lục I.
    commune = OrgUnit.objects.get(code="42.huong-khe.ha-linh")
    month = report_of(commune, "state", parse_period("2022-11"), dt.date(2022, 11, 30))
    paragraphs = body_paragraphs(month)
    assert "Hà Linh, ngày 30 tháng 11 năm 2022" in [c.text for c in month.tables[0].rows[1].cells]
    assert "Phụ lục I" in paragraphs
    assert "Phụ lục II" in paragraphs
