"""Writes of meetings, directives and follow-ups: what is recorded, what is refused (in
Vietnamese, saving nothing), overdue derived from today, progress read from the figures."""

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_commune_tree, make_indicator, make_unit, make_user
from xaso.figures.services import record_result, set_target
from xaso.meetings.models import (
    Attendance,
    AttendanceRole,
    Award,
    AwardKind,
    Directive,
    DirectiveStatus,
    DocumentKind,
    FollowUp,
    Limitation,
    Meeting,
    MeetingDocument,
    MeetingKind,
    Person,
    Position,
)
from xaso.meetings.selectors import directive_progress, task_board
from xaso.meetings.services import (
    AttendeeInput,
    AwardInput,
    DirectiveInput,
    DocumentInput,
    directive_follow_up,
    meeting_record,
)
from xaso.org.models import UnitKind

pytestmark = pytest.mark.django_db

MEETING_DAY = dt.date(2022, 11, 30)
HAI = "Đoàn Thanh Hải"
HAI_TITLE = "UVBCH Đảng bộ huyện, Phó Chủ nhiệm UBKT Huyện ủy"
TAM = "Phan Đình Tâm"
TAM_TITLE = "PBT Thường trực Đảng ủy"


@pytest.fixture
def tree():
    return make_commune_tree()


@pytest.fixture
def commune(tree):
    return tree[2]


def record(host, **fields) -> Meeting:
    """A meeting of Hà Linh on 30/11/2022 with two people attending, plus `fields`."""
    values = {
        "kind": MeetingKind.EXECUTIVE_EXTENDED,
        "title": "Hội nghị BCH Đảng bộ mở rộng tháng 11 năm 2022",
        "date": MEETING_DAY,
        "attendees": [
            AttendeeInput(role=AttendanceRole.DIRECTING, name=HAI, title=HAI_TITLE),
            AttendeeInput(role=AttendanceRole.REPORTING, name=TAM, title=TAM_TITLE),
        ],
        **fields,
    }
    return meeting_record(host=host, **values)


SAVED = {
    "meetings": Meeting,
    "people": Person,
    "positions": Position,
    "attendances": Attendance,
    "documents": MeetingDocument,
    "limitations": Limitation,
    "directives": Directive,
    "awards": Award,
}
NOTHING = dict.fromkeys(SAVED, 0)


def saved() -> dict[str, int]:
    return {name: model.objects.count() for name, model in SAVED.items()}


# --- meeting_record: what is written -------------------------------------------------------


def test_the_meeting_itself_is_recorded_with_its_text_cleaned(commune):
    user = make_user("officer", unit=commune)

    meeting = record(
        commune,
        title="  Hội nghị BCH   Đảng bộ mở rộng  ",
        time_of_day="morning",
        place=" Hội trường   xã ",
        period="2022-11",
        summary="  Kết quả tháng 11.  ",
        conclusions=" Kết luận. ",
        source="Báo cáo 000",
        user=user,
    )

    meeting.refresh_from_db()
    assert meeting.host == commune
    assert meeting.kind == "executive_extended"
    assert meeting.title == "Hội nghị BCH Đảng bộ mở rộng"
    assert meeting.date == MEETING_DAY
    assert meeting.time_of_day == "morning"
    assert meeting.place == "Hội trường xã"
    assert meeting.period == "2022-11"
    assert meeting.period_label == "tháng 11/2022"
    assert meeting.summary == "Kết quả tháng 11."
    assert meeting.conclusions == "Kết luận."
    assert meeting.source == "Báo cáo 000"
    assert meeting.recorded_by == user


def test_the_period_is_stored_as_its_canonical_code(commune):
    meeting = record(commune, period="2022-h1")

    assert Meeting.objects.get(pk=meeting.pk).period == "2022-H1"


