"""A real browser (Debian's Chromium driven by Playwright) against the live server."""

import os
import shutil

import pytest

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.org.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page(monkeypatch):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="vi-VN")
        yield page
        browser.close()


def test_an_officer_enters_a_figure_for_a_village_and_sees_it_in_the_commune(live_server, page):
    province, district, commune, villages = make_commune_tree()
    make_indicator("hanh-lang", unit="m", name="Mở rộng hành lang giao thông")
    make_user("thon1", unit=commune, role=Role.REPORTER)

    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "thon1")
    page.fill("input[name=password]", "pw-12345")
    page.click("button:has-text('Đăng nhập')")

    page.goto(f"{live_server.url}/units/{villages[0].code}/entry/?period=2022-11")
    page.fill("#id_v_hanh-lang", "1.135")
    page.click("button:has-text('Lưu số liệu')")

    page.wait_for_url(f"**/units/{villages[0].code}/?period=2022-11")
    village_figures = page.locator("table.figures").inner_text()
    assert "1.135" in village_figures
    assert "Đã lưu 1 số liệu" in page.content()

    page.goto(f"{live_server.url}/units/{commune.code}/?period=2022-11")
    commune_row = page.locator("table.figures tr", has_text="Mở rộng hành lang giao thông").first
    assert "1.135" in commune_row.inner_text()
    assert "tổng hợp từ 1 đơn vị" in commune_row.inner_text()
