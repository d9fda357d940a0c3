"""Rough edges a new user hit (issue #12), meetings and tasks: dates far ahead, unit names
read as seen from the host, more rows without JavaScript, abbreviations kept in sentences."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import Client
from django.utils import timezone

from tests.factories import make_commune_tree, make_indicator, make_unit, make_user
from xaso.figures.services import record_result, set_target
from xaso.meetings.models import Directive, FollowUp, Meeting
from xaso.meetings.services import (
    AttendeeInput,
    DirectiveInput,
    directive_follow_up,
    meeting_record,
)
from xaso.org.models import UnitKind

pytestmark = pytest.mark.django_db

MEETING_DAY = dt.date(2022, 11, 30)


@pytest.fixture
def places():
    """Hương Khê > Hà Linh (villages hl-1..3 named 1, 2, 3) and Hà Bình (its own village 1)."""
    province, district, commune, villages = make_commune_tree()
    other = make_unit("Hà Bình", UnitKind.COMMUNE, district, code="hb")
    make_unit("1", UnitKind.VILLAGE, other, code="hb-1")
    return district, commune, villages


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def record(host, **fields) -> Meeting:
    values = {"kind": "executive_extended", "title": "Hội nghị BCH mở rộng", "date": MEETING_DAY}
    return meeting_record(host=host, **{**values, **fields})


def messages_of(error: ValidationError, field: str) -> list[str]:
    return error.value.message_dict[field]


def input_value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html).group()
    found = re.search(r'value="([^"]*)"', tag)
    return found.group(1) if found else ""


def textarea_value(html: str, name: str) -> str:
    found = re.search(rf'<textarea name="{re.escape(name)}"[^>]*>\n?(.*?)</textarea>', html, re.S)
    return found.group(1)


def meeting_post(**changes: str) -> dict[str, str]:
    data = {
        "kind": "executive_extended",
        "title": "Hội nghị BCH mở rộng tháng 11 năm 2022",
        "date": "30/11/2022",
        "period": "2022-11",
        "units": "",
        "a-TOTAL_FORMS": "2",
        "a-INITIAL_FORMS": "0",
        "a-0-role": "directing",
        "a-0-name": "Đoàn Thanh Hải",
        "a-0-title": "UVBCH Đảng bộ huyện",
        "d-TOTAL_FORMS": "1",
        "d-INITIAL_FORMS": "0",
        "t-TOTAL_FORMS": "3",
        "t-INITIAL_FORMS": "0",
        "t-0-text": "Thực hiện tốt nhiệm vụ tuyển, giao quân năm 2023.",
        "t-0-assigned_to": "Xã Hà Linh",
        "t-0-due_date": "15/02/2023",
        "k-TOTAL_FORMS": "1",
        "k-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


# --- 1. dates far ahead -------------------------------------------------------------------


def test_a_meeting_more_than_a_year_ahead_is_refused_naming_the_date(places):
    district, commune, villages = places
    today = timezone.localdate()

    with pytest.raises(ValidationError) as error:
        record(commune, date=dt.date(2099, 1, 5))
    (message,) = messages_of(error, "date")
    latest = dt.date(today.year + 1, today.month, min(today.day, 28 if today.month == 2 else 31))
    assert message == (
        f"Ngày họp 05/01/2099 quá xa: không được sau {latest:%d/%m/%Y} (một năm kể từ hôm nay)."
    )
    with pytest.raises(ValidationError):
        record(commune, date=today + dt.timedelta(days=367))
    assert Meeting.objects.count() == 0
    # A meeting planned within the year is fine.
    assert record(commune, date=today + dt.timedelta(days=300)).pk


def test_the_meeting_form_refuses_a_date_in_2099(places):
    district, commune, villages = places
    client = logged_in(make_user("officer", unit=commune))

    response = client.post("/units/hl/meetings/new/", meeting_post(date="05/01/2099"))

    assert response.status_code == 400
    assert "Ngày họp 05/01/2099 quá xa" in response.content.decode()
    assert Meeting.objects.count() == 0


@pytest.mark.parametrize(
    ("due", "refused"),
    [
        ({"due_date": dt.date(2032, 11, 30)}, False),  # ten years to the day
        ({"due_date": dt.date(2032, 12, 1)}, True),
        ({"due_date": dt.date(2099, 1, 5)}, True),
        ({"due_period": "2032"}, True),  # ends 31/12/2032
        ({"due_period": "2032-H1"}, False),
    ],
)
def test_a_task_due_more_than_ten_years_after_the_meeting_is_refused(places, due, refused):
    district, commune, villages = places
    directive = DirectiveInput(text="Việc.", assigned_to=[commune], **due)

    if not refused:
        assert record(commune, directives=[directive]).directives.count() == 1
        return
    with pytest.raises(ValidationError) as error:
        record(commune, directives=[directive])
    (message,) = messages_of(error, "directives")
    assert message.startswith("Nhiệm vụ 1: hạn hoàn thành ")
    assert message.endswith("quá xa: không được sau 30/11/2032 (10 năm kể từ ngày họp).")
    assert Directive.objects.count() == 0


@pytest.fixture
def task(places):
    district, commune, villages = places
    meeting = record(
        commune,
        attendees=[AttendeeInput(name="Đoàn Thanh Hải")],
        directives=[DirectiveInput(text="Tuyển quân.", assigned_to=[commune])],
    )
    return meeting.directives.get()


def test_a_follow_up_dated_after_today_is_refused(places, task):
    """Progress reports what happened. A note dated ahead would also stay the latest-dated
    one, fixing the task's status over every real note until that day."""
    district, commune, villages = places
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        directive_follow_up(directive=task, status="done", note="Xong.", date=tomorrow)

    assert messages_of(error, "date") == [
        f"Ngày cập nhật {tomorrow:%d/%m/%Y} sau hôm nay ({today:%d/%m/%Y}): tiến độ ghi việc "
        "đã làm, không ghi trước."
    ]
    assert FollowUp.objects.count() == 0
    # Today is fine.
    directive_follow_up(directive=task, status="done", note="Xong.", date=today)
    task.refresh_from_db()
    assert task.status == "done"


