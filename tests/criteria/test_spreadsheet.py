"""A criteria set from a spreadsheet: the layout an officer types reads as the YAML pack does,
a written pack reads back the same, and a wrong sheet is refused naming sheet, row and column."""

import io
from dataclasses import replace
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from tests.criteria.packs import two_regions
from xaso.criteria.pack import PackError
from xaso.criteria.spreadsheet import MAX_BYTES, MAX_ROWS, read_pack_xlsx
from xaso.criteria.spreadsheet_out import write_pack_xlsx

# The test pack (tests/criteria/packs.py) as an officer would type it: signs for the tests,
# units as written, a Vietnamese decimal comma, "chưa có ngưỡng", the criterion number left
# empty under a merged cell, a header row on the first sheet and none needed on the second.
PACK_ROWS = [
    ["Khóa", "Giá trị", "Giải thích"],
    ["code", "thu-nghiem"],
    ["version", 1],
    ["name", "Bộ tiêu chí thử nghiệm"],
    ["short_name", "Thử nghiệm"],
    ["family", "ntm"],
    ["decision", "Quyết định số 1/QĐ-THU"],
    ["scope", "national"],
    ["applies_to", "commune"],
    ["years", "2021-2025"],
    ["grouping_label", "vùng"],
    ["groups", "BAC=Miền Bắc; NAM=Miền Nam"],
    ["confidence", "summary"],
]
HEADER = [
    "Số tiêu chí", "Tên tiêu chí", "Nhóm tiêu chí", "Mã chỉ tiêu", "Nội dung chỉ tiêu",
    "Phép so", "Đơn vị", "Ngưỡng chung", "Ngưỡng BAC", "Ngưỡng NAM", "Mã chỉ tiêu xaso",
    "Độ tin cậy", "Nguồn", "Ghi chú",
]  # fmt: skip
CRITERIA_ROWS = [
    HEADER,
    ["1", "Nước sạch", "I. Môi trường", "1.1", "Tỷ lệ hộ dùng nước sạch", "≥", "%", 85, None,
     "90,5", "thu-nuoc-sach"],
    [2, "Nghèo đa chiều", None, "2.1", "Tỷ lệ hộ nghèo đa chiều", "≤", "%", 5, "chưa có ngưỡng",
     None, "thu-ho-ngheo"],
    ["3", "Chợ nông thôn", None, "3.1", "Số chợ đạt chuẩn", "đạt", "công trình", None, None,
     None, "thu-cho"],
    ["4", "Hệ thống chính trị", None, None, None, None, None, None, None, None, None, None, None,
     "Chấm theo hồ sơ, không có số đo."],
]  # fmt: skip


