"""A village head sends the weekly report in a real browser; the commune's officer approves it."""

import os

import pytest

from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS
from xaso.figures.models import Result
from xaso.reporting.models import Submission, SubmissionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def log_in(browser, url: str, username: str):
    page = browser.new_context(locale="vi-VN").new_page()
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-12345")
    page.click("button:has-text('Đăng nhập')")
    return page


def test_a_village_sends_its_weekly_report_and_the_commune_approves_it(live_server, browser, cycle):
    sheet = f"{live_server.url}/units/tg-1/reports/ntm-tuan/2022-W15/"
    reporter = log_in(browser, live_server.url, "camtrang")
    reporter.goto(sheet)
    reporter.fill("#id_v_hang-rao-xanh", "320")
    reporter.fill("#id_v_nha-tieu-tu-hoai", "2")
    reporter.fill("#id_v_so-ho", "120")
    reporter.click("button:has-text('Gửi báo cáo')")

    reporter.wait_for_url(sheet)
    assert "Đã gửi Báo cáo tuần NTM" in reporter.locator(".messages").inner_text()
    assert "Đã gửi, chờ duyệt" in reporter.locator(".summary").inner_text()
    submission = Submission.objects.get(unit=cycle.villages[0], period="2022-W15")

    reviewer = log_in(browser, live_server.url, "canbontm")
    reviewer.goto(f"{live_server.url}/units/tg/reports/ntm-tuan/completeness/?period=2022-W15")
    reviewer.click("a:has-text('Cẩm Trang')")
    reviewer.wait_for_url(f"**/reports/submissions/{submission.pk}/")
    assert "320" in reviewer.locator("table.values").first.inner_text()
    reviewer.click("button:has-text('Duyệt')")

    reviewer.wait_for_url(f"**/reports/submissions/{submission.pk}/")
    assert "Đã duyệt" in reviewer.locator(".summary").inner_text()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED
    assert set(
        Result.objects.filter(unit=cycle.villages[0]).values_list("approved", flat=True)
    ) == {True}
    reporter.goto(sheet)
    assert "Đã duyệt" in reporter.locator(".summary").inner_text()
