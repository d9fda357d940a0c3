"""Pages on a phone: Debian's Chromium at 390 px wide (a common phone) against the live server.

Nothing may make the page scroll sideways, and nothing may sit on top of a figure."""

import datetime as dt
import os
import shutil

import pytest

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.documents.services import (
    FigureChoice,
    document_extraction,
    document_import,
    document_upload,
)
from xaso.figures.services import record_result, set_target
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
PHONE = 390

# Our own report in the genre: long indicator names in the choices, a file name without spaces.
REPORT = """Xã Hà Linh tổ chức Hội nghị BCH mở rộng đánh giá kết quả hoạt động tháng 11
Sáng ngày 30/11/2022, BCH Đảng bộ xã Hà Linh tổ chức Hội nghị BCH mở rộng.
Đ/c Trần Văn Bình, Phó Bí thư Thường trực Đảng ủy thông qua báo cáo kết quả tháng 11.
Mở rộng hành lang GT được 1.135m tuyến đường liên xã; Làm mới 12 hệ thống xử lý nước thải
sinh hoạt; Trồng 215 cây bóng mát; phá bỏ 1507m hàng rào tạp và thay thế bằng hàng rào bê tông.
"""
LONG_NAME = "Bao_cao_so_ket_thang_11_nam_2022_Dang_bo_xa_Ha_Linh_ban_chinh_thuc_da_ky.txt"


@pytest.fixture
def phone(monkeypatch):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="vi-VN", viewport={"width": PHONE, "height": 800})
        yield page
        browser.close()


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-12345")
    page.click("button:has-text('Đăng nhập')")
    page.wait_for_load_state()
    assert "/login/" not in page.url


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_the_document_pages_and_the_unit_page_fit_a_phone(live_server, phone):
    _province, _district, commune, _villages = make_commune_tree()
    indicators = [
        make_indicator("hanh-lang", unit="m", name="Mở rộng hành lang giao thông"),
        make_indicator(
            "nuoc-thai", unit="he_thong", name="Hệ thống xử lý nước thải sinh hoạt làm mới"
        ),
        make_indicator("cay", unit="cay", name="Cây bóng mát trồng mới"),
        make_indicator(
            "rao-tap", unit="m", name="Hàng rào tạp phá bỏ, thay bằng hàng rào bê tông thép gai"
        ),
    ]
    trade = make_indicator("thuong-mai", unit="ty_dong", name="Tổng giá trị thương mại, dịch vụ")
    officer = make_user("vanphong", unit=commune, role=Role.MANAGER)
    fresh = document_upload(filename=LONG_NAME, data=REPORT.encode(), user=officer, unit=commune)
    done = document_upload(filename="da-nhap.txt", data=REPORT.encode(), user=officer)
    extraction = document_extraction(done)
    document_import(
        document=done,
        host=commune,
        meeting={
            "kind": "other",
            "title": "Hội nghị BCH mở rộng tháng 11",
            "date": dt.date(2022, 11, 30),
            "period": "2022-11",
        },
        figures=[FigureChoice(index=0, indicator=indicators[0], estimated=False)],
        attendees=[],
        limitations=[],
        directives=[],
        user=officer,
    )
    assert extraction.figures[0].value == 1135
    # An estimate beside a plan: the "ước đạt" tag must not cover the plan's number.
    record_result(unit=commune, indicator=trade, period="2022-H1", value="209", status="estimated")
    set_target(unit=commune, indicator=trade, period="2022", source="district_plan", value="598")

    _login(phone, live_server, "vanphong")
    for path in ("/documents/", f"/documents/{fresh.pk}/", f"/documents/{done.pk}/"):
        phone.goto(f"{live_server.url}{path}")
        assert _page_width(phone) <= PHONE, path
    phone.goto(f"{live_server.url}/documents/")
    assert LONG_NAME in phone.content()  # the long name is there, wrapped

    phone.goto(f"{live_server.url}/units/{commune.code}/?period=2022-H1")
    assert _page_width(phone) <= PHONE
    row = phone.locator("table.figures tr", has_text="Tổng giá trị thương mại")
    tag = row.locator(".tag.est").bounding_box()
    plan = row.locator("td").nth(2).bounding_box()
    result = row.locator("td").nth(1).bounding_box()
    assert tag is not None and plan is not None
    assert not _overlap(tag, plan)
    assert tag["x"] >= result["x"] and tag["x"] + tag["width"] <= result["x"] + result["width"]
