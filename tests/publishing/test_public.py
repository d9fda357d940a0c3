"""The public page of a unit, an article, the Atom feed: open to anyone, published articles
only, figures that may be published only (an approved estimate marked "ước đạt"), light."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from tests.publishing.articles_world import build
from xaso.figures.services import record_result
from xaso.publishing.articles import draft_article, edit_article, publish_article, withdraw_article
from xaso.publishing.public import headline_figures

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
PAGE_LIMIT = 100 * 1024


@pytest.fixture
def world():
    world = build()
    user = world.manager

    def article(title: str, body: str):
        draft = draft_article(world.meeting, user=user, channel="form")
        return edit_article(
            draft, title=title, body=body, author="Nguyễn Hà", source="", seen_version=1, user=user
        )

    world.older = publish_article(article("Tin đăng trước PUB-OLD", "Nội dung cũ."), user=user)
    world.newer = publish_article(article("Tin đăng sau PUB-NEW", "Nội dung **mới**."), user=user)
    world.draft = article("Bản nháp DRAFT-ONLY", "Chưa đăng.")
    gone = publish_article(article("Tin đã gỡ WITHDRAWN-ONE", "Đã gỡ."), user=user)
    world.withdrawn = withdraw_article(gone, user=user)
    return world


def anonymous() -> Client:
    return Client()


def test_the_public_page_opens_without_login_and_lists_published_articles_newest_first(world):
    response = anonymous().get("/cong-khai/an-phu/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("PUB-NEW") < html.index("PUB-OLD")
    assert "DRAFT-ONLY" not in html
    assert "WITHDRAWN-ONE" not in html
    assert "<script" not in html
    # Not the officers' layout: no menu, no sign-out, no link into the officers' pages.
    assert "Đăng xuất" not in html and "Cây đơn vị" not in html and "/units/" not in html
    assert len(response.content) <= PAGE_LIMIT


def test_figures_on_the_public_page_are_final_or_approved_estimates_marked_so(world):
    html = anonymous().get("/cong-khai/an-phu/").content.decode()

    assert "Số liệu 6 tháng đầu năm 2020" in html
    budget = html[html.index("Thu ngân sách trên địa bàn") :].split("</tr>")[0]
    assert "4.120" in budget and "ước đạt" in budget and "đạt 23,9% kế hoạch huyện giao" in budget
    criteria = html[html.index("Tiêu chí văn minh đô thị đạt") :].split("</tr>")[0]
    assert "21" in criteria and "ước đạt" not in criteria
    assert "1.375" in html
    # The food estimate nobody approved is a draft: not shown.
    assert "lương thực" not in html and "312" not in html
    assert html.count("ước đạt</span>") == 1


def test_the_headline_is_the_latest_period_with_public_figures(
    world, django_assert_max_num_queries
):
    # A later month with only an unapproved estimate does not move the headline.
    food = world.meeting.host.results.get(indicator__code="luong-thuc").indicator
    record_result(
        unit=world.commune, indicator=food, period="2020-11", value="90", status="estimated"
    )
    with django_assert_max_num_queries(4):
        headline = headline_figures(world.commune)
    assert headline.period.code == "2020-H1"
    assert [(f.indicator.code, f.estimated) for f in headline.figures] == [
        ("thu-ns", True),
        ("vmdt", False),
        ("cay-xanh", False),
    ]
    # A final figure of that later month does.
    record_result(unit=world.commune, indicator=food, period="2020-11", value="95")
    headline = headline_figures(world.commune)
    assert headline.period.code == "2020-11"
    assert [(f.indicator.code, f.value) for f in headline.figures] == [("luong-thuc", 95)]


def test_an_article_page_shows_a_published_article_only(world):
    client = anonymous()

    page = client.get(f"/cong-khai/an-phu/tin/{world.newer.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Tin đăng sau PUB-NEW</h1>" in html
    assert "Nội dung <strong>mới</strong>." in html
    assert "Tác giả: Nguyễn Hà" in html
    assert len(page.content) <= PAGE_LIMIT
    for article in (world.draft, world.withdrawn):
        assert client.get(f"/cong-khai/an-phu/tin/{article.pk}/").status_code == 404
    # A published article under another unit's address is not there either.
    assert client.get(f"/cong-khai/binh-yen/tin/{world.newer.pk}/").status_code == 404


def test_unknown_units_and_units_without_a_published_article_answer_404(world):
    client = anonymous()
    assert client.get("/cong-khai/khong-co/").status_code == 404
    assert client.get("/cong-khai/binh-yen/").status_code == 404  # exists, publishes nothing
    assert client.get("/cong-khai/binh-yen/atom.xml").status_code == 404
    assert client.get("/cong-khai/an-phu.dong/").status_code == 404


def test_withdrawing_removes_the_article_from_page_feed_and_address_at_once(world):
    withdraw_article(world.newer, user=world.manager)
    client = anonymous()

    assert "PUB-NEW" not in client.get("/cong-khai/an-phu/").content.decode()
    assert "PUB-NEW" not in client.get("/cong-khai/an-phu/atom.xml").content.decode()
    assert client.get(f"/cong-khai/an-phu/tin/{world.newer.pk}/").status_code == 404
    withdraw_article(world.older, user=world.manager)
    assert client.get("/cong-khai/an-phu/").status_code == 404  # nothing published any more


def test_the_atom_feed_is_valid_xml_with_the_published_entries_only(world):
    response = anonymous().get("/cong-khai/an-phu/atom.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 — our own server's answer
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == ["Tin đăng sau PUB-NEW", "Tin đăng trước PUB-OLD"]
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert links[0].endswith(f"/cong-khai/an-phu/tin/{world.newer.pk}/")
    summary = entries[0].find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert "Nội dung <strong>mới</strong>." in summary.text
    assert entries[0].findtext(f"{ATOM}author/{ATOM}name") == "Nguyễn Hà"


def test_an_officers_markup_cannot_reach_the_public_page_as_html(world):
    edit_article(
        world.newer,
        title="Tin <script>x</script>",
        body='<script>alert(1)</script>\n\n[bấm](javascript:alert(1)) <img src=x onerror="y">',
        seen_version=world.newer.version,
        user=world.manager,
    )
    client = anonymous()
    for path in ("/cong-khai/an-phu/", f"/cong-khai/an-phu/tin/{world.newer.pk}/"):
        html = client.get(path).content.decode()
        assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
        assert "&lt;script&gt;" in html
