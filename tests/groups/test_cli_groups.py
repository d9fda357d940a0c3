"""`xaso groups`, `xaso show GROUP` and `xaso groups-import`: the issue's JSON shapes."""

import json
from decimal import Decimal

import pytest

from tests.factories import make_user
from tests.groups.conftest import VALUES, enter_values
from xaso import cli
from xaso.figures.services import record_result
from xaso.groups.services import group_save
from xaso.org.models import Role, UnitGroup

pytestmark = pytest.mark.django_db


def run(capsys, *args):
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def cluster(district, indicators):
    district_unit, communes, villages = district
    enter_values(villages, {"sum": indicators["sum"]})
    return group_save(
        owner=district_unit,
        code="cum-trung-tam",
        name="Cụm trung tâm",
        kind="cluster",
        members=[communes["xd"], communes["tt"], communes["np"]],
    )


def test_groups_of_a_member_and_of_the_owner(capsys, cluster):
    for unit in ("xd", "tx"):
        code, out, _ = run(capsys, "groups", unit, "--json")
        assert code == 0
        assert json.loads(out) == {
            "groups": [
                {
                    "code": "cum-trung-tam",
                    "name": "Cụm trung tâm",
                    "kind": "cluster",
                    "owner": "tx",
                    "members": ["Xã Xuân Dương", "Xã Thọ Thanh", "Xã Ngọc Phụng"],
                }
            ]
        }
    code, out, _ = run(capsys, "groups", "lc", "--json")
    assert json.loads(out) == {"groups": []}


def test_show_a_group_gives_its_total_and_the_members_breakdown(capsys, cluster):
    code, out, _ = run(capsys, "show", "cum-trung-tam", "--period", "2022-06", "--json")

    assert code == 0
    data = json.loads(out)
    assert data["group"] == {"code": "cum-trung-tam", "name": "Cụm trung tâm", "kind": "cluster"}
    [row] = data["rows"]
    inside = sum(v for code in ("xd", "tt", "np") for v in VALUES[code])
    assert row["indicator_code"] == "i-sum" and Decimal(str(row["result"])) == inside
    assert [(m["code"], m["result"], m["rank"]) for m in row["members"]] == [
        ("xd", 42, 2),
        ("tt", 7.5, 3),
        ("np", 51, 1),
    ]


def test_show_a_group_as_a_user_who_reads_one_member(capsys, district, cluster):
    _district_unit, communes, _villages = district
    make_user("canbo", unit=communes["tt"], role=Role.VIEWER)
    make_user("ngoai", unit=communes["lc"], role=Role.VIEWER)

    code, out, _ = run(
        capsys, "show", "cum-trung-tam", "--period", "2022-06", "--json", "--as", "canbo"
    )
    data = json.loads(out)
    assert data["members_shown"] == ["Xã Thọ Thanh"]
    assert [m["code"] for m in data["rows"][0]["members"]] == ["tt"]
    assert data["rows"][0]["result"] == 7.5

    code, out, err = run(capsys, "show", "cum-trung-tam", "--period", "2022-06", "--as", "ngoai")
    assert code != 0 and out == ""
    assert "Người dùng ngoai không có quyền xem nhóm Cụm trung tâm." in err


def test_groups_import_from_a_csv_all_or_nothing(capsys, district, tmp_path):
    sheet = tmp_path / "khoi.csv"
    sheet.write_text(
        "Nhóm,Tên nhóm,Loại,Mã đơn vị\n"
        "k1,Khối 1,Khối thi đua,xd\n"
        "k1,,,tt\n"
        "k2,Khối 2,Khối thi đua,np\n"
        "k2,,,khong-co\n",
        encoding="utf-8",
    )

    code, out, _ = run(capsys, "groups-import", str(sheet), "--owner", "tx")

    assert code == 1
    assert "dòng 5, mã đơn vị: Không có đơn vị mã ‘khong-co’ trong Huyện Thường Xuân." in out
    assert UnitGroup.objects.count() == 0

    sheet.write_text(sheet.read_text(encoding="utf-8").replace("khong-co", "lc"), encoding="utf-8")
    code, out, _ = run(capsys, "groups-import", str(sheet), "--owner", "tx", "--json")
    assert code == 0
    assert json.loads(out) == {
        "rows": 4,
        "groups": 2,
        "members": 4,
        "errors": [],
        "dry_run": False,
    }
    assert sorted(UnitGroup.objects.get(code="k2").members.values_list("code", flat=True)) == [
        "lc",
        "np",
    ]


def test_a_sheet_without_the_member_column_is_refused(capsys, district, tmp_path):
    sheet = tmp_path / "sai.csv"
    sheet.write_text("Nhóm,Tên nhóm\nk1,Khối 1\n", encoding="utf-8")
    code, _out, err = run(capsys, "groups-import", str(sheet), "--owner", "tx")
    assert code != 0
    assert "sai.csv: thiếu cột mã đơn vị (cần: nhóm, tên nhóm, loại, mã đơn vị)." in err


def test_show_a_group_year_to_date_and_beside_last_year(capsys, district, indicators, cluster):
    _district_unit, _communes, villages = district
    # January of 2022 and June of 2021 too: one value of 10 in each member's first village.
    for period in ("2022-01", "2021-06"):
        for code in ("xd", "tt", "np"):
            record_result(
                unit=villages[f"{code}-1"], indicator=indicators["sum"], period=period, value=10
            )
    june = sum(v for code in ("xd", "tt", "np") for v in VALUES[code])

    code, out, _ = run(capsys, "show", "cum-trung-tam", "--period", "2022-06", "--ytd", "--json")
    assert code == 0
    [row] = json.loads(out)["rows"]
    assert Decimal(str(row["result"])) == june + 30  # June's values and January's 3 × 10

    code, out, _ = run(
        capsys, "show", "cum-trung-tam", "--period", "2022-06", "--compare", "last-year"
    )
    assert code == 0
    assert "cùng kỳ năm trước: 30 ha" in out


def test_show_a_group_refuses_a_year_to_date_of_a_term(capsys, cluster):
    code, out, err = run(capsys, "show", "cum-trung-tam", "--period", "2021..2025", "--ytd")
    assert code != 0 and out == ""
    assert "lũy kế" in err