def test_periods_typed_as_officers_write_them_are_stored_as_codes(commune):
    meeting = record(
        commune,
        period="Tháng 11/2022",
        directives=[DirectiveInput(text="Việc.", assigned_to=[commune], due_period="quý IV/2022")],
    )

    stored = Meeting.objects.get(pk=meeting.pk)
    assert stored.period == "2022-11"
    [directive] = stored.directives.all()
    assert (directive.due_period, directive.due_date) == ("2022-Q4", dt.date(2022, 12, 31))


def test_units_taking_part_are_linked(tree):
    _, district, commune, villages = tree

    meeting = record(district, units=[commune, villages[0]])

    assert set(meeting.units.all()) == {commune, villages[0]}


def test_attendees_with_a_title_become_people_with_a_position_written_out_in_full(commune):
    meeting = record(commune)

    hai, tam = meeting.attendances.all()
    assert (hai.person.full_name, hai.role, hai.order) == (HAI, "directing", 0)
    assert hai.position.person == hai.person
    assert hai.position.title == HAI_TITLE
    assert hai.position.title_normalised == (
        "Ủy viên Ban Chấp hành Đảng bộ huyện, Phó Chủ nhiệm Ủy ban Kiểm tra Huyện ủy"
    )
    assert (tam.person.full_name, tam.role, tam.order) == (TAM, "reporting", 1)
    assert tam.position.title == TAM_TITLE
    assert tam.position.title_normalised == "Phó Bí thư Thường trực Đảng ủy"
    assert Person.objects.count() == 2
    assert Position.objects.count() == 2


def test_a_name_is_stored_composed_with_single_spaces(commune):
    decomposed = unicodedata.normalize("NFD", "  Phan   Đình Tâm ")

    meeting = record(commune, attendees=[AttendeeInput(name=decomposed, title="PBT Đảng ủy")])

    person = meeting.attendances.get().person
    assert person.full_name == "Phan Đình Tâm"
    assert unicodedata.is_normalized("NFC", person.full_name)


def test_a_person_without_a_title_has_no_position(commune):
    meeting = record(commune, attendees=[AttendeeInput(name="Nguyễn Trọng Nhã")])

    attendance = meeting.attendances.get()
    assert attendance.person.full_name == "Nguyễn Trọng Nhã"
    assert attendance.position is None
    assert attendance.role == "attendee"
    assert Position.objects.count() == 0


def test_a_group_is_recorded_with_its_head_count_and_no_person(commune):
    meeting = record(
        commune,
        attendees=[
            AttendeeInput(role="chair", group="Thường trực Đảng ủy xã"),
            AttendeeInput(group="Thôn trưởng các  thôn", group_count=12),
        ],
    )

    chair, village_heads = meeting.attendances.all()
    assert (chair.group, chair.group_count, chair.role, chair.person) == (
        "Thường trực Đảng ủy xã",
        None,
        "chair",
        None,
    )
    assert (village_heads.group, village_heads.group_count, village_heads.role) == (
        "Thôn trưởng các thôn",
        12,
        "attendee",
    )
    assert village_heads.person is None
    assert village_heads.position is None
    assert Person.objects.count() == 0


def test_documents_are_linked_to_the_attendee_who_presented_them(commune):
    meeting = record(
        commune,
        documents=[
            DocumentInput(title="Báo cáo kết quả tháng 11 năm 2022", presenter=TAM),
            DocumentInput(title="Phát biểu chỉ đạo", kind=DocumentKind.DIRECTING_SPEECH),
        ],
    )

    report, speech = meeting.documents.all()
    assert (report.title, report.kind, report.order) == (
        "Báo cáo kết quả tháng 11 năm 2022",
        "report",
        0,
    )
    assert report.presenter == meeting.attendances.get(person__full_name=TAM)
    assert (speech.kind, speech.presenter) == ("directing_speech", None)


