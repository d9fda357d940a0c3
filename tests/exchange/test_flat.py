"""The flat figures table: numbers as each format writes them, status labels, bad files."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from tests.factories import make_commune_tree, make_indicator
from xaso.exchange.dhis2 import Figure
from xaso.exchange.flat import HEAD, FlatError, read_csv, read_xlsx, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures():
    make_commune_tree()
    make_indicator("thu-ns", name="Thu ngân sách", unit="trieu_dong")
    return [
        Figure("hl-1", "thu-ns", "2022-11", Decimal("3750.5"), "final"),
        Figure("hl-2", "thu-ns", "2022-11", Decimal("12000"), "estimated"),
    ]


def test_csv_writes_machine_numbers_and_reads_them_back(figures):
    text = write_csv(figures)
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[0] == HEAD
    assert lines[1] == ["hl-1", "1", "thu-ns", "Thu ngân sách", "triệu đồng", "2022-11",
                        "3750.5", "Chính thức"]  # fmt: skip
    assert lines[2][6:] == ["12000", "Ước đạt"]
    rows = read_csv(text.encode("utf-8"))
    assert [(r.row, r.unit, r.value, r.status) for r in rows] == [
        (2, "hl-1", Decimal("3750.5"), "final"),
        (3, "hl-2", Decimal("12000"), "estimated"),
    ]


def test_xlsx_keeps_numbers_and_reads_vietnamese_text(figures):
    rows = read_xlsx(write_xlsx(figures))
    assert [(r.unit, r.value, r.status) for r in rows] == [
        ("hl-1", Decimal("3750.5"), "final"),
        ("hl-2", Decimal("12000"), "estimated"),
    ]
    book = Workbook()
    book.active.append(HEAD)
    book.active.append(["hl-1", "", "thu-ns", "", "", "2022-11", "3.750,5", "ước đạt"])
    out = io.BytesIO()
    book.save(out)
    [row] = read_xlsx(out.getvalue())
    assert (row.value, row.status) == ("3.750,5", "estimated")  # read as written, later


def test_files_that_are_not_a_flat_table_are_named():
    with pytest.raises(FlatError, match="Dòng đầu của bảng phải là: Mã đơn vị"):
        read_csv(b"a,b,c\n1,2,3\n")
    with pytest.raises(FlatError, match="UTF-8"):
        read_csv(",".join(HEAD).encode("cp1258", "replace") + b"\xff")
    with pytest.raises(FlatError, match="không phải tệp Excel"):
        read_xlsx(b"not a zip")
