"""The review page as a new user meets it (#12): what it pre-fills from the seed reports, a figure
given to a village below the host, and the page as a record once the document is imported."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.documents.review_kit import figure_index, form_data, upload_seed
from tests.factories import make_unit, make_user
from xaso.documents.selectors import suggest_indicator, suggest_indicators
from xaso.documents.services import (
    FigureChoice,
    document_confirm_targets,
    document_extraction,
    document_import,
    document_upload,
)
from xaso.figures.models import Result, Target
from xaso.meetings.models import Meeting
from xaso.org.models import Role, UnitKind
from xaso.reading import read_text

pytestmark = pytest.mark.django_db

# --- seed 000: three figures proposed for one indicator --------------------------------------


def test_seed_000_prefills_each_indicator_once_so_the_first_import_goes_through(
    client, officer, ha_linh, catalog, seeds_dir
):
    commune, _villages = ha_linh
    document = upload_seed(client, seeds_dir, "000")
    extraction = document_extraction(document)
    hedge = str(catalog["hang-rao-xanh"].pk)

    data = form_data(client.get(f"/documents/{document.pk}/").content.decode())

    # 500 m (village 9), 5.615 m and 5.630 m all read as green fences; only the best is kept.
    chosen = [key for key, value in data.items() if key.startswith("figure_") and value == hedge]
    assert chosen == [f"figure_{figure_index(extraction, '5.615m')}"]
    assert data[f"figure_{figure_index(extraction, '500m')}"] == ""
    assert data[f"figure_{figure_index(extraction, '5.630m')}"] == ""
    assert data["host"] == "hl" and data["period"] == "2022-11"

    response = client.post(f"/documents/{document.pk}/", data)  # "Nhập" as pre-filled

    assert response.status_code == 302, response.content.decode()[:2000]
    result = Result.objects.get(indicator=catalog["hang-rao-xanh"])
    assert (result.unit, result.value, result.period) == (commune, Decimal(5615), "2022-11")
    assert Result.objects.get(indicator=catalog["hanh-lang-giao-thong"]).value == Decimal(1135)


def test_a_figure_given_to_village_9_becomes_its_result_not_the_communes(
    client, officer, ha_linh, catalog, seeds_dir
):
    commune, villages = ha_linh
    document = upload_seed(client, seeds_dir, "000")
    extraction = document_extraction(document)
    data = form_data(client.get(f"/documents/{document.pk}/").content.decode())
    assert 'name="unit_0"' in client.get(f"/documents/{document.pk}/").content.decode()
    village_fence = figure_index(extraction, "500m")
    data[f"figure_{village_fence}"] = str(catalog["hang-rao-xanh"].pk)
    data[f"unit_{village_fence}"] = "thôn 9"

    response = client.post(f"/documents/{document.pk}/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    fences = Result.objects.filter(indicator=catalog["hang-rao-xanh"], period="2022-11")
    assert {(r.unit.code, r.value) for r in fences} == {("hl-9", 500), ("hl", 5615)}
    assert fences.get(unit=villages[9]).entered_by == officer


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Thôn Cẩm Trang", "Không có đơn vị ‘Thôn Cẩm Trang’ trong Xã Hà Linh."),
        ("9", "‘9’ khớp với 2 đơn vị, hãy ghi mã (hl-9, hl-cb9)."),
    ],
)
def test_a_unit_outside_the_host_or_named_ambiguously_is_refused_and_nothing_is_saved(
    client, officer, ha_linh, catalog, seeds_dir, typed, message
):
    document = upload_seed(client, seeds_dir, "000")
    extraction = document_extraction(document)
    data = form_data(client.get(f"/documents/{document.pk}/").content.decode())
    village_fence = figure_index(extraction, "500m")
    data[f"figure_{village_fence}"] = str(catalog["hang-rao-xanh"].pk)
    data[f"unit_{village_fence}"] = typed

    response = client.post(f"/documents/{document.pk}/", data)

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'value="{typed}"' in page  # what was typed stays
    assert Meeting.objects.count() == Result.objects.count() == 0


# --- the service, for every caller ------------------------------------------------------------

REPORT = """Xã Hà Linh sơ kết tháng 11 năm 2022
Sáng ngày 30/11/2022, Đảng bộ xã Hà Linh tổ chức hội nghị sơ kết tháng 11.
Hàng rào xanh trồng mới được 500 m/800 m (đạt 62,5% kế hoạch).
"""


def _meeting() -> dict:
    return {"kind": "other", "title": "Sơ kết", "date": dt.date(2022, 11, 30), "period": "2022-11"}


def test_the_service_refuses_a_unit_outside_the_hosts_subtree(ha_linh, catalog, officer):
    commune, _villages = ha_linh
    outside = make_unit("Cẩm Trang 2", UnitKind.VILLAGE, code="xa-khac-ct")
    document = document_upload(filename="r.txt", data=REPORT.encode(), user=officer)
    choice = FigureChoice(0, catalog["hang-rao-xanh"], False, unit=outside)

    with pytest.raises(ValidationError) as refused:
        document_import(
            document=document,
            host=commune,
            meeting=_meeting(),
            figures=[choice],
            attendees=[],
            limitations=[],
            directives=[],
            user=officer,
        )

    assert refused.value.message_dict == {
        "unit_0": ["hàng rào xanh trồng mới: Thôn Cẩm Trang 2 không thuộc Xã Hà Linh."]
    }
    assert Meeting.objects.count() == Result.objects.count() == 0


def test_a_village_figure_read_by_a_reporter_proposes_the_villages_target(ha_linh, catalog):
    commune, villages = ha_linh
    reporter = make_user("baocao", unit=commune, role=Role.REPORTER)
    manager = make_user("quanly", unit=commune, role=Role.MANAGER)
    document = document_upload(filename="r.txt", data=REPORT.encode(), user=reporter, unit=commune)
    hedge = catalog["hang-rao-xanh"]

    document_import(
        document=document,
        host=commune,
        meeting=_meeting(),
        figures=[FigureChoice(0, hedge, False, unit=villages[9])],
        attendees=[],
        limitations=[],
        directives=[],
        user=reporter,
    )

    assert Result.objects.get(indicator=hedge).unit == villages[9]
    assert Target.objects.count() == 0
    assert document_confirm_targets(document=document, user=manager) == 1
    target = Target.objects.get()
    assert (target.unit, target.value, target.period) == (villages[9], Decimal(800), "2022")


# --- seed 002: the figure's own words decide ------------------------------------------------


def test_seed_002_figures_are_matched_by_the_words_right_after_their_number(
    client, officer, catalog, seeds_dir
):
    seed = next(seeds_dir.glob("002_*.txt")).read_text(encoding="utf-8")
    extraction = read_text(seed)
    indicators = list(catalog.values())
    suggested = {
        figure.text: indicator.code if indicator else None
        for figure, indicator in zip(
            extraction.figures, suggest_indicators(extraction, indicators), strict=True
        )
    }

    assert suggested["65 hộ"] == "ho-cong-ngo"  # "… chỉnh trang, làm đẹp cổng ngõ"
    assert suggested["50 hộ"] == "ho-chuong-trai"  # "… xây, che chắn chuồng trại chăn nuôi"
    assert suggested["77 hộ"] == "ho-chinh-trang-vuon"
    assert suggested["38 hộ"] == "ho-nha-ve-sinh"
    assert suggested["70 hộ"] == "ho-ho-lang-loc"
    gates = extraction.figures[figure_index(extraction, "65 hộ")]
    assert suggest_indicator(gates, indicators, extraction.text) == catalog["ho-cong-ngo"]

    document = upload_seed(client, seeds_dir, "002")
    data = form_data(client.get(f"/documents/{document.pk}/").content.decode())
    assert data[f"figure_{figure_index(extraction, '65 hộ')}"] == str(catalog["ho-cong-ngo"].pk)
    assert data[f"figure_{figure_index(extraction, '50 hộ')}"] == str(catalog["ho-chuong-trai"].pk)


# --- after the import, the page is its record -----------------------------------------------


def test_after_import_the_review_page_shows_what_was_imported(
    client, officer, ha_linh, catalog, seeds_dir
):
    document = upload_seed(client, seeds_dir, "000")
    extraction = document_extraction(document)
    data = form_data(client.get(f"/documents/{document.pk}/").content.decode())
    village_fence = figure_index(extraction, "500m")
    data[f"figure_{village_fence}"] = str(catalog["hang-rao-xanh"].pk)
    data[f"unit_{village_fence}"] = "hl-9"
    assert client.post(f"/documents/{document.pk}/", data).status_code == 302
    meeting = Meeting.objects.get()

    page = client.get(f"/documents/{document.pk}/").content.decode()

    assert "<h1>Đã nhập vào xaso</h1>" in page
    assert 'name="host"' not in page and "Nhập vào xaso</button>" not in page
    assert '<a href="/units/hl/?period=2022-11">Xã Hà Linh</a>' in page
    assert f'<a href="/meetings/{meeting.pk}/">{meeting.title}</a>' in page
    record = page[page.index("Số liệu đã nhập") : page.index("Văn bản gốc")]
    village_row = record[record.index(f'href="#f{village_fence}"') :].split("</li>")[0]
    assert "<strong>500 m</strong>" in village_row
    assert "Hàng rào xanh trồng mới" in village_row
    assert '<a href="/units/hl-9/?period=2022-11">Thôn 9</a>' in village_row
    road = record[record.index(f'href="#f{figure_index(extraction, "1.135m")}"') :].split("</li>")[
        0
    ]
    assert "Mở rộng hành lang giao thông" in road and "<strong>1.135 m</strong>" in road
    assert '<a href="/units/hl/?period=2022-11">Xã Hà Linh</a>' in road
    assert record.count("<li>") == Result.objects.filter(period="2022-11").count()