def test_the_task_page_refuses_a_follow_up_dated_05_01_2099_as_done(places, task):
    district, commune, villages = places
    client = logged_in(make_user("officer", unit=commune))

    response = client.post(
        f"/tasks/{task.pk}/", {"status": "done", "note": "Đã giao quân.", "date": "05/01/2099"}
    )

    assert response.status_code == 400
    assert "Ngày cập nhật 05/01/2099 sau hôm nay" in response.content.decode()
    task.refresh_from_db()
    assert task.status == "open"
    assert FollowUp.objects.count() == 0


# --- 2. unit names as seen from the host --------------------------------------------------


def test_thon_1_in_ha_linhs_form_is_ha_linhs_village_1(places):
    district, commune, villages = places
    client = logged_in(make_user("officer", unit=commune))

    response = client.post(
        "/units/hl/meetings/new/",
        meeting_post(units="Thôn 1\nThôn 2", **{"t-0-assigned_to": "Thôn 1; Thôn 3"}),
    )

    assert response.status_code == 302, response.content.decode()
    meeting = Meeting.objects.get()
    assert list(meeting.units.order_by("code")) == villages[:2]
    assert list(meeting.directives.get().assigned_to.order_by("code")) == [villages[0], villages[2]]


def test_thon_1_in_the_districts_form_is_still_ambiguous_and_says_so(places):
    district, commune, villages = places
    client = logged_in(make_user("officer", unit=district))

    response = client.post("/units/hk/meetings/new/", meeting_post(units="Thôn 1"))

    assert response.status_code == 400
    assert "‘Thôn 1’ khớp với 2 đơn vị, hãy ghi mã (hl-1, hb-1)." in response.content.decode()
    assert Meeting.objects.count() == 0


# --- 3. more rows without JavaScript -------------------------------------------------------


def test_the_form_has_an_add_rows_button_per_formset(places):
    district, commune, villages = places
    client = logged_in(make_user("officer", unit=commune))

    html = client.get("/units/hl/meetings/new/").content.decode()

    # The page comes back at the first new row (5 attendee rows, 5 task rows shown).
    for prefix in ("a", "t"):
        assert f'<div class="row" id="{prefix}-row-5">' in html
        assert (
            f'<button name="more" value="{prefix}" formaction="#{prefix}-row-6">Thêm dòng</button>'
            in html
        )
    # Enter in a box still saves: the form's first submit button is "save".
    meeting_form = html[html.index('<form method="post" action="/units/hl/meetings/new/"') :]
    first_button = re.search(r"<button[^>]*>[^<]*</button>", meeting_form).group()
    assert "more" not in first_button
    assert "Lưu hội nghị" in first_button