def test_limitations_are_kept_in_order_and_blank_ones_dropped(commune):
    meeting = record(
        commune,
        limitations=[
            "  Giáo dục chính trị tư tưởng chưa thường xuyên. ",
            "   ",
            "Phong trào chưa đều giữa các thôn.",
        ],
    )

    assert [item.text for item in meeting.limitations.all()] == [
        "Giáo dục chính trị tư tưởng chưa thường xuyên.",
        "Phong trào chưa đều giữa các thôn.",
    ]


def test_directives_are_numbered_assigned_issued_and_open(tree):
    _, _, commune, villages = tree

    meeting = record(
        commune,
        directives=[
            DirectiveInput(
                text="Làm tốt công tác tuyển quân năm 2023.",
                assigned_to=[commune],
                due_date=dt.date(2023, 2, 15),
                issued_by=HAI,
            ),
            DirectiveInput(
                text="Các thôn lập kế hoạch ra quân hàng tuần.",
                assigned_to=[villages[0], villages[1]],
                due_date=MEETING_DAY,  # the meeting day itself is allowed
            ),
        ],
    )

    first, second = meeting.directives.all()
    assert (first.number, first.text, first.status) == (
        1,
        "Làm tốt công tác tuyển quân năm 2023.",
        "open",
    )
    assert list(first.assigned_to.all()) == [commune]
    assert first.due_date == dt.date(2023, 2, 15)
    assert first.due_period == ""
    assert first.issued_by == meeting.attendances.get(person__full_name=HAI)
    assert first.issued_by.directives.get() == first
    assert second.number == 2
    assert set(second.assigned_to.all()) == {villages[0], villages[1]}
    assert second.due_date == MEETING_DAY
    assert second.issued_by is None


@pytest.mark.parametrize(
    ("due_period", "stored", "due_date"),
    [
        ("2022-12", "2022-12", dt.date(2022, 12, 31)),
        ("2023-Q1", "2023-Q1", dt.date(2023, 3, 31)),
        ("2023-h1", "2023-H1", dt.date(2023, 6, 30)),
        ("2023", "2023", dt.date(2023, 12, 31)),
    ],
)
def test_a_directive_due_by_a_period_is_due_on_the_periods_last_day(
    commune, due_period, stored, due_date
):
    meeting = record(
        commune,
        directives=[
            DirectiveInput(text="Về đích NTM.", assigned_to=[commune], due_period=due_period)
        ],
    )

    directive = meeting.directives.get()
    assert directive.due_period == stored
    assert directive.due_date == due_date


def test_a_due_date_given_with_a_period_is_kept(commune):
    meeting = record(
        commune,
        directives=[
            DirectiveInput(
                text="Đạt chuẩn văn minh đô thị.",
                assigned_to=[commune],
                due_date=dt.date(2022, 12, 15),
                due_period="2022-12",
            )
        ],
    )

    directive = meeting.directives.get()
    assert (directive.due_date, directive.due_period) == (dt.date(2022, 12, 15), "2022-12")


def test_a_directive_without_a_due_date_or_period_has_none(commune):
    meeting = record(commune, directives=[DirectiveInput(text="Việc.", assigned_to=[commune])])

    directive = meeting.directives.get()
    assert (directive.due_date, directive.due_period) == (None, "")


def test_a_directive_is_linked_to_the_indicators_that_measure_it(commune):
    fence = make_indicator("hang-rao-xanh", name="Hàng rào xanh")

    meeting = record(
        commune,
        directives=[DirectiveInput(text="Việc.", assigned_to=[commune], indicators=[fence])],
    )

    assert list(meeting.directives.get().indicators.all()) == [fence]


def test_the_issuer_is_found_by_name_whatever_the_composition_and_spacing(commune):
    meeting = record(
        commune,
        directives=[
            DirectiveInput(
                text="Việc.",
                assigned_to=[commune],
                issued_by=unicodedata.normalize("NFD", " Đoàn  Thanh Hải "),
            )
        ],
    )

    assert meeting.directives.get().issued_by.person.full_name == HAI


