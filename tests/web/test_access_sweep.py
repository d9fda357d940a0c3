"""The access sweep: every URL pattern, as every persona, on every object — GET and POST.

The rules (docs/access.md) are written here again, independently of `xaso.org.policy`, as
the oracle: a role on a unit reads its subtree; reporters and managers write there; managers
set targets; a document is read by its uploader and the managers of its unit. Each request
is checked against them: an allowed one answers, a refused one is 403/404 (or the login page
for an anonymous visitor) and changes nothing; no answer is a server error; and no page
shows a marker (a meeting title, a task, a file name, a figure) of something the persona
may not read. A URL pattern without a rule here fails the sweep.
"""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.criteria.packs import TWO_REGIONS, two_regions
from tests.factories import make_indicator, make_unit, make_user
from xaso.audit.models import AuditEntry
from xaso.campaigns.services import GoalInput, create_campaign, launch_campaign
from xaso.catalog.models import Indicator
from xaso.criteria.loading import load_pack
from xaso.criteria.models import Assessment, CriteriaSet, Criterion, Recognition, UnitGrouping
from xaso.criteria.pack import read_pack_text
from xaso.criteria.services import assess
from xaso.documents.models import SourceDocument
from xaso.documents.services import document_upload
from xaso.figures.models import Allocation, PlanDocument, Result, ResultChange, Target
from xaso.figures.services import record_result, set_target
from xaso.groups.services import group_save
from xaso.meetings.models import Directive, FollowUp, Meeting
from xaso.meetings.services import DirectiveInput, meeting_record
from xaso.once.models import SubmitToken
from xaso.org.models import GroupMember, Membership, Role, UnitGroup, UnitKind
from xaso.periods import parse_period
from xaso.publishing.articles import draft_article, edit_article, publish_article
from xaso.publishing.models import Article, ArticleStatus, ReportTemplate
from xaso.reporting.definitions import define_form
from xaso.reporting.models import Submission
from xaso.reporting.services import approve_report, save_report, submit_report

pytestmark = pytest.mark.django_db

PERIOD = "2022-11"
PUBLIC = {"login", "logout"}


# --- the world ------------------------------------------------------------------------------


@dataclass
class World:
    units: dict  # code -> OrgUnit
    meetings: dict  # name -> Meeting
    directives: dict  # name -> Directive
    documents: dict  # name -> SourceDocument
    personas: dict  # name -> user or None (anonymous)
    grants: dict = field(default_factory=dict)  # persona -> [(unit, role)]
    forms: dict = field(default_factory=dict)  # reviewing unit code -> ReportForm
    submissions: dict = field(default_factory=dict)  # name -> Submission
    articles: dict = field(default_factory=dict)  # name -> Article
    public_units: set = field(default_factory=set)  # codes of units with a public page
    campaigns: dict = field(default_factory=dict)  # host code -> Campaign
    groups: dict = field(default_factory=dict)  # code -> UnitGroup


