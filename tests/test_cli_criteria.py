"""`xaso criteria`, `xaso criteria-sets` and `xaso criteria-import`: the JSON contract with
counts made by hand, --as, and a refused pack leaving the database as it was."""

import datetime as dt
import json

import pytest

from tests.criteria.packs import TWO_REGIONS, two_regions
from tests.factories import make_unit, make_user
from xaso import cli
from xaso.audit.models import AuditEntry
from xaso.catalog.models import Indicator
from xaso.criteria import loading
from xaso.criteria.loading import load_pack
from xaso.criteria.models import CriteriaSet, Criterion
from xaso.criteria.services import assess, recognise, set_grouping
from xaso.criteria.spreadsheet_out import write_pack_xlsx
from xaso.figures.services import record_result
from xaso.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db


def run(capsys, *args):
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def world():
    """Bắc (region BAC, from its province) and Nam (its own region NAM) on the test pack.

    Bắc on 31/12/2024, counted by hand:
      1 Nước sạch — recorded met (1/6/2024); figure 2024 = 70 < 85 (BAC): computed not met →
        counts met, flagged;
      2 Nghèo đa chiều — no record; figure 2 but BAC has no threshold → undecided: missing;
      3 Chợ — no record; figure 1 → computed met;
      4 Hệ thống chính trị — recorded not met (1/6/2024): missing.
    → 2/4, missing 2 and 4, one flag; recognised 10/1/2022, criterion 4 lost since: not kept.
    On 31/05/2024: water's latest figure is 2023's 90 ≥ 85 → met; nothing else → 1/4.
    """
    s = load_pack(two_regions()).criteria_set
    province = make_unit("Thử", UnitKind.PROVINCE, code="t")
    north = make_unit("Bắc", UnitKind.COMMUNE, province, code="xb")
    south = make_unit("Nam", UnitKind.COMMUNE, province, code="xn")
    make_unit("Một", UnitKind.VILLAGE, north, code="xb-1")
    set_grouping(unit=province, criteria_set=s, group="BAC")
    set_grouping(unit=south, criteria_set=s, group="NAM")
    water, poor, market = (
        Indicator.objects.get(code=c) for c in ("thu-nuoc-sach", "thu-ho-ngheo", "thu-cho")
    )
    record_result(unit=north, indicator=water, period="2023", value="90")
    record_result(unit=north, indicator=water, period="2024", value="70")
    record_result(unit=north, indicator=poor, period="2024", value="2")
    record_result(unit=north, indicator=market, period="2024", value="1")
    recognise(unit=north, criteria_set=s, on=dt.date(2022, 1, 10), decision="QĐ 7/QĐ-UBND")
    day = dt.date(2024, 6, 1)
    assess(unit=north, criterion=Criterion.objects.get(number="1"), on=day, status="met")
    assess(unit=north, criterion=Criterion.objects.get(number="4"), on=day, status="not_met")
    make_user("nam", unit=south, role=Role.VIEWER)
    make_user("tinh", unit=province, role=Role.MANAGER)
    make_user("xa", unit=north, role=Role.MANAGER)
    return s


NORTH_END_2024 = {
    "unit": {"code": "xb", "name": "Xã Bắc"},
    "set": "thu-nghiem",
    "date": "2024-12-31",
    "group": "BAC",
    "achieved": 2,
    "total": 4,
    "missing": [
        {"number": "2", "name": "Nghèo đa chiều"},
        {"number": "4", "name": "Hệ thống chính trị"},
    ],
    "flags": [{"number": "1", "name": "Nước sạch", "recorded": "met", "computed": "not_met"}],
    "kept": False,
}


def test_criteria_json_contract(capsys, world):
    code, out, err = run(
        capsys, "criteria", "xb", "--set", "thu-nghiem", "--date", "31/12/2024", "--json"
    )
    assert (code, err) == (0, "")
    assert json.loads(out) == NORTH_END_2024
    out = run(capsys, "criteria", "xb", "--set", "thu-nghiem", "--date", "2024-05-31", "--json")[1]
    earlier = json.loads(out)
    assert (earlier["date"], earlier["achieved"], earlier["total"]) == ("2024-05-31", 1, 4)
    assert [m["number"] for m in earlier["missing"]] == ["2", "3", "4"]
    assert (earlier["flags"], earlier["kept"]) == ([], True)
    out = run(capsys, "criteria", "xn", "--set", "thu-nghiem", "--date", "31/12/2024", "--json")[1]
    south = json.loads(out)
    assert (south["group"], south["achieved"], south["kept"]) == ("NAM", 0, None)