def test_awards_are_recorded(commune):
    meeting = record(
        commune,
        awards=[
            AwardInput(
                kind=AwardKind.PARTY_BADGE,
                detail="Huy hiệu 30, 40  năm tuổi Đảng",
                recipients="Đảng viên Đảng bộ xã",
                count=19,
            ),
            AwardInput(kind=AwardKind.OTHER, detail="Khen thưởng 6 tháng đầu năm"),
        ],
    )

    badges, other = meeting.awards.order_by("id")
    assert (badges.kind, badges.detail, badges.recipients, badges.count) == (
        "party_badge",
        "Huy hiệu 30, 40 năm tuổi Đảng",
        "Đảng viên Đảng bộ xã",
        19,
    )
    assert (other.kind, other.recipients, other.count) == ("other", "", None)


# --- people across meetings ---------------------------------------------------------------


def test_the_same_name_in_two_meetings_is_one_person(tree):
    _, district, commune, _ = tree

    first = record(commune)
    second = record(
        district,
        title="Giao ban tháng 12",
        date=dt.date(2022, 12, 20),
        attendees=[AttendeeInput(role="chair", name=HAI, title=HAI_TITLE)],
    )

    assert Person.objects.filter(full_name=HAI).count() == 1
    hai_first = first.attendances.get(person__full_name=HAI)
    hai_second = second.attendances.get()
    assert hai_first.person == hai_second.person
    assert hai_first.position == hai_second.position  # the same title is one position
    assert Position.objects.filter(person=hai_first.person).count() == 1


def test_a_new_title_for_a_known_person_is_a_second_position(tree):
    _, district, commune, _ = tree
    record(commune)

    later = record(
        district,
        title="Hội nghị năm 2023",
        date=dt.date(2023, 3, 1),
        attendees=[AttendeeInput(role="chair", name=HAI, title="PBT Huyện ủy")],
    )

    hai = Person.objects.get(full_name=HAI)
    assert sorted(hai.positions.values_list("title_normalised", flat=True)) == [
        "Phó Bí thư Huyện ủy",
        "Ủy viên Ban Chấp hành Đảng bộ huyện, Phó Chủ nhiệm Ủy ban Kiểm tra Huyện ủy",
    ]
    assert later.attendances.get().position.title == "PBT Huyện ủy"


def test_a_name_typed_in_other_capitals_is_the_same_person(tree):
    _, district, commune, _ = tree
    record(commune)

    meeting = record(
        district,
        title="Giao ban tháng 12",
        date=dt.date(2022, 12, 20),
        attendees=[AttendeeInput(role="chair", name="đoàn thanh HẢI", title=HAI_TITLE)],
        directives=[
            DirectiveInput(text="Việc.", assigned_to=[commune], issued_by="Đoàn Thanh Hải")
        ],
    )

    assert Person.objects.count() == 2
    assert meeting.attendances.get().person.full_name == HAI
    assert meeting.directives.get().issued_by == meeting.attendances.get()


def test_names_that_differ_only_in_their_tone_marks_are_different_people(tree):
    # "Hùng" and "Hưng" (or "Hải" and "Hài") are different names; folding both to "hung" must
    # not make the second attendee appear under the first one's name.
    _, district, commune, _ = tree
    record(commune, attendees=[AttendeeInput(name="Nguyễn Văn Hùng", title="BT Chi bộ 1")])

    meeting = record(
        district,
        title="Giao ban tháng 12",
        date=dt.date(2022, 12, 20),
        attendees=[AttendeeInput(role="chair", name="Nguyễn Văn Hưng", title="PCT UBND xã")],
    )

    assert meeting.attendances.get().person.full_name == "Nguyễn Văn Hưng"
    assert Person.objects.count() == 2


# --- meeting_record: what is refused, saving nothing ----------------------------------------


