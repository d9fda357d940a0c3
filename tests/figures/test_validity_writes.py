"""No figure is written for a unit for a period it did not exist in (issue 22): today's Xã Hà
Linh (from 01/07/2025) takes nothing for 2022, the old Điền Mỹ (to 30/06/2025) nothing for
2026 — through every path (record_result, the entry sheet, an import, the API); the unit
page offers no sheet for such a period and the sheet says why."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.api.conftest import Api
from tests.factories import make_indicator, make_unit, make_user
from xaso.api.tokens import create_token
from xaso.exchange.values import RowError, ValueRow, import_values
from xaso.figures.models import Result, ResultChange
from xaso.figures.services import enter_unit_figures, record_result
from xaso.org.models import Lineage, OrgUnit, Role, UnitKind

pytestmark = pytest.mark.django_db

NEW_BEFORE = (
    "Kỳ báo cáo: Xã Hà Linh chỉ có từ ngày 01/07/2025; số liệu {} thuộc các đơn vị cũ "
    "(Xã Hà Linh, Xã Điền Mỹ)."
)
OLD_AFTER = (
    "Kỳ báo cáo: Xã Điền Mỹ chỉ có đến ngày 30/06/2025; số liệu {} thuộc đơn vị mới (Xã Hà Linh)."
)


@pytest.fixture
def reform():
    """Old Hà Linh (a) and Điền Mỹ (b), to 30/06/2025, merged into today's Hà Linh (n)."""
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="42")
    district = make_unit("Hương Khê", UnitKind.DISTRICT, province, code="hk")
    old_a = make_unit("Hà Linh", UnitKind.COMMUNE, district, code="a")
    old_b = make_unit("Điền Mỹ", UnitKind.COMMUNE, district, code="b")
    new = make_unit("Hà Linh", UnitKind.COMMUNE, province, code="n")
    OrgUnit.objects.filter(code__in=["hk", "a", "b"]).update(valid_to=dt.date(2025, 6, 30))
    OrgUnit.objects.filter(code="n").update(valid_from=dt.date(2025, 7, 1))
    for old in (old_a, old_b):
        Lineage.objects.create(
            predecessor=old, successor=new, kind="merge", date=dt.date(2025, 7, 1)
        )
    make_indicator("road", name="Đường giao thông", unit="m")
    return {code: OrgUnit.objects.get(code=code) for code in ("a", "b", "n")}


def _record(unit, period, value="120"):
    from xaso.catalog.models import Indicator

    return record_result(
        unit=unit, indicator=Indicator.objects.get(code="road"), period=period, value=value
    )


# --- the rule, through record_result --------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "label"),
    [
        ("2022-11", "tháng 11/2022"),
        ("2025-06", "tháng 6/2025"),  # ends on 30/06, the day before
        ("2024", "năm 2024"),
        ("2025-06-30..2025-06-30", "từ 30/06/2025 đến 30/06/2025"),  # the last day before
    ],
)
def test_a_new_unit_refuses_a_period_that_ends_before_it_began(reform, period, label):
    with pytest.raises(ValidationError) as refused:
        _record(reform["n"], period)

    assert refused.value.message_dict == {"period": [NEW_BEFORE.format(label)]}
    assert not Result.objects.exists() and not ResultChange.objects.exists()


@pytest.mark.parametrize(
    "period", ["2025-07", "2025", "2025-07-01..2025-07-01", "2025-06-15..2025-07-15", "2026-01"]
)
def test_a_new_unit_takes_a_period_that_overlaps_its_validity(reform, period):
    result = _record(reform["n"], period, "75")

    assert (result.unit.code, result.value) == ("n", Decimal(75))


