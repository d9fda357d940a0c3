"""The meeting pages over HTTP: the list, a meeting, the task board, recording a meeting and
updating a task; login and rights; query counts that do not grow with the list."""

import datetime as dt
import itertools
import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import make_commune_tree, make_indicator, make_unit, make_user
from xaso.figures.services import record_result, set_target
from xaso.meetings.models import (
    Attendance,
    Directive,
    DirectiveStatus,
    FollowUp,
    Meeting,
    Person,
)
from xaso.meetings.services import (
    AttendeeInput,
    AwardInput,
    DirectiveInput,
    DocumentInput,
    directive_follow_up,
    meeting_record,
)
from xaso.org.models import OrgUnit, Role, UnitKind
from xaso.org.services import membership_grant

pytestmark = pytest.mark.django_db

# Queries per page, whatever the number of meetings or directives. If a change adds one on
# purpose, raise the number here; if it grows with the list, that is an N+1.
MEETING_LIST_QUERIES = 7
# The task board reads the user's roles (org.policy); a unit's predecessors are asked only of
# a unit formed in a reorganisation (valid_from), not of this one.
TASK_BOARD_QUERIES = 7

MEETING_DAY = dt.date(2022, 11, 30)
_titles = itertools.count(1)


@pytest.fixture
def places():
    """Hà Tĩnh > Hương Khê (hk) > Hà Linh (hl, villages hl-1..3) and Hà Bình (hb)."""
    province, district, commune, villages = make_commune_tree()
    other = make_unit("Hà Bình", UnitKind.COMMUNE, district, code="hb")
    return district, commune, other, villages


def reader():
    """A viewer of every province there is: reads every page of these tests, writes nothing."""
    user = make_user("officer")
    for root in OrgUnit.objects.filter(depth=1):
        membership_grant(user=user, unit=root, role=Role.VIEWER)
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def record(host, **fields) -> Meeting:
    values = {
        "kind": "executive_regular",
        "title": f"Hội nghị số {next(_titles)}",
        "date": MEETING_DAY,
        **fields,
    }
    return meeting_record(host=host, **values)


def meetings_listed(html: str) -> list[str]:
    return re.findall(r'<a href="/meetings/\d+/"><strong>([^<]*)</strong></a>', html)


def squeezed(html: str) -> str:
    """The page with every run of whitespace (template line breaks included) as one space."""
    return re.sub(r"\s+", " ", html)


def tasks_listed(html: str) -> list[str]:
    return re.findall(r'<a href="/tasks/\d+/">([^<]*)</a>', html)


def input_value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html).group()
    found = re.search(r'value="([^"]*)"', tag)
    return found.group(1) if found else ""


def textarea_value(html: str, name: str) -> str:
    found = re.search(rf'<textarea name="{re.escape(name)}"[^>]*>\n?(.*?)</textarea>', html, re.S)
    return found.group(1)


def selected(html: str, name: str) -> str:
    select = re.search(rf'<select name="{re.escape(name)}".*?</select>', html, re.S).group()
    return re.search(r'<option value="([^"]*)" selected>', select).group(1)


# --- logging in ---------------------------------------------------------------------------


def test_every_meeting_page_sends_anonymous_visitors_to_the_login_page(places):
    district, commune, other, villages = places
    meeting = record(commune, directives=[DirectiveInput(text="Việc.", assigned_to=[commune])])
    directive = meeting.directives.get()
    paths = [
        "/units/hl/meetings/",
        "/units/hl/meetings/new/",
        "/units/hl/tasks/",
        f"/meetings/{meeting.pk}/",
        f"/tasks/{directive.pk}/",
    ]

    for path in paths:
        response = Client().get(path)
        assert (response.status_code, response.url) == (302, f"/login/?next={path}")
    post = Client().post(f"/tasks/{directive.pk}/", {"status": "done", "note": "Xong."})
    assert (post.status_code, post.url) == (302, f"/login/?next=/tasks/{directive.pk}/")
    assert FollowUp.objects.count() == 0


def test_unknown_units_meetings_and_tasks_are_not_found(places):
    client = logged_in(reader())

    assert client.get("/units/no-such-unit/meetings/").status_code == 404
    assert client.get("/units/no-such-unit/tasks/").status_code == 404
    assert client.get("/meetings/999999/").status_code == 404
    assert client.get("/tasks/999999/").status_code == 404


# --- the meeting list ---------------------------------------------------------------------


