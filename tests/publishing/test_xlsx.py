"""The report as a workbook, written through `write_report` from data made by the services
and read back with openpyxl: the indicator table, a sheet per breakdown, the entries behind
each figure, number formats, panes and print setup, and the rules for sheet names.

Expected percentages are worked out here (3.750 / 15.511 = 24,18 %), not by the code under test.
"""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import make_commune_tree, make_indicator, make_unit, make_user
from xaso.figures.models import Result
from xaso.figures.services import record_result, set_target
from xaso.org.models import Role, UnitKind
from xaso.periods import parse_period
from xaso.publishing.reports import write_report
from xaso.publishing.xlsx_out import sheet_names
from xaso.reporting.definitions import define_form
from xaso.reporting.services import approve_report, save_report, submit_report

pytestmark = pytest.mark.django_db

H1 = parse_period("2020-H1")
DAY = dt.date(2020, 7, 10)
HEADER = [
    "TT", "Lĩnh vực", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Nguồn kế hoạch", "Thực hiện",
    "Ước/Chính thức", "% KH", "Cùng kỳ năm trước", "Kế hoạch 2", "Nguồn kế hoạch 2", "% KH 2",
]  # fmt: skip
FORM_NAME = "Báo cáo 6 tháng giao thông"


def percent(done, planned) -> float:
    """As a report rounds it (one decimal, half up), stored as a fraction."""
    return float((Decimal(done) * 100 / Decimal(planned)).quantize(Decimal("0.1"))) / 100


@pytest.fixture
def world():
    _, district, commune, villages = make_commune_tree()
    thu = make_indicator(
        "thu", name="Thu ngân sách", unit="trieu_dong", over_time="flow", group="Kinh tế"
    )
    xd = make_indicator("xd", name="Giá trị xây dựng cơ bản", unit="ty_dong", group="Kinh tế")
    duong = make_indicator("duong", name="Đường giao thông", unit="m", group="Giao thông")
    clerk = make_user("ke-toan", first_name="Lan", last_name="Nguyễn Thị")
    set_target(unit=commune, indicator=thu, period="2020", source="district_plan", value="15511")
    set_target(
        unit=commune, indicator=thu, period="2020", source="council_resolution", value="16477"
    )
    record_result(
        unit=commune, indicator=thu, period=H1, value="3750", status="estimated", user=clerk
    )
    record_result(unit=commune, indicator=thu, period="2019-H1", value="3000")
    set_target(unit=commune, indicator=xd, period="2020", source="annual_plan", value="21,5")
    record_result(
        unit=commune, indicator=xd, period=H1, value="11,5", user=clerk, note="=HYPERLINK(1)\x07"
    )
    set_target(
        unit=villages[0], indicator=duong, period="2020", source="district_plan", value="200"
    )
    form = define_form(
        code="gt-6t",
        name=FORM_NAME,
        reviewer=commune,
        period_type="half",
        deadline_rule="after:10d",
        indicators=[(duong, "Giao thông")],
        reporter_kind=UnitKind.VILLAGE,
    )
    for village, metres in zip(villages, ("100", "200", "300"), strict=True):
        head = make_user(
            f"truong-{village.code}", unit=village, role=Role.REPORTER,
            first_name="Văn", last_name=f"Trưởng {village.name}",
        )  # fmt: skip
        draft, _ = save_report(
            form=form, unit=village, period=H1, entries={duong: (metres, "final")}, user=head
        )
        if village is not villages[2]:  # Thôn 3's stays a draft
            sent = submit_report(submission=draft, version=draft.version, confirm=True, user=head)
            if village is villages[0]:
                approve_report(submission=sent, version=sent.version)
    return commune, villages, clerk, district


def workbook(commune, **kwargs):
    found = write_report(user=None, unit=commune, period=H1, fmt="xlsx", day=DAY, **kwargs)
    assert found.filename == "bao-cao-so-ket-2020-H1-hl.xlsx"
    assert found.content_type.endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(found.content))


def table(sheet, header_row):
    """{indicator name or unit name: {header: cell}} below the header row."""
    header = [cell.value for cell in sheet[header_row]]
    found = {}
    for row in sheet.iter_rows(min_row=header_row + 1):
        cells = dict(zip(header, row, strict=False))
        key = cells.get("Chỉ tiêu") or cells.get("Đơn vị")
        found.setdefault(key.value, []).append(cells)
    return {name: rows[0] if len(rows) == 1 else rows for name, rows in found.items()}


