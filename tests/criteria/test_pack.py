"""Reading a criteria pack: what it gives, and every refusal naming file, line and field."""

from decimal import Decimal

import pytest

from tests.criteria.packs import TWO_REGIONS
from xaso.criteria.pack import PackError, read_pack_text
from xaso.org.models import UnitKind


def read(text: str):
    return read_pack_text(text, file="thu.yaml")


def refused(text: str) -> PackError:
    with pytest.raises(PackError) as caught:
        read(text)
    return caught.value


def test_a_pack_reads_into_criteria_requirements_and_thresholds_by_group():
    pack = read(TWO_REGIONS)
    assert (pack.code, pack.version, pack.first_year, pack.last_year) == (
        "thu-nghiem",
        "1",
        2021,
        2025,
    )
    assert pack.groups == (("BAC", "Miền Bắc"), ("NAM", "Miền Nam"))
    assert [c.number for c in pack.criteria] == ["1", "2", "3", "4"]
    water = pack.criteria[0].requirements[0]
    assert water.thresholds == {"all": Decimal(85), "NAM": Decimal("90.5")}  # "90,5" read as 90.5
    assert water.threshold_for("NAM") == Decimal("90.5")
    assert water.threshold_for("BAC") == Decimal(85)  # no own value: the one for all
    assert water.threshold_for("") == Decimal(85)
    poverty = pack.criteria[1].requirements[0]
    assert poverty.threshold_for("BAC") is None  # not known for that region: chưa có ngưỡng
    assert pack.criteria[2].requirements[0].thresholds is None  # reached: no threshold
    assert pack.criteria[3].requirements == ()
    assert pack.criteria[0].confidence == "summary"  # the pack's, inherited


def test_the_pack_unit_kinds_are_unit_kinds_of_the_tree():
    from xaso.criteria.pack import UNIT_KINDS

    assert set(UNIT_KINDS) <= set(UnitKind.values)


def edit(old: str, new: str) -> str:
    assert old in TWO_REGIONS
    return TWO_REGIONS.replace(old, new, 1)


def line_of(text: str, marker: str) -> int:
    """The line on which `marker` first appears: the oracle for the line an error names."""
    return text[: text.index(marker)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "marker", "field", "words"),
    [
        ("family: ntm", "familly: ntm", "familly", "familly", "khóa không có"),
        ("scope: national", "scope: quoc-gia", "scope", "scope", "national, province"),
        (
            "applies_to: [commune]",
            "applies_to: [commune, hamlet]",
            "applies_to",
            "applies_to[1]",
            "commune",
        ),
        ("years: [2021, 2025]", "years: [2025, 2021]", "years", "years", "sau năm cuối"),
        ("years: [2021, 2025]", "years: [2021]", "years", "years", "năm cuối"),
        ("code: thu-nghiem", "code: Thu Nghiem", "code: Thu", "code", "chữ thường"),
        ("format: 1", "format: 2", "format", "format", "định dạng 1"),
        (
            '{all: 85, NAM: "90,5"}',
            "{all: 85, TAY: 1}",
            "TAY",
            "criteria[0].requirements[0].threshold.TAY",
            "TAY",
        ),
        (
            '{all: 85, NAM: "90,5"}',
            "{all: tám}",
            "tám",
            "criteria[0].requirements[0].threshold.all",
            "không phải là số",
        ),
        (
            '{all: 85, NAM: "90,5"}',
            "{all: yes}",
            "yes",
            "criteria[0].requirements[0].threshold.all",
            "số",
        ),
        (
            "test: at_least",
            "test: more",
            "test: more",
            "criteria[0].requirements[0].test",
            "reached",
        ),
        (
            "unit: percent",
            "unit: phan-tram",
            "phan-tram",
            "criteria[0].requirements[0].unit",
            "phan-tram",
        ),
        (
            '- number: "2"',
            '- number: "1"',
            '- number: "1"\n    name: Nghèo',
            "criteria[1].number",
            "trùng",
        ),
        (
            'code: "2.1"',
            'code: "1.1"',
            'code: "1.1"\n        name: Tỷ lệ hộ ng',
            "criteria[1].requirements[0].code",
            "trùng",
        ),
        ("confidence: summary", "confidence: sure", "confidence: sure", "confidence", "unverified"),
    ],
)
def test_a_malformed_pack_is_refused_naming_the_line_and_the_field(old, new, marker, field, words):
    text = edit(old, new)
    error = refused(text)
    line = line_of(text, marker)
    assert error.file == "thu.yaml"
    assert (error.field, error.line) == (field, line)
    assert words in error.message
    assert str(error).startswith(f"thu.yaml, dòng {line}, trường {field}: ")


def test_a_missing_required_key_names_the_item_it_is_missing_from():
    text = edit("    name: Chợ nông thôn\n", "")
    error = refused(text)
    assert (error.field, error.line) == ("criteria[2]", line_of(text, '- number: "3"'))
    assert "«name»" in error.message