@pytest.fixture
def meetings(places):
    """Four meetings Hà Linh hosted or took part in, one of Hà Bình's, none else."""
    district, commune, other, villages = places
    record(commune, title="BCH tháng 10", date=dt.date(2022, 10, 28), period="2022-10")
    record(
        commune,
        title="BCH mở rộng tháng 11",
        kind="executive_extended",
        date=dt.date(2022, 11, 30),
        time_of_day="morning",
        period="2022-11",
        attendees=[AttendeeInput(role="chair", name="Phan Đình Tâm", title="PBT TT Đảng ủy")],
        directives=[
            DirectiveInput(text="Một.", assigned_to=[commune]),
            DirectiveInput(text="Hai.", assigned_to=[commune]),
        ],
    )
    record(commune, title="Giao ban 6 tháng", kind="briefing", date=dt.date(2022, 6, 21))
    record(
        district,
        title="Huyện làm việc với Hà Linh",
        kind="working_session",
        date=dt.date(2022, 6, 22),
        period="2022-H1",
        units=[commune],
    )
    record(other, title="BCH Hà Bình tháng 12", date=dt.date(2022, 12, 5))
    return places


def test_a_units_meetings_are_listed_newest_first_with_those_it_took_part_in(meetings):
    client = logged_in(reader())

    response = client.get("/units/hl/meetings/")

    assert response.status_code == 200
    html = response.content.decode()
    assert meetings_listed(html) == [
        "BCH mở rộng tháng 11",
        "BCH tháng 10",
        "Huyện làm việc với Hà Linh",
        "Giao ban 6 tháng",
    ]
    assert "Sáng 30/11/2022 · Hội nghị BCH mở rộng" in html
    assert "đánh giá tháng 11/2022" in html
    assert "Chủ trì: Phan Đình Tâm, PBT TT Đảng ủy · 2 nhiệm vụ" in html
    assert "22/06/2022 · Buổi làm việc · Huyện Hương Khê" in html  # hosted elsewhere: named


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?kind=executive_extended", ["BCH mở rộng tháng 11"]),
        ("?kind=briefing", ["Giao ban 6 tháng"]),
        ("?period=2022-11", ["BCH mở rộng tháng 11"]),
        ("?period=2022-H1", ["Huyện làm việc với Hà Linh"]),
        ("?kind=executive_regular&period=2022-10", ["BCH tháng 10"]),
        ("?kind=executive_regular&period=2022-11", []),
    ],
)
def test_the_meeting_list_filters_by_kind_and_period(meetings, query, expected):
    html = logged_in(reader()).get(f"/units/hl/meetings/{query}").content.decode()

    assert meetings_listed(html) == expected
    if not expected:
        assert "Chưa có hội nghị nào khớp bộ lọc." in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?period=2022-h1", ["Huyện làm việc với Hà Linh"]),
        ("?period=2022-10", ["BCH tháng 10"]),
        ("?period=%202022-10%20", ["BCH tháng 10"]),
        ("?" + urlencode({"period": "6 tháng đầu năm 2022"}), ["Huyện làm việc với Hà Linh"]),
        ("?" + urlencode({"period": "Tháng 10/2022"}), ["BCH tháng 10"]),
    ],
)
def test_the_period_filter_reads_the_period_as_the_form_does(meetings, query, expected):
    # The form stores "2022-h1" as "2022-H1"; the filter must find it when typed the same way.
    html = logged_in(reader()).get(f"/units/hl/meetings/{query}").content.decode()

    assert meetings_listed(html) == expected


def test_the_kind_filter_stays_selected(meetings):
    html = (
        logged_in(reader()).get("/units/hl/meetings/?kind=briefing&period=2022-H1").content.decode()
    )

    assert selected(html, "kind") == "briefing"
    assert input_value(html, "period") == "2022-H1"


def test_a_district_sees_its_communes_meetings_only_when_asked_for_the_subtree(meetings):
    client = logged_in(reader())

    own = client.get("/units/hk/meetings/").content.decode()
    subtree = client.get("/units/hk/meetings/?scope=subtree").content.decode()

    assert meetings_listed(own) == ["Huyện làm việc với Hà Linh"]
    assert meetings_listed(subtree) == [
        "BCH Hà Bình tháng 12",
        "BCH mở rộng tháng 11",
        "BCH tháng 10",
        "Huyện làm việc với Hà Linh",
        "Giao ban 6 tháng",
    ]
    assert 'name="scope" value="subtree" checked' in subtree
    assert "05/12/2022 · Hội nghị BCH thường kỳ · Xã Hà Bình" in subtree


def test_the_subtree_of_a_commune_does_not_reach_its_neighbours(meetings):
    html = logged_in(reader()).get("/units/hb/meetings/?scope=subtree").content.decode()

    assert meetings_listed(html) == ["BCH Hà Bình tháng 12"]


def test_a_unit_without_meetings_says_so(places):
    html = logged_in(reader()).get("/units/hl-1/meetings/").content.decode()

    assert meetings_listed(html) == []
    assert "Chưa có hội nghị nào." in html


def test_only_those_who_may_record_see_the_new_meeting_link(meetings):
    district, commune, other, villages = meetings
    reporter = logged_in(make_user("reporter", unit=commune))
    viewer = logged_in(make_user("viewer", unit=commune, role=Role.VIEWER))
    stranger = logged_in(make_user("stranger"))

    assert 'href="/units/hl/meetings/new/"' in reporter.get("/units/hl/meetings/").content.decode()
    assert "/meetings/new/" not in viewer.get("/units/hl/meetings/").content.decode()
    assert "/meetings/new/" not in stranger.get("/units/hl/meetings/").content.decode()