def test_the_sheets_are_the_table_one_per_breakdown_and_the_sources_last(world):
    commune, *_ = world
    book = workbook(commune)
    assert book.sheetnames[0] == "Kết quả"
    assert book.sheetnames[-1] == "Nguồn số liệu"
    # Only the roads have children's figures; named by their number in the table.
    results = table(book["Kết quả"], 5)
    number = results["Đường giao thông"]["TT"].value
    assert book.sheetnames[1:-1] == [f"{number}. Đường giao thông"]


def test_the_title_block_names_the_unit_period_subject_and_date(world):
    commune, *_ = world
    sheet = workbook(commune)["Kết quả"]
    assert [sheet.cell(row=n, column=1).value for n in range(1, 5)] == [
        "ỦY BAN NHÂN DÂN XÃ HÀ LINH",
        "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU 6 THÁNG ĐẦU NĂM 2020",
        "Kèm theo báo cáo sơ kết: Sơ kết 6 tháng đầu năm 2020, nhiệm vụ trọng tâm "
        "6 tháng cuối năm 2020",
        "Hà Linh, ngày 10 tháng 7 năm 2020",
    ]
    # Each title line spans the table.
    assert "A2:M2" in {str(merged) for merged in sheet.merged_cells.ranges}
    party = workbook(commune, issuer="party")["Kết quả"]
    assert party["A1"].value == "ĐẢNG ỦY XÃ HÀ LINH"


def test_the_table_holds_numbers_as_numbers_against_each_plan(world):
    commune, *_ = world
    sheet = workbook(commune)["Kết quả"]
    assert [cell.value for cell in sheet[5]] == HEADER
    thu = {header: cell.value for header, cell in table(sheet, 5)["Thu ngân sách"].items()}
    assert thu == {
        "TT": thu["TT"],
        "Lĩnh vực": "Kinh tế",
        "Chỉ tiêu": "Thu ngân sách",
        "ĐVT": "triệu đồng",
        "Kế hoạch": 15511,
        "Nguồn kế hoạch": "KH huyện giao năm 2020",
        "Thực hiện": 3750,
        "Ước/Chính thức": "Ước",
        "% KH": pytest.approx(0.242),
        "Cùng kỳ năm trước": 3000,
        "Kế hoạch 2": 16477,
        "Nguồn kế hoạch 2": "KH HĐND giao năm 2020",
        "% KH 2": pytest.approx(0.228),
    }
    assert thu["% KH"] == pytest.approx(percent(3750, 15511))  # 24,2 %
    assert thu["% KH 2"] == pytest.approx(percent(3750, 16477))  # 22,8 %
    assert type(thu["Kế hoạch"]) is int and type(thu["Thực hiện"]) is int
    xd = table(sheet, 5)["Giá trị xây dựng cơ bản"]
    assert (xd["Thực hiện"].value, xd["Kế hoạch"].value) == (11.5, 21.5)
    assert xd["% KH"].value == pytest.approx(percent("11.5", "21.5"))  # 53,5 %
    assert xd["Nguồn kế hoạch"].value == "KH năm 2020"
    assert xd["Ước/Chính thức"].value == "Chính thức"
    assert xd["Kế hoạch 2"].value is None and xd["% KH 2"].value is None
    # Rolled up from the villages: 100 + 200 + 300, no plan of the commune's own.
    roads = table(sheet, 5)["Đường giao thông"]
    assert (roads["Thực hiện"].value, roads["Kế hoạch"].value) == (600, None)


def test_number_formats_show_the_vietnamese_way_in_a_vietnamese_locale(world):
    commune, *_ = world
    rows = table(workbook(commune)["Kết quả"], 5)
    thu, xd = rows["Thu ngân sách"], rows["Giá trị xây dựng cơ bản"]
    # Written the file format's way; Excel and LibreOffice show 15.511, 11,5 and 24,2%.
    assert thu["Kế hoạch"].number_format == "#,##0"
    assert thu["Thực hiện"].number_format == "#,##0"
    assert xd["Thực hiện"].number_format == "#,##0.0"
    assert thu["% KH"].number_format == "0.0%"
    assert thu["TT"].number_format == "0"
    assert thu["Chỉ tiêu"].alignment.wrap_text
    assert thu["Thực hiện"].font.name == "Times New Roman"


