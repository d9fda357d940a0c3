"""The report's contents read from data made through the services: sentences, plans,
breakdown, limitations, tasks, next period's targets and where each figure came from.

Expected percentages are worked out here by hand (3.750 / 15.511 = 24,18 %), not taken from
the code under test.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import make_commune_tree, make_indicator, make_unit, make_user
from xaso.figures.services import record_result, set_target
from xaso.meetings.models import Directive, DirectiveStatus
from xaso.meetings.services import AttendeeInput, DirectiveInput, meeting_record
from xaso.org.models import UnitKind
from xaso.periods import parse_period
from xaso.publishing.contents import ReportKind, report_contents
from xaso.publishing.reports import ReportError, write_report

pytestmark = pytest.mark.django_db

H1 = parse_period("2022-H1")
DAY = dt.date(2022, 7, 10)


@pytest.fixture
def world():
    province, district, commune, villages = make_commune_tree()
    thu = make_indicator("thu", name="Thu ngân sách", unit="trieu_dong", over_time="flow")
    duong = make_indicator("duong", name="Đường giao thông", unit="m", over_time="flow")
    cay = make_indicator("cay", name="Cây xanh trồng mới", unit="cay")
    clerk = make_user("ke-toan", first_name="Lan", last_name="Nguyễn Thị")
    set_target(unit=commune, indicator=thu, period="2022", source="district_plan", value="15511")
    set_target(
        unit=commune, indicator=thu, period="2022", source="council_resolution", value="16477"
    )
    record_result(
        unit=commune, indicator=thu, period="2022-H1", value="3750", status="estimated", user=clerk
    )
    record_result(unit=commune, indicator=thu, period="2021-H1", value="3000")
    set_target(unit=commune, indicator=duong, period="2022", source="district_plan", value="1000")
    set_target(
        unit=villages[0], indicator=duong, period="2022", source="district_plan", value="200"
    )
    for village, metres in zip(villages, ("100", "200", "300"), strict=True):
        record_result(unit=village, indicator=duong, period="2022-H1", value=metres)
    set_target(unit=commune, indicator=cay, period="2022", source="annual_plan", value="500")
    return commune, villages, district


def sentences(contents):
    return {row.code: row.sentence for row in contents.rows}


def test_each_indicator_is_written_in_the_reports_style(world):
    commune, _, _ = world
    contents = report_contents(commune, H1, day=DAY)
    said = sentences(contents)
    assert said["thu"] == (
        "Thu ngân sách 6 tháng đầu năm 2022 ước đạt 3.750 triệu đồng/15.511 triệu đồng, "
        "đạt 24,2% kế hoạch huyện giao; đạt 22,8% kế hoạch HĐND giao; "
        "tăng 25,0% so với cùng kỳ năm trước."
    )
    # Rolled up from the villages: 100 + 200 + 300 of 1.000 planned.
    assert said["duong"] == (
        "Đường giao thông 6 tháng đầu năm 2022 đạt 600 m/1.000 m, đạt 60,0% kế hoạch huyện giao."
    )
    # No figure: a marked gap, never a number.
    assert said["cay"] == (
        "[Cần bổ sung: kết quả cây xanh trồng mới 6 tháng đầu năm 2022 (kế hoạch 500 cây)]"
    )
    assert contents.gaps == [said["cay"]]


def test_the_table_rows_carry_values_plans_and_last_year(world):
    commune, _, _ = world
    rows = {row.code: row for row in report_contents(commune, H1, day=DAY).rows}
    thu = rows["thu"]
    assert (thu.value, thu.estimated, thu.own, thu.last_year) == (3750, True, True, 3000)
    assert [(p.source, p.value) for p in thu.plans] == [
        ("district_plan", 15511),
        ("council_resolution", 16477),
    ]
    assert str(thu.percent) == "24.2"
    assert thu.plan.words == "kế hoạch huyện giao năm 2022"
    assert (rows["duong"].value, rows["duong"].own) == (600, False)
    assert rows["cay"].value is None and str(rows["cay"].plan.words) == "kế hoạch năm 2022"


def test_the_breakdown_lists_each_child_against_its_own_plan(world):
    commune, villages, _ = world
    contents = report_contents(commune, H1, day=DAY)
    (breakdown,) = [b for b in contents.breakdowns if b.name == "Đường giao thông"]
    assert [(row.name, row.value) for row in breakdown.rows] == [
        ("Thôn 1", 100),
        ("Thôn 2", 200),
        ("Thôn 3", 300),
    ]
    assert str(breakdown.rows[0].percent) == "50.0"  # 100 of the village's 200
    assert breakdown.rows[1].percent is None  # no plan of its own


def test_each_figure_is_traced_to_who_entered_it(world):
    commune, _, _ = world
    trace = report_contents(commune, H1, day=DAY).trace
    own = [entry for entry in trace if entry.indicator == "Thu ngân sách"]
    assert len(own) == 1
    assert own[0].entered_by == "Lan Nguyễn Thị" and own[0].estimated
    assert own[0].source.startswith("nhập bởi Lan Nguyễn Thị lúc ")
    below = [entry.unit for entry in trace if entry.indicator == "Đường giao thông"]
    assert below == ["Thôn 1", "Thôn 2", "Thôn 3"]


def test_section_two_takes_the_limitations_of_the_meetings_that_reviewed_the_period(world):
    commune, villages, district = world
    other = make_unit("Điền Mỹ", UnitKind.COMMUNE, district, code="dm")

    def meeting(host, day, text, period=""):
        meeting_record(
            host=host, kind="interim_review", title="Hội nghị", date=day,
            limitations=[text], period=period,
        )  # fmt: skip

    meeting(commune, dt.date(2022, 7, 5), "Thu ngân sách đạt thấp.")
    meeting(commune, dt.date(2022, 7, 31), "Giải ngân chậm.")  # 31 days after: still its review
    meeting(commune, dt.date(2022, 8, 1), "Hạn chế của kỳ khác.")  # 32 days after: not
    meeting(commune, dt.date(2022, 9, 20), "Tiến độ NTM chậm.", period="2022-H1")  # named
    meeting(other, dt.date(2022, 7, 5), "Hạn chế của xã khác.")
    assert report_contents(commune, H1, day=DAY).limitations == [
        "Thu ngân sách đạt thấp.",
        "Giải ngân chậm.",
        "Tiến độ NTM chậm.",
    ]


def test_section_three_lists_open_directives_and_what_is_left_of_the_plans(world):
    commune, villages, _ = world
    meeting_record(
        host=commune,
        kind="interim_review",
        title="Hội nghị sơ kết",
        date=dt.date(2022, 7, 5),
        directives=[
            DirectiveInput(
                text="Đẩy nhanh thu ngân sách;", assigned_to=[villages[0]],
                due_date=dt.date(2022, 9, 30),
            ),
            DirectiveInput(text="Việc đã xong", assigned_to=[commune]),
        ],
    )  # fmt: skip
    Directive.objects.filter(text="Việc đã xong").update(status=DirectiveStatus.DONE)
    contents = report_contents(commune, H1, day=DAY)
    assert contents.directives == ["Đẩy nhanh thu ngân sách (hạn 30/09/2022)."]
    # In the catalog's order (by code here): cay, duong, thu.
    assert contents.next_targets == [
        "Cây xanh trồng mới: phấn đấu đạt 500 cây (kế hoạch năm 2022).",
        "Đường giao thông: phấn đấu hoàn thành 1.000 m (kế hoạch huyện giao năm 2022), "
        "còn phải thực hiện 400 m.",
        # 15.511 − 3.750 = 11.761 left of the year's plan after the first half.
        "Thu ngân sách: phấn đấu hoàn thành 15.511 triệu đồng (kế hoạch huyện giao năm 2022), "
        "còn phải thực hiện 11.761 triệu đồng.",
    ]
    assert contents.following.code == "2022-H2"


@pytest.mark.parametrize(
    ("code", "kind", "subject"),
    [
        ("2022-H1", "so-ket", "Sơ kết 6 tháng đầu năm 2022, "
                              "nhiệm vụ trọng tâm 6 tháng cuối năm 2022"),
        ("2022-11", "thang", "Kết quả thực hiện nhiệm vụ tháng 11/2022, "
                             "nhiệm vụ trọng tâm tháng 12/2022"),
        ("2022", "tong-ket", "Tổng kết năm 2022, nhiệm vụ trọng tâm năm 2023"),
        ("2022-9M", "so-ket", "Sơ kết 9 tháng đầu năm 2022"),
    ],
)  # fmt: skip
def test_the_kind_and_subject_follow_the_period(world, code, kind, subject):
    commune, _, _ = world
    contents = report_contents(commune, parse_period(code), day=DAY)
    assert (contents.kind.value, contents.subject) == (kind, subject)


def test_a_chosen_kind_overrides_the_periods(world):
    commune, _, _ = world
    contents = report_contents(commune, H1, kind=ReportKind.ANNUAL, day=DAY)
    assert contents.subject.startswith("Tổng kết 6 tháng đầu năm 2022")


def test_the_signer_is_the_head_who_took_part_in_the_units_meetings(world):
    commune, _, _ = world
    meeting_record(
        host=commune,
        kind="interim_review",
        title="Hội nghị",
        date=dt.date(2022, 7, 5),
        attendees=[
            AttendeeInput(role="chair", name="Trần Văn Bình", title="Chủ tịch UBND xã"),
            AttendeeInput(name="Lê Thị Hoa", title="Phó Chủ tịch UBND xã"),
            AttendeeInput(name="Hồ Văn Cường", title="Bí thư Đảng ủy xã"),
        ],
    )
    assert report_contents(commune, H1, day=DAY).heading.signer_name == "Trần Văn Bình"
    party = report_contents(commune, H1, issuer="party", day=DAY).heading
    assert party.signer_name == "Hồ Văn Cường"


def test_no_signer_known_leaves_the_name_empty(world):
    commune, _, _ = world
    assert report_contents(commune, H1, day=DAY).heading.signer_name == ""


def test_a_reader_outside_the_unit_gets_no_report(world):
    commune, _, _ = world
    stranger = make_user("stranger")
    with pytest.raises(PermissionDenied):
        write_report(user=stranger, unit=commune, period=H1, fmt="md", day=DAY)
    reader = make_user("reader", unit=commune, role="viewer")
    written = write_report(user=reader, unit=commune, period=H1, fmt="md", day=DAY)
    assert written.filename == "bao-cao-so-ket-2022-H1-hl.md"
    assert "ước đạt 3.750 triệu đồng/15.511 triệu đồng" in written.content.decode()


def test_an_unknown_format_is_refused_in_vietnamese(world):
    commune, _, _ = world
    with pytest.raises(ReportError, match="Định dạng «odt» không có"):
        write_report(user=None, unit=commune, period=H1, fmt="odt", day=DAY)


def test_a_six_month_report_adds_up_the_months_entered(world):
    commune, villages, _ = world
    hoi = make_indicator("hoi", name="Hội viên mới", unit="nguoi", over_time="flow")
    for month, count in (("2022-01", "4"), ("2022-03", "5"), ("2022-06", "6"), ("2022-07", "50")):
        record_result(unit=villages[0], indicator=hoi, period=month, value=count)
    rows = {row.code: row for row in report_contents(commune, H1, day=DAY).rows}
    assert rows["hoi"].value == 15  # January to June; July is the next half's
    # A second half is read from figures entered for it (its months are not added up yet:
    # docs/publishing.md), never from January.
    record_result(unit=villages[0], indicator=hoi, period="2022-H2", value="70")
    second = {row.code: row for row in report_contents(commune, parse_period("2022-H2")).rows}
    assert second["hoi"].value == 70


def test_each_row_says_where_its_figure_came_from(world):
    from django.utils import timezone

    commune, _, _ = world
    today = f"{timezone.localdate():%d/%m/%Y}"
    rows = {row.code: row for row in report_contents(commune, H1, day=DAY).rows}
    assert rows["thu"].source == (
        f"Số của xã: 1 lượt nhập ({today}), người nhập Lan Nguyễn Thị, qua biểu mẫu web; "
        "1 số ước đạt."
    )
    assert rows["duong"].source == (
        f"Tổng hợp từ 3 lượt nhập của 3 đơn vị trực thuộc ({today}), người nhập hệ thống, "
        "qua biểu mẫu web."
    )
    assert rows["cay"].source == ""