def test_a_reached_requirement_takes_no_threshold():
    text = edit("    test: reached\n", "    test: reached\n        threshold: {all: 1}\n")
    error = refused(text)
    assert error.field == "criteria[2].requirements[0].threshold"
    assert error.line == line_of(text, "threshold: {all: 1}")


def test_a_key_given_twice_is_refused_not_silently_the_last():
    error = refused(edit("family: ntm\n", "family: ntm\nfamily: urban\n"))
    assert (error.line, error.field) == (7, "family")


def test_a_yaml_syntax_error_names_its_line():
    error = refused(edit("short_name: Thử nghiệm", "short_name: [Thử"))
    assert error.line is not None and error.line >= 5
    assert "cú pháp" in error.message


def test_a_measured_requirement_must_have_a_threshold_key_and_a_unit():
    error = refused(edit("        threshold: {all: 5, BAC: null}\n", ""))
    assert error.field == "criteria[1].requirements[0]" and "threshold" in error.message
    error = refused(edit("        unit: cong_trinh\n", ""))
    assert error.field == "criteria[2].requirements[0]" and "unit" in error.message


def test_an_indicator_without_any_known_threshold_is_refused():
    error = refused(edit("threshold: {all: 5, BAC: null}", "threshold: {all: null}"))
    assert error.field == "criteria[1].requirements[0].indicator"


def test_a_threshold_written_the_vietnamese_way_reads_as_officers_mean_it():
    text = edit('{all: 85, NAM: "90,5"}', '{all: "1.000", NAM: "3.750,5"}')
    water = read(text).criteria[0].requirements[0]
    assert water.thresholds == {"all": Decimal(1000), "NAM": Decimal("3750.5")}
    error = refused(edit('{all: 85, NAM: "90,5"}', "{all: -5}"))
    assert error.field == "criteria[0].requirements[0].threshold.all" and "âm" in error.message


def test_a_pack_file_is_read_from_disk_and_a_non_utf8_file_is_named(tmp_path):
    from xaso.criteria.pack import read_pack_file

    good = tmp_path / "thu.yaml"
    good.write_text(TWO_REGIONS, encoding="utf-8")
    pack = read_pack_file(good)
    assert (pack.code, pack.file) == ("thu-nghiem", "thu.yaml")
    bad = tmp_path / "cu.yaml"
    bad.write_bytes(TWO_REGIONS.encode("cp1258", errors="replace"))
    with pytest.raises(PackError) as caught:
        read_pack_file(bad)
    assert caught.value.file == "cu.yaml" and "UTF-8" in caught.value.message


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        (
            "  groups:\n    - {code: BAC, name: Miền Bắc}\n    - {code: NAM, name: Miền Nam}\n",
            "  groups: []\n",
            "grouping.groups",
            "ít nhất một nhóm",
        ),
        (
            "{code: BAC, name: Miền Bắc}",
            "{code: all, name: Cả nước}",
            "grouping.groups[0].code",
            "dành riêng",
        ),
        (
            "{code: NAM, name: Miền Nam}",
            "{code: BAC, name: Miền Nam}",
            "grouping.groups[1].code",
            "trùng",
        ),
        (
            "{code: BAC, name: Miền Bắc}",
            "{code: BAC, name: [Bắc]}",
            "grouping.groups[0].name",
            "chuỗi chữ",
        ),
        ("  label: vùng", "  label: ''", "grouping.label", "không được để trống"),
        ("years: [2021, 2025]", "years: [null, 2025]", "years[0]", "năm bắt đầu"),
        ("years: [2021, 2025]", "years: [2021, hai]", "years[1]", "không phải là một năm"),
        ("years: [2021, 2025]", "years: [1800, 2025]", "years[0]", "không phải là một năm"),
        (
            "indicator: thu-cho",
            "indicator: Thu Cho",
            "criteria[2].requirements[0].indicator",
            "chữ thường",
        ),
        ("        unit: cong_trinh\n", "", "criteria[2].requirements[0]", "«unit»"),
        (
            "name: Tỷ lệ hộ dùng nước sạch",
            "name: [Tỷ lệ]",
            "criteria[0].requirements[0].name",
            "chuỗi chữ",
        ),
        ('  - number: "3"', '  - number: ""', "criteria[2].number", "không được để trống"),
        ("applies_to: [commune]", "applies_to: []", "applies_to", "ít nhất một loại"),
        ("criteria:\n", "criteria: []\nx_criteria:\n", "x_criteria", "khóa không có"),
        (
            '  - number: "4"\n',
            '  - number: "4"\n    requirements: {}\n',
            "criteria[3].requirements",
            "danh sách",
        ),
    ],
)
def test_more_refusals_name_their_field(old, new, field, words):
    error = refused(edit(old, new))
    assert error.field == field
    assert words in error.message


def test_requirement_sources_notes_and_a_one_year_span_are_read():
    text = edit(
        "        indicator: thu-cho\n",
        "        indicator: thu-cho\n"
        "        source: https://vi.example/cho\n"
        "        note: Chợ hạng 3\n",
    ).replace("years: [2021, 2025]", "years: [2025, 2025]")
    pack = read(text)
    market = pack.criteria[2].requirements[0]
    assert (market.source, market.note) == ("https://vi.example/cho", "Chợ hạng 3")
    assert (pack.first_year, pack.last_year) == (2025, 2025)
    assert pack.criteria[3].note == "Chấm theo hồ sơ, không có số đo."
    assert pack.criteria[0].group == "I. Môi trường" and pack.criteria[1].group == ""
    assert pack.short_name == "Thử nghiệm" and pack.requires == ""