def test_criteria_as_text(capsys, world):
    code, out, err = run(
        capsys, "criteria", "Xã Bắc", "--set", "thu-nghiem", "--date", "31/12/2024"
    )
    assert (code, err) == (0, "")
    assert out == (
        "Xã Bắc — Thử nghiệm ngày 31/12/2024: 2/4 tiêu chí\n"
        "Vùng: Miền Bắc\n"
        "Công nhận đạt chuẩn ngày 10/01/2022 (QĐ 7/QĐ-UBND): chưa giữ vững.\n"
        "  Tiêu chí 4 chưa đạt từ ngày 01/06/2024\n"
        "Chưa đạt (1):\n"
        "  4. Hệ thống chính trị: chưa đạt (ghi nhận ngày 01/06/2024)\n"
        "Chưa đánh giá (1):\n"
        "  2. Nghèo đa chiều (2.1: chưa có ngưỡng)\n"
        "Ghi nhận khác số liệu (1):\n"
        "  1. Nước sạch: ghi nhận đạt, số liệu cho thấy chưa đạt\n"
        "    1.1 Tỷ lệ hộ dùng nước sạch: 70% (kỳ 2024), ngưỡng ≥ 85%\n"
    )


def test_criteria_reads_only_what_the_user_may_read(capsys, world):
    code, out, err = run(capsys, "criteria", "xb", "--set", "thu-nghiem", "--as", "nam", "--json")
    assert (code, out) == (2, "")
    assert err == "Người dùng nam không có quyền xem Xã Bắc.\n"
    code, out, _ = run(capsys, "criteria", "xn", "--set", "thu-nghiem", "--as", "nam", "--json")
    assert (code, json.loads(out)["unit"]["code"]) == (0, "xn")


def test_criteria_names_an_unknown_set_a_set_that_does_not_apply_and_a_bad_date(capsys, world):
    load_pack(two_regions(code="thu-khac"))
    code, out, err = run(capsys, "criteria", "xb", "--set", "ntm")
    assert (code, out) == (2, "")
    assert err == "Không có bộ tiêu chí ‘ntm’. Các bộ tiêu chí: thu-khac, thu-nghiem.\n"
    code, _, err = run(capsys, "criteria", "xb-1", "--set", "thu-nghiem")
    assert code == 2
    assert err.startswith("Bộ tiêu chí Thử nghiệm (thu-nghiem) không áp dụng cho Thôn Một.")
    code, _, err = run(capsys, "criteria", "xb", "--set", "thu-nghiem", "--date", "31/13/2024")
    assert (code, err) == (
        2,
        "--date: «31/13/2024» không phải là ngày (viết dd/mm/yyyy, vd. 31/12/2024).\n",
    )


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    """A packs folder of our own in place of the shipped one."""
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "thu.yaml").write_text(TWO_REGIONS, encoding="utf-8")
    other = TWO_REGIONS.replace("code: thu-nghiem", "code: thu-khac").replace(
        "years: [2021, 2025]", "years: [2026, null]"
    )
    (folder / "khac.yaml").write_text(other, encoding="utf-8")
    monkeypatch.setattr(loading, "PACKS_DIR", folder)
    return folder


def test_criteria_sets_lists_the_loaded_sets_and_the_shipped_packs_not_loaded(capsys, shipped):
    load_pack(two_regions(version='"0"'))  # an older version than the shipped file's
    (shipped / "hong.yaml").write_text("format: 1\ncode: [\n", encoding="utf-8")
    code, out, err = run(capsys, "criteria-sets", "--json")
    assert (code, err) == (0, "")
    common = {
        "name": "Bộ tiêu chí thử nghiệm",
        "short_name": "Thử nghiệm",
        "family": "ntm",
        "applies_to": ["commune"],
        "criteria": 4,
        "scope": "national",
        "owner": None,
    }
    assert json.loads(out) == {
        "sets": [
            {
                **common,
                "code": "thu-nghiem",
                "version": "0",
                "years": [2021, 2025],
                "loaded": True,
                "file": "thu.yaml",
                "shipped_version": "1",
            },
            {  # the shipped files in name order
                "file": "hong.yaml",
                "loaded": False,
                "error": "hong.yaml, dòng 3: tệp YAML viết sai cú pháp.",
            },
            {
                **common,
                "code": "thu-khac",
                "version": "1",
                "years": [2026, None],
                "loaded": False,
                "file": "khac.yaml",
                "shipped_version": None,
            },
        ]
    }
    code, out, _ = run(capsys, "criteria-sets")
    assert out.splitlines()[:4] == [
        "Bộ tiêu chí đã nạp:",
        "thu-nghiem\tThử nghiệm — phiên bản 0",
        "    Nông thôn mới, 2021–2025, áp dụng cho xã; 4 tiêu chí; trung ương",
        "    gói có sẵn đã khác (phiên bản 1): nạp lại",
    ]
    assert "thu-khac\tThử nghiệm — phiên bản 1 (khac.yaml, chưa nạp)" in out


