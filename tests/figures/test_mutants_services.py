"""The write services' limits from both sides, with hand-computed values.

Written against the mutants `make mutants` found alive in xaso.figures.services
(docs/testing.md, "Mutation testing"): the 10¹⁸ value limit raised, the six decimals moved,
the stale-write comparison loosened.
"""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.audit.models import AuditEntry
from xaso.figures.models import Result, ResultChange, ResultStatus, Target, TargetSource
from xaso.figures.services import (
    Clash,
    Seen,
    StaleWrite,
    delete_result,
    delete_target,
    record_result,
    set_target,
    to_indicator_unit,
)
from xaso.org.models import Role

TOO_BIG = "Số quá lớn hoặc quá nhiều chữ số thập phân."


def refused(indicator, value, field="value") -> list[str]:
    with pytest.raises(ValidationError) as caught:
        to_indicator_unit(indicator, value, field=field)
    return caught.value.message_dict[field]


@pytest.fixture
def metres(db):
    return make_indicator("len", unit="m")


# ---- to_indicator_unit: below 10¹⁸, at most six decimals, not negative -------------------


def test_the_largest_value_below_ten_to_the_eighteen_is_accepted(metres):
    assert to_indicator_unit(metres, "999.999.999.999.999.999") == D(10**18 - 1)
    assert to_indicator_unit(metres, D(10**18 - 1)) == D(10**18 - 1)
    assert to_indicator_unit(metres, D("999999999999999999.999999")) == D(
        "999999999999999999.999999"
    )


def test_ten_to_the_eighteen_is_refused(metres):
    assert refused(metres, "1.000.000.000.000.000.000") == [TOO_BIG]
    assert refused(metres, D(10**18)) == [TOO_BIG]
    assert refused(metres, D(10**29)) == [TOO_BIG]  # far below any other limit


def test_a_converted_value_is_held_to_the_limit_too(metres):
    assert to_indicator_unit(metres, "999.999.999.999.999 km") == D(999999999999999000)
    assert refused(metres, "1.000.000.000.000.000 km") == [TOO_BIG]


def test_six_decimals_are_accepted_and_seven_refused(metres):
    assert to_indicator_unit(metres, "0,000001") == D("0.000001")
    assert to_indicator_unit(metres, D("0.000001")) == D("0.000001")
    assert to_indicator_unit(metres, "1,5000000") == D("1.5000000")  # trailing zeros: fine
    assert refused(metres, "0,0000001") == [TOO_BIG]
    assert refused(metres, D("0.0000001")) == [TOO_BIG]
    kilometres = make_indicator("far", unit="km")
    assert to_indicator_unit(kilometres, "0,001 m") == D("0.000001")
    assert refused(kilometres, "0,0015 m") == [TOO_BIG]  # 0.0000015 km


def test_zero_is_accepted_and_negatives_refused(metres):
    assert to_indicator_unit(metres, "0") == D(0)
    assert to_indicator_unit(metres, D(0)) == D(0)
    assert refused(metres, D("-0.000001")) == ["Không được nhập số âm."]
    assert refused(metres, "-1") == ["Không được nhập số âm."]


def test_errors_are_keyed_by_the_field_asked(metres):
    assert refused(metres, "abc", field="target") == ["‘abc’ không phải là số."]
    assert refused(metres, D(10**18), field="target") == [TOO_BIG]
    assert refused(metres, "5 kg", field="target") == [
        "Không thể đổi từ ‘kg’ sang ‘m’ vì hai đơn vị khác loại."
    ]


def test_a_value_in_the_indicators_own_unit_is_kept_as_written(metres):
    assert to_indicator_unit(metres, "1,80 m") == D("1.80")
    assert to_indicator_unit(metres, "1,8km") == D(1800)
    assert to_indicator_unit(metres, " 3.750 ") == D(3750)


# ---- Seen and StaleWrite ----------------------------------------------------------------


def test_seen_matches_only_the_same_value_and_status():
    nothing = Seen(None)
    final = Seen(D(5), ResultStatus.FINAL)
    assert nothing.matches(None, "") and nothing.matches(None, ResultStatus.FINAL)
    assert not nothing.matches(D(0), ResultStatus.FINAL)
    assert not final.matches(None, "")
    assert final.matches(D("5.0"), "final")
    assert not final.matches(D(5), ResultStatus.ESTIMATED)
    assert not final.matches(D(6), ResultStatus.FINAL)
    assert Seen.of(None) == Seen(None, "")


def test_a_stale_write_names_the_indicators(db):
    first, second = make_indicator("a", name="Lúa"), make_indicator("b", name="Ngô")
    clashes = [
        Clash(first, Seen(None), None, D(1), "final"),
        Clash(second, Seen(D(2)), None, D(3), "final"),
    ]
    error = StaleWrite(clashes)
    assert error.clashes == clashes
    assert str(error) == "Số liệu đã được người khác thay đổi trong lúc bạn nhập: Lúa, Ngô."


# ---- record_result and delete_result ------------------------------------------------------


