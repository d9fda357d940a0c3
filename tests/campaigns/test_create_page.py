"""The page that creates and launches a campaign (issue 17), through the Django test client:
a manager of the host creates and launches; others are refused and nothing is saved; bad
input comes back with everything typed and the error beside its field; the same form sent
twice creates one campaign; a draft's "Phát động"."""

import re

import pytest

from tests.factories import make_commune_tree, make_indicator, make_unit, make_user
from xaso.campaigns.models import Campaign, CampaignStatus
from xaso.figures.models import Target
from xaso.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db

NEW = "/units/hl/campaigns/new/"


@pytest.fixture
def world():
    _, district, commune, villages = make_commune_tree()
    group = make_unit("Liên gia 1", UnitKind.HOUSEHOLD_GROUP, villages[0], code="hl-1-1")
    make_unit("Vườn ông Ba", UnitKind.GARDEN, group, code="hl-1-1-v")
    make_unit("Phụ nữ", UnitKind.WOMENS_UNION, commune, code="hl-pn")
    other = make_unit("Điền Mỹ", UnitKind.COMMUNE, district, code="dm")
    make_unit("Thôn Khác", UnitKind.VILLAGE, other, code="dm-1")
    indicators = {
        "fences": make_indicator("hang-rao", name="Hàng rào xanh", unit="m"),
        "gardens": make_indicator("vuon", name="Vườn hộ chỉnh trang", unit="vuon"),
        "households": make_indicator("so-ho", name="Số hộ", unit="ho"),
    }
    users = {
        "manager": make_user("manager", unit=commune, role=Role.MANAGER),
        "reporter": make_user("reporter", unit=commune, role=Role.REPORTER),
        "head": make_user("head", unit=villages[0], role=Role.MANAGER),
    }
    return commune, villages, indicators, users


def post_data(indicators, **changes) -> dict:
    data = {
        "once": "key-1", "code": "cao-diem-2022", "name": "Thi đua 45 ngày cao điểm",
        "start": "15/04/2022", "end": "30/05/2022", "cadence": "daily",
        "purpose": "Chỉnh trang khu dân cư kiểu mẫu.",
        "participants": ["hl-1", "hl-2", "hl-3"],
        "g-TOTAL_FORMS": "3", "g-INITIAL_FORMS": "0",
        "g-0-indicator": indicators["fences"].pk, "g-0-value": "1,8 km", "g-0-allocate": "equal",
        "g-1-indicator": indicators["gardens"].pk, "g-1-value": "77", "g-1-allocate": "hand",
        "g-1-share_hl-1": "30", "g-1-share_hl-2": "27", "g-1-share_hl-3": "20",
        "g-2-allocate": "equal",  # a spare row left blank
        "w-TOTAL_FORMS": "2", "w-INITIAL_FORMS": "0",
        "w-0-number": "1", "w-0-start": "15/04/2022", "w-0-end": "21/04/2022",
        "w-0-theme": "Tuần ra quân hàng rào xanh",
        "w-0-indicators": "hang-rao; vườn hộ chỉnh trang",
        "action": "launch",
    }  # fmt: skip
    data.update(changes)
    return data


def shares(indicator, units) -> list:
    rows = Target.objects.filter(indicator=indicator, unit__in=units).order_by("unit__path")
    return [(t.unit.code, t.value) for t in rows]


