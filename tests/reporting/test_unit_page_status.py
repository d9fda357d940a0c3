"""The unit page's breakdown beside the reporting cycle (issue #14): a village that owed its
weekly report and has not sent it is listed with "chưa báo cáo" and the deadline instead of
disappearing; one that sent late says "nộp muộn"; one waiting for the commune says "chờ
duyệt"; an approved figure is marked "đã duyệt", and "Chỉ số liệu đã duyệt" shows only the
villages' approved figures while the roll-up stays as it is. Query counts; rights.

The week: 2022-W16 (18–24/4/2022), due Friday 22/4/2022 17:00, Vietnam time. The expected
HTML rows are written out by hand from the values below.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests.factories import make_unit
from xaso.org.models import UnitKind
from xaso.periods import parse_period
from xaso.reporting.definitions import define_form
from xaso.reporting.models import SubmissionStatus
from xaso.reporting.services import approve_report, return_report, save_report, submit_report
from xaso.reporting.unit_status import report_status_by_child

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WEEK = parse_period("2022-W16")
PAGE = "/units/tg/?period=2022-W16"
DUE = datetime(2022, 4, 22, 17, 0, 0, tzinfo=VN)
ONE_SECOND_LATE = datetime(2022, 4, 22, 17, 0, 1, tzinfo=VN)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(cycle, village, values: dict, at: datetime, *, approve=False, returned=""):
    submission, _ = save_report(
        form=cycle.form,
        unit=village,
        period=WEEK,
        entries={indicator: (value, "final") for indicator, value in values.items()},
    )
    submission = submit_report(submission=submission, at=at, confirm=True)
    if approve:
        submission = approve_report(submission=submission, at=at)
    if returned:
        submission = return_report(submission=submission, reason=returned, at=at)
    return submission


@pytest.fixture
def week(cycle):
    """Cẩm Trang sent 320 m of fences at 17:00:00 on the Friday (on time), approved; Đông
    Giang 150 m at 17:00:01 (late), not yet approved; Tây Giang nothing."""
    cam_trang, dong_giang, _tay_giang = cycle.villages
    send(cycle, cam_trang, {cycle.fences: "320"}, DUE, approve=True)
    send(cycle, dong_giang, {cycle.fences: "150"}, ONE_SECOND_LATE)
    return cycle


def row(code: str, name: str, tags: str, figure: str, keep: str = "period=2022-W16") -> str:
    """One row of a breakdown when no village has a target (the last two cells empty)."""
    return (
        f'<tr><td><a href="/units/{code}/?{keep}">{name}</a>{tags}</td>'
        f'<td class="num">{figure}</td><td class="num muted"></td><td class="num"></td></tr>'
    )


NOT_SENT = (
    ' <span class="tag overdue">chưa báo cáo</span>'
    ' <span class="muted small" style="white-space:nowrap">hạn 22/04/2022 17:00</span>'
)
LATE = ' <span class="tag" style="background:#fff4e0;color:#8a5300">nộp muộn</span>'
WAITING = ' <span class="tag in_progress">chờ duyệt</span>'
APPROVED = ' <span class="tag done">đã duyệt</span>'


def fences_breakdown(html: str) -> str:
    start = html.index("Hàng rào xanh trồng mới")
    return html[start : html.index("</table>", start)]


def test_the_breakdown_lists_who_has_not_sent_who_was_late_and_who_waits(week):
    html = client_for(week.reviewer).get(PAGE).content.decode()

    fences = fences_breakdown(html)
    # 17:00:00 is on time: no "nộp muộn"; approved, so its figure is marked.
    assert row("tg-1", "Thôn Cẩm Trang", "", "320" + APPROVED) in fences
    # 17:00:01 is late; sent, not yet approved.
    assert row("tg-2", "Thôn Đông Giang", LATE + WAITING, "150") in fences
    # Sent nothing: listed anyway, with the deadline.
    assert row("tg-3", "Thôn Tây Giang", NOT_SENT, "—") in fences
    assert "Theo đơn vị trực thuộc (3) · " in html
    assert '<span style="color:var(--low)">1 chưa báo cáo</span> · 1 nộp muộn</summary>' in fences
    # The commune's figure is the roll-up of the two: 320 + 150.
    assert "<strong>470</strong>" in html


def test_an_indicator_nobody_has_sent_yet_still_has_its_line_with_every_village(week):
    html = client_for(week.reviewer).get(PAGE).content.decode()

    start = html.index("Hộ làm nhà tiêu tự hoại")
    toilets = html[start : html.index("</table>", start)]
    assert '<td class="num"><span class="muted">—</span></td>' in toilets  # no figure
    assert row("tg-1", "Thôn Cẩm Trang", "", "—") in toilets  # sent, left the box empty
    assert row("tg-2", "Thôn Đông Giang", LATE + WAITING, "—") in toilets
    assert row("tg-3", "Thôn Tây Giang", NOT_SENT, "—") in toilets


def test_a_draft_is_not_sent_and_a_returned_report_says_so(cycle):
    cam_trang, dong_giang, tay_giang = cycle.villages
    save_report(
        form=cycle.form, unit=tay_giang, period=WEEK, entries={cycle.fences: ("75", "final")}
    )
    send(cycle, dong_giang, {cycle.fences: "150"}, DUE, returned="Thiếu biên bản")

    html = client_for(cycle.reviewer).get(PAGE).content.decode()

    fences = fences_breakdown(html)
    assert row("tg-3", "Thôn Tây Giang", NOT_SENT, "75") in fences  # a draft's figure counts
    assert row(
        "tg-2", "Thôn Đông Giang", ' <span class="tag overdue">bị trả lại</span>', "150"
    ) in (fences)
    assert row("tg-1", "Thôn Cẩm Trang", NOT_SENT, "—") in fences


def test_approved_only_shows_the_villages_approved_figures_and_keeps_the_roll_up(week):
    html = client_for(week.reviewer).get(PAGE + "&approved=1").content.decode()

    keep = "period=2022-W16&amp;approved=1"
    fences = fences_breakdown(html)
    assert row("tg-1", "Thôn Cẩm Trang", "", "320" + APPROVED, keep) in fences
    withheld = '<span class="muted small" style="white-space:nowrap">chưa duyệt</span>'
    assert row("tg-2", "Thôn Đông Giang", LATE + WAITING, withheld, keep) in fences
    assert row("tg-3", "Thôn Tây Giang", NOT_SENT, "—", keep) in fences
    assert "<strong>470</strong>" in html  # the subtotal is not changed
    assert "Tổng hợp gồm cả số liệu chưa duyệt." in html
    assert 'role="switch" aria-checked="true">☑ Chỉ số liệu đã duyệt</a>' in html
    assert '<input type="hidden" name="approved" value="1">' in html
    # Without the switch, the same row shows the figure.
    plain = client_for(week.reviewer).get(PAGE).content.decode()
    assert 'role="switch" aria-checked="false">☐ Chỉ số liệu đã duyệt</a>' in plain
    assert "Tổng hợp gồm cả số liệu chưa duyệt" not in plain


def test_the_header_search_box_is_not_filled_with_the_page_s_link_parameters(week):
    html = client_for(week.reviewer).get(PAGE).content.decode()

    assert 'aria-label="Tìm đơn vị" value="">' in html


def test_only_a_form_s_own_period_has_a_status(week):
    client = client_for(week.reviewer)

    month = client.get("/units/tg/?period=2022-04").content.decode()
    year_to_date = client.get(PAGE + "&view=ytd").content.decode()

    for html in (month, year_to_date):
        assert "chưa báo cáo" not in html
        assert "nộp muộn" not in html
        assert "Chỉ số liệu đã duyệt" not in html


def test_a_village_reporter_sees_its_own_approved_figure_and_nothing_of_the_others(week):
    reporter = client_for(week.reporter)  # Cẩm Trang's head

    own = reporter.get("/units/tg-1/?period=2022-W16")
    commune = reporter.get(PAGE)
    neighbour = reporter.get("/units/tg-2/?period=2022-W16")

    assert own.status_code == 200
    html = own.content.decode()
    assert "<strong>320</strong>" + APPROVED in html
    assert "Đông Giang" not in html and "Tây Giang" not in html
    assert "chưa báo cáo" not in html  # a village has no children to list
    assert (commune.status_code, neighbour.status_code) == (403, 403)
    assert "nộp muộn" not in commune.content.decode()


def test_a_waiting_figure_of_the_village_is_not_marked(week):
    html = client_for(week.stranger_reporter).get("/units/tg-2/?period=2022-W16").content.decode()

    assert "<strong>150</strong></td>" in html
    assert "đã duyệt" not in html


# --- the reader and its queries ---------------------------------------------------------------


def test_the_reader_tells_each_child_s_report(week):
    cam_trang, dong_giang, tay_giang = week.villages

    found = report_status_by_child(week.commune, WEEK, None)

    first, second, third = (found.of(v, week.fences.pk) for v in week.villages)
    assert (first.sent, first.late, first.waiting) == (True, False, False)
    assert first.submission.status == SubmissionStatus.APPROVED
    assert (second.sent, second.late, second.waiting) == (True, True, True)
    assert (third.sent, third.submission, third.deadline_text) == (False, None, "22/04/2022 17:00")
    assert found.approved == {(cam_trang.path, week.fences.pk)}
    assert sorted(found.indicators) == sorted([week.fences.pk, week.toilets.pk, week.households.pk])


def test_units_not_on_the_form_owe_nothing(week, django_assert_num_queries):
    union = make_unit("Hội Phụ nữ Trang Giang", UnitKind.WOMENS_UNION, week.commune, code="tg-pn")

    with django_assert_num_queries(4):  # and the children, not given
        found = report_status_by_child(week.commune, WEEK, [week.fences])

    assert found.of(union, week.fences.pk) is None
    assert found.of(week.villages[2], week.fences.pk) is not None
    assert found.of(week.villages[2], week.toilets.pk) is None  # not asked for


def test_a_unit_listed_by_name_owes_its_report(cycle, django_assert_num_queries):
    union = make_unit("Hội Phụ nữ Trang Giang", UnitKind.WOMENS_UNION, cycle.commune, code="tg-pn")
    define_form(
        code="vp-tuan",
        name="Báo cáo tuần văn phòng",
        reviewer=cycle.province,
        period_type="week",
        deadline_rule="fri@17:00",
        indicators=[(cycle.households, "Chung")],
        reporter_units=[union],
    )

    children = [*cycle.villages, union]

    with django_assert_num_queries(4):  # items, approved, the listed units, reports
        found = report_status_by_child(cycle.commune, WEEK, None, children=children)

    assert found.of(union, cycle.households.pk).form.code == "vp-tuan"
    assert found.of(union, cycle.fences.pk) is None
    # The villages' households come from the commune's form, the first that has it.
    assert found.of(cycle.villages[0], cycle.households.pk).form.code == "ntm-tuan"


def test_the_reader_takes_three_queries_for_a_form_s_period_and_one_otherwise(
    week, django_assert_num_queries
):
    children = list(week.villages)

    with django_assert_num_queries(3):  # the forms' items, approved figures, the reports
        report_status_by_child(week.commune, WEEK, None, children=children)
    with django_assert_num_queries(1):  # no form is monthly
        found = report_status_by_child(
            week.commune, parse_period("2022-04"), None, children=children
        )
    assert found.reports == {} and found.approved == set()


def _page_queries(cycle, villages: int, django_assert_num_queries, count: int) -> str:
    for n in range(len(cycle.villages) + 1, villages + 1):
        make_unit(f"Thôn {n}", UnitKind.VILLAGE, cycle.commune, code=f"tg-{n}")
    client = client_for(cycle.reviewer)
    client.get(PAGE)  # the session, once
    with django_assert_num_queries(count):
        response = client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode()


# The page's own twelve (tests/web/test_pages.py) and the reporting cycle's three (the forms'
# items, the approved figures, the reports), whatever the number of villages.
UNIT_PAGE_QUERIES = 15


@pytest.mark.parametrize("villages", [3, 12])
def test_the_page_takes_the_same_queries_whatever_the_number_of_villages(
    week, villages, django_assert_num_queries
):
    html = _page_queries(week, villages, django_assert_num_queries, UNIT_PAGE_QUERIES)

    assert html.count('<span class="tag overdue">chưa báo cáo</span>') == 3 * (villages - 2)


def test_the_commune_s_own_approved_figure_on_the_province_s_monthly_form(
    cycle, django_assert_num_queries
):
    monthly = define_form(
        code="ntm-thang",
        name="Báo cáo tháng NTM",
        reviewer=cycle.province,
        period_type="month",
        deadline_rule="next-month:5",
        indicators=[(cycle.households, "Chung")],
        reporter_kind=UnitKind.COMMUNE,
    )
    april = parse_period("2022-04")
    submission, _ = save_report(
        form=monthly,
        unit=cycle.commune,
        period=april,
        entries={cycle.households: ("1.250", "final")},
    )
    approve_report(submission=submit_report(submission=submission, at=DUE))

    with django_assert_num_queries(2):  # the forms' items, the approved figures; no village
        found = report_status_by_child(cycle.commune, april, None, children=cycle.villages)
    html = client_for(cycle.reviewer).get("/units/tg/?period=2022-04").content.decode()

    assert found.reports == {} and found.approved == {(cycle.commune.path, cycle.households.pk)}
    assert "<strong>1.250</strong>" + APPROVED in html
    assert "chưa báo cáo" not in html  # the villages do not report on it


def test_no_switch_where_no_child_reports_on_a_form(week):
    make_unit("Tổ liên gia 1", UnitKind.HOUSEHOLD_GROUP, week.villages[0], code="tg-1-1")

    html = client_for(week.reporter).get("/units/tg-1/?period=2022-W16").content.decode()

    assert "Tổ liên gia 1" in html  # a child, not on the form
    assert "Chỉ số liệu đã duyệt" not in html
    assert "chưa báo cáo" not in html
