"""ADX out (valid against the public schema, read from ../shared/exchange) and back in."""

from pathlib import Path

import pytest

from tests.exchange.test_dhis2 import EXPECTED, NOV, empty_the_database, figures, tree  # noqa: F401
from xaso.exchange import adx, dhis2
from xaso.exchange.codes import CodeError
from xaso.exchange.models import CodeMapping
from xaso.figures.models import Result
from xaso.periods import parse_period

ADX = Path(__file__).resolve().parents[3] / "shared" / "exchange" / "adx"


@pytest.fixture(scope="module")
def schema():
    xmlschema = pytest.importorskip("xmlschema")
    if not (ADX / "schema" / "adx_loose.xsd").is_file():
        pytest.skip("the ADX schemas (../shared/exchange/adx) are not beside this checkout")
    return xmlschema.XMLSchema(str(ADX / "schema" / "adx_loose.xsd"))


def problems(schema, content: bytes) -> list[str]:
    """What the schema finds wrong with a document (empty: valid)."""
    from lxml import etree

    return [error.reason or str(error) for error in schema.iter_errors(etree.fromstring(content))]


def test_the_validator_passes_the_published_sample_and_refuses_a_broken_one(schema):
    sample = (ADX / "samples" / "adx_data_sample1.xml").read_bytes()
    assert problems(schema, sample) == []
    broken = sample.replace(b'value="32"', 'value="ba mươi hai"'.encode(), 1)
    assert problems(schema, broken)  # not a decimal
    no_period = sample.replace(b'period="2015-01-01/P1M"', b"", 1)
    assert problems(schema, no_period)


@pytest.mark.parametrize(
    ("code", "adx_code"),
    [
        ("2022", "2022-01-01/P1Y"),
        ("2022-H2", "2022-07-01/P6M"),
        ("2022-9M", "2022-01-01/P9M"),
        ("2022-Q2", "2022-04-01/P3M"),
        ("2022-11", "2022-11-01/P1M"),
        ("2022-W15", "2022-04-11/P7D"),  # the Monday of ISO week 15
        ("2020..2025", "2020-01-01/P6Y"),  # six calendar years
        ("2022-04-15..2022-05-30", "2022-04-15/P46D"),  # 16 + 30 days
    ],
)
def test_every_xaso_period_has_an_adx_start_and_duration_and_back(code, adx_code):
    assert adx.adx_period(parse_period(code)) == adx_code
    assert adx.xaso_period(adx_code) == code


@pytest.mark.parametrize(
    "text", ["2022-11-02/P1M", "2022-02-01/P3M", "2022-11", "2022-02-30/P1M", "2022-01-01/P2M"]
)
def test_adx_periods_xaso_has_no_name_for_are_refused(text):
    with pytest.raises(CodeError, match="Kỳ ADX"):
        adx.xaso_period(text)


@pytest.mark.django_db
def test_the_export_is_valid_adx_with_a_group_per_unit(schema, tree):  # noqa: F811
    district, commune, villages = tree
    CodeMapping.objects.create(system="dhis2-ht", kind="unit", xaso_code="hl-1", other_code="OU1")
    written = adx.write_adx(dhis2.exported_figures(None, commune, NOV), "dhis2-ht")
    assert problems(schema, written) == []
    data = schema.to_dict(written.decode("utf-8"))
    groups = [(g["@orgUnit"], g["@period"], len(g["dataValue"])) for g in data["group"]]
    assert groups == [("hl", "2022-11-01/P1M", 1), ("OU1", "2022-11-01/P1M", 2),
                      ("hl-2", "2022-11-01/P1M", 1)]  # fmt: skip
    assert b'dataElement="road" value="0.8" status="estimated"' in written


@pytest.mark.django_db
def test_adx_round_trip_into_an_emptied_database_gives_the_same_figures(tree):  # noqa: F811
    district, commune, villages = tree
    written = adx.write_adx(dhis2.exported_figures(None, district, NOV))
    empty_the_database()
    report = adx.import_adx(written)
    assert (report.rows, report.stored, report.errors) == (4, 4, [])
    assert figures() == EXPECTED


@pytest.mark.django_db
def test_adx_rows_are_named_by_line_and_disaggregations_are_refused(tree):  # noqa: F811
    empty_the_database()
    content = b"""<?xml version="1.0" encoding="UTF-8"?>
<adx xmlns="urn:ihe:qrph:adx:2015" exported="2022-12-01T00:00:00Z">
  <group orgUnit="hl-1" period="2022-11-01/P1M">
    <dataValue dataElement="road" value="1"/>
    <dataValue dataElement="road" value="2" sex="M"/>
  </group>
  <group orgUnit="hl-2" period="2022-11-03/P1M">
    <dataValue dataElement="road" value="1"/>
  </group>
</adx>"""
    report = adx.import_adx(content)
    assert [(e.row, e.field) for e in report.errors] == [(5, "categoryOptionCombo"), (8, "period")]
    assert "sex=M" in report.errors[0].message
    assert not Result.objects.exists()


def test_a_document_in_another_namespace_is_refused():
    old = ADX / "samples" / "adx_data_sample_reportingtime.xml"
    if not old.is_file():
        pytest.skip("the ADX samples are not beside this checkout")
    with pytest.raises(dhis2.FileError, match="urn:ihe:qrph:adx:2015"):
        adx.read_adx(old.read_bytes())
    with pytest.raises(dhis2.FileError, match="XML"):
        adx.read_adx(b"<adx")
