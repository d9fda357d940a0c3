"""A commune that held a six-month review, for the article and public-page tests: our own
names and figures, each kind of figure once — an approved estimate (public, "ước đạt"), an
estimate nobody approved (never public), a final figure (public), one with no plan.

Province > district > commune "Xã An Phú" (code an-phu) > village "Thôn Đông".
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tests.factories import make_indicator, make_unit, make_user
from xaso.figures.services import record_result, set_target
from xaso.meetings.models import Meeting
from xaso.meetings.services import AttendeeInput, AwardInput, DirectiveInput, meeting_record
from xaso.org.models import Role, UnitKind
from xaso.periods import parse_period
from xaso.reporting.definitions import define_form
from xaso.reporting.services import approve_report, save_report, submit_report

H1 = "2020-H1"
BUDGET, BUDGET_PLAN, BUDGET_COUNCIL = Decimal("4120"), Decimal("17230"), Decimal("18005")
FOOD, FOOD_PLAN = Decimal("312"), Decimal("640")  # estimated, never approved
CRITERIA, CRITERIA_PLAN = Decimal("21"), Decimal("24")  # final
TREES = Decimal("1375")  # final, no plan


def percent(value: Decimal, plan: Decimal) -> str:
    """The percentage as the article writes it, computed here on its own: 23,9%."""
    shown = (value * 100 / plan).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{shown}".replace(".", ",") + "%"


@dataclass
class World:
    province: object
    district: object
    commune: object
    village: object
    other: object  # a commune of another district
    meeting: Meeting
    manager: object  # manages the commune
    viewer: object  # reads the commune
    reporter: object  # reports for the commune
    outsider: object  # manages the other commune


def build() -> World:
    province = make_unit("Thử Nghiệm", UnitKind.PROVINCE, code="tn")
    district = make_unit("Sông Lam", UnitKind.DISTRICT, province, code="tn.song-lam")
    commune = make_unit("An Phú", UnitKind.COMMUNE, district, code="an-phu")
    village = make_unit("Đông", UnitKind.VILLAGE, commune, code="an-phu.dong")
    other = make_unit("Bình Yên", UnitKind.COMMUNE, district, code="binh-yen")

    budget = make_indicator(
        "thu-ns", name="Thu ngân sách trên địa bàn", unit="trieu_dong", position=1
    )
    food = make_indicator("luong-thuc", name="Sản lượng lương thực", unit="tan", position=2)
    criteria = make_indicator(
        "vmdt", name="Tiêu chí văn minh đô thị đạt", unit="tieu_chi", rollup="max", position=3
    )
    trees = make_indicator("cay-xanh", name="Cây xanh trồng mới", unit="cay", position=4)

    set_target(
        unit=commune, indicator=budget, period="2020", source="district_plan", value="17.230"
    )
    set_target(
        unit=commune, indicator=budget, period="2020", source="council_resolution", value="18.005"
    )
    set_target(unit=commune, indicator=food, period="2020", source="annual_plan", value="640")
    set_target(unit=commune, indicator=criteria, period="2020", source="annual_plan", value="24")

    # The budget comes in a report the district approves; the rest is entered directly.
    form = define_form(
        code="an-phu-h1",
        name="Báo cáo 6 tháng",
        reviewer=district,
        period_type="half",
        deadline_rule="next-month:10",
        indicators=[(budget, "Ngân sách")],
        reporter_units=[commune],
    )
    draft, _ = save_report(
        form=form, unit=commune, period=parse_period(H1), entries={budget: ("4.120", "estimated")}
    )
    sent = submit_report(submission=draft, version=draft.version, confirm=True)
    approve_report(submission=sent, version=sent.version)
    record_result(unit=commune, indicator=food, period=H1, value="312", status="estimated")
    record_result(unit=commune, indicator=criteria, period=H1, value="21")
    record_result(unit=commune, indicator=trees, period=H1, value="1.375")

    meeting = meeting_record(
        host=commune,
        kind="interim_review",
        title="Hội nghị sơ kết công tác 6 tháng đầu năm 2020",
        date=dt.date(2020, 7, 3),
        time_of_day="morning",
        place="Hội trường Ủy ban nhân dân xã",
        period=H1,
        attendees=[
            AttendeeInput(role="chair", name="Trần Văn Bình", title="PBT TT Đảng ủy"),
            AttendeeInput(
                role="directing", name="Lê Thị Hoa", title="UVBCH Đảng bộ huyện, PCN UBKT HU"
            ),
            AttendeeInput(role="attendee", group="Bí thư các chi bộ", group_count=9),
        ],
        summary="Các chi bộ hoàn thành sinh hoạt chuyên đề quý II.",
        limitations=["Thu ngân sách chưa đạt tiến độ", "Vệ sinh môi trường còn hạn chế."],
        directives=[
            DirectiveInput(
                text="Tập trung khai thác nguồn thu ngân sách.",
                assigned_to=[commune],
                due_date=dt.date(2020, 12, 31),
                issued_by="Lê Thị Hoa",
            ),
            DirectiveInput(
                text="Ra quân vệ sinh môi trường hằng tháng",
                assigned_to=[village],
                due_date=dt.date(2020, 9, 5),
                issued_by="Lê Thị Hoa",
            ),
        ],
        awards=[
            AwardInput(
                kind="party_badge",
                detail="Huy hiệu 40 năm tuổi Đảng",
                recipients="Đảng viên chi bộ Thôn Đông",
                count=3,
            )
        ],
    )
    return World(
        province=province,
        district=district,
        commune=commune,
        village=village,
        other=other,
        meeting=meeting,
        manager=make_user(
            "art-manager", unit=commune, role=Role.MANAGER, first_name="Hà", last_name="Nguyễn"
        ),
        viewer=make_user("art-viewer", unit=commune, role=Role.VIEWER),
        reporter=make_user("art-reporter", unit=commune, role=Role.REPORTER),
        outsider=make_user("art-outsider", unit=other, role=Role.MANAGER),
    )
