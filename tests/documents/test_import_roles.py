"""Plans read from a report become targets, never results (#19); the same figure reported twice
with two values is flagged and imported once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.documents.review_kit import figure_index, form_data, upload_seed
from tests.factories import make_user
from xaso.documents.services import (
    FigureChoice,
    document_confirm_targets,
    document_import,
    document_upload,
    suggested_target_period,
)
from xaso.figures.models import Result, Target
from xaso.meetings.models import Meeting
from xaso.org.models import Role
from xaso.reading import read_text

pytestmark = pytest.mark.django_db

# The campaign goals of seed 002, as a reader of the seed counts them (households per kind of
# work, by the end of the campaign), and the catalog indicator each one is about.
SEED_002_GOALS = {
    "77 hộ": ("ho-chinh-trang-vuon", 77),
    "65 hộ": ("ho-cong-ngo", 65),
    "70 hộ": ("ho-ho-lang-loc", 70),
    "38 hộ": ("ho-nha-ve-sinh", 38),
    "50 hộ": ("ho-chuong-trai", 50),
}


def test_seed_002_imported_as_prefilled_stores_its_campaign_goals_as_targets(
    client, officer, ha_linh, catalog, seeds_dir
):
    commune, _villages = ha_linh
    document = upload_seed(client, seeds_dir, "002")
    page = client.get(f"/documents/{document.pk}/").content.decode()
    data = form_data(page)
    extraction = read_text(next(seeds_dir.glob("002_*.txt")).read_text(encoding="utf-8"))
    for text, (code, _value) in SEED_002_GOALS.items():
        index = figure_index(extraction, text)
        assert data[f"figure_{index}"] == str(catalog[code].pk), text
        assert data[f"role_{index}"] == "target", text
        assert data[f"source_{index}"] == "campaign", text
    # The campaign runs 15/4–30/5/2022: its goals are for that span.
    assert 'placeholder="2022-04-15..2022-05-30"' in page
    data.update({"host": "hl", "title": "Phát động thi đua 45 ngày đêm"})  # no title line

    response = client.post(f"/documents/{document.pk}/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    targets = {
        (t.indicator.code, t.unit, t.period, t.source): t.value
        for t in Target.objects.select_related("indicator")
    }
    span = "2022-04-15..2022-05-30"
    for code, value in SEED_002_GOALS.values():
        assert targets[(code, commune, span, "campaign")] == Decimal(value)
    goals = [catalog[code] for code, _ in SEED_002_GOALS.values()]
    assert not Result.objects.filter(indicator__in=goals).exists()  # no "77/77, 100%"
    page = client.get(f"/documents/{document.pk}/").content.decode()
    record = page[page.index("Số liệu đã nhập") : page.index("Văn bản gốc")]
    # The seed states nine goals (the five above, model areas and gardens, new plantings…).
    assert Target.objects.count() == 9
    assert record.count("chỉ tiêu · Chỉ tiêu phát động · 2022-04-15..2022-05-30") == 9


def test_an_officer_can_turn_a_read_plan_into_a_result_and_back(
    client, officer, ha_linh, catalog, seeds_dir
):
    commune, _villages = ha_linh
    document = upload_seed(client, seeds_dir, "002")
    data = form_data(client.get(f"/documents/{document.pk}/").content.decode())
    extraction = read_text(next(seeds_dir.glob("002_*.txt")).read_text(encoding="utf-8"))
    gardens = figure_index(extraction, "77 hộ")
    gates = figure_index(extraction, "65 hộ")
    data.update({"host": "hl", "title": "Phát động thi đua", f"role_{gardens}": "result"})
    data[f"source_{gates}"] = "annual_plan"
    data["target_period"] = "2022"

    assert client.post(f"/documents/{document.pk}/", data).status_code == 302

    result = Result.objects.get(indicator=catalog["ho-chinh-trang-vuon"])
    assert (result.unit, result.value) == (commune, Decimal(77))
    assert not Target.objects.filter(indicator=catalog["ho-chinh-trang-vuon"]).exists()
    gate = Target.objects.get(indicator=catalog["ho-cong-ngo"])
    assert (gate.source, gate.period, gate.value) == ("annual_plan", "2022", Decimal(65))


def test_a_target_period_that_is_not_a_period_is_refused_and_nothing_is_saved(
    client, officer, ha_linh, catalog, seeds_dir
):
    document = upload_seed(client, seeds_dir, "002")
    data = form_data(client.get(f"/documents/{document.pk}/").content.decode())
    data.update({"host": "hl", "title": "Phát động", "target_period": "tháng 13/2022"})

    response = client.post(f"/documents/{document.pk}/", data)

    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="tháng 13/2022"' in page
    assert Meeting.objects.count() == Target.objects.count() == Result.objects.count() == 0


# --- the service ------------------------------------------------------------------------------

REPORT = """Xã Hà Linh sơ kết tháng 11 năm 2022
Sáng ngày 30/11/2022, Đảng bộ xã Hà Linh họp sơ kết tháng 11.
Trồng mới được 500 m hàng rào xanh. Kế hoạch năm trồng 3.000 m hàng rào xanh.
"""


def _meeting(period: str = "2022-11") -> dict:
    return {"kind": "other", "title": "Sơ kết", "date": dt.date(2022, 11, 30), "period": period}


def _import(document, host, figures, user, **more):
    return document_import(
        document=document,
        host=host,
        meeting=more.pop("meeting", _meeting()),
        figures=figures,
        attendees=[],
        limitations=[],
        directives=[],
        user=user,
        **more,
    )


@pytest.mark.parametrize(
    ("reviewed", "target_period"),
    [
        ("2022-11", "2022"),  # a month's report: the year's plan
        ("2022-H1", "2022"),
        ("2022-Q3", "2022"),
        ("2022", "2022"),
        ("2020..2025", "2020..2025"),  # a term's resolution: the term
        ("2022-04-15..2022-05-30", "2022-04-15..2022-05-30"),  # a campaign's dates
    ],
)
def test_the_suggested_target_period(reviewed, target_period):
    assert suggested_target_period(reviewed) == target_period


def test_a_result_and_a_target_of_one_indicator_are_both_imported(ha_linh, catalog, officer):
    commune, _villages = ha_linh
    document = document_upload(filename="r.txt", data=REPORT.encode(), user=officer)
    hedge = catalog["hang-rao-xanh"]
    figures = [FigureChoice(0, hedge, False), FigureChoice(1, hedge, False, role="target")]

    _import(document, commune, figures, officer)

    assert Result.objects.get(indicator=hedge).value == Decimal(500)
    target = Target.objects.get(indicator=hedge)
    assert (target.unit, target.period, target.source, target.value) == (
        commune,
        "2022",
        "annual_plan",
        Decimal(3000),
    )
    document.refresh_from_db()
    assert [row["role"] for row in document.imported_figures] == ["result", "target"]


def test_two_targets_for_one_indicator_are_refused(ha_linh, catalog, officer):
    commune, _villages = ha_linh
    document = document_upload(filename="r.txt", data=REPORT.encode(), user=officer)
    hedge = catalog["hang-rao-xanh"]
    figures = [
        FigureChoice(0, hedge, False, role="target"),
        FigureChoice(1, hedge, False, role="target"),
    ]

    with pytest.raises(ValidationError, match="Nhiều số liệu cùng nhập vào một chỉ tiêu"):
        _import(document, commune, figures, officer)
    assert Meeting.objects.count() == Target.objects.count() == 0


def test_a_reporters_target_waits_for_a_manager(ha_linh, catalog):
    commune, _villages = ha_linh
    reporter = make_user("baocao", unit=commune, role=Role.REPORTER)
    manager = make_user("quanly", unit=commune, role=Role.MANAGER)
    document = document_upload(filename="r.txt", data=REPORT.encode(), user=reporter, unit=commune)
    hedge = catalog["hang-rao-xanh"]

    _import(document, commune, [FigureChoice(1, hedge, False, role="target")], reporter)

    assert Target.objects.count() == 0 and Result.objects.count() == 0
    assert document_confirm_targets(document=document, user=manager) == 1
    target = Target.objects.get()
    assert (target.period, target.source, target.value) == ("2022", "annual_plan", Decimal(3000))


def test_a_typed_target_period_wins_and_a_wrong_source_is_refused(ha_linh, catalog, officer):
    commune, _villages = ha_linh
    hedge = catalog["hang-rao-xanh"]
    document = document_upload(filename="r.txt", data=REPORT.encode(), user=officer)
    wrong = FigureChoice(1, hedge, False, role="target", source="wish")

    with pytest.raises(ValidationError) as refused:
        _import(document, commune, [wrong], officer)
    assert refused.value.message_dict == {
        "figure_1": ["hàng rào xanh: Nguồn chỉ tiêu ‘wish’ không hợp lệ."]
    }

    chosen = FigureChoice(1, hedge, False, role="target", source="council_resolution")
    _import(document, commune, [chosen], officer, target_period="2022-H2")
    target = Target.objects.get()
    assert (target.period, target.source) == ("2022-H2", "council_resolution")


def test_targets_without_any_period_are_refused(ha_linh, catalog, officer):
    commune, _villages = ha_linh
    document = document_upload(filename="r.txt", data=REPORT.encode(), user=officer)
    target = FigureChoice(1, catalog["hang-rao-xanh"], False, role="target")

    with pytest.raises(ValidationError) as refused:
        _import(document, commune, [target], officer, meeting=_meeting(period=""))

    assert "period" in refused.value.message_dict
    assert Meeting.objects.count() == Target.objects.count() == 0


# --- seed 000: one fence, two values ----------------------------------------------------------


def test_seed_000s_fence_reported_twice_is_flagged_and_prefilled_once(
    client, officer, ha_linh, catalog, seeds_dir
):
    document = upload_seed(client, seeds_dir, "000")
    extraction = read_text(next(seeds_dir.glob("000_*.txt")).read_text(encoding="utf-8"))
    first, second = figure_index(extraction, "5.615m"), figure_index(extraction, "5.630m")

    page = client.get(f"/documents/{document.pk}/").content.decode()

    warning = next(w for w in extraction.warnings if "ghi hai lần" in w)
    assert "5.615 m (dòng 14: ‘Trồng mới 5.615m hàng rào xanh’)" in warning
    assert "5.630 m (dòng 14: ‘Trồng mới 5.630m hàng rào xanh’)" in warning
    assert warning in page
    assert extraction.figures[second].same_as == first
    assert extraction.figures[first].same_as is None
    row = page[page.index(f'<a href="#f{second}">') :].split("</div>")[0]
    assert f'trùng với <a href="#f{first}">' in row
    data = form_data(page)
    assert data[f"figure_{first}"] == str(catalog["hang-rao-xanh"].pk)
    assert data[f"figure_{second}"] == ""

    data[f"figure_{second}"] = data[f"figure_{first}"]  # both sent to the fence: refused
    response = client.post(f"/documents/{document.pk}/", data)
    assert response.status_code == 400
    assert "Nhiều số liệu cùng nhập vào một chỉ tiêu" in response.content.decode()
    assert Result.objects.count() == 0
