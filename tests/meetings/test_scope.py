"""What a writer may name in a meeting, who moves a shared task's status, and forms that are
sent twice. (Reading is swept in tests/web/test_access_sweep.py.)"""

import datetime as dt
import re

import pytest
from django.test import Client

from tests.factories import make_commune_tree, make_unit, make_user
from tests.meetings.test_pages import meeting_post
from xaso.audit.models import AuditEntry
from xaso.meetings.models import Directive, FollowUp, Meeting
from xaso.meetings.services import DirectiveInput, meeting_record
from xaso.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    province, district, commune, villages = make_commune_tree()
    elsewhere = make_unit("Xa", UnitKind.PROVINCE, code="xa")
    far = make_unit("Xa Xôi", UnitKind.COMMUNE, elsewhere, code="xa-1")
    return commune, villages, far


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def once_token(html: str) -> str:
    return re.search(r'<input type="hidden" name="once" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize(
    ("field", "value"),
    [("units", "xa-1"), ("t-0-assigned_to", "xa-1"), ("t-1-assigned_to", "hl")],
)
def test_a_village_reporter_may_not_name_units_outside_its_village(places, field, value):
    commune, villages, far = places
    client = logged_in(make_user("thon1", unit=villages[0]))
    post = meeting_post(units="", **{"t-0-assigned_to": "hl-1", "t-1-assigned_to": "hl-1"})

    response = client.post("/units/hl-1/meetings/new/", post | {field: value})

    assert response.status_code == 403
    assert Meeting.objects.count() == 0 and Directive.objects.count() == 0


def test_a_commune_manager_may_give_tasks_to_its_villages(places):
    commune, villages, far = places
    client = logged_in(make_user("xa", unit=commune, role=Role.MANAGER))

    response = client.post("/units/hl/meetings/new/", meeting_post())

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    entries = AuditEntry.objects.filter(changed_by__username="xa")
    assert sorted(entries.values_list("entity", flat=True)) == ["directive", "directive", "meeting"]
    assert meeting.recorded_by.username == "xa"


def test_a_meeting_form_sent_twice_records_one_meeting(places):
    commune, villages, far = places
    client = logged_in(make_user("xa", unit=commune, role=Role.MANAGER))
    token = once_token(client.get("/units/hl/meetings/new/").content.decode())

    first = client.post("/units/hl/meetings/new/", meeting_post(once=token))
    second = client.post("/units/hl/meetings/new/", meeting_post(once=token))
    fresh = client.post("/units/hl/meetings/new/", meeting_post(once="another-form"))

    assert first.status_code == second.status_code == fresh.status_code == 302
    assert first.url == second.url != fresh.url
    assert Meeting.objects.count() == 2
    assert Directive.objects.count() == 4


def test_a_form_refused_for_an_error_may_be_sent_again_with_its_token(places):
    commune, villages, far = places
    client = logged_in(make_user("xa", unit=commune, role=Role.MANAGER))

    bad = client.post("/units/hl/meetings/new/", meeting_post(once="t1", date="31/02/2022"))
    good = client.post("/units/hl/meetings/new/", meeting_post(once="t1"))

    assert (bad.status_code, good.status_code) == (400, 302)
    assert Meeting.objects.count() == 1


@pytest.fixture
def shared_task(places):
    commune, villages, far = places
    meeting = meeting_record(
        host=commune,
        kind="executive_regular",
        title="Giao ban",
        date=dt.date(2022, 11, 30),
        directives=[DirectiveInput(text="Ra quân hàng rào xanh.", assigned_to=villages)],
    )
    return meeting.directives.get()


def test_a_village_may_not_move_the_status_of_a_task_shared_by_several_villages(
    places, shared_task
):
    commune, villages, far = places
    client = logged_in(make_user("thon1", unit=villages[0]))

    page = client.get(f"/tasks/{shared_task.pk}/").content.decode()
    moved = client.post(f"/tasks/{shared_task.pk}/", {"status": "done", "note": "Xong."})
    noted = client.post(f"/tasks/{shared_task.pk}/", {"status": "open", "note": "Thôn 1 xong."})

    assert '<select name="status"' not in page
    assert moved.status_code == 403
    assert noted.status_code == 302
    shared_task.refresh_from_db()
    assert shared_task.status == "open"
    assert list(FollowUp.objects.values_list("note", flat=True)) == ["Thôn 1 xong."]


def test_the_issuing_commune_moves_a_shared_tasks_status(places, shared_task):
    commune, villages, far = places
    client = logged_in(make_user("xa", unit=commune))

    response = client.post(f"/tasks/{shared_task.pk}/", {"status": "done", "note": "Cả 3 thôn."})

    assert response.status_code == 302
    shared_task.refresh_from_db()
    assert shared_task.status == "done"
    change = AuditEntry.objects.get(entity="directive", action="update")
    assert (change.old, change.new, change.changed_by.username) == (
        {"status": "open"},
        {"status": "done"},
        "xa",
    )


def test_a_status_moved_since_the_page_was_opened_is_not_overwritten(places, shared_task):
    commune, villages, far = places
    first = logged_in(make_user("xa1", unit=commune))
    second = logged_in(make_user("xa2", unit=commune))
    page = second.get(f"/tasks/{shared_task.pk}/").content.decode()
    seen = re.search(r'name="seen_status" value="([^"]*)"', page).group(1)
    token = once_token(page)
    first.post(f"/tasks/{shared_task.pk}/", {"status": "done", "note": "Cả 3 thôn xong."})

    stale = {"status": "in_progress", "note": "Đang làm.", "seen_status": seen, "once": token}
    clash = second.post(f"/tasks/{shared_task.pk}/", stale)

    assert seen == "open"
    assert clash.status_code == 409
    html = clash.content.decode()
    assert "đã được đổi từ ‘Mở’ thành ‘Hoàn thành’" in html
    shared_task.refresh_from_db()
    assert shared_task.status == "done" and FollowUp.objects.count() == 1
    again = stale | {"seen_status": re.search(r'name="seen_status" value="([^"]*)"', html)[1]}
    assert second.post(f"/tasks/{shared_task.pk}/", again).status_code == 302
    shared_task.refresh_from_db()
    assert shared_task.status == "in_progress"
