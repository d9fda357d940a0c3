"""`xaso export` and `xaso import`: every format out and back in, the JSON report, the exit
status, --dry-run, --system and --as."""

import json

import pytest

from tests.exchange.test_dhis2 import EXPECTED, empty_the_database, figures, tree  # noqa: F401
from tests.factories import make_user
from xaso import cli
from xaso.exchange.models import CodeMapping
from xaso.figures.models import Result
from xaso.org.models import Role

pytestmark = pytest.mark.django_db

CLEAN = {"rows": 4, "stored": 4, "unchanged": 0, "errors": [], "dry_run": False}


def run(capsys, *args):
    code = cli.main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("dhis2-json", "hl.json"), ("dhis2-csv", "hl.csv"), ("adx", "hl.xml"), ("qcvn125", "hl.json")],
)
def test_every_format_goes_out_and_comes_back_the_same(capsys, tree, tmp_path, fmt, name):  # noqa: F811
    out = tmp_path / name
    code, said, err = run(capsys, "export", "hk", "--period", "2022-11", "--format", fmt, "-o", out)
    assert (code, err) == (0, "")
    assert said.startswith(f"Đã ghi {out}")
    empty_the_database()
    code, said, _ = run(capsys, "import", out, "--json")  # the format guessed from the file
    assert (code, json.loads(said)) == (0, CLEAN)
    assert figures() == EXPECTED


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_flat_tables_go_there_and_back(capsys, tree, tmp_path, fmt):  # noqa: F811
    out = tmp_path / f"hl.{fmt}"
    args = ("export", "hl", "--period", "tháng 11/2022", "--format", fmt, "-o", out)
    assert run(capsys, *args)[0] == 0
    empty_the_database()
    code, said, _ = run(capsys, "import", out, "--json")
    assert (code, json.loads(said)) == (0, CLEAN)
    assert figures() == EXPECTED


def test_dry_run_reports_and_stores_nothing(capsys, tree, tmp_path):  # noqa: F811
    out = tmp_path / "hl.json"
    run(capsys, "export", "hl", "--period", "2022-11", "--format", "dhis2-json", "-o", out)
    empty_the_database()
    code, said, _ = run(capsys, "import", out, "--dry-run", "--json")
    assert (code, json.loads(said)) == (0, {**CLEAN, "dry_run": True})
    assert not Result.objects.exists()
    code, said, _ = run(capsys, "import", out, "--dry-run")
    assert (code, said) == (0, "Sẽ lưu 4 số liệu; 0 không đổi; 4 dòng.\n")


def test_errors_give_status_1_and_name_the_rows(capsys, tree, tmp_path):  # noqa: F811
    empty_the_database()
    bad = tmp_path / "bad.csv"
    bad.write_text("dataelement,period,orgunit,catoptcombo,attroptcombo,value\n"
                   "road,202211,hl-1,,,1\nroad,202211,OUx,,,2\n", encoding="utf-8")  # fmt: skip
    code, said, _ = run(capsys, "import", bad, "--json")
    assert code == 1
    report = json.loads(said)
    assert (report["rows"], report["stored"]) == (2, 0)
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(3, "unit")]
    code, said, _ = run(capsys, "import", bad)
    assert code == 1
    assert said.splitlines() == [
        "Không lưu gì: 1 lỗi trong 2 dòng.",
        "  dòng 3, unit: Không có đơn vị mã «OUx».",
    ]
    assert not Result.objects.exists()


def test_system_mapping_applies_on_both_sides(capsys, tree, tmp_path):  # noqa: F811
    table = tmp_path / "map.csv"
    table.write_text("system,kind,xaso_code,other_code\ndhis2-ht,unit,hl-1,OU1\n", encoding="utf-8")
    code, said, _ = run(capsys, "code-mappings", table)
    assert (code, said) == (0, "Đã nạp 1 ánh xạ mã.\n")
    assert CodeMapping.objects.get(other_code="OU1").xaso_code == "hl-1"
    out = tmp_path / "hl.csv"
    run(capsys, "export", "hk", "--period", "2022-11", "--format", "dhis2-csv",
        "--system", "dhis2-ht", "-o", out)  # fmt: skip
    assert "homes,202211,OU1,,,12" in out.read_text(encoding="utf-8")
    empty_the_database()
    code, said, _ = run(capsys, "import", out, "--system", "dhis2-ht", "--json")
    assert (code, json.loads(said)) == (0, CLEAN)
    assert figures() == EXPECTED


def test_a_village_head_cannot_export_or_import_beyond_their_village(capsys, tree, tmp_path):  # noqa: F811
    district, commune, villages = tree
    make_user("truong-thon-1", unit=villages[0], role=Role.REPORTER)
    out = tmp_path / "hl.json"
    code, _, err = run(capsys, "export", "hl", "--period", "2022-11", "--format", "dhis2-json",
                       "-o", out, "--as", "truong-thon-1")  # fmt: skip
    assert code == 2
    assert "không có quyền xem" in err
    assert not out.exists()
    run(capsys, "export", "hk", "--period", "2022-11", "--format", "dhis2-json", "-o", out)
    empty_the_database()
    code, said, _ = run(capsys, "import", out, "--json", "--as", "truong-thon-1")
    assert code == 1
    refused = {(e["row"], e["field"]) for e in json.loads(said)["errors"]}
    assert refused == {(1, "unit"), (4, "unit")}  # the commune's and village 2's rows
    assert not Result.objects.exists()


def test_nothing_to_export_and_unreadable_files_are_said_plainly(capsys, tree, tmp_path):  # noqa: F811
    code, _, err = run(capsys, "export", "hl", "--period", "2021-11", "--format", "adx",
                       "-o", tmp_path / "x.xml")  # fmt: skip
    assert (code, err.strip()) == (2, "Xã Hà Linh không có số liệu tháng 11/2021 để xuất.")
    broken = tmp_path / "x.json"
    broken.write_text("{oops", encoding="utf-8")
    code, said, _ = run(capsys, "import", broken, "--json")
    assert code == 1
    assert [(e["row"], e["field"]) for e in json.loads(said)["errors"]] == [(0, "file")]
    odd = tmp_path / "x.txt"
    odd.write_text("hello", encoding="utf-8")
    code, _, err = run(capsys, "import", odd)
    assert (code, err.strip()) == (2, "Không đoán được định dạng của x.txt: thêm --format.")
