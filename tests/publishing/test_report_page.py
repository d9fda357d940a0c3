"""The "Tạo báo cáo" page and `xaso report`: one service behind both, the reader's rights,
a typed mistake re-shown with its reason."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso import cli
from xaso.figures.services import record_result, set_target
from xaso.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    _, _, commune, villages = make_commune_tree()
    thu = make_indicator("thu", name="Thu ngân sách", unit="trieu_dong", over_time="flow")
    set_target(unit=commune, indicator=thu, period="2022", source="district_plan", value="15511")
    record_result(unit=commune, indicator=thu, period="2022-H1", value="3750", status="estimated")
    return commune


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_page_offers_the_periods_with_figures(commune):
    reader = make_user("reader", unit=commune, role=Role.VIEWER)
    page = client_for(reader).get(reverse("reports:page", args=[commune.code]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tạo báo cáo" in html and "2022-H1" in html
    assert 'value="2022-H1"' in html  # the latest period with figures, chosen


def test_the_half_is_offered_before_the_year_that_holds_it(commune):
    from xaso.catalog.models import Indicator

    thu = Indicator.objects.get(code="thu")
    record_result(unit=commune, indicator=thu, period="2022", value="8000")
    record_result(unit=commune, indicator=thu, period="2021-H2", value="3000")
    reader = make_user("reader", unit=commune, role=Role.VIEWER)
    html = client_for(reader).get(reverse("reports:page", args=[commune.code])).content.decode()
    assert 'name="period" value="2022-H1"' in html


def test_a_markdown_report_downloads(commune):
    reader = make_user("reader", unit=commune, role=Role.VIEWER)
    url = reverse("reports:page", args=[commune.code])
    query = {
        "period": "6 tháng đầu năm 2022",
        "issuer": "party",
        "format": "md",
        "date": "10/07/2022",
    }
    answer = client_for(reader).get(url, query)
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == 'attachment; filename="bao-cao-so-ket-2022-H1-hl.md"'
    text = answer.content.decode()
    assert "Hà Linh, ngày 10 tháng 7 năm 2022" in text and "ĐẢNG ỦY XÃ HÀ LINH" in text
    assert "ước đạt 3.750 triệu đồng/15.511 triệu đồng, đạt 24,2% kế hoạch huyện giao" in text


def test_a_mistyped_period_and_date_are_reshown_with_their_reasons(commune):
    reader = make_user("reader", unit=commune, role=Role.VIEWER)
    url = reverse("reports:page", args=[commune.code])
    query = {"period": "tháng 13/2022", "issuer": "state", "format": "md", "date": "31/02/2022"}
    answer = client_for(reader).get(url, query)
    assert answer.status_code == 400
    html = answer.content.decode()
    assert 'value="tháng 13/2022"' in html and 'value="31/02/2022"' in html
    assert "Kỳ báo cáo:" in html and "Ngày báo cáo: «31/02/2022» không phải là ngày" in html


def test_a_stranger_may_not_write_the_units_report(commune):
    stranger = make_user("stranger")
    url = reverse("reports:page", args=[commune.code])
    answer = client_for(stranger).get(url, {"period": "2022-H1", "issuer": "state", "format": "md"})
    assert answer.status_code == 403


def test_the_cli_writes_the_same_report(commune, capsys, tmp_path):
    code = cli.main(
        ["report", "hl", "--period", "2022-H1", "--format", "md", "--issuer", "dang-uy",
         "--date", "10/07/2022"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and "T/M ĐẢNG ỦY" in out
    assert "ước đạt 3.750 triệu đồng/15.511 triệu đồng" in out


def test_the_cli_refuses_a_reader_without_rights_and_a_binary_to_the_terminal(commune, capsys):
    make_user("stranger")
    assert cli.main(["report", "hl", "--period", "2022-H1", "--format", "md", "--as", "stranger"])
    assert "không có quyền xem" in capsys.readouterr().err
    assert cli.main(["report", "hl", "--period", "2022-H1", "--format", "xlsx"])
    assert "thêm -o TỆP" in capsys.readouterr().err


def test_a_party_committee_reports_in_the_party_layout_by_default(commune, capsys):
    from tests.factories import make_unit
    from xaso.org.models import UnitKind

    make_unit("Hà Linh", UnitKind.PARTY_COMMITTEE, commune, code="hl-du")
    assert cli.main(["report", "hl-du", "--period", "2022-H1", "--format", "md"]) == 0
    out = capsys.readouterr().out
    # The commune's party committee is named after the commune, under the district's.
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in out and "ĐẢNG ỦY XÃ HÀ LINH" in out
    assert "ĐẢNG BỘ HUYỆN HƯƠNG KHÊ" in out and "ĐẢNG BỘ HÀ LINH" not in out
    assert cli.main(["report", "hl", "--period", "2022-H1", "--format", "md"]) == 0
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in capsys.readouterr().out


def test_the_state_markdown_body_closes_with_one_end_mark(commune, capsys):
    assert cli.main(["report", "hl", "--period", "2022-H1", "--format", "md"]) == 0
    out = capsys.readouterr().out
    # NĐ 30: "./." after the last sentence, whose own full stop is the mark's first dot.
    assert "còn phải thực hiện 11.761 triệu đồng./.\n" in out and "../." not in out