def build_world() -> World:
    """Two provinces. p1 > commune c1 > villages v1, v2; p2 > commune d1 > village w1."""
    p1 = make_unit("Sweep Một", UnitKind.PROVINCE, code="p1")
    c1 = make_unit("Sweep Xã Một", UnitKind.COMMUNE, p1, code="c1")
    v1 = make_unit("Sweep Thôn Một", UnitKind.VILLAGE, c1, code="v1")
    v2 = make_unit("Sweep Thôn Hai", UnitKind.VILLAGE, c1, code="v2")
    p2 = make_unit("Sweep Hai", UnitKind.PROVINCE, code="p2")
    d1 = make_unit("Sweep Xã Hai", UnitKind.COMMUNE, p2, code="d1")
    w1 = make_unit("Sweep Thôn Ba", UnitKind.VILLAGE, d1, code="w1")
    units = {u.code: u for u in (p1, c1, v1, v2, p2, d1, w1)}
    indicator = make_indicator("ind", name="Đường giao thông", unit="m")
    # Each unit's own figure is a marker: 71.001 for v1 … (formatted the Vietnamese way).
    for n, unit in enumerate(units.values(), start=1):
        record_result(unit=unit, indicator=indicator, period=PERIOD, value=f"{70 + n}.00{n}")
    set_target(unit=c1, indicator=indicator, period="2022", source="district_plan", value="500")
    set_target(unit=v1, indicator=indicator, period="2022", source="district_plan", value="50")

    personas = {
        "anonymous": None,
        "stranger": make_user("stranger"),
        "village1": make_user("village1", unit=v1, role=Role.REPORTER),
        "village2": make_user("village2", unit=v2, role=Role.REPORTER),
        "commune": make_user("commune", unit=c1, role=Role.MANAGER),
        "province_viewer": make_user("province_viewer", unit=p1, role=Role.VIEWER),
        "other_manager": make_user("other_manager", unit=d1, role=Role.MANAGER),
        "superuser": make_user("superuser", is_superuser=True),
    }
    day = dt.date(2022, 11, 30)

    def meeting(host, title, directives, units=()):
        return meeting_record(
            host=host,
            kind="executive_regular",
            title=title,
            date=day,
            units=list(units),
            directives=[DirectiveInput(text=text, assigned_to=to) for text, to in directives],
        )

    meetings = {
        "c1": meeting(c1, "Họp MK-C1", [("Việc TK-SHARED", [v1, v2]), ("Việc TK-C1", [c1])]),
        "d1": meeting(d1, "Họp MK-D1", [("Việc TK-W1", [w1])]),
        "v1": meeting(v1, "Họp MK-V1", [("Việc TK-V1", [v1])]),
        "c1-with-d1": meeting(c1, "Họp MK-JOINT", [], units=[d1]),
    }
    directives = {d.text.split()[-1]: d for d in Directive.objects.all()}
    text = "Báo cáo kết quả tháng 11 năm 2022. Trồng 215 cây bóng mát."
    documents = {
        "v1": document_upload(
            filename="DOC-V1.txt", pasted=text, user=personas["village1"], unit=v1
        ),
        "c1": document_upload(
            filename="DOC-C1.txt", pasted=text, user=personas["commune"], unit=c1
        ),
        "d1": document_upload(
            filename="DOC-D1.txt", pasted=text, user=personas["other_manager"], unit=d1
        ),
    }
    world = World(units, meetings, directives, documents, personas)
    # Criteria: a national set for communes, p1's own set; each commune's assessment carries
    # a marker in its evidence.
    load_pack(two_regions())
    province_set = TWO_REGIONS.replace("code: thu-nghiem", "code: tinh-mot").replace(
        "scope: national", "scope: province"
    )
    load_pack(read_pack_text(province_set, file="tinh.yaml"), owner=p1)
    for unit in (c1, d1):
        assess(
            unit=unit,
            criterion=Criterion.objects.get(criteria_set__code="thu-nghiem", number="4"),
            on=day,
            status="met",
            evidence=f"Minh chứng MC-{unit.code.upper()}",
        )
    # Monthly report forms: c1's villages report to c1, w1 to d1. v1 has sent November's
    # report, v2's October is approved, w1 has sent November's.
    for reviewer in (c1, d1):
        world.forms[reviewer.code] = define_form(
            code=f"sweep-{reviewer.code}",
            name=f"Báo cáo tháng {reviewer.code}",
            reviewer=reviewer,
            period_type="month",
            deadline_rule="next-month:20",
            indicators=[(indicator, "Giao thông")],
            reporter_kind=UnitKind.VILLAGE,
        )

    def sent(unit, form, period):
        draft, _ = save_report(form=form, unit=unit, period=parse_period(period), entries={})
        return submit_report(submission=draft, version=draft.version, confirm=True)

    world.submissions["v1"] = sent(v1, world.forms["c1"], PERIOD)
    october = sent(v2, world.forms["c1"], "2022-10")
    world.submissions["v2"] = approve_report(submission=october, version=october.version)
    world.submissions["w1"] = sent(w1, world.forms["d1"], PERIOD)
    # Articles: c1 has published one (so c1 has a public page) and drafted another; d1 has a
    # draft only. The published one was edited to a text of its own, as officers do.
    for name, meeting, title in (
        ("c1-pub", meetings["c1"], "Tin AR-C1PUB"),
        ("c1-draft", meetings["c1"], "Tin AR-C1DRAFT"),
        ("d1-draft", meetings["d1"], "Tin AR-D1DRAFT"),
    ):
        draft = draft_article(meeting, user=None)
        world.articles[name] = edit_article(
            draft, title=title, body=f"Nội dung {title}.", seen_version=1, user=None
        )
    world.articles["c1-pub"] = publish_article(world.articles["c1-pub"], user=None)
    world.public_units = {"c1"}
    # A campaign of c1 with its villages, launched, with a day's result of v1.
    fences = make_indicator("sweep-rao", name="Hàng rào xanh", unit="m")
    campaign = create_campaign(
        host=c1, code="sweep-cd", name="Thi đua quét", start=dt.date(2022, 11, 1),
        end=dt.date(2022, 11, 30), cadence="daily", goals=[GoalInput(fences, 20)],
        participants=[v1, v2],
    )  # fmt: skip
    world.campaigns["c1"] = launch_campaign(campaign)
    # A cluster of p1 whose one member is c1 (its villages' people see the cluster's page).
    world.groups["sweep-cum"] = group_save(
        owner=p1, code="sweep-cum", name="Cụm quét", kind="cluster", members=[c1]
    )
    record_result(unit=v1, indicator=fences, period="2022-11-10..2022-11-10", value="4")
    for name, user in personas.items():
        world.grants[name] = (
            [] if user is None else [(m.unit, m.role) for m in Membership.objects.filter(user=user)]
        )
    return world


