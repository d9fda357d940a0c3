"""A sheet-sized batch writes its audit entries in one statement (issue 20): each entry holds
the unit, indicator, period, old and new value and status, what was typed, the reason, who,
when and by which channel — on SQLite through the ORM, on PostgreSQL from arrays."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_indicator, make_unit
from xaso.figures.batch import Write, write_results
from xaso.figures.models import ResultChange
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
