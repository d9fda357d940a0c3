"""The demo's groups (data/groups.toml): report 003's cluster with its meeting, and Hương Khê's
two emulation blocs splitting the district's communes and township."""

import pytest
from django.db import transaction

from xaso.demo.groups import load_groups
from xaso.demo.loader import load_demo
from xaso.groups.figures import group_figures
from xaso.groups.selectors import partition
from xaso.meetings.models import Meeting
from xaso.org.models import GroupSet, UnitGroup
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def test_the_central_cluster_and_its_meeting_of_21_june_2022():
    cluster = UnitGroup.objects.get(code="38.thuong-xuan.cum-trung-tam")
    assert [unit.full_name for unit in cluster.members.order_by("path")] == [
        "Xã Xuân Dương",
        "Xã Thọ Thanh",
        "Xã Ngọc Phụng",
        "Thị trấn Thường Xuân",
    ]
    meeting = Meeting.objects.get(group=cluster)
    assert (meeting.date.isoformat(), meeting.host.code) == ("2022-06-21", "38.thuong-xuan")
    for directive in meeting.directives.all():
        assert directive.assigned_to.count() == 4


def test_huong_khes_blocs_split_its_communes_and_township_exactly():
    blocs = GroupSet.objects.get(code="42.huong-khe.khoi-thi-dua")
    check = partition(blocs, 2022)
    assert check.exclusive and check.units == 6


def test_a_bloc_ranks_its_members_by_the_years_green_fences():
    bloc = UnitGroup.objects.get(code="42.huong-khe.khoi-2")
    line = group_figures(bloc, parse_period("2022-06"), None).line("hang-rao-xanh")
    values = [place.cell.figure.value for place in line.ranking]
    assert len(values) == 3 and values == sorted(values, reverse=True)
    assert line.total.value == sum(values)


def test_loading_the_groups_again_changes_nothing():
    before = list(UnitGroup.objects.values_list("code", "name", "kind"))
    assert load_groups() == 3
    assert list(UnitGroup.objects.values_list("code", "name", "kind")) == before


def test_todays_ha_linh_shows_the_2022_figures_of_its_two_predecessors():
    from decimal import Decimal

    from xaso.figures.models import Result
    from xaso.figures.selectors import unit_overview
    from xaso.org.models import OrgUnit

    today = OrgUnit.objects.get(code="18502")
    overview = unit_overview(today, parse_period("2022-06"))
    line = next(line for line in overview.lines if line.indicator.code == "hang-rao-xanh")
    old = ["42.huong-khe.ha-linh", "42.huong-khe.dien-my"]
    # The oracle: the villages' own results of the two old communes, summed in SQL terms.
    entered = Result.objects.filter(
        unit__path__regex="^(" + "|".join(OrgUnit.objects.get(code=c).path for c in old) + ")",
        indicator__code="hang-rao-xanh",
        period="2022-06",
    )
    assert line.figure.value == sum((r.value for r in entered), Decimal(0))
    assert line.via.words == "tính từ 2 xã cũ: Hà Linh, Điền Mỹ"