def refused(host, **fields) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        record(host, **fields)
    return raised.value.message_dict


def test_a_directive_due_before_the_meeting_is_refused_and_nothing_is_saved(commune):
    errors = refused(
        commune,
        limitations=["Còn hạn chế."],
        documents=[DocumentInput(title="Báo cáo", presenter=TAM)],
        awards=[AwardInput(kind="other", detail="Khen")],
        directives=[
            DirectiveInput(text="Đúng hạn.", assigned_to=[commune], due_date=dt.date(2022, 12, 1)),
            DirectiveInput(text="Quá sớm.", assigned_to=[commune], due_date=dt.date(2022, 11, 15)),
        ],
    )

    assert errors == {
        "directives": ["Nhiệm vụ 2: hạn hoàn thành 15/11/2022 trước ngày họp 30/11/2022."]
    }
    assert saved() == NOTHING


def test_a_directive_given_to_no_unit_is_refused_and_nothing_is_saved(commune):
    errors = refused(commune, directives=[DirectiveInput(text="Không ai làm.", assigned_to=[])])

    assert errors == {"directives": ["Nhiệm vụ 1: chưa giao cho đơn vị nào."]}
    assert saved() == NOTHING


def test_a_directive_with_a_bad_period_is_refused_and_nothing_is_saved(commune):
    errors = refused(
        commune,
        directives=[DirectiveInput(text="Việc.", assigned_to=[commune], due_period="2022-13")],
    )

    [message] = errors["directives"]
    assert message.startswith(
        "Nhiệm vụ 1: hạn theo kỳ — Không hiểu kỳ ‘2022-13’: tháng phải từ 1 đến 12."
    )
    assert list(errors) == ["directives"]
    assert saved() == NOTHING


def test_a_meeting_with_a_bad_period_is_refused_and_nothing_is_saved(commune):
    errors = refused(commune, period="tháng 13")

    [message] = errors["period"]
    assert message.startswith("Kỳ đánh giá: Không hiểu kỳ ‘tháng 13’: tháng phải từ 1 đến 12.")
    assert saved() == NOTHING


def test_an_issuer_who_did_not_attend_is_refused_and_nothing_is_saved(commune):
    errors = refused(
        commune,
        directives=[DirectiveInput(text="Việc.", assigned_to=[commune], issued_by="Lê Văn Vắng")],
    )

    assert errors == {
        "directives": ["Nhiệm vụ 1: ‘Lê Văn Vắng’ không có trong danh sách đại biểu."]
    }
    assert saved() == NOTHING


def test_a_presenter_who_did_not_attend_is_refused_and_nothing_is_saved(commune):
    errors = refused(commune, documents=[DocumentInput(title="Báo cáo", presenter="Lê Văn Vắng")])

    assert errors == {"documents": ["‘Lê Văn Vắng’ không có trong danh sách đại biểu."]}
    assert saved() == NOTHING


@pytest.mark.parametrize("title", ["", "   "])
def test_a_meeting_without_a_title_is_refused_and_nothing_is_saved(commune, title):
    errors = refused(commune, title=title)

    assert errors == {"title": ["Chưa nhập tên hội nghị."]}
    assert saved() == NOTHING


def test_a_meeting_without_a_date_is_refused(commune):
    errors = refused(commune, date=None)

    assert errors == {"date": ["Chưa nhập ngày họp."]}
    assert saved() == NOTHING


def test_an_unknown_kind_time_of_day_role_or_award_is_refused(commune):
    errors = refused(
        commune,
        kind="party",
        time_of_day="noon",
        attendees=[AttendeeInput(role="boss", name=HAI)],
        awards=[AwardInput(kind="medal")],
    )

    assert errors == {
        "kind": ["Loại hội nghị ‘party’ không hợp lệ."],
        "time_of_day": ["Buổi ‘noon’ không hợp lệ (sáng, chiều hoặc tối)."],
        "attendees": ["Đại biểu thứ 1: vai trò ‘boss’ không hợp lệ."],
        "awards": ["Hình thức khen thưởng ‘medal’ không hợp lệ."],
    }
    assert saved() == NOTHING


