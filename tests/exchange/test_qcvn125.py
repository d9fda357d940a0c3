"""QCVN 125:2021/BTTTT report-data packets: what the packet carries, and back in."""

import json

import pytest

from tests.exchange.test_dhis2 import EXPECTED, NOV, empty_the_database, figures, tree  # noqa: F401
from xaso.exchange import dhis2, qcvn125
from xaso.exchange.models import CodeMapping
from xaso.figures.models import Result

pytestmark = pytest.mark.django_db


def test_the_packet_names_the_sender_the_period_and_each_value_with_its_unit(tree):  # noqa: F811
    district, commune, villages = tree
    CodeMapping.objects.create(
        system="bc-qg", kind="indicator", xaso_code="road", other_code="CT01"
    )
    packet = json.loads(
        qcvn125.write_packet(dhis2.exported_figures(None, commune, NOV), commune, NOV, "bc-qg")
    )
    assert packet["QuyChuan"] == "QCVN 125:2021/BTTTT"
    header = packet["ThongTinChung"]
    assert header["MaDonViGui"] == "hl"
    assert header["KyBaoCao"] == {
        "Ma": "2022-11", "Ten": "tháng 11/2022", "TuNgay": "2022-11-01", "DenNgay": "2022-11-30",
    }  # fmt: skip
    rows = [
        (d["MaDonVi"], d["MaChiTieu"], d["TenChiTieu"], d["DonViTinh"], d["GiaTri"], d["TrangThai"])
        for d in packet["DuLieu"]
    ]
    assert rows == [
        ("hl", "homes", "Hộ chỉnh trang", "ho", "40", "ChinhThuc"),
        ("hl-1", "homes", "Hộ chỉnh trang", "ho", "12", "ChinhThuc"),
        ("hl-1", "CT01", "Đường bê tông", "km", "1.5", "ChinhThuc"),
        ("hl-2", "CT01", "Đường bê tông", "km", "0.8", "UocDat"),
    ]


def test_packet_round_trip_into_an_emptied_database_gives_the_same_figures(tree):  # noqa: F811
    district, commune, villages = tree
    written = qcvn125.write_packet(dhis2.exported_figures(None, district, NOV), district, NOV)
    empty_the_database()
    report = qcvn125.import_packet(written.encode("utf-8"))
    assert (report.rows, report.stored, report.errors) == (4, 4, [])
    assert figures() == EXPECTED


def test_a_wrong_value_in_a_packet_is_named_and_nothing_is_stored(tree):  # noqa: F811
    district, commune, villages = tree
    packet = json.loads(
        qcvn125.write_packet(dhis2.exported_figures(None, commune, NOV), commune, NOV)
    )
    packet["DuLieu"][2]["GiaTri"] = "một"
    empty_the_database()
    report = qcvn125.import_packet(json.dumps(packet))
    assert [(e.row, e.field) for e in report.errors] == [(3, "value")]
    assert not Result.objects.exists()


def test_json_that_is_not_a_packet_is_refused():
    with pytest.raises(dhis2.FileError, match="QCVN 125"):
        qcvn125.read_packet('{"dataValues": []}')
