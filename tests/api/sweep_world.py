"""The objects the API sweep asks about: figures, targets, meetings, tasks, documents, on top
of the conftest world (42 > hk > hl > hl-1..3; p2 > d1 > w1)."""

import datetime as dt

from tests.criteria.packs import two_regions
from xaso.catalog.models import Indicator
from xaso.criteria.loading import load_pack
from xaso.criteria.models import Criterion
from xaso.criteria.services import assess
from xaso.documents.services import document_upload
from xaso.figures.services import record_result, set_target
from xaso.groups.services import group_save
from xaso.meetings.models import Directive
from xaso.meetings.services import DirectiveInput, meeting_record
from xaso.org.models import UnitKind
from xaso.periods import parse_period
from xaso.reporting.definitions import define_form
from xaso.reporting.services import save_report, submit_report

DAY = dt.date(2022, 11, 30)


def populate(world) -> dict:
    """Adds the objects; returns {marker: pk} for meetings (M-…), tasks (T-…), documents."""
    units = world.units
    road = Indicator.objects.get(code="road")
    for n, code in enumerate(("hl-1", "hl-2", "hl", "w1", "d1"), start=1):
        record_result(unit=units[code], indicator=road, period="2022-11", value=str(100 * n))
    for code in ("hl", "hl-1", "d1"):
        set_target(unit=units[code], indicator=road, period="2022", source="district_plan",
                   value="5000")  # fmt: skip

    def meeting(host, title, tasks, taking_part=()):
        return meeting_record(
            host=units[host], kind="executive_regular", title=title, date=DAY,
            units=[units[c] for c in taking_part],
            directives=[DirectiveInput(text=t, assigned_to=[units[c] for c in to])
                        for t, to in tasks],
        )  # fmt: skip

    ids = {
        "M-HL": meeting(
            "hl", "Họp M-HL", [("Việc T-SHARED", ["hl-1", "hl-2"]), ("Việc T-HL1", ["hl-1"])]
        ),
        "M-D1": meeting("d1", "Họp M-D1", [("Việc T-W1", ["w1"])]),
        "M-JOINT": meeting("hl", "Họp M-JOINT", [], taking_part=["d1"]),
    }
    ids = {name: m.pk for name, m in ids.items()}
    for directive in Directive.objects.all():
        ids[directive.text.split()[-1]] = directive.pk
    text = "Báo cáo kết quả tháng 11 năm 2022. Trồng 215 cây bóng mát."
    for name, who, unit in (
        ("DOC-HL1", "village", "hl-1"),
        ("DOC-HL", "commune", "hl"),
        ("DOC-D1", "other", "d1"),
    ):
        document = document_upload(
            filename=f"{name}.txt", pasted=text, user=world.users[who], unit=units[unit]
        )
        ids[name] = document.pk
    # Monthly forms: hl's villages report to hl, w1 to d1; hl-1 and w1 sent November's.
    for reviewer in ("hl", "d1"):
        form = define_form(
            code=f"thang-{reviewer}", name=f"Báo cáo tháng {reviewer}", reviewer=units[reviewer],
            period_type="month", deadline_rule="next-month:20", indicators=[(road, "Giao thông")],
            reporter_kind=UnitKind.VILLAGE,
        )  # fmt: skip
        sender = "hl-1" if reviewer == "hl" else "w1"
        draft, _ = save_report(form=form, unit=units[sender], period=parse_period("2022-11"),
                               entries={})  # fmt: skip
        sent = submit_report(submission=draft, version=draft.version, confirm=True)
        ids[f"SUB-{sender.upper()}"] = sent.pk
    # A national criteria set for communes; hl and d1 have criterion 4 assessed as met.
    # Groups: hl's villages hl-1 and hl-2 (owned by hl); p2's group of d1.
    group_save(owner=units["hl"], code="G-HL", name="Cụm thôn", kind="cluster",
               members=[units["hl-1"], units["hl-2"]])  # fmt: skip
    group_save(owner=units["p2"], code="G-P2", name="Khối Hai", kind="emulation_bloc",
               members=[units["d1"]])  # fmt: skip
    load_pack(two_regions())
    for code in ("hl", "d1"):
        assess(unit=units[code], criterion=Criterion.objects.get(number="4"), on=DAY,
               status="met", evidence=f"Minh chứng {code}")  # fmt: skip
    return ids
