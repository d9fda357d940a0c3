"""A unit's plan: documents, revisions that keep the original, stale edits, rights, audit."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import make_indicator, make_unit, make_user
from xaso.audit.models import AuditEntry, Entity
from xaso.figures.models import TargetSource
from xaso.figures.plans import find_target, record_plan_document, target_json, unit_plan
from xaso.figures.services import Seen, StaleTarget, set_target
from xaso.org.models import Role, UnitKind
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db

DISTRICT_PLAN = TargetSource.DISTRICT_PLAN


@pytest.fixture
def township():
    district = make_unit("Hương Khê", UnitKind.DISTRICT, code="hk")
    township = make_unit("Hương Khê", UnitKind.TOWNSHIP, district, code="hk-tt")
    revenue = make_indicator("thu-ngan-sach", unit="trieu_dong", name="Thu ngân sách")
    return district, township, revenue


def test_a_document_is_read_from_its_citation_once(township):
    _, unit, _ = township
    text = "Quyết định số 15/QĐ-UBND ngày 10/01/2020 của UBND huyện"
    document = record_plan_document(unit=unit, citation=text)
    assert (document.kind, document.number, document.issued_on, document.issuer) == (
        "decision",
        "15/QĐ-UBND",
        date(2020, 1, 10),
        "UBND huyện",
    )
    assert document.citation == text
    assert record_plan_document(unit=unit, citation=text) == document


def test_an_unreadable_citation_names_the_field(township):
    _, unit, _ = township
    with pytest.raises(ValidationError) as error:
        record_plan_document(unit=unit, citation="Tờ trình 3")
    assert "document" in error.value.message_dict


def test_a_revision_keeps_the_original_and_both_documents(township):
    _, unit, revenue = township
    first = record_plan_document(
        unit=unit, citation="Quyết định số 15/QĐ-UBND ngày 10/01/2020 của UBND huyện"
    )
    second = record_plan_document(
        unit=unit, citation="Quyết định số 820/QĐ-UBND ngày 15/07/2020 của UBND huyện"
    )
    set_target(
        unit=unit,
        indicator=revenue,
        period="2020",
        source=DISTRICT_PLAN,
        value="15.511",
        document=first,
    )
    target = set_target(
        unit=unit,
        indicator=revenue,
        period="2020",
        source=DISTRICT_PLAN,
        value="14.368",
        document=second,
        revision=True,
        reason="Điều chỉnh kế hoạch giữa năm",
    )
    assert (target.value, target.original_value) == (Decimal("14368"), Decimal("15511"))
    assert (target.document, target.original_document) == (second, first)
    assert target_json(target) == {
        "indicator": "thu-ngan-sach",
        "unit": "triệu đồng",
        "source": "district_plan",
        "value": 14368,
        "document": "Quyết định số 820/QĐ-UBND ngày 15/07/2020 của UBND huyện",
        "revised_from": 15511,
    }
    entry = AuditEntry.objects.filter(entity=Entity.TARGET).latest("pk")
    assert entry.old["value"] == "15511" and entry.new["value"] == "14368"
    assert entry.new["revision"] is True
    assert entry.new["document"] == second.citation
    assert entry.reason == "Điều chỉnh kế hoạch giữa năm"
    # A second revision keeps the plan as first set, not the first revision.
    target = set_target(
        unit=unit,
        indicator=revenue,
        period="2020",
        source=DISTRICT_PLAN,
        value="14.000",
        revision=True,
    )
    assert (target.value, target.original_value) == (Decimal("14000"), Decimal("15511"))


def test_a_correction_is_not_a_revision(township):
    _, unit, revenue = township
    set_target(unit=unit, indicator=revenue, period="2020", source=DISTRICT_PLAN, value="15.151")
    target = set_target(
        unit=unit, indicator=revenue, period="2020", source=DISTRICT_PLAN, value="15.511"
    )
    assert target.original_value is None
    assert target_json(target)["revised_from"] is None


def test_a_revision_to_the_same_value_is_refused(township):
    _, unit, revenue = township
    set_target(unit=unit, indicator=revenue, period="2020", source=DISTRICT_PLAN, value="10")
    with pytest.raises(ValidationError, match="không có gì để điều chỉnh"):
        set_target(
            unit=unit,
            indicator=revenue,
            period="2020",
            source=DISTRICT_PLAN,
            value="10",
            revision=True,
        )


def test_a_target_changed_since_it_was_seen_is_not_overwritten(township):
    _, unit, revenue = township
    set_target(unit=unit, indicator=revenue, period="2020", source=DISTRICT_PLAN, value="10")
    set_target(unit=unit, indicator=revenue, period="2020", source=DISTRICT_PLAN, value="12")
    with pytest.raises(StaleTarget, match="nay là 12"):
        set_target(
            unit=unit,
            indicator=revenue,
            period="2020",
            source=DISTRICT_PLAN,
            value="11",
            seen=Seen(Decimal(10)),
        )
    assert find_target(unit, revenue, parse_period("2020")).value == 12
    with pytest.raises(StaleTarget):
        set_target(
            unit=unit,
            indicator=revenue,
            period="2020",
            source=DISTRICT_PLAN,
            value="11",
            seen=Seen(None),
        )
    target = set_target(
        unit=unit,
        indicator=revenue,
        period="2020",
        source=DISTRICT_PLAN,
        value="11",
        seen=Seen(Decimal(12)),
    )
    assert target.value == 11


def test_a_document_of_another_unit_is_refused(township):
    district, unit, revenue = township
    document = record_plan_document(unit=district, citation="Quyết định số 1/QĐ-UBND")
    with pytest.raises(ValidationError, match="không thuộc kế hoạch"):
        set_target(
            unit=unit,
            indicator=revenue,
            period="2020",
            source=DISTRICT_PLAN,
            value="1",
            document=document,
        )


def test_only_managers_of_the_unit_or_above_set_targets(township):
    district, unit, revenue = township
    for role in (Role.VIEWER, Role.REPORTER):
        user = make_user(f"u-{role}", unit=unit, role=role)
        with pytest.raises(PermissionDenied):
            set_target(
                unit=unit,
                indicator=revenue,
                period="2020",
                source=DISTRICT_PLAN,
                value="1",
                user=user,
            )
        with pytest.raises(PermissionDenied):
            record_plan_document(unit=unit, citation="Quyết định số 1/QĐ-UBND", user=user)
    above = make_user("huyen", unit=district, role=Role.MANAGER)
    target = set_target(
        unit=unit, indicator=revenue, period="2020", source=DISTRICT_PLAN, value="1", user=above
    )
    assert target.set_by == above


def test_find_target_asks_for_a_source_when_several(township):
    _, unit, revenue = township
    year = parse_period("2020")
    with pytest.raises(ValidationError, match="Chưa có chỉ tiêu"):
        find_target(unit, revenue, year)
    for source, value in ((DISTRICT_PLAN, "15.511"), (TargetSource.COUNCIL_RESOLUTION, "16.477")):
        set_target(unit=unit, indicator=revenue, period="2020", source=source, value=value)
    with pytest.raises(ValidationError, match="nhiều nguồn"):
        find_target(unit, revenue, year)
    assert find_target(unit, revenue, year, DISTRICT_PLAN).value == 15511


def test_the_plan_shows_the_terms_targets_beside_the_years(township):
    _, unit, revenue = township
    income = make_indicator("thu-nhap", unit="trieu_dong", rollup="avg", name="Thu nhập")
    set_target(unit=unit, indicator=revenue, period="2022", source=DISTRICT_PLAN, value="9")
    set_target(unit=unit, indicator=revenue, period="2021", source=DISTRICT_PLAN, value="8")
    set_target(
        unit=unit,
        indicator=income,
        period="2020..2025",
        source=TargetSource.CONGRESS_RESOLUTION,
        value="60",
    )
    set_target(
        unit=unit,
        indicator=income,
        period="2015..2020",
        source=TargetSource.CONGRESS_RESOLUTION,
        value="40",
    )
    plan = unit_plan(unit, parse_period("2022"), [revenue, income])
    lines = {line.indicator.code: line for line in plan.lines}
    assert [t.value for t in lines["thu-ngan-sach"].targets] == [9]
    assert lines["thu-ngan-sach"].term_targets == []
    assert lines["thu-nhap"].targets == []
    assert [t.period for t in lines["thu-nhap"].term_targets] == ["2020..2025"]


def test_a_change_sent_twice_is_saved_once_and_not_called_stale(township):
    _, unit, revenue = township
    set_target(unit=unit, indicator=revenue, period="2020", source=DISTRICT_PLAN, value="10")
    for _ in range(2):
        target = set_target(
            unit=unit,
            indicator=revenue,
            period="2020",
            source=DISTRICT_PLAN,
            value="12",
            seen=Seen(Decimal(10)),
        )
    assert target.value == 12
    assert AuditEntry.objects.filter(entity=Entity.TARGET).count() == 2
