"""The demo's reporting cycle (data/reporting.toml): completeness and timeliness as its
schedule says, the returned report's reason, the two users to try it as."""

import pytest
from django.db import transaction

from xaso.audit.models import AuditEntry, Entity
from xaso.demo.loader import load_demo
from xaso.demo.reporting import load_reporting
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.periods import parse_period
from xaso.reporting.models import ReportForm, Submission, SubmissionStatus
from xaso.reporting.selectors import completeness

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def names(items):
    return [getattr(item, "unit", item).name for item in items]


def test_week_17_one_village_late():
    found = completeness(
        ReportForm.objects.get(code="ntm-tuan-trang-giang"), parse_period("2022-W17")
    )
    # Schedule, second column: on_time, on_time, late, on_time.
    assert names(found.on_time) == ["Cẩm Trang", "Bồng Giang", "Hợp Phát"]
    assert names(found.late) == ["Văn Giang"]
    assert found.missing == []
    # Friday 29/4/2022 17:00 in Vietnam.
    assert found.deadline.strftime("%d/%m/%Y %H:%M %z") == "29/04/2022 17:00 +0700"


def test_week_21_one_village_missing_and_week_22_waiting_for_review():
    form = ReportForm.objects.get(code="ntm-tuan-trang-giang")
    week21 = completeness(form, parse_period("2022-W21"))
    assert (names(week21.late), names(week21.missing)) == (["Văn Giang"], ["Hợp Phát"])
    week22 = Submission.objects.filter(form=form, period="2022-W22")
    assert sorted((s.unit.name, s.status) for s in week22) == [
        ("Bồng Giang", SubmissionStatus.SUBMITTED),
        ("Cẩm Trang", SubmissionStatus.SUBMITTED),
        ("Văn Giang", SubmissionStatus.DRAFT),
    ]


def test_the_returned_report_keeps_its_reason_in_the_trail_and_was_approved_after():
    form = ReportForm.objects.get(code="ntm-tuan-trang-giang")
    report = Submission.objects.get(form=form, period="2022-W19", unit__name="Bồng Giang")
    assert report.status == SubmissionStatus.APPROVED
    returned = AuditEntry.objects.get(
        entity=Entity.SUBMISSION, object_id=report.pk, new__status="returned"
    )
    assert returned.reason.startswith("Số hộ làm cổng ngõ chưa khớp")
    assert report.on_time is True  # first sent on Thursday


def test_the_province_sees_its_communes_monthly():
    form = ReportForm.objects.get(code="ntm-thang-ha-tinh")
    march = completeness(form, parse_period("2022-03"))
    # The schedules of reporting.toml, month by month (March is the third, June the sixth).
    assert sorted(names(march.on_time)) == sorted(
        ["Hà Linh", "Trang Giang", "Phú Gia", "Điền Mỹ", "Hương Thủy"]
    )
    assert sorted(names(march.late)) == ["Hương Khê", "Hương Long"]
    june = completeness(form, parse_period("2022-06"))
    assert sorted(names(june.on_time)) == sorted(["Hà Linh", "Hương Long", "Phú Gia", "Điền Mỹ"])
    assert sorted(names(june.late)) == ["Hương Thủy", "Trang Giang"]
    assert names(june.missing) == ["Hương Khê"]
    assert june.rate == 85.7  # 6 of the 7 communes reported


def test_the_two_users_to_try_it_as():
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    head, officer = users.get(username="thon.camtrang"), users.get(username="xa.tranggiang")
    village = OrgUnit.objects.get(code__startswith="42.x002", name="Cẩm Trang")
    assert policy.can_record(head, village)
    assert not policy.can_manage(head, OrgUnit.objects.get(code="42.x002"))
    assert policy.can_manage(officer, OrgUnit.objects.get(code="42.x002"))
    assert head.check_password("xaso-demo")


def test_loading_again_adds_no_report():
    count = Submission.objects.count()
    assert count == 65  # 7 + 7 + 7 + 5 weekly; 6 + 6 + 4 + 6 + 6 + 6 + 5 monthly
    assert load_reporting() == count
