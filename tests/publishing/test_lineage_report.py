"""The report of a commune formed in 2025, for a period before it existed: its figures and
plans came from its predecessors, and the DOCX and XLSX say so (#22)."""

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.factories import make_indicator
from tests.figures.test_lineage_figures import reform  # noqa: F401 (the fixture)
from xaso.figures.services import record_result, set_target
from xaso.periods import parse_period
from xaso.publishing.contents import report_contents
from xaso.publishing.reports import write_report

pytestmark = pytest.mark.django_db
YEAR = parse_period("2022")
DAY = dt.date(2023, 1, 10)


@pytest.fixture
def revenue(reform):  # noqa: F811
    indicator = make_indicator("thu", name="Thu ngân sách", unit="trieu_dong", group="Kinh tế")
    for code, value in {"a": "1000", "b": "600"}.items():
        record_result(unit=reform[code], indicator=indicator, period=YEAR, value=value)
    for code, value in {"a": "2000", "b": "2000"}.items():
        set_target(
            unit=reform[code], indicator=indicator, period=YEAR, source="district_plan",
            value=value,
        )  # fmt: skip
    return indicator


def test_the_report_says_where_the_figure_and_the_plan_came_from(reform, revenue):  # noqa: F811
    [row] = report_contents(reform["n"], YEAR, day=DAY).rows

    assert (row.value, row.plan.value, row.percent) == (1600, 4000, 40)  # 1.600 of 4.000
    assert row.source.startswith("Tính từ 2 xã cũ: Hà Linh, Điền Mỹ")
    assert (
        row.plan.document == "tính từ 2 xã cũ: Hà Linh, Điền Mỹ (Phúc Đồng không có kế hoạch này; "
        "mức đạt tính trên số của Hà Linh, Điền Mỹ)"
    )

    docx = write_report(user=None, unit=reform["n"], period=YEAR, fmt="docx", day=DAY).content
    document = Document(io.BytesIO(docx))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for r in table.rows for cell in r.cells
    )
    assert "Tính từ 2 xã cũ: Hà Linh, Điền Mỹ" in text

    xlsx = write_report(user=None, unit=reform["n"], period=YEAR, fmt="xlsx", day=DAY).content
    cells = [
        str(c.value)
        for sheet in load_workbook(io.BytesIO(xlsx)).worksheets
        for r in sheet.iter_rows()
        for c in r
        if c.value is not None
    ]
    assert any("tính từ 2 xã cũ: Hà Linh, Điền Mỹ" in cell for cell in cells)


def test_an_old_communes_report_has_no_lineage_note(reform, revenue):  # noqa: F811
    [row] = report_contents(reform["a"], YEAR, day=DAY).rows
    assert (row.value, row.plan.value) == (1000, 2000)
    assert "tính từ" not in row.source.lower() and row.plan.document == ""
