"""Criteria and campaign rankings read within a group ("xếp hạng trong khối thi đua số 2")."""

import datetime as dt
import re

import pytest

from tests.criteria.packs import two_regions
from tests.factories import make_indicator, make_user
from xaso.campaigns.services import GoalInput, create_campaign, launch_campaign
from xaso.criteria.loading import load_pack
from xaso.criteria.models import Criterion
from xaso.criteria.services import assess
from xaso.figures.services import record_result
from xaso.groups.services import group_save
from xaso.org.models import Role

pytestmark = pytest.mark.django_db
DAY = dt.date(2022, 11, 30)


@pytest.fixture
def bloc(district):
    district_unit, communes, _villages = district
    return group_save(
        owner=district_unit,
        code="khoi-2",
        name="Khối thi đua số 2",
        kind="emulation_bloc",
        members=[communes["xd"], communes["tt"], communes["np"]],
    )


def _rows(page: str) -> list[tuple[str, str]]:
    """(place, unit name) of each row of the ranking table, in order."""
    body = page[page.index("<tbody>") : page.index("</table>")]
    return re.findall(r'<td class="num">(\d+)</td><td><a [^>]*>([^<]+)</a>', body)


def test_the_criteria_matrix_within_a_bloc_ranks_its_members_with_shared_places(
    client, district, bloc
):
    district_unit, communes, _villages = district
    load_pack(two_regions())
    met = {"xd": ["3", "4"], "tt": ["3"], "np": ["3", "4"], "lc": ["3", "4"]}
    for code, numbers in met.items():
        for number in numbers:
            criterion = Criterion.objects.get(criteria_set__code="thu-nghiem", number=number)
            assess(unit=communes[code], criterion=criterion, on=DAY, status="met")
    client.force_login(make_user("huyen", unit=district_unit, role=Role.VIEWER))

    path = "/units/tx/criteria/thu-nghiem/matrix/?date=30/11/2022"
    page = client.get(f"{path}&nhom=khoi-2").content.decode()

    assert "xếp hạng trong khối thi đua Khối thi đua số 2" in page
    # Luận Thành (outside the bloc) is left out; Xuân Dương and Ngọc Phụng share the first place.
    assert _rows(page) == [("1", "Xã Xuân Dương"), ("1", "Xã Ngọc Phụng"), ("3", "Xã Thọ Thanh")]
    whole = client.get(path).content.decode()
    assert "Xã Luận Thành" in whole and '<option value="khoi-2">' in whole
    assert client.get(f"{path}&nhom=khong-co").status_code == 404


def test_a_campaign_ranking_within_a_bloc_numbers_its_members_again(client, district, bloc):
    district_unit, communes, _villages = district
    houses = make_indicator("nha", unit="nha")
    campaign = create_campaign(
        host=district_unit, code="thi-dua", name="Thi đua", start=dt.date(2022, 11, 1),
        end=dt.date(2022, 11, 30), cadence="daily", goals=[GoalInput(houses, 40)],
        participants=list(communes.values()),
    )  # fmt: skip
    launch_campaign(campaign)
    for code, done in [("lc", "10"), ("xd", "4"), ("tt", "8"), ("np", "2")]:
        record_result(
            unit=communes[code], indicator=houses, period="2022-11-10..2022-11-10", value=done
        )
    client.force_login(make_user("huyen", unit=district_unit, role=Role.VIEWER))

    page = client.get("/campaigns/thi-dua/?date=30/11/2022&nhom=khoi-2").content.decode()

    table = page[page.index("Xếp hạng thi đua trong khối thi đua Khối thi đua số 2") :]
    ranked = re.findall(
        r"<td class=\"num\"><strong>(\d+)</strong></td>\s*<td><strong>([^<]+)</strong>", table
    )
    # Each of the four communes was given 10 houses; Luận Thành (10/10) is not in the bloc.
    assert ranked == [("1", "Xã Thọ Thanh"), ("2", "Xã Xuân Dương"), ("3", "Xã Ngọc Phụng")]