# --- the rules, as the oracle ----------------------------------------------------------------


def _covers(world, persona, unit, roles) -> bool:
    if persona == "superuser":
        return True
    return any(
        unit.path.startswith(granted.path) and role in roles
        for granted, role in world.grants[persona]
    )


def reads(world, persona, unit) -> bool:
    return _covers(world, persona, unit, {Role.VIEWER, Role.REPORTER, Role.MANAGER})


def records(world, persona, unit) -> bool:
    return _covers(world, persona, unit, {Role.REPORTER, Role.MANAGER})


def manages(world, persona, unit) -> bool:
    return _covers(world, persona, unit, {Role.MANAGER})


def reads_meeting(world, persona, meeting) -> bool:
    return any(reads(world, persona, u) for u in [meeting.host, *meeting.units.all()])


def reads_directive(world, persona, directive) -> bool:
    return reads_meeting(world, persona, directive.meeting) or any(
        reads(world, persona, u) for u in directive.assigned_to.all()
    )


def moves_status(world, persona, directive) -> bool:
    assigned = list(directive.assigned_to.all())
    return records(world, persona, directive.meeting.host) or (
        len(assigned) == 1 and records(world, persona, assigned[0])
    )


def reads_document(world, persona, document) -> bool:
    user = world.personas[persona]
    return user is not None and (
        document.uploaded_by_id == user.pk
        or manages(world, persona, document.unit)
        or persona == "superuser"
    )


def sees_group(world, persona, group) -> bool:
    """Its owner's readers, and the people of its members (a role on a member or inside it)."""
    members = list(group.members.all())
    return (
        reads(world, persona, group.owner)
        or any(
            reads(world, persona, member) or granted.path.startswith(member.path)
            for member in members
            for granted, _role in world.grants[persona]
        )
        or (persona == "superuser")
    )


def writes_anywhere(world, persona) -> bool:
    return persona == "superuser" or any(
        role in {Role.REPORTER, Role.MANAGER} for _, role in world.grants[persona]
    )


def forbidden_markers(world, persona) -> set[str]:
    """What must appear on no page the persona opens."""
    markers = set()
    for meeting in world.meetings.values():
        seen = reads_meeting(world, persona, meeting) or any(
            reads_directive(world, persona, d) for d in meeting.directives.all()
        )
        if not seen:
            markers.add(meeting.title.split()[-1])
    for name, directive in world.directives.items():
        if not reads_directive(world, persona, directive):
            markers.add(name)
    for document in world.documents.values():
        if not reads_document(world, persona, document):
            markers.add(document.filename)
    for article in world.articles.values():
        if article.status != ArticleStatus.PUBLISHED and not reads(world, persona, article.unit):
            markers.add(article.title.split()[-1])
    for n, unit in enumerate(world.units.values(), start=1):
        # A unit's own final figures are on its public page, for everyone.
        if not reads(world, persona, unit) and unit.code not in world.public_units:
            markers.add(f"{70 + n}.00{n}")
            if unit.code in ("c1", "d1"):
                markers.add(f"MC-{unit.code.upper()}")
    return markers


# --- the requests ----------------------------------------------------------------------------


@dataclass
class Case:
    name: str  # URL name
    path: str
    get: bool | None  # expected: allowed (True), refused (False), not asked (None)
    post: bool | None
    data: dict = field(default_factory=dict)
    refused_get: tuple = (403, 404)
    allowed_get: tuple = (200,)
    allowed_post: tuple = (200, 302)
    writes: bool = True  # False: even an allowed request must change nothing
    public: bool = False  # True: open without login; an anonymous visitor follows `get` too


def entry_data(world, unit) -> dict:
    current = Result.objects.get(unit=unit, period=PERIOD)
    seen = f"{format(current.value.normalize(), 'f')}|{current.status}"
    return {"period": PERIOD, "v_ind": "9", "s_ind": "final", "was_ind": seen}


def target_data() -> dict:
    indicator = Indicator.objects.get(code="ind")
    return {
        "period": "2022",
        "indicator": indicator.pk,
        "source": "council_resolution",
        "value": "7",
        "seen": "-",
    }