def test_columns_fit_their_text_and_a_long_name_wraps_onto_a_taller_row(world):
    commune, *_ = world
    name = "Số hộ gia đình sử dụng nước sạch đạt quy chuẩn theo quy định của Bộ Y tế"
    long = make_indicator("nuoc", name=name, unit="ho", group="Môi trường")
    record_result(unit=commune, indicator=long, period=H1, value="850")
    found = write_report(user=None, unit=commune, period=H1, fmt="xlsx", day=DAY)
    sheet = load_workbook(io.BytesIO(found.content))["Kết quả"]
    row = table(sheet, 5)[name]["Chỉ tiêu"].row
    width = sheet.column_dimensions["C"].width
    assert 30 < width <= 40  # up to its cap, then the name wraps
    assert sheet.row_dimensions[row].height == 32  # two lines of 16 points
    assert sheet.row_dimensions[row + 1].height is None  # one line: the sheet's default
    assert sheet.sheet_format.defaultRowHeight == 16
    # The file's default font is the one widths are counted in (a digit of Times New Roman).
    with zipfile.ZipFile(io.BytesIO(found.content)) as archive:
        styles = archive.read("xl/styles.xml").decode()
    first_font = styles.split("<font>", 1)[1].split("</font>", 1)[0]
    assert 'val="Times New Roman"' in first_font and 'val="12"' in first_font


def test_the_header_is_frozen_filtered_and_printed_on_every_page(world):
    commune, *_ = world
    book = workbook(commune)
    sheet = book["Kết quả"]
    assert sheet.freeze_panes == "A6"
    assert sheet.auto_filter.ref == "A5:M8"  # the header and three indicators
    assert sheet.print_title_rows == "$5:$5"
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (
        "landscape", 9, 1, 0,
    )  # fmt: skip
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_margins.left == pytest.approx(30 / 25.4)  # NĐ 30: 30 mm on the left
    assert sheet.oddHeader.left.text == "Xã Hà Linh"
    assert sheet.oddHeader.right.text == "6 tháng đầu năm 2020"
    assert sheet.oddFooter.center.text == "Trang &P/&N"
    trace = book["Nguồn số liệu"]
    assert (trace.freeze_panes, trace.print_title_rows) == ("A4", "$3:$3")
    assert trace.page_setup.orientation == "landscape"


def test_a_breakdown_sheet_lists_each_child_against_its_own_plan(world):
    commune, *_ = world
    book = workbook(commune)
    sheet = book[book.sheetnames[1]]
    assert sheet["A1"].value.endswith(". Đường giao thông (m)")
    assert [cell.value for cell in sheet[3]] == [
        "TT", "Đơn vị", "Thực hiện", "Ước/Chính thức", "Kế hoạch", "% KH",
    ]  # fmt: skip
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert rows == [
        [1, "Thôn 1", 100, "Chính thức", 200, pytest.approx(percent(100, 200))],
        [2, "Thôn 2", 200, "Chính thức", None, None],
        [3, "Thôn 3", 300, "Chính thức", None, None],
    ]
    assert sheet["F4"].number_format == "0.0%"
    assert (sheet.freeze_panes, sheet.print_title_rows) == ("A4", "$3:$3")
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.page_setup.fitToWidth == 1


def test_the_last_sheet_traces_each_figure_to_who_entered_it_when_and_in_which_report(world):
    commune, *_ = world
    sheet = workbook(commune)["Nguồn số liệu"]
    header = [cell.value for cell in sheet[3]]
    assert header == [
        "TT", "Chỉ tiêu", "Đơn vị nhập", "Kỳ", "Giá trị", "ĐVT", "Ước/Chính thức", "Người nhập",
        "Thời điểm nhập", "Cách nhập", "Báo cáo", "Ghi chú", "Đã duyệt",
    ]  # fmt: skip
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=4)]
    entries = {(row["Chỉ tiêu"].value, row["Đơn vị nhập"].value): row for row in rows}
    assert len(rows) == len(entries) == 5
    # In the table's order of indicators, the commune's own entries before its villages'.
    order = list(table(workbook(commune)["Kết quả"], 5))
    assert [order.index(row["Chỉ tiêu"].value) for row in rows] == sorted(
        order.index(row["Chỉ tiêu"].value) for row in rows
    )
    thu = entries["Thu ngân sách", "Xã Hà Linh"]
    xd = entries["Giá trị xây dựng cơ bản", "Xã Hà Linh"]
    first, second, third = (entries["Đường giao thông", f"Thôn {n}"] for n in (1, 2, 3))
    assert [cell.value for cell in thu.values()][1:8] == [
        "Thu ngân sách", "Xã Hà Linh", "6 tháng đầu năm 2020", 3750, "triệu đồng", "Ước",
        "Lan Nguyễn Thị",
    ]  # fmt: skip
    entered = Result.objects.get(unit=commune, indicator__code="thu", period="2020-H1").entered_at
    local = timezone.localtime(entered).replace(tzinfo=None)
    at = thu["Thời điểm nhập"]
    assert isinstance(at.value, dt.datetime)
    assert abs(at.value - local) < dt.timedelta(seconds=1)
    assert at.number_format == "dd/mm/yyyy hh:mm"
    assert (thu["Cách nhập"].value, thu["Báo cáo"].value) == ("Biểu mẫu web", None)
    assert xd["Giá trị"].value == 11.5 and xd["Giá trị"].number_format == "#,##0.0"
    # Through the villages' report form: who sent it, and where the report stands.
    assert [row["Người nhập"].value for row in (first, second, third)] == [
        "Văn Trưởng 1", "Văn Trưởng 2", "Văn Trưởng 3",
    ]  # fmt: skip
    assert [row["Báo cáo"].value for row in (first, second, third)] == [
        f"báo cáo «{FORM_NAME}» — đã duyệt",
        f"báo cáo «{FORM_NAME}» — đã gửi, chờ duyệt",
        f"báo cáo «{FORM_NAME}» — đang soạn",
    ]
    assert [row["Đã duyệt"].value for row in (first, second, third)] == [
        "Đã duyệt", "Chưa duyệt", "Chưa duyệt",
    ]  # fmt: skip
    assert first["Giá trị"].value == 100 and first["Kỳ"].value == "6 tháng đầu năm 2020"