def build_meetings(count: int):
    """A district whose two communes hosted `count` meetings, each with a chair, two directives
    and the other commune taking part."""
    n = next(_titles)
    province = make_unit(f"Tỉnh {n}", UnitKind.PROVINCE, code=f"p{n}")
    district = make_unit(f"Huyện {n}", UnitKind.DISTRICT, province, code=f"d{n}")
    communes = [
        make_unit(f"Xã {n}-{k}", UnitKind.COMMUNE, district, code=f"c{n}-{k}") for k in (1, 2)
    ]
    for k in range(count):
        host, guest = communes[k % 2], communes[(k + 1) % 2]
        record(
            host,
            date=MEETING_DAY - dt.timedelta(days=k),
            units=[guest],
            attendees=[AttendeeInput(role="chair", name=f"Người {k}", title="BT Đảng ủy")],
            directives=[
                DirectiveInput(text=f"Việc {k}a.", assigned_to=[host]),
                DirectiveInput(text=f"Việc {k}b.", assigned_to=[host, guest]),
            ],
        )
    return district


@pytest.mark.parametrize("count", [2, 10])
def test_the_meeting_list_takes_the_same_number_of_queries_whatever_its_length(
    count, django_assert_num_queries
):
    district = build_meetings(count)
    client = logged_in(reader())

    with django_assert_num_queries(MEETING_LIST_QUERIES):
        response = client.get(f"/units/{district.code}/meetings/?scope=subtree")

    html = response.content.decode()
    assert len(meetings_listed(html)) == count
    assert html.count("Chủ trì: Người ") == count
    assert html.count(" · 2 nhiệm vụ") == count


# --- a meeting ----------------------------------------------------------------------------


@pytest.fixture
def november(places):
    """Hà Linh's November meeting as report 000 tells it, with 1.135 m of corridor that month."""
    district, commune, other, villages = places
    corridor = make_indicator("hanh-lang", name="Mở rộng hành lang giao thông", unit="m")
    record_result(unit=commune, indicator=corridor, period="2022-11", value="1.135")
    set_target(unit=commune, indicator=corridor, period="2022", source="annual_plan", value="2.000")
    return record(
        commune,
        kind="executive_extended",
        title="Hội nghị BCH Đảng bộ mở rộng tháng 11 năm 2022",
        time_of_day="morning",
        place="Hội trường UBND xã",
        period="2022-11",
        units=[villages[0]],
        attendees=[
            AttendeeInput(role="chair", group="Thường trực Đảng ủy xã"),
            AttendeeInput(
                role="directing",
                name="Đoàn Thanh Hải",
                title="UVBCH Đảng bộ huyện, Phó Chủ nhiệm UBKT Huyện ủy",
            ),
            AttendeeInput(role="reporting", name="Phan Đình Tâm", title="PBT Thường trực Đảng ủy"),
            AttendeeInput(group="Thôn trưởng các thôn", group_count=12),
        ],
        documents=[DocumentInput(title="Báo cáo kết quả tháng 11", presenter="Phan Đình Tâm")],
        limitations=["Giáo dục chính trị tư tưởng chưa thường xuyên."],
        directives=[
            DirectiveInput(
                text="Làm tốt công tác tuyển quân năm 2023.",
                assigned_to=[commune],
                due_date=dt.date(2023, 2, 15),
                issued_by="Đoàn Thanh Hải",
            )
        ],
        awards=[
            AwardInput(
                kind="party_badge",
                detail="Huy hiệu 30, 40 năm tuổi Đảng",
                recipients="Đảng viên Đảng bộ xã",
                count=19,
            )
        ],
        summary="17/17 chi bộ sinh hoạt chuyên đề.",
        conclusions="Tập trung về đích NTM.",
        source="Báo cáo 000",
    )