def workbook(pack_rows=PACK_ROWS, criteria_rows=CRITERIA_ROWS, edit=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Bộ tiêu chí"
    for row in pack_rows:
        sheet.append(row)
    sheet = book.create_sheet("Tiêu chí")
    for row in criteria_rows:
        sheet.append(row)
    if edit:
        edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def refusal(data: bytes) -> PackError:
    with pytest.raises(PackError) as caught:
        read_pack_xlsx(data, file="tieu-chi.xlsx")
    return caught.value


def test_a_typed_sheet_reads_as_the_same_pack_as_the_yaml():
    pack = read_pack_xlsx(workbook(), file="tieu-chi.xlsx")
    assert pack == replace(two_regions(), file="tieu-chi.xlsx")
    water = pack.criteria[0].requirements[0]
    assert water.thresholds == {"all": Decimal("85"), "NAM": Decimal("90.5")}
    assert pack.criteria[1].requirements[0].thresholds == {"all": Decimal(5), "BAC": None}


def test_a_written_pack_reads_back_the_same(tmp_path):
    pack = two_regions()
    path = tmp_path / "thu.xlsx"
    write_pack_xlsx(pack, path)
    assert read_pack_xlsx(path) == replace(pack, file="thu.xlsx")
    # The file is the documented layout: the typed sheet's header and criterion rows.
    book = load_workbook(path)
    assert [c.value for c in book["Tiêu chí"][1]] == HEADER
    assert [c.value for c in book["Tiêu chí"][3]][:10] == [
        "2", "Nghèo đa chiều", None, "2.1", "Tỷ lệ hộ nghèo đa chiều", "≤", "%", 5,
        "chưa có ngưỡng", None,
    ]  # fmt: skip
    assert book["Bộ tiêu chí"]["B10"].value == "2021-2025"


def test_a_criterion_spans_consecutive_rows_and_keeps_its_own_row_apart():
    rows = [
        HEADER,
        ["1", "Nước sạch", None, None, None, None, None, None, None, None, None, "read", "QĐ 1"],
        ["1", "Nước sạch", None, "1.1", "Hộ dùng nước sạch", "at_least", "percent", "85,5"],
        [None, None, None, "1.2", "Hộ dùng nước máy", ">=", "%", None, 60, 70],
        ["2", "Chợ", None, "2.1", "Có chợ", "reached", None, None, None, None, None, None, None],
    ]
    pack = read_pack_xlsx(workbook(criteria_rows=rows))
    water, market = pack.criteria
    assert (water.number, water.confidence, water.source) == ("1", "read", "QĐ 1")
    assert [r.code for r in water.requirements] == ["1.1", "1.2"]
    assert water.requirements[0].thresholds == {"all": Decimal("85.5")}
    assert water.requirements[1].thresholds == {"BAC": 60, "NAM": 70}
    assert water.requirements[1].confidence == "read"  # the criterion's, given on its own row
    assert [r.code for r in market.requirements] == ["2.1"]


def test_vietnamese_numbers_and_percent_cells_are_read_as_shown():
    def edit(book):
        sheet = book["Tiêu chí"]
        sheet["H2"] = 0.855  # typed "85,5%" in Excel: stored 0.855, shown 85,5%
        sheet["H2"].number_format = "0.0%"
        sheet["J2"] = "1.234,5"
        sheet["H3"] = "7,25%"
        sheet["J3"] = "1.000"  # a thousand, written the Vietnamese way

    pack = read_pack_xlsx(workbook(edit=edit))
    assert pack.criteria[0].requirements[0].thresholds == {
        "all": Decimal("85.5"),
        "NAM": Decimal("1234.5"),
    }
    assert pack.criteria[1].requirements[0].thresholds == {
        "all": Decimal("7.25"),
        "BAC": None,
        "NAM": Decimal(1000),
    }


def test_a_wrong_cell_is_refused_naming_the_sheet_the_row_and_the_column():
    error = refusal(workbook(edit=lambda book: book["Tiêu chí"].__setitem__("J3", "8S")))
    assert (error.file, error.line, error.field) == (
        "tieu-chi.xlsx (trang Tiêu chí)",
        3,
        "Ngưỡng NAM (cột J)",
    )
    assert "‘8S’ không phải là số" in error.message
    assert str(error).startswith("tieu-chi.xlsx (trang Tiêu chí), dòng 3, trường Ngưỡng NAM")
    error = refusal(workbook(edit=lambda book: book["Tiêu chí"].__setitem__("F4", "lớn hơn")))
    assert (error.line, error.field) == (4, "Phép so (cột F)")
    assert "đạt, ≥, ≤, =" in error.message


def test_a_wrong_key_is_refused_on_the_first_sheet_with_its_row():
    def years(value):
        return lambda book: book["Bộ tiêu chí"].__setitem__("B10", value)

    error = refusal(workbook(edit=years("2025-2021")))
    assert (error.file, error.line, error.field) == (
        "tieu-chi.xlsx (trang Bộ tiêu chí)",
        10,
        "years",
    )
    assert error.message == "năm đầu 2025 sau năm cuối 2021."
    assert refusal(workbook(edit=years("từ 2021"))).field == "years"
    error = refusal(workbook(edit=lambda book: book["Bộ tiêu chí"].__setitem__("A6", "familly")))
    assert (error.line, error.field) == (6, "familly")
    error = refusal(workbook(edit=lambda b: b["Bộ tiêu chí"].__setitem__("B12", "BAC; NAM")))
    assert (error.line, error.field) == (12, "groups")


def test_a_sheet_out_of_shape_is_refused():
    error = refusal(workbook(criteria_rows=[[*HEADER, "Điểm"], CRITERIA_ROWS[1]]))
    assert (error.line, error.field) == (1, "cột O")
    error = refusal(workbook(criteria_rows=[HEADER, [*CRITERIA_ROWS[4], None, "ghi thêm"]]))
    assert (error.line, error.field) == (2, "cột P")
    two_own_rows = [HEADER, CRITERIA_ROWS[4], ["4", None, None, None, None, None, None, None]]
    two_own_rows[2] += [None] * 5 + ["lần hai"]
    error = refusal(workbook(criteria_rows=two_own_rows))
    assert (error.line, error.field) == (3, "Số tiêu chí (cột A)")
    renamed = [HEADER, CRITERIA_ROWS[1], ["1", "Nước", None, "1.2", "Khác", "đạt"]]
    error = refusal(workbook(criteria_rows=renamed))
    assert (error.line, error.field) == (3, "Tên tiêu chí (cột B)")
    no_sheet = workbook(edit=lambda book: book.remove(book["Tiêu chí"]))
    assert refusal(no_sheet).message.startswith("không có trang «Tiêu chí»")
    assert refusal(b"PK not really a workbook").message.startswith("không đọc được")


def test_too_many_rows_or_bytes_are_refused():
    def far_row(book):
        book["Tiêu chí"].cell(row=MAX_ROWS + 1, column=1, value="9")

    error = refusal(workbook(edit=far_row))
    assert (error.file, error.line) == ("tieu-chi.xlsx (trang Tiêu chí)", MAX_ROWS + 1)
    assert "quá 5.000 dòng" in error.message

    # Right at the limit is still read (and then refused for what it says, not its length).
    def last_row(book):
        book["Tiêu chí"].cell(row=MAX_ROWS, column=1, value="9")

    error = refusal(workbook(edit=last_row))
    assert (error.line, error.field) == (MAX_ROWS, "Tên tiêu chí (cột B)")
    big = io.BytesIO(b"x" * (MAX_BYTES + 1))
    big.name = "lon.xlsx"
    error = refusal(big)
    assert error.message == "tệp lớn quá 5 MB."