def test_a_write_over_a_figure_changed_since_seen_is_refused(db):
    _, _, commune, _ = make_commune_tree()
    indicator = make_indicator("x", unit="m")
    first = record_result(unit=commune, indicator=indicator, period="2022-11", value="5")
    assert Seen.of(first) == Seen(D(5), "final")
    with pytest.raises(StaleWrite) as caught, transaction.atomic():
        record_result(
            unit=commune, indicator=indicator, period="2022-11", value="7", seen=Seen(D(4), "final")
        )
    (clash,) = caught.value.clashes
    assert (clash.seen, clash.current.value, clash.yours, clash.your_status) == (
        Seen(D(4), "final"),
        D(5),
        D(7),
        "final",
    )
    record_result(
        unit=commune, indicator=indicator, period="2022-11", value="7", seen=Seen(D(5), "final")
    )
    assert Result.objects.get(unit=commune, indicator=indicator).value == D(7)
    changes = list(ResultChange.objects.order_by("pk").values_list("old_value", "new_value"))
    assert changes == [(None, D(5)), (D(5), D(7))]


def test_recording_the_stored_value_again_changes_nothing(db):
    _, _, commune, _ = make_commune_tree()
    indicator = make_indicator("x", unit="m")
    record_result(unit=commune, indicator=indicator, period="2022-11", value="5")
    again = record_result(
        unit=commune, indicator=indicator, period="2022-11", value="5,0", seen=Seen(D(1))
    )
    assert again.value == D(5)
    assert ResultChange.objects.count() == 1
    record_result(
        unit=commune, indicator=indicator, period="2022-11", value="5", status="estimated"
    )
    assert ResultChange.objects.count() == 2
    assert Result.objects.get(unit=commune, indicator=indicator).status == "estimated"


def test_a_bad_status_or_period_is_refused(db):
    _, _, commune, _ = make_commune_tree()
    indicator = make_indicator("x", unit="m")
    with pytest.raises(ValidationError) as caught:
        record_result(unit=commune, indicator=indicator, period="2022-11", value="5", status="x")
    assert caught.value.message_dict == {"status": ["Tình trạng ‘x’ không hợp lệ."]}
    with pytest.raises(ValidationError) as caught:
        record_result(unit=commune, indicator=indicator, period="2022-13", value="5")
    assert list(caught.value.message_dict) == ["period"]
    assert not Result.objects.exists()


def test_deleting_a_figure_is_recorded_and_deleting_nothing_is_false(db):
    _, _, commune, _ = make_commune_tree()
    indicator = make_indicator("x", unit="m")
    assert delete_result(unit=commune, indicator=indicator, period="2022-11") is False
    record_result(
        unit=commune, indicator=indicator, period="2022-11", value="5", status="estimated"
    )
    assert delete_result(unit=commune, indicator=indicator, period="2022-11") is True
    assert not Result.objects.exists()
    last = ResultChange.objects.order_by("-pk").first()
    assert (last.old_value, last.new_value, last.old_status, last.new_status) == (
        D(5),
        None,
        "estimated",
        "",
    )


# ---- what a write stores ------------------------------------------------------------------


def test_a_result_stores_its_period_its_writer_and_what_was_typed(db):
    _, _, commune, _ = make_commune_tree()
    indicator = make_indicator("x", unit="m")
    officer = make_user("officer", unit=commune)
    decomposed = "ghi chu\u0301"  # "ghi chú" typed with a combining accent
    result = record_result(
        unit=commune,
        indicator=indicator,
        period="2022-Q4",
        value=" 1,8km ",
        status="estimated",
        user=officer,
        channel="import",
        note=decomposed,
    )
    stored = Result.objects.get(pk=result.pk)
    assert (stored.period, stored.period_kind) == ("2022-Q4", "quarter")
    assert (stored.period_start, stored.period_end) == (date(2022, 10, 1), date(2022, 12, 31))
    assert (stored.unit_path, stored.unit_depth) == (commune.path, 3)
    assert (stored.value, stored.status, stored.entered_by, stored.channel) == (
        D(1800),
        "estimated",
        officer,
        "import",
    )
    assert stored.note == "ghi chú" and len(stored.note) == 7  # composed: one ú
    change = ResultChange.objects.get()
    assert (change.written_as, change.old_value, change.new_value) == ("1,8km", None, D(1800))
    assert (change.old_status, change.new_status, change.changed_by, change.channel) == (
        "",
        "estimated",
        officer,
        "import",
    )
    assert change.period == "2022-Q4"


def test_a_correction_keeps_the_note_unless_given_a_new_one(db):
    _, _, commune, _ = make_commune_tree()
    indicator = make_indicator("x", unit="m")
    record_result(unit=commune, indicator=indicator, period="2022", value="1", note="đầu")
    record_result(unit=commune, indicator=indicator, period="2022", value=D(2))
    assert Result.objects.get().note == "đầu"
    record_result(unit=commune, indicator=indicator, period="2022", value="3", note="sau")
    assert Result.objects.get().note == "sau"
    changes = list(ResultChange.objects.order_by("pk").values_list("written_as", "old_value"))
    assert changes == [("1", None), ("", D(1)), ("3", D(2))]


# ---- targets ------------------------------------------------------------------------------


