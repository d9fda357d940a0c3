"""`xaso article`, run in-process on the demo data: the article written from the Hương Khê
township's review of 8 July 2020 (seed 004) names its chair and its date; HTML, a file, --as."""

import pytest
from django.db import transaction

from tests.factories import make_user
from xaso import cli
from xaso.demo.loader import load_demo
from xaso.meetings.models import Meeting
from xaso.org.models import OrgUnit, Role
from xaso.publishing.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


@pytest.fixture
def township_review() -> Meeting:
    return Meeting.objects.get(host__code="42.huong-khe.tt", date="2020-07-08")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_article_of_the_township_review_names_its_chair_and_date(capsys, township_review):
    code, out, err = run(capsys, "article", str(township_review.pk))

    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        "# Thị trấn Hương Khê tổ chức Hội nghị sơ kết công tác xây dựng Đảng 6 tháng đầu năm "
        "2020, triển khai nhiệm vụ 6 tháng cuối năm"
    )
    assert lines[2].startswith("Sáng ngày 08/7/2020, thị trấn Hương Khê tổ chức Hội nghị sơ kết")
    assert (
        "Đồng chí Nguyễn Anh Tuấn, Huyện ủy viên, Bí thư Đảng ủy Thị trấn chủ trì hội nghị." in out
    )
    assert "đồng chí Lê Trọng Dũng, Phó Ban Tuyên giáo Huyện ủy" in out
    assert "5. Đẩy mạnh thi đua chào mừng Đại hội Đảng bộ huyện" in out
    assert "hạn 25/01/2021" in out
    # The demo's estimates were never approved in a report: the figures paragraph keeps to
    # the final ones (the summary, as recorded, still says what was reported).
    assert "Trong 6 tháng đầu năm 2020, thu trợ cấp cân đối đạt 986 triệu đồng." in out
    assert "ước đạt 3.750" not in out
    assert Article.objects.count() == 0  # the command only reads


def test_html_to_a_file(capsys, township_review, tmp_path):
    target = tmp_path / "tin.html"
    code, out, err = run(
        capsys, "article", str(township_review.pk), "--format", "html", "-o", str(target)
    )

    assert (code, err) == (0, "")
    assert out == f"Đã ghi tin bài vào {target}.\n"
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert '<meta charset="utf-8">' in html
    assert "<h1>Thị trấn Hương Khê tổ chức Hội nghị sơ kết" in html
    assert "<ol>\n<li>Nâng cao năng lực lãnh đạo của cấp ủy" in html


def test_as_a_user_who_may_not_read_the_meeting_it_is_not_found(capsys, township_review):
    make_user("ha-linh-only", unit=OrgUnit.objects.get(code="42.huong-khe.ha-linh"))
    make_user("township", unit=township_review.host, role=Role.VIEWER, first_name="Lan")

    code, out, err = run(capsys, "article", str(township_review.pk), "--as", "ha-linh-only")
    assert (code, out) == (2, "")
    assert err == f"Không có hội nghị số {township_review.pk} mà ha-linh-only được xem.\n"

    code, out, err = run(capsys, "article", str(township_review.pk), "--as", "township")
    assert (code, err) == (0, "")
    assert out.rstrip().endswith("*Tác giả: Lan*")


def test_an_unknown_meeting(capsys):
    code, out, err = run(capsys, "article", "999999")
    assert (code, out, err) == (2, "", "Không có hội nghị số 999999.\n")
