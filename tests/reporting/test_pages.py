"""The reporting pages over HTTP: a form's sheet (save, send, warnings, mistakes, a stale
page), the reviewer's actions on a sent report, who has reported, a unit's forms; rights;
query counts.

The week: 2022-W15 (11–17/4/2022), due Friday 15/4/2022 17:00, Vietnam time.
"""

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import make_unit, make_user
from xaso.audit.models import AuditEntry
from xaso.figures.models import Result, ResultChange
from xaso.figures.services import record_result, set_target
from xaso.org.models import Role, UnitKind
from xaso.periods import parse_period
from xaso.reporting.models import Submission, SubmissionStatus
from xaso.reporting.services import save_report, submit_report

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WEEK = parse_period("2022-W15")
SHEET = "/units/tg-1/reports/ntm-tuan/2022-W15/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def hidden(html: str, name: str) -> str:
    found = re.search(rf'<input type="hidden" name="{name}"[^>]*>', html)
    assert found, f"no hidden {name}"
    value = re.search(r'value="([^"]*)"', found.group(0))
    return value.group(1) if value else ""


def sheet_data(html: str, action: str = "submit", **values) -> dict:
    """What the browser sends back: the page's hidden fields and the boxes as typed."""
    data = {"action": action}
    for name in ("version", "once", "confirmed"):
        data[name] = hidden(html, name)
    for code in ("hang-rao-xanh", "nha-tieu-tu-hoai", "so-ho"):
        data[f"was_{code}"] = hidden(html, f"was_{code}")
        data[f"ok_{code}"] = ""
        data[f"v_{code}"] = box(html, code)
        data[f"s_{code}"] = "final"
    for key, value in values.items():
        data[f"v_{key.replace('_', '-')}"] = value
    return data


def box(html: str, code: str) -> str:
    found = re.search(rf'<input type="text" name="v_{code}"[^>]*>', html)
    assert found, f"no box {code}"
    value = re.search(r'value="([^"]*)"', found.group(0))
    return value.group(1) if value else ""


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def at(day, hour, minute=0):
    return datetime(2022, 4, day, hour, minute, tzinfo=VN)


def test_the_sheet_shows_the_form_s_indicators_with_target_last_week_status_and_deadline(cycle):
    village = cycle.villages[0]
    set_target(
        unit=village, indicator=cycle.fences, period="2022", source="district_plan", value="2500"
    )
    record_result(unit=village, indicator=cycle.fences, period="2022-W14", value="1.250,5")
    make_unit_indicator = Result.objects.count()

    response = client_for(cycle.reporter).get(SHEET)

    assert response.status_code == 200
    text = text_of(response)
    assert [g for g in ("Cảnh quan", "Vệ sinh", "Chung") if g in text] == [
        "Cảnh quan",
        "Vệ sinh",
        "Chung",
    ]
    assert text.index("Cảnh quan") < text.index("Vệ sinh") < text.index("Chung")
    assert "Chỉ tiêu năm 2022: 2.500" in text
    assert "Kỳ trước (tuần 14/2022): 1.250,5" in text or ("Kỳ trước" in text and "1.250,5" in text)
    assert "Hạn nộp 15/04/2022 17:00" in text
    assert "Chưa nhập" in text
    assert "Lưu nháp" in text and "Gửi báo cáo" in text
    assert hidden(response.content.decode(), "version") == "0"
    assert Result.objects.count() == make_unit_indicator  # reading writes nothing


def test_submit_then_approve_over_http(cycle):
    reporter, reviewer = client_for(cycle.reporter), client_for(cycle.reviewer)
    page = reporter.get(SHEET).content.decode()

    sent = reporter.post(
        SHEET, sheet_data(page, hang_rao_xanh="320", nha_tieu_tu_hoai="2", so_ho="120")
    )

    assert sent.status_code == 302
    submission = Submission.objects.get(unit=cycle.villages[0], period="2022-W15")
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_by == cycle.reporter
    after = reporter.get(SHEET)
    assert "Đã gửi, chờ duyệt" in text_of(after)
    assert 'name="v_' not in after.content.decode()  # read-only once sent

    review_url = f"/reports/submissions/{submission.pk}/"
    review_page = reviewer.get(review_url)
    assert review_page.status_code == 200
    assert "320" in text_of(review_page) and "Duyệt" in text_of(review_page)
    html = review_page.content.decode()
    approved = reviewer.post(
        review_url,
        {"action": "approve", "version": hidden(html, "version"), "once": hidden(html, "once")},
    )

    assert approved.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED
    assert submission.reviewed_by == cycle.reviewer
    values = Result.objects.filter(unit=cycle.villages[0], period="2022-W15")
    assert sorted((r.indicator.code, r.value, r.approved) for r in values) == [
        ("hang-rao-xanh", Decimal("320"), True),
        ("nha-tieu-tu-hoai", Decimal("2"), True),
        ("so-ho", Decimal("120"), True),
    ]
    assert "Đã duyệt" in text_of(reporter.get(SHEET))


