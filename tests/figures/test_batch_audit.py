"""A sheet-sized batch writes its audit entries in one statement (issue 20): each entry holds
the unit, indicator, period, old and new value and status, what was typed, the reason, who,
when and by which channel — on SQLite through the ORM, on PostgreSQL from arrays."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_indicator, make_unit
from xaso.figures import batch
from xaso.figures.batch import Write, write_results
from xaso.figures.models import Result, ResultChange
from xaso.org.models import UnitKind
from xaso.periods import parse_period


def test_a_sheet_audits_each_value_once_with_all_it_says(db):
    commune = make_unit("Xã", UnitKind.COMMUNE, code="C")
    village = make_unit("Thôn", UnitKind.VILLAGE, commune, code="V")
    road = make_indicator("road", name="Đường", unit="km")
    homes = make_indicator("homes", name="Hộ", unit="ho")
    user = get_user_model().objects.create_user("thon-truong")
    may = parse_period("2024-05")
    first = [
        Write(village, road, may, Decimal("1.5"), "estimated", "1,5 km"),
        Write(village, homes, may, Decimal(12), "final", "12"),
    ]
    assert write_results(first, user=user, channel="form").saved == 2
    again = [
        Write(village, road, may, Decimal("1.75"), "final", "1,75"),
        Write(village, homes, may, Decimal(12), "final", "12"),  # unchanged: no entry
    ]
    with CaptureQueriesContext(connection) as captured:
        assert write_results(again, user=None, channel="api", correction="Sửa").saved == 1
    assert sum("figures_resultchange" in q["sql"] for q in captured.captured_queries) == 1
    rows = [
        (c.unit_id, c.indicator_id, c.period, c.old_value, c.new_value, c.old_status,
         c.new_status, c.written_as, c.reason, c.changed_by_id, c.channel)
        for c in ResultChange.objects.order_by("id")
    ]  # fmt: skip
    assert rows == [
        (village.pk, road.pk, "2024-05", None, Decimal("1.5"), "", "estimated", "1,5 km", "",
         user.pk, "form"),
        (village.pk, homes.pk, "2024-05", None, Decimal(12), "", "final", "12", "", user.pk,
         "form"),
        (village.pk, road.pk, "2024-05", Decimal("1.5"), Decimal("1.75"), "estimated", "final",
         "1,75", "Sửa", None, "api"),
    ]  # fmt: skip
    assert all(c.changed_at is not None for c in ResultChange.objects.all())


# What a user may type, sent to PostgreSQL inside array literals (`batch._array`): quotes,
# backslashes, braces, commas, the word NULL, spaces at the ends, nothing at all.
AWKWARD = ['1,5 "km"', "C:\\số\\", "{2,3}", "NULL", " 7 ", "", 'a\\"b', "Hộ nghèo; ‘mới’"]


@pytest.mark.parametrize("large", [False, True])  # Django's cursor, or bound on the server
def test_text_typed_anyhow_comes_back_as_typed(db, large, monkeypatch):
    monkeypatch.setattr(batch, "_LARGE", 1 if large else 10**9)
    commune = make_unit("Xã", UnitKind.COMMUNE, code="C")
    village = make_unit("Thôn", UnitKind.VILLAGE, commune, code="V")
    indicators = [make_indicator(f"i{n}", unit="km") for n in range(len(AWKWARD))]
    may = parse_period("2024-05")
    writes = [
        Write(village, indicator, may, Decimal(n), "final", text, note=text)
        for n, (indicator, text) in enumerate(zip(indicators, AWKWARD, strict=True))
    ]
    assert write_results(writes).saved == len(AWKWARD)
    audit = ResultChange.objects.order_by("indicator_id").values_list("written_as", flat=True)
    notes = Result.objects.order_by("indicator_id").values_list("note", flat=True)
    assert list(audit) == AWKWARD
    assert list(notes) == AWKWARD