def test_the_meeting_page_shows_who_met_and_what_they_said(november):
    response = logged_in(reader()).get(f"/meetings/{november.pk}/")

    assert response.status_code == 200
    html = squeezed(response.content.decode())
    assert "<h2>Hội nghị BCH Đảng bộ mở rộng tháng 11 năm 2022</h2>" in html
    assert (
        "Hội nghị BCH mở rộng · Sáng ngày 30/11/2022 · tại Hội trường UBND xã "
        "· đánh giá tháng 11/2022"
    ) in html
    assert "<dt>Chủ trì</dt><dd>Thường trực Đảng ủy xã </dd>" in html
    assert (
        "đồng chí <strong>Đoàn Thanh Hải</strong>, "
        '<span title="UVBCH Đảng bộ huyện, Phó Chủ nhiệm UBKT Huyện ủy">'
        "Ủy viên Ban Chấp hành Đảng bộ huyện, Phó Chủ nhiệm Ủy ban Kiểm tra Huyện ủy</span>"
        " — <em>dự và phát biểu chỉ đạo</em>"
    ) in html
    assert (
        '<span title="PBT Thường trực Đảng ủy">Phó Bí thư Thường trực Đảng ủy</span>'
        " — <em>trình bày báo cáo</em>"
    ) in html
    assert "<li>Thôn trưởng các thôn (12) </li>" in html
    assert "Báo cáo: Báo cáo kết quả tháng 11 — Phan Đình Tâm" in html
    assert '<a href="/units/hl-1/">Thôn 1</a>' in html
    assert "17/17 chi bộ sinh hoạt chuyên đề." in html
    assert "<li>Giáo dục chính trị tư tưởng chưa thường xuyên.</li>" in html
    assert "Tập trung về đích NTM." in html
    directive = november.directives.get()
    assert f'<a href="/tasks/{directive.pk}/">Làm tốt công tác tuyển quân năm 2023.</a>' in html
    assert "Giao: Xã Hà Linh · hạn 15/02/2023 · Đoàn Thanh Hải giao" in html
    assert "<li>Huy hiệu 30, 40 năm tuổi Đảng: Đảng viên Đảng bộ xã (19)</li>" in html
    assert "Nguồn: Báo cáo 000" in html


def test_the_meeting_page_shows_the_hosts_figures_for_the_reviewed_period(november):
    html = logged_in(reader()).get(f"/meetings/{november.pk}/").content.decode()

    assert "Số liệu Xã Hà Linh, tháng 11/2022" in html
    assert "Mở rộng hành lang giao thông" in html
    assert "<strong>1.135</strong>" in html
    assert "2.000" in html
    assert "56,8%" in html
    assert 'href="/units/hl/?period=2022-11"' in html