def test_a_manager_creates_and_launches(client, world):
    commune, villages, ind, users = world
    client.force_login(users["manager"])
    page = client.get("/units/hl/campaigns/")
    assert f'href="{NEW}"' in page.content.decode()
    response = client.post(NEW, post_data(ind))
    assert (response.status_code, response.url) == (302, "/campaigns/cao-diem-2022/")
    campaign = Campaign.objects.get(code="cao-diem-2022")
    assert (campaign.status, campaign.start.isoformat(), campaign.end.isoformat()) == (
        CampaignStatus.LAUNCHED, "2022-04-15", "2022-05-30"
    )  # fmt: skip
    assert campaign.form.period_type == "day"
    # 1,8 km is 1.800 m, 600 m each; the gardens as typed, 30 + 27 + 20 = 77.
    assert Target.objects.get(unit=commune, indicator=ind["fences"]).value == 1800
    assert shares(ind["fences"], villages) == [("hl-1", 600), ("hl-2", 600), ("hl-3", 600)]
    assert shares(ind["gardens"], villages) == [("hl-1", 30), ("hl-2", 27), ("hl-3", 20)]
    week = campaign.weeks.get()
    assert (week.number, week.theme) == (1, "Tuần ra quân hàng rào xanh")
    assert list(week.indicators.order_by("code")) == [ind["fences"], ind["gardens"]]
    assert campaign.goals.count() == 2  # the blank row is no goal


def test_the_participants_offered_in_tree_order(client, world):
    client.force_login(world[3]["manager"])
    html = client.get(NEW).content.decode()
    offered = re.findall(r'name="participants" value="([^"]+)"', html)
    # The villages, the group of Thôn 1 below it, the women's union; no garden, nothing of
    # another commune.
    assert offered == ["hl-1", "hl-1-1", "hl-2", "hl-3", "hl-pn"]
    assert (
        'style="margin-left: 1.5rem"><input type="checkbox" name="participants" value="hl-1-1"'
        in html
    )


def test_save_then_launch_from_the_campaigns_page(client, world):
    _, villages, ind, users = world
    client.force_login(users["manager"])
    response = client.post(NEW, post_data(ind, action="save"))
    assert response.status_code == 302
    campaign = Campaign.objects.get(code="cao-diem-2022")
    assert campaign.status == CampaignStatus.DRAFT
    assert not Target.objects.filter(source="campaign").exists()
    assert "/campaigns/cao-diem-2022/phat-dong/" in client.get(response.url).content.decode()
    client.force_login(users["head"])
    assert "phat-dong" not in client.get(response.url).content.decode()
    assert client.post("/campaigns/cao-diem-2022/phat-dong/").status_code == 403
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.DRAFT
    client.force_login(users["manager"])
    assert client.post("/campaigns/cao-diem-2022/phat-dong/").status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.LAUNCHED
    assert shares(ind["gardens"], villages) == [("hl-1", 30), ("hl-2", 27), ("hl-3", 20)]


@pytest.mark.parametrize("who", ["reporter", "head"])
def test_others_are_refused_and_nothing_is_saved(client, world, who):
    _, _, ind, users = world
    client.force_login(users[who])
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, post_data(ind)).status_code == 403
    assert not Campaign.objects.exists()
    assert (
        'href="/units/hl/campaigns/new/"' not in client.get("/units/hl/campaigns/").content.decode()
    )


def beside(html: str, name: str, error: str) -> bool:
    """The error is shown right after the box named `name`."""
    options = r"(?:\s|<option[^>]*>[^<]*</option>)*(?:</select>)?"
    helptext = r'(?:<span class="helptext">[^<]*</span>)?'
    found = rf'name="{name}"[^>]*>{options}{helptext}<span class="error">{re.escape(error)}'
    return re.search(found, html) is not None


def test_a_bad_day_comes_back_typed_with_its_error(client, world):
    client.force_login(world[3]["manager"])
    response = client.post(NEW, post_data(world[2], end="31/02/2022"))
    html = response.content.decode()
    assert response.status_code == 400
    assert beside(html, "end", "Đến ngày: «31/02/2022» không phải là ngày")
    assert 'value="Thi đua 45 ngày cao điểm"' in html and 'value="1,8 km"' in html
    assert 'name="g-1-share_hl-2" value="27"' in html
    assert re.search(r'value="hl-2"[^>]*checked', html)
    assert not Campaign.objects.exists()