def test_an_attendee_with_neither_name_nor_group_is_refused(commune):
    errors = refused(commune, attendees=[AttendeeInput(name=HAI), AttendeeInput(name="  ")])

    assert errors == {"attendees": ["Đại biểu thứ 2: cần họ tên hoặc tên nhóm."]}
    assert saved() == NOTHING


def test_every_problem_is_reported_at_once(commune):
    errors = refused(
        commune,
        title="",
        directives=[
            DirectiveInput(text=" ", assigned_to=[]),
            DirectiveInput(text="Việc.", assigned_to=[commune], due_date=dt.date(2022, 1, 1)),
        ],
    )

    assert errors == {
        "title": ["Chưa nhập tên hội nghị."],
        "directives": [
            "Nhiệm vụ 1: chưa nhập nội dung.",
            "Nhiệm vụ 1: chưa giao cho đơn vị nào.",
            "Nhiệm vụ 2: hạn hoàn thành 01/01/2022 trước ngày họp 30/11/2022.",
        ],
    }


def test_a_refused_meeting_leaves_earlier_meetings_and_people_as_they_were(commune):
    record(commune)

    refused(
        commune,
        title="Lần hai",
        attendees=[AttendeeInput(name="Người Mới", title="PCT UBND xã")],
        directives=[DirectiveInput(text="Việc.", assigned_to=[])],
    )

    assert Meeting.objects.count() == 1
    assert set(Person.objects.values_list("full_name", flat=True)) == {HAI, TAM}
    assert Position.objects.count() == 2


# --- overdue is derived, never stored -------------------------------------------------------


@pytest.fixture
def directive(commune) -> Directive:
    meeting = record(
        commune,
        directives=[
            DirectiveInput(text="Việc.", assigned_to=[commune], due_date=dt.date(2022, 12, 31))
        ],
    )
    return meeting.directives.get()


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        (dt.date(2022, 12, 30), False),
        (dt.date(2022, 12, 31), False),  # due today is not yet late
        (dt.date(2023, 1, 1), True),
        (dt.date(2025, 7, 1), True),
    ],
)
def test_an_open_directive_is_overdue_only_after_its_due_date(directive, today, overdue):
    assert directive.is_overdue(today) is overdue
    assert directive.status_label(today) == ("Quá hạn" if overdue else "Mở")


def test_a_directive_in_progress_past_its_due_date_is_overdue(directive):
    directive.status = DirectiveStatus.IN_PROGRESS

    assert directive.is_overdue(dt.date(2023, 1, 1))
    assert directive.status_label(dt.date(2023, 1, 1)) == "Quá hạn"
    assert directive.status_label(dt.date(2022, 12, 1)) == "Đang làm"


def test_a_done_directive_is_never_overdue(directive):
    directive.status = DirectiveStatus.DONE

    assert not directive.is_overdue(dt.date(2030, 1, 1))
    assert directive.status_label(dt.date(2030, 1, 1)) == "Hoàn thành"


def test_a_directive_without_a_due_date_is_never_overdue(commune):
    meeting = record(commune, directives=[DirectiveInput(text="Việc.", assigned_to=[commune])])

    assert not meeting.directives.get().is_overdue(dt.date(2030, 1, 1))


