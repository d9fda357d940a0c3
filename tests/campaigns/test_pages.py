"""The campaign pages (issue 17): a unit's campaigns, the campaign's standing on a day and
the loudspeaker bulletin — with numbers worked out by hand from the entries below."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.campaigns.services import GoalInput, WeekInput, create_campaign, launch_campaign
from xaso.figures.services import record_result
from xaso.org.models import Role

pytestmark = pytest.mark.django_db


def on(day: int, month: int = 4) -> dt.date:
    return dt.date(2022, month, day)


@pytest.fixture
def world(client):
    _, _, commune, villages = make_commune_tree()
    fences = make_indicator("hang-rao", name="Hàng rào xanh", unit="m")
    gardens = make_indicator("vuon", name="Vườn hộ", unit="vuon")
    campaign = create_campaign(
        host=commune, code="cao-diem", name="Thi đua 45 ngày cao điểm",
        start=on(15), end=on(30, 5), cadence="daily", purpose="Chỉnh trang khu dân cư.",
        goals=[GoalInput(fences, D("300")), GoalInput(gardens, D("30"))], participants=villages,
        weeks=[
            WeekInput(1, on(15), on(21), "Tuần ra quân hàng rào xanh", [fences]),
            WeekInput(2, on(22), on(28), "Tuần chỉnh trang vườn hộ", [gardens]),
        ],
    )  # fmt: skip
    launch_campaign(campaign)  # each village: 100 m of fence and 10 gardens
    one, two, three = villages
    entries = [
        (one, fences, on(16), "60"), (one, fences, on(20), "40"), (one, gardens, on(18), "10"),
        (two, fences, on(16), "30"), (two, gardens, on(23), "4"),
        (three, fences, on(17), "150"), (three, gardens, on(20), "2"),
    ]  # fmt: skip
    for unit, indicator, day, value in entries:
        record_result(unit=unit, indicator=indicator, period=f"{day}..{day}", value=value)
    officer = make_user("xa", unit=commune, role=Role.VIEWER)
    client.force_login(officer)
    return campaign, commune, villages


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_campaign_page_on_a_day_of_the_first_week(client, world):
    campaign, *_ = world
    response = client.get("/campaigns/cao-diem/?date=20/04/2022")
    assert response.status_code == 200
    page = text_of(response)
    assert "Thi đua 45 ngày cao điểm" in page
    assert "15/04/2022" in page and "30/05/2022" in page and "46 ngày" in page
    assert "Tuần 1 (15/04–21/04/2022): <strong>Tuần ra quân hàng rào xanh</strong>" in page
    # By 20/4: fences 60 + 40 + 30 + 150 = 280 of 300 (93,3%); gardens 10 + 2 = 12 of 30.
    goals = page.split('class="figures goals"')[1].split("</table>")[0]
    assert "<strong>280</strong>" in goals and "93,3%" in goals
    assert "<strong>12</strong>" in goals and "40,0%" in goals
    # Participants × goals: Thôn 1 100/100 (100,0%), Thôn 2 30/100, Thôn 3 150/100 (150,0%).
    table = page.split('class="matrix participants"')[1].split("</table>")[0]
    assert "100/100" in table and "30/100" in table and "150/100" in table
    assert "(150,0%)" in table and "2/10" in table
    # Ranking on 20/4: Thôn 1 (100 + 100) / 2 = 100; Thôn 3 (100 + 20) / 2 = 60;
    # Thôn 2 (30 + 0) / 2 = 15.
    ranking = page.split('class="figures ranking"')[1].split("</table>")[0]
    order = re.findall(r"<td><strong>(Thôn \d)</strong></td>", ranking)
    assert order == ["Thôn 1", "Thôn 3", "Thôn 2"]
    assert "60,0%" in ranking and "15,0%" in ranking
    assert "Còn thiếu: hàng rào xanh 70; vườn hộ 10" in ranking  # Thôn 2
    assert "Đã hoàn thành tất cả chỉ tiêu được giao." in ranking  # Thôn 1
    assert '2/2 <span class="small muted">(xong ngày 20/04)' in ranking  # Thôn 1
    assert "1/2" in ranking and "0/2" in ranking  # Thôn 3, Thôn 2
    assert "<svg" in page and "lũy kế từng ngày đến 20/04/2022" in page


def test_the_second_week_and_what_came_after_the_day(client, world):
    page = text_of(client.get("/campaigns/cao-diem/?date=24/04/2022"))
    assert "<strong>Tuần chỉnh trang vườn hộ</strong>" in page
    ranking = page.split('class="figures ranking"')[1].split("</table>")[0]
    # Thôn 2's 4 gardens of 23/4 now count: (30 + 40) / 2 = 35.
    assert "35,0%" in ranking
    early = text_of(client.get("/campaigns/cao-diem/?date=16/04/2022"))
    goals = early.split('class="figures goals"')[1].split("</table>")[0]
    assert "<strong>90</strong>" in goals  # 60 + 30 on 16/4; nothing of the 17th yet


def test_a_day_outside_the_span_is_kept_inside_it_and_a_bad_one_said(client, world):
    page = text_of(client.get("/campaigns/cao-diem/?date=01/07/2022"))
    assert "đến ngày 30/05/2022" in page
    page = text_of(client.get("/campaigns/cao-diem/?date=hôm qua"))
    assert "không phải là ngày" in page


def test_the_bulletin_page_and_its_text(client, world):
    response = client.get("/campaigns/cao-diem/bulletin/?date=20/04/2022")
    assert response.status_code == 200
    page = text_of(response)
    assert "Bản tin loa ngày 20/04/2022" in page and "@media print" in page
    assert "Thôn 1 hôm nay (20/04/2022): 40 m hàng rào xanh" in page
    assert "Thôn 3 hôm nay (20/04/2022): 2 vườn hộ" in page
    assert "Thôn 2 hôm nay (20/04/2022): chưa có kết quả báo về" in page
    text = client.get("/campaigns/cao-diem/bulletin/?date=20/04/2022&format=txt")
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    lines = text.content.decode().splitlines()
    assert lines[0] == "Thi đua 45 ngày cao điểm"
    assert lines[1] == "Bản tin ngày 20/04/2022 — tuần 1: Tuần ra quân hàng rào xanh"
    assert lines[3].startswith("Thôn 1 hôm nay (20/04/2022): 40 m hàng rào xanh.")
    assert "hàng rào xanh 100,0% chỉ tiêu, vườn hộ 100,0% chỉ tiêu" in lines[3]
    assert "<" not in text.content.decode()


def test_the_unit_list_and_the_tab(client, world):
    campaign, commune, villages = world
    page = text_of(client.get(f"/units/{commune.code}/campaigns/"))
    assert 'href="/campaigns/cao-diem/"' in page and "Đang phát động" in page
    assert ">Phong trào</a>" in page
    # The participants' mean score at the end: Thôn 1 100, Thôn 2 (30 + 40) / 2 = 35,
    # Thôn 3 (100 + 20) / 2 = 60 → 65,0%.
    assert "65,0%" in page
    village = text_of(client.get(f"/units/{villages[0].code}/campaigns/"))
    assert "Tham gia phong trào của cấp trên" in village and "Thi đua 45 ngày" in village


def test_a_stranger_is_refused(client, world):
    campaign, commune, villages = world
    client.force_login(make_user("la"))
    for path in (
        "/campaigns/cao-diem/",
        "/campaigns/cao-diem/bulletin/",
        "/campaigns/cao-diem/bulletin/?format=txt",
        f"/units/{commune.code}/campaigns/",
    ):
        assert client.get(path).status_code == 403, path
    # A village's reporter reads its own unit, not the commune's campaign page.
    client.force_login(make_user("thon", unit=villages[0], role=Role.REPORTER))
    assert client.get("/campaigns/cao-diem/").status_code == 403
    assert client.get(f"/units/{villages[0].code}/campaigns/").status_code == 200


def test_the_pages_weigh_at_most_100_kb(client, world):
    for path in (
        "/campaigns/cao-diem/?date=30/05/2022",
        "/campaigns/cao-diem/bulletin/?date=30/05/2022",
        "/units/hl/campaigns/",
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert len(response.content) <= 100_000, (path, len(response.content))