def test_a_set_may_require_another_but_not_itself():
    assert (
        read(
            edit("confidence: summary\ncriteria", "confidence: summary\nrequires: goc\ncriteria")
        ).requires
        == "goc"
    )
    error = refused(
        edit("confidence: summary\ncriteria", "confidence: summary\nrequires: thu-nghiem\ncriteria")
    )
    assert error.field == "requires" and "chính nó" in error.message
    error = refused(
        edit("confidence: summary\ncriteria", "confidence: summary\nrequires: Gốc\ncriteria")
    )
    assert error.field == "requires"


def test_the_packs_own_sources_note_and_a_date_written_as_its_version_are_read():
    text = edit('version: "1"', "version: 2022-03-08").replace(
        "confidence: summary\ncriteria",
        "confidence: summary\nsources: [https://vi.example/a, https://vi.example/b]\n"
        "note: Thiếu phụ lục.\ncriteria",
    )
    pack = read(text.replace("short_name: Thử nghiệm\n", ""))
    assert pack.version == "2022-03-08"  # YAML reads it as a date; the pack keeps the text
    assert pack.sources == ("https://vi.example/a", "https://vi.example/b")
    assert (pack.note, pack.short_name) == ("Thiếu phụ lục.", "")


def test_a_threshold_of_zero_is_a_threshold():
    water = read(edit('{all: 85, NAM: "90,5"}', "{all: 0}")).criteria[0].requirements[0]
    assert water.thresholds == {"all": Decimal(0)}


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('version: "1"', 'version: ""', "version"),
        ("name: Bộ tiêu chí thử nghiệm", "name: yes", "name"),
        ("decision: Quyết định số 1/QĐ-THU", "decision: [1]", "decision"),
        (
            "confidence: summary\ncriteria",
            "confidence: summary\nsources: [[a]]\ncriteria",
            "sources[0]",
        ),
        ("confidence: summary\ncriteria", "confidence: summary\nsources: a\ncriteria", "sources"),
        ("confidence: summary\ncriteria", "confidence: summary\nnote: [a]\ncriteria", "note"),
        (
            "confidence: summary\ncriteria",
            "confidence: summary\nrequires: [a]\ncriteria",
            "requires",
        ),
        ("short_name: Thử nghiệm", "short_name: {a: 1}", "short_name"),
        ("applies_to: [commune]", "applies_to: commune", "applies_to"),
    ],
)
def test_a_field_of_the_wrong_kind_is_named(old, new, field):
    error = refused(edit(old, new))
    assert error.field == field
    assert error.line == line_of(edit(old, new), field.split(".")[0].split("[")[0] + ":")


def test_a_grouping_that_is_not_a_table_is_named():
    block = (
        "grouping:\n  label: vùng\n  groups:\n"
        "    - {code: BAC, name: Miền Bắc}\n    - {code: NAM, name: Miền Nam}\n"
    )
    error = refused(edit(block, "grouping: vùng\n"))
    assert error.field == "grouping" and "bảng khóa" in error.message
    error = refused(edit("    - {code: BAC, name: Miền Bắc}", "    - BAC"))
    assert error.field == "grouping.groups[0]"


def test_an_unknown_key_lists_the_keys_there_are():
    error = refused(edit("family: ntm", "familly: ntm"))
    assert "(các khóa: format, code, version, name, short_name, family," in error.message


def test_an_error_in_data_without_lines_says_no_line():
    from xaso.criteria.pack import read_pack_data

    with pytest.raises(PackError) as caught:
        read_pack_data({"format": 1}, file="bang.xlsx")
    assert caught.value.line is None
    assert str(caught.value) == "bang.xlsx: thiếu khóa bắt buộc «code»."
    with pytest.raises(PackError) as caught:
        read_pack_data([], file="")
    assert str(caught.value) == "phải là một bảng khóa: giá trị."


def test_an_error_in_a_block_names_the_line_of_its_key():
    text = edit("  label: vùng\n", "")
    error = refused(text)
    assert (error.field, error.line) == ("grouping", line_of(text, "grouping:"))
    assert "«label»" in error.message


@pytest.mark.parametrize(
    ("year", "allowed"), [(1989, False), (1990, True), (2100, True), (2101, False)]
)
def test_years_outside_1990_to_2100_are_refused(year, allowed):
    text = edit("years: [2021, 2025]", f"years: [{year}, null]")
    if allowed:
        assert read(text).first_year == year
    else:
        assert refused(text).field == "years[0]"


def test_a_yaml_syntax_error_names_the_line_it_is_on():
    text = edit("short_name: Thử nghiệm", "short_name: [Thử")
    error = refused(text)
    assert error.line == line_of(text, "family:")  # where the parser finds the list unclosed