def target_audit():
    return list(
        AuditEntry.objects.filter(entity="target")
        .order_by("pk")
        .values_list("action", "old", "new", "period", "channel", "reason")
    )


def test_setting_a_target_stores_it_and_audits_each_change_once(db):
    _, district, commune, _ = make_commune_tree()
    rice = make_indicator("lua", unit="tan")
    manager = make_user("manager", unit=district, role=Role.MANAGER)
    target = set_target(
        unit=commune,
        indicator=rice,
        period="2023-H1",
        source=TargetSource.ANNUAL_PLAN,
        value="1.200",
        user=manager,
        reason="giao",
    )
    stored = Target.objects.get(pk=target.pk)
    assert (stored.period, stored.period_kind, stored.value, stored.set_by) == (
        "2023-H1",
        "half",
        D(1200),
        manager,
    )
    assert (stored.period_start, stored.period_end) == (date(2023, 1, 1), date(2023, 6, 30))
    again = set_target(
        unit=commune, indicator=rice, period="2023-H1", source="annual_plan", value="1200"
    )
    assert again.pk == target.pk
    set_target(
        unit=commune,
        indicator=rice,
        period="2023-H1",
        source="annual_plan",
        value="1200",
        note="QĐ 5",
        channel="cli",
    )
    new = {"source": "annual_plan", "value": "1200", "note": ""}
    assert target_audit() == [
        ("create", None, new, "2023-H1", "form", "giao"),
        ("update", new, {**new, "note": "QĐ 5"}, "2023-H1", "cli", ""),
    ]


def test_a_target_from_another_source_is_another_target(db):
    _, _, commune, _ = make_commune_tree()
    rice = make_indicator("lua", unit="tan")
    set_target(unit=commune, indicator=rice, period="2023", source="annual_plan", value="5")
    set_target(unit=commune, indicator=rice, period="2023", source="district_plan", value="6")
    assert sorted(Target.objects.values_list("source", "value")) == [
        ("annual_plan", D(5)),
        ("district_plan", D(6)),
    ]


def test_a_target_with_a_bad_source_or_by_a_non_manager_is_refused(db):
    _, _, commune, _ = make_commune_tree()
    rice = make_indicator("lua", unit="tan")
    reporter = make_user("reporter", unit=commune, role=Role.REPORTER)
    with pytest.raises(ValidationError) as caught:
        set_target(unit=commune, indicator=rice, period="2023", source="x", value="5")
    assert caught.value.message_dict == {"source": ["Nguồn chỉ tiêu ‘x’ không hợp lệ."]}
    with pytest.raises(PermissionDenied):
        set_target(
            unit=commune,
            indicator=rice,
            period="2023",
            source="annual_plan",
            value="5",
            user=reporter,
        )
    with pytest.raises(ValidationError) as caught:
        set_target(unit=commune, indicator=rice, period="2023", source="annual_plan", value="-5")
    assert caught.value.message_dict == {"value": ["Không được nhập số âm."]}
    with pytest.raises(PermissionDenied):
        delete_target(
            unit=commune, indicator=rice, period="2023", source="annual_plan", user=reporter
        )
    assert not Target.objects.exists() and target_audit() == []


def test_deleting_a_target_is_audited_once(db):
    _, _, commune, _ = make_commune_tree()
    rice = make_indicator("lua", unit="tan")
    manager = make_user("manager", unit=commune, role=Role.MANAGER)
    assert not delete_target(unit=commune, indicator=rice, period="2023", source="annual_plan")
    target = set_target(
        unit=commune, indicator=rice, period="2023", source="annual_plan", value="7", note="n"
    )
    assert delete_target(
        unit=commune,
        indicator=rice,
        period="2023",
        source="annual_plan",
        user=manager,
        channel="cli",
        reason="nhầm",
    )
    assert not Target.objects.exists()
    assert target_audit()[-1] == (
        "delete",
        {"source": "annual_plan", "value": "7", "note": "n"},
        None,
        "2023",
        "cli",
        "nhầm",
    )
    entry = AuditEntry.objects.filter(entity="target").order_by("pk").last()
    assert (entry.object_id, entry.changed_by, entry.indicator_id) == (target.pk, manager, rice.pk)


def test_a_new_result_keeps_the_channel_and_time_given_not_the_columns_defaults(db):
    _, _, commune, _ = make_commune_tree()
    indicator = make_indicator("x", unit="m")
    record_result(unit=commune, indicator=indicator, period="2022", value="1", channel="cli")
    stored, change = Result.objects.get(), ResultChange.objects.get()
    assert stored.channel == "cli"  # the column's default is "import"
    assert stored.entered_at == change.changed_at  # one moment for both, not the database's


def test_what_was_typed_is_kept_to_a_hundred_characters(db):
    _, _, commune, _ = make_commune_tree()
    indicator = make_indicator("x", unit="m")
    typed = "5" + " " * 150 + "m"  # 152 characters, under the reader's 200
    assert record_result(unit=commune, indicator=indicator, period="2022", value=typed).value == 5
    assert ResultChange.objects.get().written_as == "5" + " " * 99