def test_a_meeting_without_a_period_shows_no_figures(places):
    district, commune, other, villages = places
    corridor = make_indicator("hanh-lang", unit="m")
    record_result(unit=commune, indicator=corridor, period="2022-11", value="1.135")
    meeting = record(commune)
    reviewing = record(commune, period="2022-11")  # the same host, with a period: figures
    client = logged_in(reader())

    response = client.get(f"/meetings/{meeting.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h2>{meeting.title}</h2>" in html  # the minutes themselves are there
    assert "ngày 30/11/2022" in html
    assert " · đánh giá " not in html  # no period in the heading
    assert "1.135" not in html
    assert "Số liệu Xã Hà Linh" not in html
    control = client.get(f"/meetings/{reviewing.pk}/").content.decode()
    assert "Số liệu Xã Hà Linh, tháng 11/2022" in control
    assert "<strong>1.135</strong>" in control


def test_an_overdue_directive_is_flagged_on_the_meeting_page(places):
    district, commune, other, villages = places
    meeting = record(
        commune,
        directives=[
            DirectiveInput(text="Trễ.", assigned_to=[commune], due_date=dt.date(2022, 12, 1))
        ],
    )

    html = logged_in(reader()).get(f"/meetings/{meeting.pk}/").content.decode()

    assert '<span class="tag overdue">Quá hạn</span>' in html


# --- the task board -----------------------------------------------------------------------


@pytest.fixture
def board(places):
    """Six directives given to Hương Khê's two communes and a village, relative to today."""
    district, commune, other, villages = places
    today = timezone.localdate()
    days = dt.timedelta
    held = today - days(60)
    meeting = record(
        commune,
        date=held,
        attendees=[AttendeeInput(role="chair", name="Phan Đình Tâm", title="PBT Đảng ủy")],
        directives=[
            DirectiveInput(text="Trễ 5 ngày.", assigned_to=[commune], due_date=today - days(5)),
            DirectiveInput(
                text="Sắp đến hạn.", assigned_to=[villages[0]], due_date=today + days(3)
            ),
            DirectiveInput(text="Không ghi hạn.", assigned_to=[commune]),
            DirectiveInput(
                text="Đã xong dù quá ngày.",
                assigned_to=[commune],
                due_date=today - days(30),
                issued_by="Phan Đình Tâm",
            ),
        ],
    )
    record(
        other,
        date=held,
        directives=[
            DirectiveInput(text="Trễ 20 ngày.", assigned_to=[other], due_date=today - days(20)),
            DirectiveInput(text="Còn 10 ngày.", assigned_to=[other], due_date=today + days(10)),
            DirectiveInput(text="Hạn hôm nay.", assigned_to=[other], due_date=today),
        ],
    )
    done = meeting.directives.get(number=4)
    directive_follow_up(directive=done, status="done", note="Xong.", date=today)
    record(make_unit("Xã ngoài huyện", UnitKind.COMMUNE, code="ngoai"), date=held)
    return places


def test_a_districts_task_board_lists_its_communes_open_directives_overdue_first(board):
    response = logged_in(reader()).get("/units/hk/tasks/")

    assert response.status_code == 200
    html = response.content.decode()
    assert tasks_listed(html) == [
        "Trễ 20 ngày.",
        "Trễ 5 ngày.",
        "Hạn hôm nay.",
        "Sắp đến hạn.",
        "Còn 10 ngày.",
        "Không ghi hạn.",
    ]
    assert "<strong>6 nhiệm vụ chưa hoàn thành</strong>" in html
    assert '<span class="tag overdue">2 quá hạn</span>' in html
    assert html.count('<span class="tag overdue">Quá hạn</span>') == 2
    assert "(Xã Hà Bình)" in html  # the meeting was held elsewhere: named
    assert 'href="?all=1"' in html


def test_the_task_board_shows_done_directives_with_all(board):
    html = logged_in(reader()).get("/units/hk/tasks/?all=1").content.decode()

    assert tasks_listed(html) == [
        "Trễ 20 ngày.",
        "Trễ 5 ngày.",
        "Đã xong dù quá ngày.",  # done is never overdue: it sorts by its date among the rest
        "Hạn hôm nay.",
        "Sắp đến hạn.",
        "Còn 10 ngày.",
        "Không ghi hạn.",
    ]
    assert "<strong>7 nhiệm vụ</strong>" in html
    assert '<span class="tag done">Hoàn thành</span>' in html
    assert "Phan Đình Tâm giao tại" in html
    assert 'href="?">Chỉ xem việc chưa xong</a>' in html


def test_a_communes_task_board_has_its_own_and_its_villages_directives_only(board):
    html = logged_in(reader()).get("/units/hl/tasks/").content.decode()

    assert tasks_listed(html) == ["Trễ 5 ngày.", "Sắp đến hạn.", "Không ghi hạn."]


def test_a_villages_task_board_has_only_the_villages_directives(board):
    html = logged_in(reader()).get("/units/hl-1/tasks/").content.decode()

    assert tasks_listed(html) == ["Sắp đến hạn."]


def test_an_empty_task_board_says_so(places):
    html = logged_in(reader()).get("/units/hl-2/tasks/").content.decode()

    assert tasks_listed(html) == []
    assert "Không có nhiệm vụ nào đang mở." in html


def build_directives(count: int):
    """A district whose two communes were given `count` directives at several meetings, by
    several people, some to both communes, some done."""
    n = next(_titles)
    province = make_unit(f"Tỉnh {n}", UnitKind.PROVINCE, code=f"p{n}")
    district = make_unit(f"Huyện {n}", UnitKind.DISTRICT, province, code=f"d{n}")
    communes = [
        make_unit(f"Xã {n}-{k}", UnitKind.COMMUNE, district, code=f"c{n}-{k}") for k in (1, 2)
    ]
    today = timezone.localdate()
    for start in range(0, count, 2):
        host = communes[start // 2 % 2]
        record(
            host,
            date=today - dt.timedelta(days=90),
            attendees=[AttendeeInput(name=f"Người {start}", title="PBT Đảng ủy")],
            directives=[
                DirectiveInput(
                    text=f"Việc {k}.",
                    assigned_to=communes if k % 3 == 0 else [host],
                    due_date=today + dt.timedelta(days=k - count // 2),
                    issued_by=f"Người {start}",
                )
                for k in range(start, min(start + 2, count))
            ],
        )
    return district


@pytest.mark.parametrize("count", [2, 10])
@pytest.mark.parametrize("query", ["", "?all=1"])
def test_the_task_board_takes_the_same_number_of_queries_whatever_its_length(
    count, query, django_assert_num_queries
):
    district = build_directives(count)
    client = logged_in(reader())

    with django_assert_num_queries(TASK_BOARD_QUERIES):
        response = client.get(f"/units/{district.code}/tasks/{query}")

    html = response.content.decode()
    assert len(tasks_listed(html)) == count
    assert html.count(" giao tại ") == count


# --- recording a meeting ------------------------------------------------------------------


def management(prefix: str, total: int) -> dict[str, str]:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0"}


def meeting_post(**changes: str) -> dict[str, str]:
    """What the form sends for Hà Linh's November meeting, with a spare blank row in each
    formset; `changes` overrides fields by their posted name."""
    data = {
        "kind": "executive_extended",
        "title": "Hội nghị BCH mở rộng tháng 11 năm 2022",
        "date": "30/11/2022",
        "time_of_day": "morning",
        "place": "Hội trường xã",
        "period": "2022-11",
        "units": "hl-1\nThôn 2",
        "summary": "17/17 chi bộ sinh hoạt chuyên đề.",
        "limitations": "- Giáo dục chưa thường xuyên.\n\n• Phong trào chưa đều.",
        "conclusions": "",
        **management("a", 4),
        "a-0-role": "chair",
        "a-0-group": "Thường trực Đảng ủy xã",
        "a-1-role": "directing",
        "a-1-name": "Đoàn Thanh Hải",
        "a-1-title": "UVBCH Đảng bộ huyện, PCN UBKT Huyện ủy",
        "a-2-role": "",
        "a-2-group": "Thôn trưởng các thôn",
        "a-2-group_count": "12",
        **management("d", 2),
        "d-0-kind": "report",
        "d-0-title": "Báo cáo tháng 11",
        "d-0-presenter": "",
        **management("t", 3),
        "t-0-text": "Làm tốt công tác tuyển quân năm 2023.",
        "t-0-assigned_to": "Xã Hà Linh",
        "t-0-due_date": "15/02/2023",
        "t-0-issued_by": "Đoàn Thanh Hải",
        "t-1-text": "Các thôn ra quân làm hàng rào xanh.",
        "t-1-assigned_to": "hl-1; hl-2\nhl-3",
        "t-1-due_period": "2022-12",
        **management("k", 2),
        "k-0-kind": "party_badge",
        "k-0-detail": "Huy hiệu 30 năm tuổi Đảng",
        "k-0-count": "3",
    }
    data.update(changes)
    return data


def test_a_reporter_opens_the_new_meeting_form(places):
    district, commune, other, villages = places
    client = logged_in(make_user("officer", unit=commune))

    response = client.get("/units/hl/meetings/new/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="a-TOTAL_FORMS" value="5"' in html
    assert 'name="t-TOTAL_FORMS" value="5"' in html
    assert 'name="d-TOTAL_FORMS" value="1"' in html
    assert 'name="k-TOTAL_FORMS" value="1"' in html
    assert "Chưa lưu" not in html


def test_a_reporter_on_the_district_may_record_for_its_commune(places):
    district, commune, other, villages = places
    client = logged_in(make_user("officer", unit=district))

    assert client.get("/units/hl/meetings/new/").status_code == 200


@pytest.mark.parametrize("role", [None, Role.VIEWER])
def test_a_user_who_may_not_record_gets_403_and_saves_nothing(places, role):
    district, commune, other, villages = places
    user = make_user("someone") if role is None else make_user("someone", unit=commune, role=role)
    client = logged_in(user)

    get = client.get("/units/hl/meetings/new/")
    post = client.post("/units/hl/meetings/new/", meeting_post())

    assert (get.status_code, post.status_code) == (403, 403)
    assert Meeting.objects.count() == 0


def test_a_reporter_on_a_village_may_not_record_for_the_commune(places):
    district, commune, other, villages = places
    client = logged_in(make_user("officer", unit=villages[0]))

    assert client.get("/units/hl/meetings/new/").status_code == 403


def test_a_good_post_records_the_meeting_and_goes_to_its_page(places):
    district, commune, other, villages = places
    officer = make_user("officer", unit=commune)
    client = logged_in(officer)

    response = client.post("/units/hl/meetings/new/", meeting_post())

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == f"/meetings/{meeting.pk}/"
    assert (meeting.host, meeting.kind, meeting.date, meeting.time_of_day, meeting.period) == (
        commune,
        "executive_extended",
        MEETING_DAY,
        "morning",
        "2022-11",
    )
    assert meeting.recorded_by == officer
    assert list(meeting.units.order_by("code")) == villages[:2]
    assert [item.text for item in meeting.limitations.all()] == [
        "Giáo dục chưa thường xuyên.",
        "Phong trào chưa đều.",
    ]
    chair, hai, heads = meeting.attendances.all()  # the blank spare row is skipped
    assert (chair.role, chair.group) == ("chair", "Thường trực Đảng ủy xã")
    assert (hai.role, hai.person.full_name) == ("directing", "Đoàn Thanh Hải")
    assert hai.position.title_normalised == (
        "Ủy viên Ban Chấp hành Đảng bộ huyện, Phó Chủ nhiệm Ủy ban Kiểm tra Huyện ủy"
    )
    assert (heads.role, heads.group, heads.group_count) == (
        "attendee",
        "Thôn trưởng các thôn",
        12,
    )
    assert [d.title for d in meeting.documents.all()] == ["Báo cáo tháng 11"]
    recruits, fences = meeting.directives.all()
    assert list(recruits.assigned_to.all()) == [commune]
    assert recruits.due_date == dt.date(2023, 2, 15)
    assert recruits.issued_by == hai
    assert list(fences.assigned_to.order_by("code")) == villages
    assert (fences.due_period, fences.due_date) == ("2022-12", dt.date(2022, 12, 31))
    assert [(a.kind, a.count) for a in meeting.awards.all()] == [("party_badge", 3)]
    page = client.get(response.url).content.decode()
    assert "Đã ghi hội nghị ngày 30/11/2022." in page
    assert "Làm tốt công tác tuyển quân năm 2023." in page


def assert_nothing_saved() -> None:
    assert Meeting.objects.count() == 0
    assert Person.objects.count() == 0
    assert Attendance.objects.count() == 0
    assert Directive.objects.count() == 0


def assert_typed_values_kept(html: str, **overrides: str) -> None:
    typed = {**meeting_post(), **overrides}
    assert "Chưa lưu: có thông tin chưa đúng" in html
    assert input_value(html, "title") == typed["title"]
    assert input_value(html, "date") == typed["date"]
    assert input_value(html, "period") == typed["period"]
    assert textarea_value(html, "units") == typed["units"]
    assert input_value(html, "a-1-name") == typed["a-1-name"]
    assert input_value(html, "a-1-title") == typed["a-1-title"]
    assert input_value(html, "a-2-group_count") == typed["a-2-group_count"]
    assert textarea_value(html, "t-0-text") == typed["t-0-text"]
    assert textarea_value(html, "t-0-assigned_to") == typed["t-0-assigned_to"]
    assert input_value(html, "t-0-due_date") == typed["t-0-due_date"]
    assert input_value(html, "t-1-due_period") == typed["t-1-due_period"]
    assert selected(html, "kind") == typed["kind"]
    assert selected(html, "a-1-role") == typed["a-1-role"]


def test_a_directive_due_before_the_meeting_is_refused_keeping_what_was_typed(places):
    district, commune, other, villages = places
    client = logged_in(make_user("officer", unit=commune))

    response = client.post(
        "/units/hl/meetings/new/", meeting_post(**{"t-0-due_date": "15/11/2022"})
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert (
        '<p class="error">Nhiệm vụ 1: hạn hoàn thành 15/11/2022 trước ngày họp 30/11/2022.</p>'
        in html
    )
    assert_typed_values_kept(html, **{"t-0-due_date": "15/11/2022"})
    assert_nothing_saved()


def test_an_unknown_unit_to_give_a_directive_to_is_refused_keeping_what_was_typed(places):
    district, commune, other, villages = places
    client = logged_in(make_user("officer", unit=commune))
    changes = {"t-0-assigned_to": "Xã Hà Linh\nXã Không Có"}

    response = client.post("/units/hl/meetings/new/", meeting_post(**changes))

    assert response.status_code == 400
    html = response.content.decode()
    assert '<span class="error">Không tìm thấy đơn vị ‘Xã Không Có’.</span>' in html
    assert_typed_values_kept(html, **changes)
    assert_nothing_saved()


def test_an_unknown_unit_taking_part_is_refused(places):
    district, commune, other, villages = places
    client = logged_in(make_user("officer", unit=commune))

    response = client.post("/units/hl/meetings/new/", meeting_post(units="Thôn 9"))

    assert response.status_code == 400
    assert "Không tìm thấy đơn vị ‘Thôn 9’." in response.content.decode()
    assert_nothing_saved()


def test_a_bad_period_is_refused_keeping_what_was_typed(places):
    district, commune, other, villages = places
    client = logged_in(make_user("officer", unit=commune))

    response = client.post("/units/hl/meetings/new/", meeting_post(period="2022-13"))

    assert response.status_code == 400
    html = response.content.decode()
    assert '<span class="error">Không hiểu kỳ ‘2022-13’: tháng phải từ 1 đến 12.' in html
    assert_typed_values_kept(html, period="2022-13")
    assert_nothing_saved()


def test_a_bad_due_period_is_refused_keeping_what_was_typed(places):
    district, commune, other, villages = places
    client = logged_in(make_user("officer", unit=commune))
    changes = {"t-1-due_period": "quý 5"}

    response = client.post("/units/hl/meetings/new/", meeting_post(**changes))

    assert response.status_code == 400
    html = response.content.decode()
    assert '<span class="error">Không hiểu kỳ ‘quý 5’: quý phải từ I đến IV.' in html
    assert_typed_values_kept(html, **changes)
    assert_nothing_saved()


def test_an_issuer_who_did_not_attend_is_refused(places):
    district, commune, other, villages = places
    client = logged_in(make_user("officer", unit=commune))

    response = client.post(
        "/units/hl/meetings/new/", meeting_post(**{"t-0-issued_by": "Lê Văn Vắng"})
    )

    assert response.status_code == 400
    assert (
        '<p class="error">Nhiệm vụ 1: ‘Lê Văn Vắng’ không có trong danh sách đại biểu.</p>'
        in response.content.decode()
    )
    assert_nothing_saved()


def test_a_directive_without_a_unit_is_refused(places):
    district, commune, other, villages = places
    client = logged_in(make_user("officer", unit=commune))

    response = client.post("/units/hl/meetings/new/", meeting_post(**{"t-0-assigned_to": ""}))

    assert response.status_code == 400
    assert "Trường này là bắt buộc." in response.content.decode()
    assert_nothing_saved()


# --- a directive and its follow-ups -----------------------------------------------------


@pytest.fixture
def task(places):
    """A directive of the district's meeting, given to Hà Linh."""
    district, commune, other, villages = places
    meeting = record(
        district,
        directives=[
            DirectiveInput(
                text="Làm tốt công tác tuyển quân.",
                assigned_to=[commune],
                due_date=dt.date(2023, 2, 15),
            )
        ],
    )
    return meeting.directives.get()


def test_a_reporter_on_the_assigned_unit_records_a_follow_up(places, task):
    district, commune, other, villages = places
    officer = make_user("officer", unit=commune)
    client = logged_in(officer)

    form = client.get(f"/tasks/{task.pk}/")
    response = client.post(
        f"/tasks/{task.pk}/",
        {"status": "in_progress", "note": "Đã rà soát thanh niên.", "date": "10/01/2023"},
    )

    assert form.status_code == 200
    assert "Cập nhật</button>" in form.content.decode()
    assert response.status_code == 302
    assert response.url == f"/tasks/{task.pk}/"
    task.refresh_from_db()
    assert task.status == "in_progress"
    follow_up = FollowUp.objects.get()
    assert (follow_up.directive, follow_up.date, follow_up.note, follow_up.by) == (
        task,
        dt.date(2023, 1, 10),
        "Đã rà soát thanh niên.",
        officer,
    )
    page = client.get(response.url).content.decode()
    assert "Đã cập nhật tiến độ nhiệm vụ." in page
    assert "<strong>10/01/2023</strong> · Đang làm — Đã rà soát thanh niên." in page


def test_a_reporter_on_the_host_unit_may_also_record_a_follow_up(places, task):
    district, commune, other, villages = places
    client = logged_in(make_user("officer", unit=district))

    response = client.post(f"/tasks/{task.pk}/", {"status": "done", "note": "Đã giao quân."})

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == DirectiveStatus.DONE


def test_a_follow_up_without_a_note_is_refused_and_nothing_saved(places, task):
    district, commune, other, villages = places
    client = logged_in(make_user("officer", unit=commune))

    response = client.post(f"/tasks/{task.pk}/", {"status": "done", "note": ""})

    assert response.status_code == 400
    html = response.content.decode()
    assert '<span class="error">Trường này là bắt buộc.</span>' in html
    assert FollowUp.objects.count() == 0
    task.refresh_from_db()
    assert task.status == "open"


def test_a_follow_up_dated_before_the_meeting_is_refused(places, task):
    district, commune, other, villages = places
    client = logged_in(make_user("officer", unit=commune))

    response = client.post(
        f"/tasks/{task.pk}/", {"status": "done", "note": "Xong.", "date": "01/11/2022"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert '<span class="error">Ngày cập nhật trước ngày họp 30/11/2022.</span>' in html
    assert textarea_value(html, "note") == "Xong."
    assert FollowUp.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "reads"),
    [("stranger", 404), ("viewer", 200), ("village reporter", 404), ("neighbour", 404)],
)
def test_a_user_without_rights_on_the_task_gets_403(places, task, who, reads):
    district, commune, other, villages = places
    user = {
        "stranger": lambda: make_user("stranger"),
        "viewer": lambda: make_user("viewer", unit=commune, role=Role.VIEWER),
        "village reporter": lambda: make_user("village", unit=villages[0]),
        "neighbour": lambda: make_user("neighbour", unit=other),
    }[who]()
    client = logged_in(user)

    page = client.get(f"/tasks/{task.pk}/")
    response = client.post(f"/tasks/{task.pk}/", {"status": "done", "note": "Xong."})

    # A user who may not read the task does not learn it exists; a viewer reads, not writes.
    assert page.status_code == reads
    assert "Cập nhật</button>" not in page.content.decode()
    assert response.status_code == (403 if reads == 200 else 404)
    assert FollowUp.objects.count() == 0
    task.refresh_from_db()
    assert task.status == "open"


def test_the_directive_page_shows_progress_from_the_figures(places):
    district, commune, other, villages = places
    gardens = make_indicator("vuon-ho", name="Vườn hộ chỉnh trang", unit="ho")
    for village, value in zip(villages, ["10", "12", "8"], strict=True):
        record_result(unit=village, indicator=gardens, period="2022-12", value=value)
    set_target(unit=commune, indicator=gardens, period="2022-12", source="annual_plan", value="40")
    meeting = record(
        commune,
        directives=[
            DirectiveInput(
                text="Về đích NTM.",
                assigned_to=[commune],
                due_period="2022-12",
                indicators=[gardens],
            )
        ],
    )

    html = logged_in(reader()).get(f"/tasks/{meeting.directives.get().pk}/").content.decode()

    assert "Tiến độ theo số liệu" in html
    assert "Xã Hà Linh · Vườn hộ chỉnh trang" in html
    assert "tháng 12/2022" in html
    assert '<td class="num">30</td>' in html
    assert '<td class="num">40</td>' in html
    assert '<td class="num">75,0%</td>' in html
