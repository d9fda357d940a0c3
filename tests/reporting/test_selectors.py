"""Who reports on a form, its periods, and completeness: on time, late, missing."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import make_unit
from xaso.org.models import UnitKind
from xaso.periods import parse_period
from xaso.reporting.definitions import define_form
from xaso.reporting.models import ReportForm
from xaso.reporting.selectors import (
    check_form_period,
    completeness,
    expected_units,
    form_periods,
    forms_for_unit,
)
from xaso.reporting.services import return_report, save_report, submit_report

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WEEK = parse_period("2022-W15")  # due Friday 15/4/2022 17:00


def send(cycle, village, at, monkeypatch):
    submission, _ = save_report(
        form=cycle.form, unit=village, period=WEEK, entries={cycle.fences: ("5", "final")}
    )
    monkeypatch.setattr(timezone, "now", lambda: at)
    return submit_report(submission=submission, version=submission.version)


def test_expected_units_are_the_villages_of_the_commune_only(cycle):
    assert [u.code for u in expected_units(cycle.form)] == ["tg-1", "tg-2", "tg-3"]


def test_completeness_on_time_late_and_missing(cycle, monkeypatch):
    first = send(cycle, cycle.villages[0], datetime(2022, 4, 15, 16, 59, tzinfo=VN), monkeypatch)
    send(cycle, cycle.villages[1], datetime(2022, 4, 16, 8, 0, tzinfo=VN), monkeypatch)
    # Returned and not yet sent again: it still counts as sent when it was first sent.
    return_report(submission=first, reason="Thiếu số liệu", version=first.version)
    save_report(form=cycle.form, unit=cycle.villages[2], period=WEEK, entries={})
    found = completeness(cycle.form, WEEK)
    assert found.deadline == datetime(2022, 4, 15, 17, 0, tzinfo=VN)
    assert [s.unit.code for s in found.on_time] == ["tg-1"]
    assert [s.unit.code for s in found.late] == ["tg-2"]
    assert [u.code for u in found.missing] == ["tg-3"]
    assert [s.unit.code for s in found.drafts] == ["tg-3"]
    assert (found.submitted, found.rate, found.timely_rate) == (2, 66.7, 33.3)


def test_an_empty_form_has_no_rate(cycle):
    form = define_form(
        code="trong",
        name="Biểu không ai báo cáo",
        reviewer=cycle.commune,
        period_type="month",
        deadline_rule="next-month:5",
        indicators=[(cycle.fences, "")],
        reporter_kind=UnitKind.HOUSEHOLD_GROUP,
    )
    found = completeness(form, parse_period("2022-04"))
    assert (found.expected, found.rate, found.timely_rate) == ([], None, None)


def test_periods_of_a_campaign_form_stay_within_its_days(cycle):
    form = define_form(
        code="chien-dich",
        name="Báo cáo ngày của đợt thi đua",
        reviewer=cycle.commune,
        period_type="day",
        deadline_rule="after:0d@20:00",
        indicators=[(cycle.fences, "")],
        reporter_kind=UnitKind.VILLAGE,
        span=(date(2022, 4, 15), date(2022, 4, 17)),
    )
    periods = form_periods(form, until=date(2022, 6, 1), count=10)
    assert [p.code for p in periods] == [
        "2022-04-17..2022-04-17",
        "2022-04-16..2022-04-16",
        "2022-04-15..2022-04-15",
    ]
    with pytest.raises(ValidationError, match="ngoài đợt báo cáo 15/04/2022–17/04/2022"):
        check_form_period(form, parse_period("2022-04-18..2022-04-18"))
    with pytest.raises(ValidationError, match="không phải kỳ của biểu này"):
        check_form_period(form, parse_period("2022-04-15..2022-04-16"))


def test_weekly_periods_back_from_a_day(cycle):
    periods = form_periods(cycle.form, until=date(2022, 4, 13), count=3)
    assert [p.code for p in periods] == ["2022-W15", "2022-W14", "2022-W13"]


def test_forms_for_a_unit_are_those_it_reports_on_or_reviews(cycle):
    listed = define_form(
        code="rieng",
        name="Biểu của một thôn",
        reviewer=cycle.commune,
        period_type="month",
        deadline_rule="next-month:5",
        indicators=[(cycle.fences, "")],
        reporter_units=[cycle.villages[2]],
    )
    assert forms_for_unit(cycle.villages[0]) == [cycle.form]
    assert set(forms_for_unit(cycle.villages[2])) == {cycle.form, listed}
    assert set(forms_for_unit(cycle.commune)) == {cycle.form, listed}
    assert forms_for_unit(cycle.other_commune) == []
    ReportForm.objects.filter(code="rieng").update(active=False)
    assert forms_for_unit(cycle.villages[2]) == [cycle.form]


def test_a_form_refuses_reporters_outside_its_reviewer_and_bad_rules(cycle):
    outsider = make_unit("Thôn X", UnitKind.VILLAGE, cycle.other_commune, code="hl-x")
    base = {
        "code": "sai",
        "name": "Sai",
        "reviewer": cycle.commune,
        "period_type": "month",
        "indicators": [(cycle.fences, "")],
    }
    with pytest.raises(ValidationError, match="Không thuộc Xã Trang Giang: Thôn Thôn X"):
        define_form(**base, deadline_rule="next-month:5", reporter_units=[outsider])
    with pytest.raises(ValidationError, match="Không hiểu hạn nộp"):
        define_form(**base, deadline_rule="thứ sáu")
    with pytest.raises(ValidationError, match="Biểu thức"):
        define_form(**base, deadline_rule="next-month:5", rules=[("so_ho <", "x", "error")])
    assert not ReportForm.objects.filter(code="sai").exists()