def test_text_that_looks_like_a_formula_stays_text(world):
    commune, *_ = world
    sheet = workbook(commune)["Nguồn số liệu"]
    (note,) = [row[11] for row in sheet.iter_rows(min_row=4) if row[11].value]
    # Never run as a formula; a control character (refused by the file format) dropped.
    assert (note.value, note.data_type) == ("=HYPERLINK(1)", "s")


def test_a_report_without_figures_still_has_its_table_and_sources(world):
    *_, district = world
    quiet = make_unit("Điền Mỹ", UnitKind.COMMUNE, district, code="dm")
    found = write_report(user=None, unit=quiet, period=H1, fmt="xlsx", day=DAY)
    book = load_workbook(io.BytesIO(found.content))
    assert book.sheetnames == ["Kết quả", "Nguồn số liệu"]
    assert book["Kết quả"]["C6"].value == "Chưa có chỉ tiêu nào trong kỳ."
    assert book["Nguồn số liệu"]["B4"].value == "Không có số liệu nào được nhập cho kỳ này."


# --- sheet names ------------------------------------------------------------------------------


def test_a_name_of_31_characters_is_kept_and_one_of_32_is_cut():
    exact, longer = "x" * 31, "y" * 32
    kept, cut = sheet_names([exact, longer])
    assert kept == exact
    assert cut == "y" * 30 + "…" and len(cut) == 31


def test_a_long_vietnamese_name_is_cut_to_31_characters_readably():
    (name,) = sheet_names(["2. Thu ngân sách trên địa bàn theo kế hoạch huyện giao"])
    assert name == "2. Thu ngân sách trên địa bàn…"
    assert len(name) <= 31


def test_characters_a_sheet_name_cannot_hold_are_replaced():
    (name,) = sheet_names(["Tỷ lệ [hộ]: nước/điện\\rác*?"])
    assert name == "Tỷ lệ (hộ)- nước-điện-rác--"
    assert not set(name) & set("[]:*?/\\")


def test_names_that_collide_after_cutting_are_made_unique():
    stem = "Tỷ lệ hộ gia đình sử dụng nước sạch "
    names = sheet_names([stem + "hợp vệ sinh", stem + "theo quy chuẩn", stem + "đạt chuẩn"])
    assert names == [
        "Tỷ lệ hộ gia đình sử dụng nước…",
        "Tỷ lệ hộ gia đình sử dụng… (2)",
        "Tỷ lệ hộ gia đình sử dụng… (3)",
    ]
    assert all(len(name) <= 31 for name in names)


def test_names_are_unique_ignoring_case_and_apart_from_the_fixed_sheets():
    names = sheet_names(
        ["Kết quả", "kết QUẢ", "Nguồn số liệu", ""], taken=["Kết quả", "Nguồn số liệu"]
    )
    assert names == ["Kết quả (2)", "kết QUẢ (3)", "Nguồn số liệu (2)", "Trang"]


def test_names_are_written_composed():
    decomposed = "Tho\u0302n"  # "Thôn" with a combining circumflex
    assert sheet_names([decomposed]) == ["Thôn"]