def test_add_rows_shows_the_form_again_with_five_more_directive_rows(places):
    district, commune, villages = places
    client = logged_in(make_user("officer", unit=commune))
    token = input_value(client.get("/units/hl/meetings/new/").content.decode(), "once")

    # "units" names nobody valid: nothing is checked when adding rows.
    typed = meeting_post(
        once=token, units="Thôn 9", more="t", **{"t-1-text": "Việc hai.", "t-1-assigned_to": "hl-3"}
    )
    response = client.post("/units/hl/meetings/new/", typed)

    assert response.status_code == 200
    html = response.content.decode()
    assert Meeting.objects.count() == 0
    assert input_value(html, "t-TOTAL_FORMS") == "8"
    assert input_value(html, "a-TOTAL_FORMS") == "2"
    assert 'name="t-7-text"' in html
    assert 'name="t-8-text"' not in html
    assert input_value(html, "once") == token
    assert input_value(html, "title") == typed["title"]
    assert input_value(html, "a-0-name") == "Đoàn Thanh Hải"
    assert textarea_value(html, "t-0-text") == typed["t-0-text"]
    assert textarea_value(html, "t-1-text") == "Việc hai."
    assert textarea_value(html, "units") == "Thôn 9"
    assert "Chưa lưu" not in html
    assert "Không tìm thấy" not in html

    # Then filled in and sent: recorded once, a repeat of the same token records nothing.
    sent = {**typed, "units": "", "t-7-text": "Việc tám.", "t-7-assigned_to": "Thôn 2"}
    sent.update({"t-TOTAL_FORMS": "8"})
    del sent["more"]
    first = client.post("/units/hl/meetings/new/", sent)
    again = client.post("/units/hl/meetings/new/", sent)

    meeting = Meeting.objects.get()
    assert (first.status_code, again.status_code) == (302, 302)
    assert [d.text for d in meeting.directives.all()] == [
        typed["t-0-text"],
        "Việc hai.",
        "Việc tám.",
    ]
    assert list(meeting.directives.get(number=3).assigned_to.all()) == [villages[1]]


def test_add_rows_for_attendees_adds_to_that_formset_only(places):
    district, commune, villages = places
    client = logged_in(make_user("officer", unit=commune))

    html = client.post("/units/hl/meetings/new/", meeting_post(more="a")).content.decode()

    assert (input_value(html, "a-TOTAL_FORMS"), input_value(html, "t-TOTAL_FORMS")) == ("7", "3")
    assert 'name="a-6-name"' in html
    assert Meeting.objects.count() == 0


def test_add_rows_stops_at_a_hundred(places):
    district, commune, villages = places
    client = logged_in(make_user("officer", unit=commune))

    near = client.post("/units/hl/meetings/new/", meeting_post(more="t", **{"t-TOTAL_FORMS": "98"}))
    full = client.post(
        "/units/hl/meetings/new/", meeting_post(more="t", **{"t-TOTAL_FORMS": "100"})
    )

    assert input_value(near.content.decode(), "t-TOTAL_FORMS") == "100"
    assert input_value(full.content.decode(), "t-TOTAL_FORMS") == "100"
    assert 'value="t" formaction' not in full.content.decode()


# --- 5. the meeting page on a phone -------------------------------------------------------


def test_the_meetings_figures_have_plan_columns_only_when_some_figure_has_a_plan(places):
    district, commune, villages = places
    corridor = make_indicator("hanh-lang", name="Mở rộng hành lang giao thông", unit="m")
    record_result(unit=commune, indicator=corridor, period="2022-11", value="1.135")
    client = logged_in(make_user("officer", unit=commune))
    meeting = record(commune, period="2022-11")

    without = client.get(f"/meetings/{meeting.pk}/").content.decode()
    set_target(
        unit=commune, indicator=corridor, period="2022-11", source="annual_plan", value="2.270"
    )
    planned = client.get(f"/meetings/{meeting.pk}/").content.decode()

    assert "<strong>1.135</strong>" in without
    assert "Kế hoạch</th>" not in without
    assert "Kế hoạch</th>" in planned
    # Each plan on one line with its own percentage, its source below.
    assert (
        '2.270 · <span style="white-space:nowrap">đạt <strong>50,0%</strong></span><br>'
        '<span class="muted small">Kế hoạch năm</span>'
    ) in planned


# --- 4. abbreviations kept in sentences ----------------------------------------------------


def test_the_task_board_keeps_bch_upper_case_inside_the_sentence(places, task):
    district, commune, villages = places
    client = logged_in(make_user("officer", unit=commune))

    html = client.get("/units/hl/tasks/").content.decode()

    assert "Giao tại" in html
    assert re.search(r">hội nghị BCH mở rộng ngày 30/11/2022</a>", html)
    assert "bch" not in html


def test_the_task_page_starts_with_the_kind_as_it_is_written(places, task):
    client = logged_in(make_user("officer", unit=places[1]))

    html = client.get(f"/tasks/{task.pk}/").content.decode()

    assert (
        f'<a href="/meetings/{task.meeting_id}/">Hội nghị BCH mở rộng ngày 30/11/2022</a>' in html
    )


@pytest.mark.parametrize(
    ("label", "inside"),
    [
        ("Hội nghị BCH mở rộng", "hội nghị BCH mở rộng"),
        ("Đối thoại với Nhân dân", "đối thoại với Nhân dân"),
        ("Dự và phát biểu chỉ đạo", "dự và phát biểu chỉ đạo"),
        ("UBND xã làm việc", "UBND xã làm việc"),
        ("HĐND", "HĐND"),
        ("", ""),
    ],
)
def test_mid_sentence_lowers_the_first_letter_only(label, inside):
    template = Template("{% load meeting_text %}{{ label|mid_sentence }}")

    assert template.render(Context({"label": label})) == inside
