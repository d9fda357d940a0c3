"""The closing review's page and files over HTTP: the page's figures equal the scores
workbook's, thresholds typed wrong are named and kept, managers close and nobody else."""

import datetime as dt
import io
import re
from decimal import Decimal as D

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.audit.models import AuditEntry
from xaso.campaigns.models import Campaign, CampaignStatus
from xaso.campaigns.services import GoalInput, create_campaign, launch_campaign
from xaso.figures.services import record_result
from xaso.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    _, _, commune, villages = make_commune_tree()
    fences = make_indicator("hang-rao", name="Hàng rào xanh", unit="m")
    toilets = make_indicator("ho-xi", name="Hố xí hợp vệ sinh", unit="cai")
    campaign = create_campaign(
        host=commune, code="cao-diem", name="Thi đua 45 ngày cao điểm",
        start=dt.date(2022, 4, 15), end=dt.date(2022, 5, 30), cadence="daily",
        goals=[GoalInput(fences, D("300")), GoalInput(toilets, D("12"))], participants=villages,
    )  # fmt: skip
    launch_campaign(campaign)  # each village: 100 m of fence, 4 toilets
    one, two, three = villages
    entries = [
        (one, fences, "2022-04-20", "100"), (one, toilets, "2022-05-03", "4"),  # 100
        (two, fences, "2022-04-21", "120"), (two, toilets, "2022-05-09", "3"),  # (100 + 75)/2
        (three, fences, "2022-05-02", "20"), (three, toilets, "2022-05-20", "1"),  # (20 + 25)/2
    ]  # fmt: skip
    for unit, indicator, day, value in entries:
        record_result(unit=unit, indicator=indicator, period=f"{day}..{day}", value=value)
    return campaign, commune, villages


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _page_rows(response) -> list[tuple]:
    """(rank, unit, score) of each row of the ranking table, as the page shows them."""
    html = response.content.decode()
    rows = re.findall(
        r'<tr data-unit="([^"]+)">\s*<td class="num">(\d+)</td>\s*<th[^>]*>([^<]+)</th>\s*'
        r'<td class="num score">([^<]+)</td>',
        html,
    )
    return [(int(rank), name, score) for _code, rank, name, score in rows]


def test_the_pages_figures_equal_the_scores_workbook(client, world):
    campaign, commune, _ = world
    client.force_login(make_user("xa", unit=commune, role=Role.VIEWER))
    page = client.get("/campaigns/cao-diem/tong-ket/")
    assert page.status_code == 200
    shown = _page_rows(page)
    assert shown == [(1, "Thôn 1", "100"), (2, "Thôn 2", "87,5"), (3, "Thôn 3", "22,5")]
    text = text_of(page)
    assert "Kết quả cuối đợt" in text  # today is long after 30/05/2022
    assert "Thôn 1</strong>: 100 điểm, hoàn thành 2/2 chỉ tiêu (xong ngày 03/05/2022)" in text
    assert "Thôn 3</strong>: 22,5 điểm; còn thiếu hàng rào xanh 80 m; hố xí hợp vệ sinh 3" in text

    book = load_workbook(
        io.BytesIO(client.get("/campaigns/cao-diem/tong-ket/bang-diem.xlsx").content)
    )
    rows = list(book["Bảng điểm"].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "Hạng") + 1
    in_book = [(row[0], row[1], row[3]) for row in rows[start:]]
    as_numbers = [(rank, name, float(score.replace(",", "."))) for rank, name, score in shown]
    assert in_book == as_numbers


def test_thresholds_reach_the_page_and_the_files(client, world):
    campaign, commune, _ = world
    client.force_login(make_user("xa", unit=commune, role=Role.VIEWER))
    page = client.get("/campaigns/cao-diem/tong-ket/?bieu-duong=87,5&nhac-nho=22,5")
    text = text_of(page)
    assert "Biểu dương (2)" in text and "Nhắc nhở (0)" in text  # 87,5 ≥ 87,5; 22,5 not < 22,5
    assert "tong-ket/quyet-dinh.docx?bieu-duong=87%2C5&amp;nhac-nho=22%2C5" in text
    decision = client.get("/campaigns/cao-diem/tong-ket/quyet-dinh.docx?bieu-duong=87%2C5")
    assert decision["Content-Type"].startswith("application/vnd.openxmlformats")
    lines = [p.text for p in Document(io.BytesIO(decision.content)).paragraphs]
    assert "1. Thôn 1: hoàn thành 2/2 chỉ tiêu, đạt 100,0 điểm, xếp thứ 1;" in lines
    assert "2. Thôn 2: hoàn thành 1/2 chỉ tiêu, đạt 87,5 điểm, xếp thứ 2." in lines


def test_thresholds_typed_wrong_are_named_and_kept(client, world):
    campaign, commune, _ = world
    client.force_login(make_user("xa", unit=commune, role=Role.VIEWER))
    text = text_of(client.get("/campaigns/cao-diem/tong-ket/?bieu-duong=120&nhac-nho=abc"))
    assert "Điểm phải từ 0 đến 100." in text
    assert "«abc»" in text
    assert 'value="120"' in text and 'value="abc"' in text
    assert "Biểu dương (1)" in text  # the defaults are used meanwhile: 100 and 50


def test_only_the_hosts_managers_close_the_campaign(client, world):
    campaign, commune, villages = world
    client.force_login(make_user("thon", unit=villages[0], role=Role.MANAGER))
    assert client.post("/campaigns/cao-diem/ket-thuc/").status_code == 403
    client.force_login(make_user("xem", unit=commune, role=Role.VIEWER))
    assert "Kết thúc phong trào</button>" not in text_of(
        client.get("/campaigns/cao-diem/tong-ket/")
    )
    assert client.post("/campaigns/cao-diem/ket-thuc/").status_code == 403
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.LAUNCHED

    client.force_login(make_user("chu-tich", unit=commune, role=Role.MANAGER))
    assert "Kết thúc phong trào</button>" in text_of(client.get("/campaigns/cao-diem/tong-ket/"))
    response = client.post("/campaigns/cao-diem/ket-thuc/")
    assert response.status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.CLOSED
    again = client.post("/campaigns/cao-diem/ket-thuc/", follow=True)
    assert again.status_code == 200
    assert AuditEntry.objects.filter(entity="campaign", new__status="closed").count() == 1
    assert "Kết thúc phong trào</button>" not in text_of(again)


def test_the_header_search_box_is_left_alone(client, world):
    campaign, commune, _ = world
    client.force_login(make_user("xa", unit=commune, role=Role.VIEWER))
    text = text_of(client.get("/campaigns/cao-diem/tong-ket/?bieu-duong=90"))
    assert 'name="q" placeholder="Tìm đơn vị…" aria-label="Tìm đơn vị" value=""' in text
