"""A participant reports on the campaign's form for itself only (issue 17), and what it
reports counts in the standing."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import make_commune_tree, make_indicator, make_unit, make_user
from xaso.campaigns.selectors import standings
from xaso.campaigns.services import GoalInput, create_campaign, launch_campaign
from xaso.org.models import Role, UnitKind
from xaso.periods import parse_period
from xaso.reporting.services import save_report, submit_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    _, _, commune, villages = make_commune_tree()
    fences = make_indicator("rao", name="Hàng rào xanh", unit="m")
    campaign = create_campaign(
        host=commune, code="cd", name="Cao điểm", start=dt.date(2022, 4, 15),
        end=dt.date(2022, 5, 30), cadence="daily", goals=[GoalInput(fences, D("300"))],
        participants=villages[:2],
    )  # fmt: skip
    return launch_campaign(campaign), commune, villages, fences


def test_a_village_reports_its_own_day_and_it_counts(world):
    campaign, _, villages, fences = world
    head = make_user("truong-thon-1", unit=villages[0], role=Role.REPORTER)
    day = parse_period("2022-04-16..2022-04-16")
    submission, _ = save_report(
        form=campaign.form, unit=villages[0], period=day, entries={fences: ("120,5", "final")},
        user=head,
    )  # fmt: skip
    submit_report(submission=submission, user=head)
    # 120,5 m written the Vietnamese way, of the village's 150 m share: 80,3 %.
    assert {r.unit: r.score for r in standings(campaign)}["Thôn 1"] == D("80.3")


def test_a_village_may_not_report_for_another(world):
    campaign, _, villages, fences = world
    head = make_user("truong-thon-1", unit=villages[0], role=Role.REPORTER)
    day = parse_period("2022-04-16..2022-04-16")
    with pytest.raises(PermissionDenied):
        save_report(
            form=campaign.form, unit=villages[1], period=day, entries={fences: ("10", "final")},
            user=head,
        )  # fmt: skip
    assert {r.unit: r.score for r in standings(campaign)}["Thôn 2"] == D("0")


def test_a_unit_outside_the_campaign_has_no_form_to_report_on(world):
    campaign, commune, villages, fences = world
    day = parse_period("2022-04-16..2022-04-16")
    with pytest.raises(ValidationError) as refused:
        save_report(form=campaign.form, unit=villages[2], period=day, entries={})
    assert "không báo cáo theo biểu" in " ".join(refused.value.message_dict["unit"])
    other = make_unit("Nhóm hộ", UnitKind.HOUSEHOLD_GROUP, villages[0], code="hl-1-g")
    with pytest.raises(ValidationError):
        save_report(form=campaign.form, unit=other, period=day, entries={})


def test_a_mass_organisation_beside_the_villages_reports_and_counts():
    _, _, commune, villages = make_commune_tree()
    fences = make_indicator("rao", name="Hàng rào xanh", unit="m")
    women = make_unit("Phụ nữ", UnitKind.WOMENS_UNION, commune, code="hl-pn")
    campaign = create_campaign(
        host=commune, code="cd", name="Cao điểm", start=dt.date(2022, 4, 15),
        end=dt.date(2022, 5, 30), cadence="daily", goals=[GoalInput(fences, D("300"))],
        participants=[villages[0], women],
    )  # fmt: skip
    campaign = launch_campaign(campaign)  # 150 m each
    chair = make_user("chu-tich-hoi", unit=women, role=Role.REPORTER)
    day = parse_period("2022-04-16..2022-04-16")
    submission, _ = save_report(
        form=campaign.form, unit=women, period=day, entries={fences: ("30", "final")}, user=chair
    )
    submit_report(submission=submission, user=chair)
    with pytest.raises(PermissionDenied):
        save_report(
            form=campaign.form, unit=villages[0], period=day, entries={fences: ("1", "final")},
            user=chair,
        )  # fmt: skip
    # 30 m of 150: 20 %.
    assert {r.unit: r.score for r in standings(campaign)} == {
        "Hội Phụ nữ Phụ nữ": D("20.0"),
        "Thôn 1": D("0.0"),
    }