def test_overdue_is_worked_out_for_the_day_asked_and_never_stored(commune):
    meeting = record(
        commune,
        directives=[
            DirectiveInput(text="Xong sớm.", assigned_to=[commune], due_date=dt.date(2022, 12, 5)),
            DirectiveInput(text="Còn mở.", assigned_to=[commune], due_date=dt.date(2022, 12, 31)),
        ],
    )
    early, late = meeting.directives.order_by("number")
    directive_follow_up(directive=early, status="done", note="Xong.", date=dt.date(2022, 12, 1))

    def board(today: dt.date) -> list[tuple[str, bool, str]]:
        return [
            (d.text, d.is_overdue(today), d.status_label(today))
            for d in task_board(commune, today=today, open_only=False)
        ]

    # Before the open one's due day: by due date, nothing late.
    assert board(dt.date(2022, 12, 15)) == [
        ("Xong sớm.", False, "Hoàn thành"),
        ("Còn mở.", False, "Mở"),
    ]
    # After it: the late one comes first, though due later than the done one.
    assert board(dt.date(2023, 1, 1)) == [
        ("Còn mở.", True, "Quá hạn"),
        ("Xong sớm.", False, "Hoàn thành"),
    ]
    # Asking about a late day changed nothing stored: back to December, nothing is late.
    assert sorted(Directive.objects.values_list("text", "status")) == [
        ("Còn mở.", "open"),
        ("Xong sớm.", "done"),
    ]
    assert board(dt.date(2022, 12, 31)) == [  # the due day itself is not yet late
        ("Xong sớm.", False, "Hoàn thành"),
        ("Còn mở.", False, "Mở"),
    ]


# --- directive_follow_up ------------------------------------------------------------------


def test_a_follow_up_is_recorded_and_moves_the_status(directive, commune):
    user = make_user("officer", unit=commune)

    follow_up = directive_follow_up(
        directive=directive,
        status=DirectiveStatus.IN_PROGRESS,
        note="  Đã thu hoạch vụ Đông. ",
        user=user,
        date=dt.date(2022, 12, 10),
    )
    directive_follow_up(
        directive=directive, status="done", note="Xong.", user=user, date=dt.date(2022, 12, 28)
    )

    assert (follow_up.date, follow_up.note, follow_up.status, follow_up.by) == (
        dt.date(2022, 12, 10),
        "Đã thu hoạch vụ Đông.",
        "in_progress",
        user,
    )
    assert [(f.date, f.status) for f in directive.follow_ups.all()] == [
        (dt.date(2022, 12, 10), "in_progress"),
        (dt.date(2022, 12, 28), "done"),
    ]
    assert Directive.objects.get(pk=directive.pk).status == "done"


def test_a_follow_up_without_a_date_is_dated_today(directive):
    from django.utils import timezone

    follow_up = directive_follow_up(directive=directive, status="in_progress", note="Đang làm.")

    assert follow_up.date == timezone.localdate()


def test_a_follow_up_keeping_the_status_is_still_recorded(directive):
    directive_follow_up(
        directive=directive, status="open", note="Chưa bắt đầu.", date=dt.date(2022, 12, 1)
    )

    assert FollowUp.objects.get().status == "open"
    assert Directive.objects.get(pk=directive.pk).status == "open"


def test_a_back_dated_follow_up_does_not_undo_a_later_one(directive):
    directive_follow_up(directive=directive, status="done", note="Xong.", date=dt.date(2023, 1, 5))
    directive_follow_up(
        directive=directive, status="in_progress", note="Đang làm.", date=dt.date(2022, 12, 10)
    )

    assert [(f.date, f.status) for f in directive.follow_ups.all()] == [
        (dt.date(2022, 12, 10), "in_progress"),
        (dt.date(2023, 1, 5), "done"),
    ]
    assert Directive.objects.get(pk=directive.pk).status == "done"


@pytest.mark.parametrize("note", ["", "   \n "])
def test_a_follow_up_without_a_note_is_refused(directive, note):
    with pytest.raises(ValidationError) as raised:
        directive_follow_up(directive=directive, status="done", note=note, date=MEETING_DAY)

    assert raised.value.message_dict == {"note": ["Chưa nhập nội dung cập nhật."]}
    assert FollowUp.objects.count() == 0
    assert Directive.objects.get(pk=directive.pk).status == "open"


