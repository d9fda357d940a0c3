"""Writes of results and targets: parsing, unit conversion, validation, audit, all-or-nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.figures.models import Result, ResultChange, ResultStatus, Target, TargetSource
from xaso.figures.services import SheetSaved, enter_unit_figures, record_result, set_target
from xaso.org.models import Role

pytestmark = pytest.mark.django_db

NOV = "2022-11"


def stored(unit, indicator, period=NOV) -> Result:
    return Result.objects.get(unit=unit, indicator=indicator, period=period)


# --- record_result: reading what officers type -------------------------------------------


@pytest.mark.parametrize(
    ("indicator_unit", "typed", "expected"),
    [
        ("m", "1,8km", Decimal(1800)),
        ("ty_dong", "15.511 triệu đồng", Decimal("15.511")),
        ("trieu_dong", "3.750", Decimal(3750)),
        ("trieu_dong", "2 tỷ đồng", Decimal(2000)),
        ("km", "500 m", Decimal("0.5")),
        ("m2", "1,5 ha", Decimal(15000)),
    ],
)
def test_it_converts_what_is_typed_into_the_indicators_own_unit(indicator_unit, typed, expected):
    _, _, commune, _ = make_commune_tree()
    indicator = make_indicator("x", unit=indicator_unit)

    result = record_result(unit=commune, indicator=indicator, period=NOV, value=typed)

    assert result.value == expected
    assert stored(commune, indicator).value == expected


def test_a_bare_number_is_taken_to_be_in_the_indicators_unit_already():
    _, _, commune, _ = make_commune_tree()
    road = make_indicator("duong", unit="km")

    record_result(unit=commune, indicator=road, period=NOV, value="1,8")

    assert stored(commune, road).value == Decimal("1.8")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "‘abc’ không phải là số."),
        ("-5", "Không được nhập số âm."),
        ("5 tấn", "Không thể đổi từ ‘tấn’ sang ‘m’ vì hai đơn vị khác loại."),
        ("5 quả", "Không nhận ra đơn vị ‘quả’."),
        ("0,0000001", "Số quá lớn hoặc quá nhiều chữ số thập phân."),
    ],
)
def test_it_rejects_what_it_cannot_read_with_a_vietnamese_message_on_value(typed, message):
    _, _, commune, _ = make_commune_tree()
    fence = make_indicator("rao", unit="m")

    with pytest.raises(ValidationError) as caught:
        record_result(unit=commune, indicator=fence, period=NOV, value=typed)

    assert caught.value.message_dict == {"value": [message]}
    assert Result.objects.count() == 0
    assert ResultChange.objects.count() == 0


def test_it_rejects_a_negative_decimal_passed_by_code():
    _, _, commune, _ = make_commune_tree()
    fence = make_indicator("rao", unit="m")

    with pytest.raises(ValidationError) as caught:
        record_result(unit=commune, indicator=fence, period=NOV, value=Decimal("-5"))

    assert caught.value.message_dict == {"value": ["Không được nhập số âm."]}
    assert Result.objects.count() == 0


def test_it_rejects_an_unknown_status_and_a_bad_period():
    _, _, commune, _ = make_commune_tree()
    fence = make_indicator("rao", unit="m")

    with pytest.raises(ValidationError) as bad_status:
        record_result(unit=commune, indicator=fence, period=NOV, value="5", status="guessed")
    with pytest.raises(ValidationError) as bad_period:
        record_result(unit=commune, indicator=fence, period="2022-13", value="5")

    assert list(bad_status.value.message_dict) == ["status"]
    assert list(bad_period.value.message_dict) == ["period"]
    assert "‘2022-13’: tháng phải từ 1 đến 12" in bad_period.value.message_dict["period"][0]
    assert Result.objects.count() == 0


# --- record_result: the audit trail --------------------------------------------------------


def test_each_write_leaves_an_audit_entry_with_old_and_new_value_and_who_wrote_it():
    _, _, commune, _ = make_commune_tree()
    road = make_indicator("duong", unit="m")
    officer = make_user("officer", unit=commune)
    clerk = make_user("clerk", unit=commune)

    record_result(unit=commune, indicator=road, period=NOV, value="1,8km", user=officer)
    record_result(unit=commune, indicator=road, period=NOV, value="2.000 m", user=clerk)

    first, second = ResultChange.objects.order_by("pk")
    assert (first.old_value, first.new_value) == (None, Decimal(1800))
    assert (first.old_status, first.new_status) == ("", ResultStatus.FINAL)
    assert first.written_as == "1,8km"
    assert first.changed_by == officer
    assert (first.unit, first.indicator, first.period) == (commune, road, NOV)
    assert (second.old_value, second.new_value) == (Decimal(1800), Decimal(2000))
    assert second.written_as == "2.000 m"
    assert second.changed_by == clerk
    result = stored(commune, road)
    assert result.value == Decimal(2000)
    assert result.entered_by == clerk


def test_recording_the_same_value_and_status_twice_writes_no_second_audit_entry():
    _, _, commune, _ = make_commune_tree()
    road = make_indicator("duong", unit="m")

    record_result(unit=commune, indicator=road, period=NOV, value="1,8km")
    record_result(unit=commune, indicator=road, period=NOV, value="1.800")

    assert ResultChange.objects.count() == 1
    assert Result.objects.count() == 1


def test_turning_an_estimate_into_a_final_figure_changes_the_status_and_is_audited():
    _, _, commune, _ = make_commune_tree()
    money = make_indicator("thu", unit="trieu_dong")

    record_result(
        unit=commune, indicator=money, period=NOV, value="3.750", status=ResultStatus.ESTIMATED
    )
    record_result(unit=commune, indicator=money, period=NOV, value="3.750")

    assert stored(commune, money).status == ResultStatus.FINAL
    last = ResultChange.objects.order_by("pk").last()
    assert (last.old_status, last.new_status) == (ResultStatus.ESTIMATED, ResultStatus.FINAL)
    assert last.old_value == last.new_value == Decimal(3750)
    assert ResultChange.objects.count() == 2


# --- set_target ---------------------------------------------------------------------------


def test_targets_from_several_sources_coexist_for_one_unit_indicator_and_period():
    _, _, commune, _ = make_commune_tree()
    money = make_indicator("thu", unit="trieu_dong")

    set_target(
        unit=commune,
        indicator=money,
        period="2020",
        source=TargetSource.DISTRICT_PLAN,
        value="15.511",
    )
    set_target(
        unit=commune,
        indicator=money,
        period="2020",
        source=TargetSource.COUNCIL_RESOLUTION,
        value="16.477 triệu đồng",
    )

    values = dict(Target.objects.values_list("source", "value"))
    assert values == {
        TargetSource.DISTRICT_PLAN: Decimal(15511),
        TargetSource.COUNCIL_RESOLUTION: Decimal(16477),
    }


def test_setting_a_target_again_from_the_same_source_updates_it_in_place():
    _, _, commune, _ = make_commune_tree()
    money = make_indicator("thu", unit="trieu_dong")
    officer = make_user("officer", unit=commune, role=Role.MANAGER)  # targets: managers only

    first = set_target(
        unit=commune,
        indicator=money,
        period="2020",
        source=TargetSource.DISTRICT_PLAN,
        value="15.511",
    )
    second = set_target(
        unit=commune,
        indicator=money,
        period="2020",
        source=TargetSource.DISTRICT_PLAN,
        value="16 tỷ đồng",
        user=officer,
    )

    assert second.pk == first.pk
    assert Target.objects.count() == 1
    target = Target.objects.get()
    assert target.value == Decimal(16000)
    assert target.set_by == officer
    assert (target.period, target.period_kind) == ("2020", "year")


def test_set_target_rejects_an_unknown_source_and_a_negative_value():
    _, _, commune, _ = make_commune_tree()
    money = make_indicator("thu", unit="trieu_dong")

    with pytest.raises(ValidationError) as bad_source:
        set_target(unit=commune, indicator=money, period="2020", source="rumour", value="1")
    with pytest.raises(ValidationError) as negative:
        set_target(
            unit=commune, indicator=money, period="2020", source=TargetSource.CAMPAIGN, value="-1"
        )

    assert list(bad_source.value.message_dict) == ["source"]
    assert negative.value.message_dict == {"value": ["Không được nhập số âm."]}
    assert Target.objects.count() == 0


# --- enter_unit_figures: the data-entry sheet ----------------------------------------------


def test_one_bad_value_on_the_sheet_saves_nothing_and_names_the_bad_indicator():
    _, _, commune, _ = make_commune_tree()
    trees = make_indicator("cay", unit="cay")
    road = make_indicator("duong", unit="km")
    fence = make_indicator("rao", unit="m")

    with pytest.raises(ValidationError) as caught:
        enter_unit_figures(
            unit=commune,
            period=NOV,
            entries={
                trees: ("215", ResultStatus.FINAL),
                road: ("1,8 tấn", ResultStatus.FINAL),
                fence: ("500m", ResultStatus.ESTIMATED),
            },
        )

    assert caught.value.message_dict == {
        "duong": ["Không thể đổi từ ‘tấn’ sang ‘km’ vì hai đơn vị khác loại."]
    }
    assert Result.objects.count() == 0
    assert ResultChange.objects.count() == 0


def test_every_bad_value_on_the_sheet_is_reported_at_once():
    _, _, commune, _ = make_commune_tree()
    trees = make_indicator("cay", unit="cay")
    fence = make_indicator("rao", unit="m")

    with pytest.raises(ValidationError) as caught:
        enter_unit_figures(
            unit=commune,
            period=NOV,
            entries={trees: ("abc", ResultStatus.FINAL), fence: ("-3", ResultStatus.FINAL)},
        )

    assert caught.value.message_dict == {
        "cay": ["‘abc’ không phải là số."],
        "rao": ["Không được nhập số âm."],
    }
    assert Result.objects.count() == 0


def test_a_good_sheet_is_saved_in_the_indicators_units_by_the_user():
    _, _, commune, _ = make_commune_tree()
    trees = make_indicator("cay", unit="cay")
    road = make_indicator("duong", unit="km")
    officer = make_user("officer", unit=commune)

    changed = enter_unit_figures(
        unit=commune,
        period=NOV,
        entries={trees: ("215", ResultStatus.FINAL), road: ("1.800 m", ResultStatus.ESTIMATED)},
        user=officer,
    )

    assert changed == SheetSaved(saved=2, deleted=0)
    assert stored(commune, trees).value == Decimal(215)
    assert stored(commune, road).value == Decimal("1.8")
    assert stored(commune, road).status == ResultStatus.ESTIMATED
    assert stored(commune, road).entered_by == officer
    assert ResultChange.objects.filter(changed_by=officer).count() == 2


def test_an_emptied_value_deletes_only_the_units_own_result_and_counts_as_a_change():
    _, _, commune, villages = make_commune_tree()
    trees = make_indicator("cay", unit="cay")
    road = make_indicator("duong", unit="km")
    fence = make_indicator("rao", unit="m")
    record_result(unit=commune, indicator=trees, period=NOV, value="215")
    record_result(unit=commune, indicator=road, period=NOV, value="1,8")
    record_result(unit=villages[0], indicator=trees, period=NOV, value="70")

    changed = enter_unit_figures(
        unit=commune,
        period=NOV,
        entries={
            trees: ("  ", ResultStatus.FINAL),  # emptied: the commune's 215 goes
            road: ("1,8", ResultStatus.FINAL),  # unchanged: not counted
            fence: ("", ResultStatus.FINAL),  # was empty, stays empty: not counted
        },
    )

    assert changed == SheetSaved(saved=0, deleted=1)
    assert not Result.objects.filter(unit=commune, indicator=trees).exists()
    assert stored(villages[0], trees).value == Decimal(70)
    assert stored(commune, road).value == Decimal("1.8")
    deletion = ResultChange.objects.order_by("pk").last()
    assert (deletion.unit, deletion.old_value, deletion.new_value) == (commune, Decimal(215), None)


def test_a_bad_status_on_the_sheet_is_reported_against_its_indicator_and_saves_nothing():
    _, _, commune, _ = make_commune_tree()
    trees = make_indicator("cay", unit="cay")
    fence = make_indicator("rao", unit="m")

    with pytest.raises(ValidationError) as caught:
        enter_unit_figures(
            unit=commune,
            period=NOV,
            entries={trees: ("215", ResultStatus.FINAL), fence: ("500", "guessed")},
        )

    assert Result.objects.count() == 0
    # The docstring promises errors keyed by indicator code, so the form can put the
    # message next to the right row.
    assert list(caught.value.message_dict) == ["rao"]


def test_a_status_change_alone_counts_as_a_change_on_the_sheet():
    _, _, commune, _ = make_commune_tree()
    trees = make_indicator("cay", unit="cay")
    record_result(unit=commune, indicator=trees, period=NOV, value="215", status="estimated")

    changed = enter_unit_figures(
        unit=commune, period=NOV, entries={trees: ("215", ResultStatus.FINAL)}
    )

    assert changed == SheetSaved(saved=1, deleted=0)
    assert stored(commune, trees).status == ResultStatus.FINAL


def test_an_approved_figure_changes_only_as_a_correction_with_its_reason():
    from django.db import transaction

    from xaso.figures.services import delete_result

    _, _, commune, villages = make_commune_tree()
    trees = make_indicator("cay-xanh", unit="cay")
    record_result(unit=villages[0], indicator=trees, period="2022-11", value="10")
    Result.objects.update(approved=True)  # what approving the report does
    # Each refused write in its own transaction, as a request's would be.
    refused = pytest.raises(ValidationError, match="đã được duyệt: muốn sửa phải ghi lý do")
    with refused, transaction.atomic():
        record_result(unit=villages[0], indicator=trees, period="2022-11", value="12")
    with pytest.raises(ValidationError, match="đã được duyệt"), transaction.atomic():
        delete_result(unit=villages[0], indicator=trees, period="2022-11")
    with pytest.raises(ValidationError) as error:
        enter_unit_figures(unit=villages[0], period="2022-11", entries={trees: ("12", "final")})
    assert list(error.value.message_dict) == ["cay-xanh"]
    # The same value again is no change, approved or not.
    record_result(unit=villages[0], indicator=trees, period="2022-11", value="10")
    saved = enter_unit_figures(
        unit=villages[0],
        period="2022-11",
        entries={trees: ("12", "final")},
        correction="Thôn báo nhầm, đã kiểm tra lại",
    )
    assert saved.saved == 1
    result = Result.objects.get()
    assert (result.value, result.approved) == (12, True)
    change = ResultChange.objects.latest("pk")
    assert (change.old_value, change.new_value) == (10, 12)
    assert change.reason == "Thôn báo nhầm, đã kiểm tra lại"
    assert delete_result(
        unit=villages[0], indicator=trees, period="2022-11", correction="Trùng với thôn khác"
    )
    assert ResultChange.objects.latest("pk").reason == "Trùng với thôn khác"


def test_a_period_may_be_written_as_officers_write_it():
    _, _, commune, villages = make_commune_tree()
    trees = make_indicator("cay-ky", unit="cay")
    result = record_result(unit=villages[0], indicator=trees, period="tháng 11/2022", value="5")
    assert (result.period, result.period_kind) == ("2022-11", "month")
    with pytest.raises(ValidationError) as error:
        record_result(unit=villages[0], indicator=trees, period="quý V/2022", value="5")
    assert "quý phải từ I đến IV" in error.value.message_dict["period"][0]