def test_import_of_a_bad_pack_exits_non_zero_and_writes_nothing(capsys, tmp_path):
    bad = tmp_path / "thu.yaml"
    bad.write_text(TWO_REGIONS.replace("test: at_most", "test: lon_hon"), encoding="utf-8")
    line = TWO_REGIONS.splitlines().index("        test: at_most") + 1
    indicators = Indicator.objects.count()
    code, out, err = run(capsys, "criteria-import", str(bad))
    assert (code, out) == (2, "")
    assert err.startswith(
        f"Không nạp được: thu.yaml, dòng {line}, trường criteria[1].requirements[0].test: "
    )
    assert CriteriaSet.objects.count() == 0 and Criterion.objects.count() == 0
    assert Indicator.objects.count() == indicators
    assert AuditEntry.objects.count() == 0


def test_import_of_a_bad_spreadsheet_names_the_sheet_and_row_and_writes_nothing(capsys, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "tinh.xlsx"
    write_pack_xlsx(two_regions(scope="province"), path)
    book = load_workbook(path)
    book["Tiêu chí"]["H3"] = "năm"  # criterion 2's threshold
    book.save(path)
    make_unit("Thử", UnitKind.PROVINCE, code="t")
    code, out, err = run(capsys, "criteria-import", str(path), "--owner", "t")
    assert (code, out) == (2, "")
    assert err.startswith(
        "Không nạp được: tinh.xlsx (trang Tiêu chí), dòng 3, trường Ngưỡng chung (cột H): "
    )
    assert CriteriaSet.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_import_loads_a_yaml_then_says_unchanged_and_a_province_spreadsheet_as_its_own(
    capsys, tmp_path, world
):
    path = tmp_path / "khac.yaml"
    path.write_text(TWO_REGIONS.replace("code: thu-nghiem", "code: thu-khac"), encoding="utf-8")
    assert run(capsys, "criteria-import", str(path))[:2] == (
        0,
        "đã nạp: thu-khac — Thử nghiệm (phiên bản 1)\n",
    )
    assert run(capsys, "criteria-import", str(path))[1] == (
        "không đổi: thu-khac — Thử nghiệm (phiên bản 1)\n"
    )
    sheet = tmp_path / "tinh.xlsx"
    write_pack_xlsx(two_regions(scope="province", code="thu-tinh"), sheet)
    # A commune's manager may not load the province's set; its manager may.
    code, out, err = run(capsys, "criteria-import", str(sheet), "--owner", "t", "--as", "xa")
    assert (code, out) == (2, "")
    assert not CriteriaSet.objects.filter(code="thu-tinh").exists()
    code, out, _ = run(capsys, "criteria-import", str(sheet), "--owner", "t", "--as", "tinh")
    assert (code, out) == (0, "đã nạp: thu-tinh — Thử nghiệm (phiên bản 1)\n")
    assert CriteriaSet.objects.get(code="thu-tinh").owner.code == "t"
    # A province's set needs its province; a national one takes none.
    code, _, err = run(capsys, "criteria-import", str(sheet))
    assert (code, err) == (
        2,
        "tinh.xlsx: bộ tiêu chí của tỉnh (scope: province) cần --owner TỈNH.\n",
    )
    code, _, err = run(capsys, "criteria-import", str(path), "--owner", "t")
    assert code == 2 and "trường scope" in err


def test_import_shipped_loads_each_pack_once(capsys, shipped):
    code, out, err = run(capsys, "criteria-import", "--shipped")
    assert (code, err) == (0, "")
    assert sorted(out.splitlines()) == [
        "đã nạp: thu-khac — Thử nghiệm (phiên bản 1)",
        "đã nạp: thu-nghiem — Thử nghiệm (phiên bản 1)",
    ]
    out = run(capsys, "criteria-import", "--shipped")[1]
    assert sorted(out.splitlines())[0] == "không đổi: thu-khac — Thử nghiệm (phiên bản 1)"
    code, _, err = run(capsys, "criteria-import")
    assert code == 2 and "--shipped" in err
