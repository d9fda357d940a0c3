"""`xaso targets` and `xaso allocate`: the JSON contracts, dry runs, files, rights, errors."""

import json

import pytest

from tests.factories import make_indicator, make_unit, make_user
from xaso import cli
from xaso.figures.models import Target, TargetSource
from xaso.figures.plans import record_plan_document
from xaso.figures.services import record_result, set_target
from xaso.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    commune = make_unit("Hà Linh", UnitKind.COMMUNE, code="hl")
    villages = [make_unit(f"{n}", UnitKind.VILLAGE, commune, code=f"hl-{n}") for n in (1, 2, 3)]
    households = make_indicator("so-ho", unit="ho", name="Số hộ")
    for village, count in zip(villages, (150, 100, 50), strict=True):
        record_result(unit=village, indicator=households, period="2022", value=str(count))
    toilets = make_indicator("nha-tieu", unit="ho", name="Nhà tiêu hợp vệ sinh")
    document = record_plan_document(
        unit=commune, citation="Quyết định số 15/QĐ-UBND ngày 10/01/2022 của UBND huyện"
    )
    set_target(
        unit=commune,
        indicator=toilets,
        period="2022",
        source=TargetSource.DISTRICT_PLAN,
        value="40",
        document=document,
    )
    return commune


def run(capsys, *args):
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_targets_json_contract(capsys, commune):
    code, out, err = run(capsys, "targets", "hl", "--period", "2022", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "unit": {"code": "hl", "name": "Xã Hà Linh"},
        "period": {"code": "2022", "label": "năm 2022"},
        "targets": [
            {
                "indicator": "nha-tieu",
                "unit": "hộ",
                "source": "district_plan",
                "value": 40,
                "document": "Quyết định số 15/QĐ-UBND ngày 10/01/2022 của UBND huyện",
                "revised_from": None,
            }
        ],
    }


def test_targets_read_the_period_as_officers_write_it(capsys, commune):
    _, by_code, _ = run(capsys, "targets", "hl", "--period", "2022", "--json")
    code, by_phrase, err = run(capsys, "targets", "hl", "--period", "năm 2022", "--json")

    assert (code, err) == (0, "")
    assert by_phrase == by_code
    code, _, err = run(capsys, "targets", "hl", "--period", "quý V/2022")
    assert code != 0
    assert err.startswith("Không hiểu kỳ ‘quý V/2022’: quý phải từ I đến IV.")


def test_targets_text(capsys, commune):
    code, out, _ = run(capsys, "targets", "hl", "--period", "2022")
    assert code == 0
    assert out.splitlines() == [
        "Kế hoạch Xã Hà Linh — năm 2022 (2022)",
        "",
        "Nhà tiêu hợp vệ sinh: 40 hộ — Kế hoạch huyện giao",
        "    Quyết định số 15/QĐ-UBND ngày 10/01/2022 của UBND huyện",
    ]


def test_allocate_by_households_dry_run_writes_nothing(capsys, commune):
    args = ["allocate", "hl", "--indicator", "nha-tieu", "--period", "2022"]
    code, out, err = run(capsys, *args, "--by", "base:so-ho", "--dry-run", "--json")
    assert (code, err) == (0, "")
    # 40 × (150, 100, 50) / 300 = 20 · 13,33 · 6,67 → 20 13 6, the one left to 0,67.
    assert json.loads(out) == {
        "parent_target": {
            "unit": "hl",
            "indicator": "nha-tieu",
            "period": "2022",
            "source": "district_plan",
            "value": 40,
        },
        "allocations": [
            {"unit": "hl-1", "value": 20},
            {"unit": "hl-2", "value": 13},
            {"unit": "hl-3", "value": 7},
        ],
        "sum": 40,
        "difference": 0,
        "dry_run": True,
    }
    assert not Target.objects.filter(allocated_from__isnull=False).exists()
    code, out, _ = run(capsys, *args, "--by", "base:so-ho")
    assert code == 0
    assert out.splitlines()[-1] == "Tổng: 40 hộ"
    shares = {t.unit.code: t.value for t in Target.objects.filter(allocated_from__isnull=False)}
    assert shares == {"hl-1": 20, "hl-2": 13, "hl-3": 7}


def test_allocate_from_a_csv_file_with_a_difference(capsys, commune, tmp_path):
    file = tmp_path / "phan-bo.csv"
    file.write_text("Mã đơn vị,Phần được giao\nhl-1,20\nhl-2,15\nhl-3,10\n", encoding="utf-8")
    args = ["allocate", "hl", "--indicator", "nha-tieu", "--period", "2022", "--by", f"file:{file}"]
    code, _, err = run(capsys, *args)
    assert code == 2
    assert "Tổng các phần phân bổ 45 hộ khác chỉ tiêu 40 hộ (chênh 5)" in err
    assert not Target.objects.filter(allocated_from__isnull=False).exists()
    code, out, _ = run(capsys, *args, "--confirm-difference", "--json")
    assert code == 0
    assert (json.loads(out)["sum"], json.loads(out)["difference"]) == (45, 5)


def test_a_bad_file_row_is_named(capsys, commune, tmp_path):
    file = tmp_path / "sai.csv"
    file.write_text("hl-1,20\nhl-1,5\nhl-9\n", encoding="utf-8")
    args = ["allocate", "hl", "--indicator", "nha-tieu", "--period", "2022", "--by", f"file:{file}"]
    code, _, err = run(capsys, *args)
    assert code == 2
    assert "Dòng 2: đơn vị hl-1 có hai dòng." in err
    assert "Dòng 3: cần hai cột" in err


@pytest.mark.parametrize(
    ("by", "message"),
    [
        ("half", "--by ‘half’ không hợp lệ"),
        ("base:khong-co", "Không có chỉ tiêu gốc mã ‘khong-co’"),
        ("file:/khong/co.xlsx", "Không có tệp"),
    ],
)
def test_bad_methods_are_refused(capsys, commune, by, message):
    args = ["allocate", "hl", "--indicator", "nha-tieu", "--period", "2022", "--by", by]
    code, _, err = run(capsys, *args)
    assert code == 2 and message in err


def test_a_village_head_may_not_allocate(capsys, commune):
    make_user("truongthon", unit=commune, role=Role.REPORTER)
    args = ["allocate", "hl", "--indicator", "nha-tieu", "--period", "2022", "--by", "equal"]
    code, _, err = run(capsys, *args, "--as", "truongthon")
    assert code == 2
    assert "Chỉ người quản lý Xã Hà Linh hoặc đơn vị cấp trên mới được phân bổ chỉ tiêu." in err
    assert not Target.objects.filter(allocated_from__isnull=False).exists()
