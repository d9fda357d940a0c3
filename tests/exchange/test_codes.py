"""Codes between xaso and another system: mapping rows both ways, DHIS2 periods by rule,
the mapping table loaded all or nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import make_user
from xaso.exchange.codes import (
    CodeError,
    dhis2_period,
    load_mappings,
    periods_to_other,
    periods_to_xaso,
    to_other,
    to_xaso,
    xaso_period,
)
from xaso.exchange.models import CodeMapping

PAIRS = [
    ("2022", "2022"),
    ("2022-H1", "2022S1"),
    ("2022-H2", "2022S2"),
    ("2022-Q2", "2022Q2"),
    ("2022-Q4", "2022Q4"),
    ("2022-01", "202201"),
    ("2022-11", "202211"),
    ("2022-W05", "2022W5"),
    ("2022-W15", "2022W15"),
    ("2020-W53", "2020W53"),  # 2020 has 53 ISO weeks
]


@pytest.mark.parametrize(("xaso", "dhis2"), PAIRS)
def test_dhis2_periods_by_rule_both_ways(xaso, dhis2):
    assert dhis2_period(xaso) == dhis2
    assert xaso_period(dhis2) == xaso


@pytest.mark.parametrize("code", ["2022-9M", "2020..2025", "2022-04-15..2022-05-30"])
def test_what_dhis2_lacks_is_refused_with_its_name(code):
    with pytest.raises(CodeError, match="không có mã tương ứng trong DHIS2"):
        dhis2_period(code)


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("20220415", "là một ngày"),  # xaso has no day periods
        ("2022Q5", "không phải mã kỳ DHIS2"),
        ("2022S3", "không phải mã kỳ DHIS2"),
        ("2022BiW1", "không phải mã kỳ DHIS2"),
        ("202213", "không phải là mã kỳ hợp lệ"),  # month 13
        ("2021W53", "không có tuần 53"),  # 2021 has 52 weeks: one past the limit
        ("", "không phải mã kỳ DHIS2"),
    ],
)
def test_dhis2_periods_xaso_cannot_read_are_refused(code, words):
    with pytest.raises(CodeError, match=words):
        xaso_period(code)


@pytest.mark.django_db
def test_mapping_rows_translate_both_ways_in_one_query_and_other_codes_pass_as_written(
    django_assert_num_queries,
):
    CodeMapping.objects.create(system="dhis2-ht", kind="unit", xaso_code="hl-1", other_code="OU1")
    CodeMapping.objects.create(system="dhis2-ht", kind="unit", xaso_code="hl-2", other_code="OU2")
    CodeMapping.objects.create(system="other", kind="unit", xaso_code="hl-3", other_code="X3")
    CodeMapping.objects.create(
        system="dhis2-ht", kind="indicator", xaso_code="hl-3", other_code="DE3"
    )
    with django_assert_num_queries(1):
        out = to_other("dhis2-ht", "unit", ["hl-1", "hl-2", "hl-3"])
    assert out == {"hl-1": "OU1", "hl-2": "OU2", "hl-3": "hl-3"}  # hl-3: another system's
    with django_assert_num_queries(1):
        back = to_xaso("dhis2-ht", "unit", ["OU1", "OU2", "X3"])
    assert back == {"OU1": "hl-1", "OU2": "hl-2", "X3": "X3"}
    with django_assert_num_queries(0):
        assert to_other(None, "unit", ["hl-1"]) == {"hl-1": "hl-1"}


@pytest.mark.django_db
def test_a_period_mapping_row_wins_over_the_rule_even_for_nine_months():
    CodeMapping.objects.create(
        system="dhis2-ht", kind="period", xaso_code="2022-9M", other_code="2022NineMonths"
    )
    assert periods_to_other("dhis2-ht", ["2022-9M", "2022-11"]) == {
        "2022-9M": "2022NineMonths",
        "2022-11": "202211",
    }
    back = periods_to_xaso("dhis2-ht", ["2022NineMonths", "2022Q1", "2022X"])
    assert (back["2022NineMonths"], back["2022Q1"]) == ("2022-9M", "2022-Q1")
    assert isinstance(back["2022X"], CodeError)
    with pytest.raises(CodeError):
        periods_to_other(None, ["2022-9M"])


TABLE = """system,kind,xaso_code,other_code,note
dhis2-ht,unit,hl-1,OU1,thôn 1
dhis2-ht,indicator,road,DEroad,
dhis2-ht,period,2022-9m,2022NineMonths,
"""


@pytest.mark.django_db
def test_the_mapping_table_is_loaded_and_replaces_what_a_code_meant():
    CodeMapping.objects.create(system="dhis2-ht", kind="unit", xaso_code="hl-1", other_code="OLD")
    CodeMapping.objects.create(system="dhis2-ht", kind="unit", xaso_code="hl-9", other_code="OU1")
    report = load_mappings(TABLE)
    assert report.to_json() == {"rows": 3, "stored": 3, "errors": []}
    rows = set(CodeMapping.objects.values_list("kind", "xaso_code", "other_code"))
    assert rows == {
        ("unit", "hl-1", "OU1"),  # OLD replaced; hl-9 gave OU1 up
        ("indicator", "road", "DEroad"),
        ("period", "2022-9M", "2022NineMonths"),  # the period code written canonically
    }


@pytest.mark.django_db
def test_one_wrong_row_of_the_mapping_table_loads_nothing_and_each_is_named():
    table = TABLE + (
        "dhis2-ht,village,hl-2,OU2,\n"
        "dhis2-ht,unit,,OU3,\n"
        "dhis2-ht,unit,hl-4,OU1,\n"  # OU1 already given to hl-1 on line 2
        "dhis2 ht,unit,hl-5,OU5,\n"
        "dhis2-ht,period,2022-13,P13,\n"
    )
    report = load_mappings(table)
    assert [(e.row, e.field) for e in report.errors] == [
        (5, "kind"),
        (6, "xaso_code"),
        (7, "other_code"),
        (8, "system"),
        (9, "xaso_code"),
    ]
    assert "dòng 2" in report.errors[2].message
    assert report.stored == 0
    assert not CodeMapping.objects.exists()


@pytest.mark.django_db
def test_a_table_without_its_columns_is_refused():
    report = load_mappings("system,kind,code\ndhis2,unit,x\n")
    assert [(e.row, e.field) for e in report.errors] == [(1, "file")]
    assert "xaso_code, other_code" in report.errors[0].message


@pytest.mark.django_db
def test_only_the_operator_or_a_superuser_loads_a_mapping():
    with pytest.raises(PermissionDenied):
        load_mappings(TABLE, user=make_user("officer"))
    admin = make_user("admin", is_superuser=True)
    assert load_mappings(TABLE, user=admin).stored == 3


@given(
    year=st.integers(1900, 2199),
    kind=st.sampled_from(["year", "half", "quarter", "month", "week"]),
    part=st.integers(1, 53),
)
def test_every_period_dhis2_has_goes_there_and_back(year, kind, part):
    code = {
        "year": f"{year}",
        "half": f"{year}-H{part % 2 + 1}",
        "quarter": f"{year}-Q{part % 4 + 1}",
        "month": f"{year}-{part % 12 + 1:02d}",
        "week": f"{year}-W{part % 52 + 1:02d}",  # weeks 1–52 exist in every ISO year
    }[kind]
    assert xaso_period(dhis2_period(code)) == code