def meeting_data(assign_to: str) -> dict:
    data = {"kind": "executive_regular", "title": "Họp quét quyền", "date": "01/12/2022"}
    for prefix, total in (("a", 0), ("d", 0), ("t", 1), ("k", 0)):
        data |= {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0"}
    return data | {"t-0-text": "Việc quét.", "t-0-assigned_to": assign_to}


def review_data(document) -> dict:
    return {
        "host": document.unit.code,
        "kind": "executive_regular",
        "title": "Nhập quét",
        "date": "30/11/2022",
        "period": PERIOD,
    }


def form_of(world, unit):
    """The report form of the unit's commune (c1's for the first province)."""
    return world.forms["d1" if unit.path.startswith(world.units["p2"].path) else "c1"]


def reports_on(world, unit) -> bool:
    return unit.code in {"v1", "v2", "w1"}


def sheet_data(action: str) -> dict:
    return {"action": action, "version": "0", "v_ind": "9", "s_ind": "final", "was_ind": ""}


def reporting_cases(world, persona) -> list[Case]:
    """A unit's forms (readers); a form's sheet (writers of a unit that reports on it); who
    has reported (readers of the reviewing unit or a unit below it); a sent report (readers
    of its unit), approved, returned or corrected by managers of the reviewing unit."""
    cases = []
    for code, unit in world.units.items():
        form = form_of(world, unit)
        writes = records(world, persona, unit) and reports_on(world, unit)
        sheet = f"/units/{code}/reports/{form.code}/2022-12/"
        cases += [
            Case(
                "reporting:unit_reports",
                f"/units/{code}/reports/",
                reads(world, persona, unit),
                None,
            ),
            Case(
                "reporting:sheet",
                sheet,
                writes,
                writes,
                data=sheet_data("save"),
                allowed_post=(302,),
            ),
            Case(
                "reporting:sheet",
                sheet,
                None,
                writes,
                data=sheet_data("submit"),
                allowed_post=(302,),
            ),
            # "Đọc tin nhắn": the pasted message read into the boxes, shown, never saved.
            Case(
                "reporting:sheet",
                sheet,
                None,
                writes,
                data=sheet_data("read_chat") | {"chat": "Thôn Một tháng 12: 9 m đường giao thông"},
                allowed_post=(200,),
                writes=False,
            ),
            Case(
                "reporting:completeness",
                f"/units/{code}/reports/{form.code}/completeness/?period={PERIOD}",
                reads(world, persona, unit) and unit.path.startswith(form.reviewer.path),
                None,
            ),
        ]
    for submission in world.submissions.values():
        path = f"/reports/submissions/{submission.pk}/"
        readable = reads(world, persona, submission.unit)
        reviews = readable and manages(world, persona, submission.form.reviewer)
        version = str(submission.version)
        if submission.status == "approved":
            actions = [
                {
                    "action": "correct",
                    "v_ind": "5",
                    "s_ind": "final",
                    "was_ind": "",
                    "reason": "Sửa (quét)",
                },
                {"action": "return", "reason": "Mở lại (quét)"},
            ]
        else:
            actions = [{"action": "approve"}, {"action": "return", "reason": "Thiếu số (quét)"}]
        cases.append(Case("reporting:submission", path, readable, None))
        cases += [
            Case(
                "reporting:submission",
                path,
                None,
                reviews,
                data=data | {"version": version},
                allowed_post=(302,),
            )
            for data in actions
        ]
    return cases


def exchange_sheet_cases(world, persona) -> list[Case]:
    """Spreadsheets (issue 18): a form's template down and up (writers of a unit that reports
    on the form or whose children do: v1, v2, w1 and their communes c1, d1), and a unit's
    figures table as XLSX / CSV (readers of the unit). An upload without a file is refused
    in words (400) and stores nothing."""
    cases = []
    for code, unit in world.units.items():
        form = form_of(world, unit)
        sheet = f"/units/{code}/reports/{form.code}/2022-12/"
        records_here = records(world, persona, unit)
        writes = records_here and code in {"v1", "v2", "w1", "c1", "d1"}
        cases += [
            Case("exchange:template", sheet + "template.xlsx", writes, None),
            Case("exchange:upload", sheet + "upload/", writes, None),
            Case(
                "exchange:upload",
                sheet + "upload/",
                None,
                writes,
                data={"action": "check"},
                allowed_post=(400,),
                writes=False,
            ),
            Case(
                "exchange:table_xlsx",
                f"/units/{code}/figures/{PERIOD}.xlsx",
                reads(world, persona, unit),
                None,
            ),
            Case(
                "exchange:table_csv",
                f"/units/{code}/figures/{PERIOD}.csv",
                reads(world, persona, unit),
                None,
            ),
            Case("exchange:kept_sheet", f"/units/{code}/spreadsheet/", records_here, None),
            Case(
                "exchange:kept_sheet",
                f"/units/{code}/spreadsheet/",
                None,
                records_here,
                data={"action": "map"},
                allowed_post=(400,),
                writes=False,
            ),
        ]
    return cases


def cases_for(world, persona) -> list[Case]:
    cases = [
        Case("home", "/", True, None, allowed_get=(200, 302)),  # 200: a home of forms
        Case("org:tree", "/units/", True, None),
        Case(
            "documents:upload",
            "/documents/",
            True,
            writes_anywhere(world, persona),
            data={"pasted": "Báo cáo quét quyền tháng 11 năm 2022."},
        ),
    ]
    for code, unit in world.units.items():
        can_read, can_write = reads(world, persona, unit), records(world, persona, unit)
        query = f"?indicator=ind&period={PERIOD}"
        cases += [
            Case("figures:unit", f"/units/{code}/", can_read, None),
            Case("figures:history", f"/units/{code}/history/{query}", can_read, None),
            Case("meetings:list", f"/units/{code}/meetings/", can_read, None),
            Case("meetings:tasks", f"/units/{code}/tasks/", can_read, None),
            Case(
                "figures:entry",
                f"/units/{code}/entry/?period={PERIOD}",
                can_write,
                can_write,
                data=entry_data(world, unit),
                allowed_post=(302,),
            ),
            Case(
                "meetings:new",
                f"/units/{code}/meetings/new/",
                can_write,
                can_write,
                data=meeting_data(code),
                allowed_post=(302,),
            ),
            Case(
                "figures:plan",
                f"/units/{code}/plan/?period=2022",
                can_read,
                can_read and manages(world, persona, unit),
                data=target_data(),
                allowed_post=(302,),
            ),
        ]
    # Handing a target down: c1's to its villages; v1's has nowhere to go (a page that says so).
    for code in ("c1", "v1"):
        unit = world.units[code]
        target = Target.objects.get(unit=unit, indicator__code="ind")
        can_manage = manages(world, persona, unit)
        path = f"/units/{code}/plan/{target.pk}/allocate/"
        cases += [
            Case(
                "figures:allocate",
                path,
                can_manage,
                can_manage if code == "c1" else None,
                data={"method": "equal", "share_v1": "250", "share_v2": "250"},
                allowed_post=(302,),
            ),
            Case(
                "figures:allocation_xlsx",
                path.replace("/allocate/", "/allocate.xlsx"),
                can_manage,
                None,
                allowed_get=(200, 302),
            ),
        ]
    # A meeting of one's own unit whose task goes to another province's unit.
    for code in ("v1", "c1"):
        unit = world.units[code]
        allowed = records(world, persona, unit) and records(world, persona, world.units["w1"])
        cases.append(
            Case(
                "meetings:new",
                f"/units/{code}/meetings/new/",
                None,
                allowed,
                data=meeting_data("w1"),
                allowed_post=(302,),
            )
        )
    for meeting in world.meetings.values():
        cases.append(
            Case(
                "meetings:meeting",
                f"/meetings/{meeting.pk}/",
                reads_meeting(world, persona, meeting),
                None,
            )
        )
    for directive in world.directives.values():
        readable = reads_directive(world, persona, directive)
        cases.append(
            Case(
                "meetings:directive",
                f"/tasks/{directive.pk}/",
                readable,
                readable and moves_status(world, persona, directive),
                data={"status": "done", "note": "Đã xong (quét quyền)."},
                allowed_post=(302,),
            )
        )
        # A progress note that keeps the status: any writer for the issuer or an assignee.
        notes = any(
            records(world, persona, u)
            for u in [directive.meeting.host, *directive.assigned_to.all()]
        )
        cases.append(
            Case(
                "meetings:directive",
                f"/tasks/{directive.pk}/",
                None,
                readable and notes,
                data={"status": directive.status, "note": "Thôn đã làm một phần."},
                allowed_post=(302,),
            )
        )
    for document in world.documents.values():
        readable = reads_document(world, persona, document)
        cases += [
            Case(
                "documents:review",
                f"/documents/{document.pk}/",
                readable,
                readable and records(world, persona, document.unit),
                data=review_data(document),
                allowed_post=(302,),
            ),
            Case(
                "documents:confirm_targets",
                f"/documents/{document.pk}/confirm-targets/",
                None,
                readable and manages(world, persona, document.unit),
                allowed_post=(302,),
            ),
        ]
    return (
        cases
        + reporting_cases(world, persona)
        + exchange_sheet_cases(world, persona)
        + criteria_cases(world, persona)
        + article_cases(world, persona)
        + report_cases(world, persona)
        + campaign_cases(world, persona)
        + group_cases(world, persona)
    )


def group_cases(world, persona) -> list[Case]:
    """A unit's groups, its groups sheet (readers of the unit); a group's page (its owner's
    readers and its members' people), editing it (managers of the owner); creating and
    loading groups (managers of the unit)."""
    cases = []
    for code, unit in world.units.items():
        readable, managed = reads(world, persona, unit), manages(world, persona, unit)
        base = f"/units/{code}/groups/"
        cases += [
            Case("groups:unit", base, readable, None, writes=False),
            Case("groups:sheet", f"{base}nhom-don-vi.xlsx", readable, None, writes=False),
            Case("groups:new", f"{base}new/", managed, managed, allowed_post=(400,)),
            Case("groups:import", f"{base}import/", managed, managed, allowed_post=(400,)),
        ]
    for group in world.groups.values():
        seen = sees_group(world, persona, group)
        managed = seen and manages(world, persona, group.owner)
        edit = {"name": "Cụm quét sửa", "kind": "cluster", "members": "c1"}
        cases += [
            Case("groups:group", f"/groups/{group.code}/?period={PERIOD}", seen, None,
                 writes=False),
            Case("groups:edit", f"/groups/{group.code}/edit/", managed, managed, data=edit,
                 allowed_post=(302,)),
        ]  # fmt: skip
    return cases


def report_cases(world, persona) -> list[Case]:
    """A unit's "Tạo báo cáo" page and the report it writes (readers of the unit: the report
    says everything about it; nothing is stored); its own Word template (managers)."""
    cases = []
    for code, unit in world.units.items():
        path = f"/units/{code}/write-report/"
        readable = reads(world, persona, unit)
        download = f"{path}?period={PERIOD}&issuer=state&format=md"
        remove = {"action": "remove", "issuer": "state"}
        cases += [
            Case("reports:page", path, readable, None),
            Case("reports:page", download, readable, None, writes=False),
            Case("reports:page", path, None, manages(world, persona, unit), data=remove,
                 allowed_post=(302,)),
        ]  # fmt: skip
    return cases


def campaign_cases(world, persona) -> list[Case]:
    """A unit's campaigns (readers of the unit); a campaign's page, its loudspeaker bulletin
    and the bulletin as text, its closing review and files (readers of the host); closing it
    (managers of the host)."""
    cases = [
        Case("campaigns:unit", f"/units/{code}/campaigns/", reads(world, persona, unit), None,
             writes=False)
        for code, unit in world.units.items()
    ]  # fmt: skip
    for campaign in world.campaigns.values():
        readable = reads(world, persona, campaign.host)
        path = f"/campaigns/{campaign.code}/"
        cases += [
            Case("campaigns:campaign", f"{path}?date=10/11/2022", readable, None, writes=False),
            Case("campaigns:bulletin", f"{path}bulletin/?date=10/11/2022", readable, None,
                 writes=False),
            Case("campaigns:bulletin", f"{path}bulletin/?format=txt", readable, None,
                 writes=False),
            # The closing review, its decision and scores (readers); closing it (managers).
            Case("campaigns:closing", f"{path}tong-ket/?bieu-duong=90", readable, None,
                 writes=False),
            Case("campaigns:decision", f"{path}tong-ket/quyet-dinh.docx", readable, None,
                 writes=False),
            Case("campaigns:scores", f"{path}tong-ket/bang-diem.xlsx", readable, None,
                 writes=False),
            Case("campaigns:close", f"{path}ket-thuc/", None,
                 manages(world, persona, campaign.host)),
            # "Phát động" on a draft (managers of the host): this one is launched already,
            # so launching again changes nothing.
            Case("campaigns:launch", f"{path}phat-dong/", None,
                 manages(world, persona, campaign.host), allowed_post=(302,)),
        ]  # fmt: skip
    # Creating a campaign (managers of the host): the page, a form sent empty (shown again
    # with its errors), and a whole campaign of c1 for its village v1.
    for code, unit in world.units.items():
        managed = manages(world, persona, unit)
        path = f"/units/{code}/campaigns/new/"
        cases.append(Case("campaigns:new", path, managed, managed, allowed_post=(400,)))
    fences = Indicator.objects.get(code="sweep-rao")
    whole = {
        "once": "sweep-once", "code": "sweep-new", "name": "Thi đua mới", "cadence": "daily",
        "start": "01/12/2022", "end": "15/12/2022", "participants": ["v1"],
        "g-TOTAL_FORMS": "1", "g-INITIAL_FORMS": "0", "g-0-indicator": fences.pk,
        "g-0-value": "10", "g-0-allocate": "equal", "w-TOTAL_FORMS": "0",
        "w-INITIAL_FORMS": "0", "action": "launch",
    }  # fmt: skip
    managed = manages(world, persona, world.units["c1"])
    cases.append(
        Case("campaigns:new", "/units/c1/campaigns/new/", None, managed, data=whole,
             allowed_post=(302,))
    )  # fmt: skip
    return cases


def article_cases(world, persona) -> list[Case]:
    """A unit's articles, an article's page (readers of the unit); writing one from a meeting
    (managers of its host who read it), editing, publishing, withdrawing (managers of the
    unit). The public pages: anyone, anonymous too, for a unit with a published article and
    a published article of it; 404 for everyone else."""
    cases = []
    for code, unit in world.units.items():
        public = code in world.public_units
        cases += [
            Case("articles:list", f"/units/{code}/articles/", reads(world, persona, unit), None),
            Case("public:unit", f"/cong-khai/{code}/", public, None, public=True),
            Case("public:feed", f"/cong-khai/{code}/atom.xml", public, None, public=True),
        ]
    for meeting in world.meetings.values():
        writes = reads_meeting(world, persona, meeting) and manages(world, persona, meeting.host)
        path = f"/meetings/{meeting.pk}/article/"
        cases.append(Case("articles:write", path, writes, writes, allowed_post=(302,)))
    for article in world.articles.values():
        path = f"/articles/{article.pk}/"
        readable = reads(world, persona, article.unit)
        managed = manages(world, persona, article.unit)
        edit = {"title": "Sửa quét", "body": "Quét.", "version": article.version, "action": "save"}
        published = article.status == ArticleStatus.PUBLISHED
        cases += [
            Case("articles:edit", path, readable, managed, data=edit, allowed_post=(302,)),
            Case("articles:publish", f"{path}publish/", None, managed, allowed_post=(302,)),
            Case("articles:withdraw", f"{path}withdraw/", None, managed, allowed_post=(302,)),
            Case(
                "public:article",
                f"/cong-khai/{article.unit.code}/tin/{article.pk}/",
                published,
                None,
                public=True,
            ),
        ]
    return cases


def assess_data(status: str = "not_met") -> dict:
    return {
        "action": "assess",
        "set": "thu-nghiem",
        "date": "30/11/2022",
        "criterion": "4",
        "status": status,
        "assessed_on": "30/11/2022",
        "seen": "met",
    }


def criteria_cases(world, persona) -> list[Case]:
    """A unit's criteria (readers); assessing it (managers of a unit the set applies to);
    placing a province in a region (its managers); the matrix (readers); the sets (everyone
    signed in; a province's own set: readers of the province); loading one (province managers)."""
    cases = []
    for code, unit in world.units.items():
        cases += [
            Case("criteria:unit", f"/units/{code}/criteria/", reads(world, persona, unit), None),
            Case(
                "criteria:matrix",
                f"/units/{code}/criteria/thu-nghiem/matrix/",
                reads(world, persona, unit),
                None,
            ),
        ]
    for code in ("c1", "d1"):
        unit = world.units[code]
        cases.append(
            Case(
                "criteria:unit",
                f"/units/{code}/criteria/",
                None,
                manages(world, persona, unit),
                data=assess_data(),
                allowed_post=(302,),
            )
        )
    cases.append(
        Case(
            "criteria:unit",
            "/units/p1/criteria/",
            None,
            manages(world, persona, world.units["p1"]),
            data={"action": "group", "set": "thu-nghiem", "group": "NAM"},
            allowed_post=(302,),
        )
    )
    pack = TWO_REGIONS.replace("code: thu-nghiem", "code: tinh-quet").replace(
        "scope: national", "scope: province"
    )
    province_manager = persona == "superuser"  # no other persona manages a province here
    cases += [
        Case("criteria:sets", "/criteria/", True, None),
        Case(
            "criteria:sets",
            "/criteria/",
            None,
            province_manager,
            data={"owner": "p1", "file": SimpleUploadedFile("tinh.yaml", pack.encode())},
            allowed_post=(302,),
        ),
        Case("criteria:set", "/criteria/thu-nghiem/", True, None),
        Case("criteria:set_xlsx", "/criteria/thu-nghiem.xlsx", True, None),
        Case(
            "criteria:set_xlsx",
            "/criteria/tinh-mot.xlsx",
            reads(world, persona, world.units["p1"]),
            None,
        ),
        Case(
            "criteria:set",
            "/criteria/tinh-mot/",
            reads(world, persona, world.units["p1"]),
            None,
        ),
    ]
    return cases


def url_names() -> set[str]:
    """Every named URL pattern of the site, outside the admin."""
    names = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace not in ("admin", "api"):  # /api/: tests/api/test_access.py
                    walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    return names


def state() -> tuple:
    """Everything a write could change, to compare before and after a refused request."""
    return (
        list(Result.objects.order_by("pk").values_list("pk", "value", "status")),
        list(Target.objects.order_by("pk").values_list("pk", "value")),
        list(PlanDocument.objects.values_list("pk")),
        list(Allocation.objects.values_list("pk", "method")),
        Meeting.objects.count(),
        list(Directive.objects.order_by("pk").values_list("pk", "status")),
        FollowUp.objects.count(),
        list(SourceDocument.objects.order_by("pk").values_list("pk", "imported_at", "unit")),
        ResultChange.objects.count(),
        AuditEntry.objects.count(),
        Membership.objects.count(),
        list(Submission.objects.order_by("pk").values_list("pk", "status", "version")),
        list(Result.objects.order_by("pk").values_list("pk", "approved")),
        SubmitToken.objects.count(),
        list(Assessment.objects.order_by("pk").values_list("pk", "status")),
        Recognition.objects.count(),
        list(UnitGrouping.objects.values_list("pk", "group")),
        list(CriteriaSet.objects.values_list("pk", "digest")),
        list(Article.objects.order_by("pk").values_list("pk", "status", "version", "title")),
        list(ReportTemplate.objects.order_by("pk").values_list("pk", "filename")),
        list(UnitGroup.objects.order_by("pk").values_list("pk", "name")),
        GroupMember.objects.count(),
    )


# --- the sweep -------------------------------------------------------------------------------


@dataclass
class Tally:
    requests: int = 0
    problems: list = field(default_factory=list)
    covered: set = field(default_factory=set)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def check(tally, world, persona, case, method, marker_set, client=None) -> None:
    user = world.personas[persona]
    expected = case.get if method == "GET" else case.post
    if expected is None:
        return
    tally.covered.add(case.name)
    before = state()
    # Each request in a savepoint rolled back afterwards: the world stays as built.
    with transaction.atomic():
        client = client or client_for(user)
        send = client.get if method == "GET" else client.post
        response = send(case.path, case.data if method == "POST" else None)
        after = state()
        transaction.set_rollback(True)
    tally.requests += 1
    status = response.status_code
    where = f"{persona} {method} {case.path} → {status}"
    body = response.content.decode(errors="replace") if status == 200 else ""
    if status >= 500:
        tally.problems.append(f"server error: {where}")
    elif user is None and not case.public:
        if not (status == 302 and response.url.startswith("/login/")):
            tally.problems.append(f"anonymous not sent to login: {where}")
        if after != before:
            tally.problems.append(f"anonymous write: {where}")
    elif expected:
        allowed = case.allowed_get if method == "GET" else case.allowed_post
        if status not in allowed:
            tally.problems.append(f"refused what the rules allow: {where}")
        if not case.writes and after != before:
            tally.problems.append(f"write by a request that must only read: {where}")
    else:
        if status not in case.refused_get:
            tally.problems.append(f"{'leak' if method == 'GET' else 'unauthorised'}: {where}")
        if after != before:
            tally.problems.append(f"unauthorised write: {where}")
    leaked = sorted(m for m in marker_set if m in body)
    if leaked:
        tally.problems.append(f"leak of {leaked}: {where}")


def test_every_url_as_every_persona_follows_the_rules():
    world = build_world()
    tally = Tally()
    for persona, user in world.personas.items():
        markers = forbidden_markers(world, persona)
        client = client_for(user)  # logged in outside the requests' savepoints
        for case in cases_for(world, persona):
            for method in ("GET", "POST"):
                check(tally, world, persona, case, method, markers, client)

    assert tally.problems == [], "\n".join(tally.problems)
    unruled = url_names() - tally.covered - PUBLIC
    assert unruled == set(), f"URL patterns without an access rule in this sweep: {unruled}"
    assert tally.requests > 300
    print(f"\naccess sweep: {tally.requests} requests, {len(world.personas)} personas, 0 problems")


def test_the_sweep_counts_a_refusal_that_changed_data_as_a_problem():
    """The sweep's own check bites: a write that a refused persona makes is reported."""
    world = build_world()
    tally = Tally()
    case = Case("figures:entry", f"/units/v1/entry/?period={PERIOD}", None, False)
    case.data = entry_data(world, world.units["v1"])
    # Pretend the rules refuse village1 on its own village: its allowed write now counts.
    check(tally, world, "village1", case, "POST", set())

    assert any(p.startswith("unauthorised") for p in tally.problems)


def test_the_sweep_counts_a_write_by_a_read_only_post_as_a_problem():
    """An allowed POST that must only read (the sheet's "Đọc tin nhắn") is checked for
    writes too: a save sent under that rule is reported."""
    world = build_world()
    tally = Tally()
    case = Case(
        "reporting:sheet",
        f"/units/v1/reports/{world.forms['c1'].code}/2022-12/",
        None,
        True,
        data=sheet_data("save"),
        allowed_post=(302,),
        writes=False,
    )
    check(tally, world, "village1", case, "POST", set())

    assert any(p.startswith("write by a request that must only read") for p in tally.problems)


def test_the_admin_lets_in_staff_only():
    world = build_world()
    staff = get_user_model().objects.create_user("staff", password="pw-12345", is_staff=True)
    for persona, user in world.personas.items():
        response = client_for(user).get("/admin/")
        assert (response.status_code, response.url.split("?")[0]) == (302, "/admin/login/"), persona
    assert client_for(staff).get("/admin/").status_code == 200