def test_the_services_errors_come_back_beside_their_fields(client, world):
    _, _, ind, users = world
    client.force_login(users["manager"])
    data = post_data(ind, **{"g-1-share_hl-3": "19", "w-0-end": "01/06/2022", "code": "dm"})
    Campaign.objects.create(  # the code is taken
        host=world[0], code="dm", name="Khác", start="2022-01-01", end="2022-01-02",
        cadence="daily",
    )  # fmt: skip
    response = client.post(NEW, data)
    html = response.content.decode()
    assert response.status_code == 400
    goals = html[html.index('id="fs-g"') : html.index('id="fs-w"')]
    # 30 + 27 + 19 = 76 of 77.
    assert "Vườn hộ chỉnh trang: Tổng phần giao 76 khác chỉ tiêu 77." in goals
    assert "Tuần 1: phải nằm trong đợt thi đua." in html[html.index('id="fs-w"') :]
    assert beside(html, "code", "Mã phong trào «dm» đã được dùng.")
    assert 'name="g-1-share_hl-3" value="19"' in html
    assert Campaign.objects.count() == 1


def test_a_bad_amount_and_a_missing_base_are_named(client, world):
    _, _, ind, users = world
    client.force_login(users["manager"])
    data = post_data(ind, **{"g-0-value": "1,8 kg", "g-1-allocate": "base", "g-1-base": ""})
    html = client.post(NEW, data).content.decode()
    assert re.search(r'name="g-0-value"[^>]*><span class="error">[^<]*kg', html)
    assert beside(html, "g-1-base", "Hãy chọn số liệu gốc để chia (ví dụ: số hộ).")
    assert not Campaign.objects.exists()


def test_a_refused_launch_keeps_nothing(client, world):
    _, villages, ind, users = world
    client.force_login(users["manager"])
    # By households, over all the commune's children, but none has its household count:
    # the campaign is valid, its launch is refused.
    data = post_data(
        ind,
        participants=["hl-1", "hl-2", "hl-3", "hl-pn"],
        **{"g-1-allocate": "base", "g-1-base": ind["households"].pk},
    )
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert "chưa có số liệu Số hộ" in response.content.decode()
    assert not Campaign.objects.exists()
    assert not Target.objects.exists()


def test_the_same_form_sent_twice_creates_one_campaign(client, world):
    _, _, ind, users = world
    client.force_login(users["manager"])
    first = client.post(NEW, post_data(ind))
    second = client.post(NEW, post_data(ind))
    assert (first.status_code, second.status_code) == (302, 302)
    assert first.url == second.url == "/campaigns/cao-diem-2022/"
    assert Campaign.objects.count() == 1
    # A new form (a new token) with the same code is another campaign: refused by its code.
    third = client.post(NEW, post_data(ind, once="key-2"))
    assert third.status_code == 400
    assert Campaign.objects.count() == 1


def test_more_rows_keep_what_was_typed_and_save_nothing(client, world):
    client.force_login(world[3]["manager"])
    response = client.post(NEW, post_data(world[2], more="w"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="w-TOTAL_FORMS" value="5"' in html and 'name="w-4-theme"' in html
    assert 'value="Tuần ra quân hàng rào xanh"' in html
    assert not Campaign.objects.exists()


def test_a_share_for_a_unit_not_taking_part_is_named(client, world):
    client.force_login(world[3]["manager"])
    # 30 + 27 + 19 + 1 = 77, but the women's union was not ticked.
    data = post_data(world[2], **{"g-1-share_hl-3": "19", "g-1-share_hl-pn": "1"})
    html = client.post(NEW, data).content.decode()
    goals = html[html.index('id="fs-g"') : html.index('id="fs-w"')]
    assert (
        "Vườn hộ chỉnh trang: Hội Phụ nữ Phụ nữ không tham gia phong trào, không nhận phần giao."
        in goals
    )
    assert not Campaign.objects.exists()