@pytest.mark.parametrize(
    ("period", "label"),
    [
        ("2025-07", "tháng 7/2025"),  # starts on 01/07, the day after
        ("2026", "năm 2026"),
        ("2025-07-01..2025-07-01", "từ 01/07/2025 đến 01/07/2025"),  # the first day after
    ],
)
def test_an_old_unit_refuses_a_period_that_starts_after_it_ended(reform, period, label):
    with pytest.raises(ValidationError) as refused:
        _record(reform["b"], period)

    assert refused.value.message_dict == {"period": [OLD_AFTER.format(label)]}
    assert not Result.objects.exists()


@pytest.mark.parametrize("period", ["2025-06", "2025", "2025-06-30..2025-06-30", "2022-11"])
def test_an_old_unit_takes_a_period_that_overlaps_its_validity(reform, period):
    assert _record(reform["b"], period, "40").value == Decimal(40)


def test_a_unit_without_predecessors_or_successors_says_so(reform):
    lone = make_unit("Hương Bình", UnitKind.COMMUNE, OrgUnit.objects.get(code="42"), code="m")
    OrgUnit.objects.filter(code="m").update(valid_from=dt.date(2025, 7, 1))
    lone.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        _record(lone, "2022-11")

    assert refused.value.message_dict == {
        "period": [
            "Kỳ báo cáo: Xã Hương Bình chỉ có từ ngày 01/07/2025; không nhập được số liệu "
            "tháng 11/2022 cho đơn vị này."
        ]
    }


def test_a_value_already_stored_before_the_rule_is_not_written_again_either(reform):
    """A figure typed in for the new commune's 2022 before writes were checked stays as it
    is (nothing here deletes), and sending it again is refused, not counted unchanged."""
    from xaso.catalog.models import Indicator

    Result.objects.create(
        unit=reform["n"], unit_path=reform["n"].path, unit_depth=reform["n"].depth,
        indicator=Indicator.objects.get(code="road"), period="2022-11", period_kind="month",
        period_start=dt.date(2022, 11, 1), period_end=dt.date(2022, 11, 30), value=Decimal(9),
    )  # fmt: skip

    with pytest.raises(ValidationError):
        _record(reform["n"], "2022-11", "9")
    assert list(Result.objects.values_list("value", flat=True)) == [Decimal(9)]


# --- the entry sheet and the unit page ------------------------------------------------------


@pytest.fixture
def officer(reform):
    """A reporter of the province: may record for the old communes and the new one."""
    client = Client()
    client.force_login(make_user("tinh", unit=OrgUnit.objects.get(code="42"), role=Role.REPORTER))
    return client


def _has_entry_link(html: str, code: str, period: str) -> bool:
    return f'href="/units/{code}/entry/?period={period}"' in html


@pytest.mark.parametrize(
    ("code", "period", "offered"),
    [("n", "2022-11", False), ("n", "2025-06", False), ("n", "2025-07", True), ("n", "2025", True),
     ("b", "2025-06", True), ("b", "2025", True), ("b", "2025-07", False), ("b", "2026", False)],
)  # fmt: skip
def test_the_unit_page_offers_the_sheet_only_for_a_period_the_unit_existed_in(
    officer, code, period, offered
):
    html = officer.get(f"/units/{code}/?period={period}").content.decode()

    assert _has_entry_link(html, code, period) is offered
    assert ("Không nhập số liệu cho kỳ này." in html) is not offered


def test_the_unit_page_says_why_there_is_no_sheet(officer):
    html = officer.get("/units/n/?period=2022-11").content.decode()

    assert NEW_BEFORE.format("tháng 11/2022") in html
    # The kept spreadsheet (its own periods) is still offered to whoever records.
    assert 'href="/units/n/spreadsheet/"' in html


def test_a_reader_sees_neither_the_sheet_nor_the_reason(reform):
    client = Client()
    client.force_login(make_user("xem", unit=reform["n"], role=Role.VIEWER))
    html = client.get("/units/n/?period=2022-11").content.decode()

    assert "Nhập số liệu" not in html and "Không nhập số liệu cho kỳ này." not in html