def test_the_same_submit_sent_twice_is_stored_once(cycle):
    reporter = client_for(cycle.reporter)
    data = sheet_data(reporter.get(SHEET).content.decode(), hang_rao_xanh="320", so_ho="120")
    audits = AuditEntry.objects.count()

    first = reporter.post(SHEET, data)
    changes = ResultChange.objects.count()
    audited = AuditEntry.objects.count()
    version = Submission.objects.get().version
    second = reporter.post(SHEET, data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert Submission.objects.get().version == version
    assert ResultChange.objects.count() == changes
    assert AuditEntry.objects.count() == audited > audits
    assert "đã được thực hiện trước đó" in text_of(reporter.get(SHEET))


def test_a_returned_report_shows_its_reason_to_the_reporter(cycle, monkeypatch):
    reporter, reviewer = client_for(cycle.reporter), client_for(cycle.reviewer)
    reporter.post(
        SHEET, sheet_data(reporter.get(SHEET).content.decode(), hang_rao_xanh="320", so_ho="120")
    )
    submission = Submission.objects.get()
    url = f"/reports/submissions/{submission.pk}/"
    html = reviewer.get(url).content.decode()

    empty = reviewer.post(
        url, {"action": "return", "version": hidden(html, "version"), "once": "k1", "reason": "  "}
    )
    assert empty.status_code == 400
    assert "Hãy ghi lý do trả lại" in text_of(empty)
    back = reviewer.post(
        url,
        {
            "action": "return",
            "version": hidden(html, "version"),
            "once": "k2",
            "reason": "Thiếu số hộ làm nhà tiêu",
        },
    )

    assert back.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    sheet = reporter.get(SHEET)
    assert "Bị trả lại" in text_of(sheet)
    assert "Lý do: Thiếu số hộ làm nhà tiêu" in text_of(sheet)
    assert 'name="v_so-ho"' in sheet.content.decode()  # editable again
    monkeypatch.setattr(timezone, "now", lambda: at(14, 9))
    assert "Thiếu số hộ làm nhà tiêu" in text_of(reporter.get("/units/tg-1/reports/"))


def test_a_stale_page_answers_409_with_both_values_and_keeps_what_was_typed(cycle):
    reporter = client_for(cycle.reporter)
    opened = reporter.get(SHEET).content.decode()
    # Meanwhile the commune's officer saves the village's report.
    save_report(
        form=cycle.form,
        unit=cycle.villages[0],
        period=WEEK,
        entries={cycle.fences: ("300", "final"), cycle.households: ("118", "final")},
        user=cycle.reviewer,
        version=0,
    )

    stale = reporter.post(SHEET, sheet_data(opened, action="save", hang_rao_xanh="320"))

    assert stale.status_code == 409
    text = text_of(stale)
    assert "Bạn nhập: 320" in text and "Hiện tại: 300" in text
    assert "Lúc bạn mở trang: chưa có số" in text
    html = stale.content.decode()
    assert box(html, "hang-rao-xanh") == "320"  # nothing typed is lost
    assert box(html, "so-ho") == "118"  # a box left as shown takes the new value
    assert hidden(html, "version") == "1"
    assert Result.objects.get(unit=cycle.villages[0], indicator=cycle.fences).value == 300

    again = reporter.post(SHEET, sheet_data(html, action="save"))  # "keep mine"

    assert again.status_code == 302
    assert Result.objects.get(unit=cycle.villages[0], indicator=cycle.fences).value == 320
    assert Result.objects.get(unit=cycle.villages[0], indicator=cycle.households).value == 118


def test_mistakes_answer_400_beside_the_fields_with_the_typed_values_kept(cycle):
    reporter = client_for(cycle.reporter)
    page = reporter.get(SHEET).content.decode()

    wrong = reporter.post(SHEET, sheet_data(page, hang_rao_xanh="ba trăm", so_ho="120"))
    assert wrong.status_code == 400
    html = wrong.content.decode()
    assert box(html, "hang-rao-xanh") == "ba trăm" and box(html, "so-ho") == "120"
    assert "Chưa lưu, chưa gửi" in text_of(wrong)

    broken = reporter.post(SHEET, sheet_data(page, nha_tieu_tu_hoai="130", so_ho="120"))
    assert broken.status_code == 400
    row = re.search(
        r'name="v_nha-tieu-tu-hoai".*?</div>\s*(.*?)</div>', broken.content.decode(), re.S
    )
    assert "Số hộ làm nhà tiêu vượt số hộ của thôn." in row.group(1)
    assert box(broken.content.decode(), "nha-tieu-tu-hoai") == "130"
    assert not Submission.objects.filter(status=SubmissionStatus.SUBMITTED).exists()
    assert not Result.objects.exists()  # "Gửi báo cáo" refused saves nothing either


def test_warnings_are_confirmed_once_with_the_values_kept(cycle):
    village = cycle.villages[0]
    set_target(
        unit=village, indicator=cycle.fences, period="2022", source="district_plan", value="100"
    )
    reporter = client_for(cycle.reporter)
    page = reporter.get(SHEET).content.decode()

    asked = reporter.post(SHEET, sheet_data(page, hang_rao_xanh="900", so_ho="120"))

    assert asked.status_code == 200
    text = text_of(asked)
    assert "gấp hơn 5 lần chỉ tiêu" in text and "Gửi dù vậy" in text
    html = asked.content.decode()
    assert box(html, "hang-rao-xanh") == "900"
    assert hidden(html, "confirmed") != ""
    assert not Submission.objects.filter(status=SubmissionStatus.SUBMITTED).exists()

    # Changed to another unusual value: that warning was not the one confirmed.
    other = reporter.post(SHEET, sheet_data(html, hang_rao_xanh="800"))
    assert other.status_code == 200 and "Gửi dù vậy" in text_of(other)
    confirmed = reporter.post(SHEET, sheet_data(other.content.decode()))

    assert confirmed.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert Result.objects.get(unit=village, indicator=cycle.fences).value == 800


def test_only_writers_of_the_unit_open_its_sheet_and_the_reporter_reads_the_review_page(cycle):
    assert client_for(cycle.stranger_reporter).get(SHEET).status_code == 403
    assert client_for(cycle.stranger_reporter).post(SHEET, {"action": "save"}).status_code == 403
    # A unit that does not report on the form, a period of another kind.
    assert client_for(cycle.reviewer).get("/units/tg/reports/ntm-tuan/2022-W15/").status_code == 404
    assert (
        client_for(cycle.reporter).get("/units/tg-1/reports/ntm-tuan/2022-04/").status_code == 404
    )

    reporter = client_for(cycle.reporter)
    reporter.post(SHEET, sheet_data(reporter.get(SHEET).content.decode(), hang_rao_xanh="5"))
    submission = Submission.objects.get()
    url = f"/reports/submissions/{submission.pk}/"
    page = reporter.get(url)
    assert page.status_code == 200
    assert 'value="approve"' not in page.content.decode()
    assert reporter.post(url, {"action": "approve", "version": "1", "once": "x"}).status_code == 403
    assert client_for(cycle.stranger_reporter).get(url).status_code == 404
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_a_correction_after_approval_needs_a_reason(cycle):
    reporter, reviewer = client_for(cycle.reporter), client_for(cycle.reviewer)
    reporter.post(
        SHEET, sheet_data(reporter.get(SHEET).content.decode(), hang_rao_xanh="320", so_ho="120")
    )
    submission = Submission.objects.get()
    url = f"/reports/submissions/{submission.pk}/"
    html = reviewer.get(url).content.decode()
    reviewer.post(url, {"action": "approve", "version": hidden(html, "version"), "once": "a"})
    html = reviewer.get(url).content.decode()
    data = sheet_data(html, action="correct", hang_rao_xanh="330")
    data["once"] = "c1"

    no_reason = reviewer.post(url, data | {"reason": ""})
    assert no_reason.status_code == 400
    assert "phải ghi lý do" in text_of(no_reason)
    corrected = reviewer.post(url, data | {"once": "c2", "reason": "Thôn báo nhầm"})

    assert corrected.status_code == 302
    fences = Result.objects.get(unit=cycle.villages[0], indicator=cycle.fences)
    assert (fences.value, fences.approved) == (Decimal("330"), True)
    assert ResultChange.objects.filter(reason="Thôn báo nhầm").count() == 1
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED


def send_at(cycle, village, when, monkeypatch, **values):
    submission, _ = save_report(
        form=cycle.form,
        unit=village,
        period=WEEK,
        entries={cycle.fences: (values.get("fences", "10"), "final")}
        | ({cycle.toilets: (values["toilets"], "final")} if "toilets" in values else {}),
    )
    monkeypatch.setattr(timezone, "now", lambda: when)
    sent = submit_report(submission=submission, version=submission.version)
    monkeypatch.undo()
    return sent


def test_completeness_counts_by_hand(cycle, monkeypatch):
    # Cẩm Trang on time (Friday 16:59), Đông Giang late (Saturday 08:00), Tây Giang a draft.
    on_time = send_at(cycle, cycle.villages[0], at(15, 16, 59), monkeypatch)
    late = send_at(cycle, cycle.villages[1], at(16, 8), monkeypatch)
    save_report(form=cycle.form, unit=cycle.villages[2], period=WEEK, entries={})
    # The week before: all three on time (3/3, 100 %).
    before = parse_period("2022-W14")
    for village in cycle.villages:
        s, _ = save_report(form=cycle.form, unit=village, period=before, entries={})
        monkeypatch.setattr(timezone, "now", lambda: at(8, 9))
        submit_report(submission=s, version=s.version)
        monkeypatch.undo()
    # An unusual value and a broken rule this week, for the validation run.
    record_result(unit=cycle.villages[0], indicator=cycle.households, period="2022-W15", value="3")
    record_result(unit=cycle.villages[0], indicator=cycle.toilets, period="2022-W15", value="7")

    response = client_for(cycle.reviewer).get(
        "/units/tg/reports/ntm-tuan/completeness/?period=2022-W15"
    )

    assert response.status_code == 200
    text = text_of(response)
    # By hand: 3 expected; sent 2 of 3 = 66,7 %; on time 1 of 3 = 33,3 %; 1 late; 1 not yet.
    assert "3 đơn vị phải báo cáo" in text
    assert "2 đã gửi (66,7%)" in text
    assert "1 đúng hạn (33,3%)" in text
    assert "1 muộn" in text and "1 chưa gửi" in text
    html = response.content.decode()
    assert f'href="/reports/submissions/{on_time.pk}/"' in html
    assert f'href="/reports/submissions/{late.pk}/"' in html
    assert re.search(r"Tây Giang.*?chưa báo cáo.*?đang soạn.*?hạn 15/04/2022 17:00", text)
    rates = html[html.index('id="rates"') :]
    assert "2/3 · 66,7%" in rates and "1/3 · 33,3%" in rates
    assert rates.count("3/3 · 100,0%") == 2  # the week before: sent and on time
    assert "Hạn nộp 15/04/2022 17:00" in text
    assert "Thôn Cẩm Trang: Số hộ làm nhà tiêu vượt số hộ của thôn." in text or (
        "Cẩm Trang" in text and "Số hộ làm nhà tiêu vượt số hộ của thôn." in text
    )


def test_the_reports_tab_lists_the_unit_s_forms_with_status_and_deadline(cycle, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(14, 9))
    village = client_for(cycle.reporter).get("/units/tg-1/reports/")
    commune = client_for(cycle.reviewer).get("/units/tg/reports/")

    assert village.status_code == commune.status_code == 200
    text = text_of(village)
    assert "Báo cáo tuần NTM" in text and "hạn 15/04/2022 17:00" in text and "Chưa nhập" in text
    assert 'href="/units/tg-1/reports/ntm-tuan/2022-W15/"' in village.content.decode()
    assert 'aria-current="page">Báo cáo' in village.content.decode()
    assert "Đã gửi 0/3" in text_of(commune)
    assert (
        'href="/units/tg/reports/ntm-tuan/completeness/?period=2022-W15"'
        in commune.content.decode()
    )
    viewer = make_user("xem", unit=cycle.province, role=Role.VIEWER)
    assert client_for(viewer).get("/units/tg-1/reports/").status_code == 200
    assert client_for(viewer).get(SHEET).status_code == 403


def grow(cycle, extra: int) -> None:
    for n in range(extra):
        make_unit(f"Thôn thêm {n}", UnitKind.VILLAGE, cycle.commune, code=f"tg-x{n}")


@pytest.mark.parametrize("extra", [0, 9])
def test_query_counts_do_not_grow_with_the_villages(
    cycle, extra, monkeypatch, django_assert_max_num_queries
):
    grow(cycle, extra)
    for village in cycle.villages:
        send_at(cycle, village, at(15, 9), monkeypatch)
    submission = Submission.objects.filter(unit=cycle.villages[0]).get()
    reviewer, reporter = client_for(cycle.reviewer), client_for(cycle.reporter)
    reviewer.get("/")  # the session and user are loaded once before counting

    with django_assert_max_num_queries(14):
        assert reporter.get(SHEET).status_code == 200
    with django_assert_max_num_queries(24):
        assert reviewer.get(f"/reports/submissions/{submission.pk}/").status_code == 200
    with django_assert_max_num_queries(14):
        assert reviewer.get("/units/tg/reports/").status_code == 200
    # Completeness and the rates of 8 weeks: one query a week. The validation run
    # (`validation.validation_run`, not this page's) still reads 6 queries per village.
    villages = 3 + extra
    with django_assert_max_num_queries(20 + 6 * villages):
        assert reviewer.get("/units/tg/reports/ntm-tuan/completeness/").status_code == 200
