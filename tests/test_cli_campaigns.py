"""`xaso campaigns` and `xaso campaign-rank`: the issue's JSON shapes, numbers from the
entries of tests/campaigns/test_standings.py worked out by hand there."""

import json

import pytest

from tests.campaigns.test_standings import campaign  # noqa: F401 — the fixture
from tests.factories import make_user
from xaso import cli

pytestmark = pytest.mark.django_db


def run(capsys, *args):
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_ranking_as_json(capsys, campaign):  # noqa: F811
    code, out, _ = run(capsys, "campaign-rank", "cd", "--json")
    assert code == 0
    ranking = json.loads(out)["ranking"]
    assert [(r["rank"], r["unit"], r["score"], r["completed"]) for r in ranking] == [
        (1, "Thôn 1", 100, 2),
        (2, "Thôn 2", 100, 2),
        (3, "Thôn 3", 60, 1),
    ]
    assert ranking[2]["lacking"] == [{"indicator": "Vườn hộ", "missing": 8}]
    assert ranking[0]["completed_on"] == "2022-04-20"


def test_the_ranking_on_a_day_as_text(capsys, campaign):  # noqa: F811
    code, out, _ = run(capsys, "campaign-rank", "cd", "--date", "18/04/2022")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Cao điểm — xếp hạng đến ngày 18/04/2022"
    assert lines[1] == "  1. Thôn 1: 80,0%, hoàn thành 1 chỉ tiêu"
    assert "     Hàng rào xanh còn 40; Vườn hộ còn 10" in lines


def test_a_units_campaigns(capsys, campaign):  # noqa: F811
    code, out, _ = run(capsys, "campaigns", "hl", "--json")
    assert code == 0
    [found] = json.loads(out)["campaigns"]
    assert (found["name"], found["span"]) == ("Cao điểm", "2022-04-15..2022-05-30")
    assert found["participants"] == ["Thôn 1", "Thôn 2", "Thôn 3"]
    assert found["progress"] == 86.7  # (100 + 100 + 60) / 3


def test_refusals(capsys, campaign):  # noqa: F811
    make_user("stranger")
    code, _, err = run(capsys, "campaign-rank", "cd", "--as", "stranger")
    assert code != 0 and "không có quyền xem" in err
    code, _, err = run(capsys, "campaign-rank", "khong-co")
    assert code != 0 and "Không có phong trào mã ‘khong-co’" in err
    code, _, err = run(capsys, "campaign-rank", "cd", "--date", "31/02/2022")
    assert code != 0 and "--date:" in err


def test_a_participant_and_the_district_see_the_campaign(capsys, campaign):  # noqa: F811
    for unit in ("hl-2", "hk"):
        code, out, _ = run(capsys, "campaigns", unit, "--json")
        assert code == 0
        assert [c["code"] for c in json.loads(out)["campaigns"]] == ["cd"]
    code, out, _ = run(capsys, "campaigns", "hl-2")
    assert out.splitlines() == [
        "Cao điểm (cd) — Xã Hà Linh, 15/04/2022–30/05/2022",
        "    3 đơn vị tham gia, bình quân đạt 86,7%",
    ]


def test_the_ranking_on_a_day_as_json(capsys, campaign):  # noqa: F811
    code, out, _ = run(capsys, "campaign-rank", "cd", "--date", "18/04/2022", "--json")
    assert code == 0
    ranking = json.loads(out)["ranking"]
    # 18/4: Thôn 1 60 m of 100 and 10 of 10 gardens: 80; Thôn 3 150 m (capped) and 2 of 10
    # gardens: 60; Thôn 2 60 m, no garden: 30.
    assert [(r["unit"], r["score"], r["completed"]) for r in ranking] == [
        ("Thôn 1", 80, 1),
        ("Thôn 3", 60, 1),
        ("Thôn 2", 30, 0),
    ]
    assert ranking[0]["lacking"] == [{"indicator": "Hàng rào xanh", "missing": 40}]
    assert ranking[2]["lacking"] == [
        {"indicator": "Hàng rào xanh", "missing": 40},
        {"indicator": "Vườn hộ", "missing": 10},
    ]


def test_a_village_reader_sees_its_communes_campaign_by_name_only(capsys, campaign):  # noqa: F811
    from xaso.org.models import OrgUnit, Role

    make_user("thon1", unit=OrgUnit.objects.get(code="hl-1"), role=Role.VIEWER)
    code, out, _ = run(capsys, "campaigns", "hl-1", "--as", "thon1", "--json")
    assert code == 0
    [found] = json.loads(out)["campaigns"]
    assert found["name"] == "Cao điểm"
    assert (found["progress"], found["participants"]) == (None, None)


def test_the_closing_review_files_and_closing(capsys, campaign, tmp_path):  # noqa: F811
    from docx import Document
    from openpyxl import load_workbook

    from xaso.campaigns.models import Campaign
    from xaso.org.models import Role

    decision, scores = tmp_path / "qd.docx", tmp_path / "diem.xlsx"
    code, out, _ = run(
        capsys, "campaign-close", "cd", "--bieu-duong", "100", "--nhac-nho", "60,1",
        "--decision", str(decision), "--scores", str(scores), "--json",
    )  # fmt: skip
    assert code == 0
    found = json.loads(out)
    assert found["status"] == "launched" and found["final"] is True  # 30/05/2022 is past
    assert [(r["unit"], r["score"], r["verdict"]) for r in found["ranking"]] == [
        ("Thôn 1", 100, "praise"),
        ("Thôn 2", 100, "praise"),
        ("Thôn 3", 60, "remind"),  # 60 < 60,1
    ]
    lines = [p.text for p in Document(decision).paragraphs]
    assert "2. Thôn 2: hoàn thành 2/2 chỉ tiêu, đạt 100,0 điểm, xếp thứ 2." in lines
    assert load_workbook(scores)["Bảng điểm"].max_row == 4 + 1 + 3  # title, blank, head, rows

    reporter = make_user("thon", unit=campaign.host, role=Role.REPORTER)
    code, _, err = run(capsys, "campaign-close", "cd", "--close", "--as", reporter.username)
    assert code != 0 and "Chỉ người quản lý Xã Hà Linh" in err
    assert Campaign.objects.get(pk=campaign.pk).status == "launched"
    make_user("chu-tich", unit=campaign.host, role=Role.MANAGER)
    code, out, _ = run(capsys, "campaign-close", "cd", "--close", "--as", "chu-tich")
    assert code == 0 and "Biểu dương: Thôn 1, Thôn 2" in out and "Nhắc nhở: không có" in out
    assert Campaign.objects.get(pk=campaign.pk).status == "closed"
    code, _, err = run(capsys, "campaign-close", "cd", "--nhac-nho", "101")
    assert code != 0 and "--nhac-nho: Điểm phải từ 0 đến 100." in err