def test_the_sheet_for_such_a_period_says_why_instead_of_boxes(officer):
    response = officer.get("/units/n/entry/?period=2022-11")

    html = response.content.decode()
    assert response.status_code == 200
    assert NEW_BEFORE.format("tháng 11/2022") in html
    assert not re.findall(r'name="v_', html) and "Lưu số liệu" not in html
    assert 'href="/units/n/?period=2022-11"' in html
    # Its first month has boxes.
    assert 'name="v_road"' in officer.get("/units/n/entry/?period=2025-07&all=1").content.decode()


def test_a_sheet_sent_for_such_a_period_comes_back_as_typed_with_the_reason(officer):
    response = officer.post(
        "/units/b/entry/?period=2025-07",
        {"period": "2025-07", "v_road": "1.135", "s_road": "final"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert OLD_AFTER.format("tháng 7/2025") in html
    assert re.search(r'name="v_road"[^>]*value="1.135"|value="1.135"[^>]*name="v_road"', html)
    assert not Result.objects.exists()


def test_the_sheet_service_refuses_it_too(reform):
    from xaso.catalog.models import Indicator

    road = Indicator.objects.get(code="road")
    with pytest.raises(ValidationError) as refused:
        enter_unit_figures(unit=reform["n"], period="2024", entries={road: ("5", "final")})

    assert refused.value.message_dict == {"period": [NEW_BEFORE.format("năm 2024")]}
    assert not Result.objects.exists()


# --- import and API -------------------------------------------------------------------------


def test_an_import_with_one_such_row_stores_nothing_and_names_the_row(reform):
    rows = [
        ValueRow(2, "a", "road", "2022-11", "100"),  # the old commune then: fine alone
        ValueRow(3, "n", "road", "2025-07", "50"),  # the new one in its first month: fine
        ValueRow(4, "n", "road", "2022-11", "150"),  # the new one before it existed
    ]
    report = import_values(rows)

    assert report.errors == [RowError(4, "period", NEW_BEFORE.format("tháng 11/2022"))]
    assert report.stored == 0
    assert not Result.objects.exists()
    assert import_values(rows[:2]).stored == 2  # without it, the same rows are stored


def test_an_import_names_the_period_of_such_a_row_and_the_value_of_a_wrong_number(reform):
    rows = [
        ValueRow(2, "n", "road", "2025-07", "mười"),  # a wrong number: the value
        ValueRow(3, "b", "road", "2026-01", "50"),  # the old commune after it ended: the period
    ]
    report = import_values(rows)

    assert [(error.row, error.field) for error in report.errors] == [(2, "value"), (3, "period")]
    assert report.errors[1].message == OLD_AFTER.format("tháng 1/2026")
    assert report.errors[0].message.startswith("Đường giao thông: ")
    assert report.stored == 0 and not Result.objects.exists()


def test_the_api_refuses_it_with_the_message(reform):
    user = make_user("api", unit=OrgUnit.objects.get(code="42"), role=Role.REPORTER)
    _, secret = create_token(user=user, name="bảng tính")
    api = Api(secret)
    row = {"unit": "n", "indicator": "road", "period": "2022-11", "value": "7"}

    response = api.post("/api/results", row, key="k-1")

    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "message": NEW_BEFORE.format("tháng 11/2022"),
            "field": "period",
            "code": "validation",
        }
    }
    batch = api.post("/api/results/batch", {"rows": [row]}, key="k-2").json()
    assert batch["errors"] == [
        {"row": 1, "field": "period", "message": NEW_BEFORE.format("tháng 11/2022")}
    ]
    wrong = api.post(
        "/api/results/batch", {"rows": [{**row, "period": "2025-07", "value": "bảy"}]}, key="k-4"
    ).json()
    assert [(error["row"], error["field"]) for error in wrong["errors"]] == [(1, "value")]
    assert not Result.objects.exists()
    ok = api.post("/api/results", {**row, "period": "2025-07"}, key="k-3")
    assert (ok.status_code, ok.json()["value"]) == (200, "7")