def test_a_follow_up_dated_before_the_meeting_is_refused(directive):
    with pytest.raises(ValidationError) as raised:
        directive_follow_up(
            directive=directive, status="done", note="Xong.", date=dt.date(2022, 11, 29)
        )

    assert raised.value.message_dict == {"date": ["Ngày cập nhật trước ngày họp 30/11/2022."]}
    assert FollowUp.objects.count() == 0
    assert Directive.objects.get(pk=directive.pk).status == "open"


def test_a_follow_up_with_an_unknown_status_is_refused(directive):
    with pytest.raises(ValidationError) as raised:
        directive_follow_up(directive=directive, status="overdue", note="?", date=MEETING_DAY)

    assert raised.value.message_dict == {"status": ["Tình trạng ‘overdue’ không hợp lệ."]}
    assert FollowUp.objects.count() == 0


# --- directive_progress: the figures behind a directive --------------------------------------


def test_progress_is_the_villages_roll_up_against_the_communes_target(tree):
    _, _, commune, villages = tree
    gardens = make_indicator("vuon-ho", name="Vườn hộ chỉnh trang", unit="ho")
    for village, value in zip(villages, ["10", "12", "8"], strict=True):
        record_result(unit=village, indicator=gardens, period="2022-12", value=value)
    set_target(unit=commune, indicator=gardens, period="2022-12", source="annual_plan", value="40")
    meeting = record(
        commune,
        directives=[
            DirectiveInput(
                text="Về đích NTM năm 2022.",
                assigned_to=[commune],
                due_period="2022-12",
                indicators=[gardens],
            )
        ],
    )

    [progress] = directive_progress(meeting.directives.get())

    assert progress.unit == commune
    assert progress.indicator_name == "Vườn hộ chỉnh trang"
    assert progress.period_label == "tháng 12/2022"
    assert progress.figure.value == Decimal(30)
    assert not progress.figure.own
    assert progress.figure.reporting == 3
    assert progress.achievement.target.value == Decimal(40)
    assert progress.achievement.percent == Decimal("75.0")
    assert not progress.achievement.reached


def test_progress_without_a_due_period_reads_the_year_the_directive_is_due(tree):
    _, _, commune, villages = tree
    recruits = make_indicator("tuyen-quan", name="Giao quân", unit="nguoi")
    record_result(unit=commune, indicator=recruits, period="2023", value="12")
    set_target(unit=commune, indicator=recruits, period="2023", source="annual_plan", value="10")
    meeting = record(
        commune,
        directives=[
            DirectiveInput(
                text="Tuyển quân.",
                assigned_to=[commune],
                due_date=dt.date(2023, 2, 15),
                indicators=[recruits],
            )
        ],
    )

    [progress] = directive_progress(meeting.directives.get())

    assert progress.period_label == "năm 2023"
    assert progress.figure.value == Decimal(12)
    assert progress.achievement.percent == Decimal("120.0")
    assert progress.achievement.reached


def test_progress_lists_each_assigned_unit_and_shows_a_missing_figure_or_target(tree):
    _, district, commune, villages = tree
    other = make_unit("Hà Bình", UnitKind.COMMUNE, district, code="hb")
    gardens = make_indicator("vuon-ho", unit="ho")
    record_result(unit=villages[0], indicator=gardens, period="2022-12", value="5")
    meeting = record(
        district,
        directives=[
            DirectiveInput(
                text="Việc.",
                assigned_to=[commune, other],
                due_period="2022-12",
                indicators=[gardens],
            )
        ],
    )

    progress = directive_progress(meeting.directives.get())

    assert [(p.unit, p.figure and p.figure.value, p.achievement) for p in progress] == [
        (commune, Decimal(5), None),
        (other, None, None),
    ]


def test_a_directive_without_indicators_has_no_progress(directive):
    assert directive_progress(directive) == []
