"""QCVN 125:2021/BTTTT report-data packets ("gói tin số liệu báo cáo") for indicator values.

What the public text of the standard lets us verify (docs/exchange.md, "QCVN 125"): it is the
national technical regulation on the structure and format of the data exchanged between the
reporting information systems of the National Reporting Information System, issued with
Circular 02/2021/TT-BTTTT; it defines a set of packets — among them the report-data packet
and the KPI-data packet — and leaves the connection model to other texts. The field-level
layout of the packets was not available to us, so every field name below is OUR GUESS,
marked `# guess`, chosen to be plain and to carry what the packet must say: who reports,
for which period, which indicator, what value, in which unit of measure, estimated or final.
Replace the names once the standard's tables are at hand; the content will not change.

The packet is JSON, UTF-8, numbers as strings with a dot for decimals (no rounding), dates
ISO 8601. Codes go through the system's `CodeMapping` like every other exchange format.
Reading a packet back gives `ValueRow`s for the shared import core.
"""

import json
from datetime import UTC, datetime

from xaso.catalog.models import Indicator
from xaso.exchange.codes import CodeError, to_other
from xaso.exchange.dhis2 import Figure, FileError, ForeignRow, import_rows
from xaso.exchange.models import CodeKind
from xaso.exchange.values import ImportReport
from xaso.figures.models import ResultStatus
from xaso.org.models import OrgUnit
from xaso.periods import Period, PeriodError, parse_period

STANDARD = "QCVN 125:2021/BTTTT"
PACKET = "SoLieuBaoCao"  # guess: the standard names a "gói tin số liệu báo cáo"
STATUS = {ResultStatus.FINAL: "ChinhThuc", ResultStatus.ESTIMATED: "UocDat"}  # guess


def write_packet(
    figures: list[Figure], unit: OrgUnit, period: Period, system: str | None = None
) -> str:
    """The packet of these figures, sent by `unit` for `period`."""
    units = to_other(system, CodeKind.UNIT, {f.unit for f in figures} | {unit.code})
    codes = {f.indicator for f in figures}
    indicators = to_other(system, CodeKind.INDICATOR, codes)
    known = Indicator.objects.filter(code__in=codes).values_list("code", "name", "unit")
    names = {code: (name, measure) for code, name, measure in known}
    data = []
    for f in figures:
        name, measure = names.get(f.indicator, ("", ""))
        data.append(
            {
                "MaChiTieu": indicators[f.indicator],  # guess
                "TenChiTieu": name,  # guess
                "DonViTinh": measure,  # guess: xaso's unit code (km, ho, percent…)
                "MaDonVi": units[f.unit],  # guess: the unit the figure is of
                "GiaTri": f.text,  # guess
                "TrangThai": STATUS[f.status],  # guess
            }
        )
    packet = {
        "QuyChuan": STANDARD,
        "LoaiGoiTin": PACKET,
        "ThongTinChung": {  # guess: the header of the packet
            "MaDonViGui": units[unit.code],
            "TenDonViGui": unit.full_name,
            "KyBaoCao": {  # guess: the period by its code and its first and last day
                "Ma": period.code,
                "Ten": period.label,
                "TuNgay": period.start.isoformat(),
                "DenNgay": period.end.isoformat(),
            },
            "ThoiGianGui": datetime.now(UTC).replace(microsecond=0).isoformat(),
        },
        "DuLieu": data,
    }
    return json.dumps(packet, ensure_ascii=False, indent=1)


def is_packet(data) -> bool:
    return isinstance(data, dict) and data.get("LoaiGoiTin") == PACKET


def read_packet(content: str | bytes) -> list[ForeignRow]:
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError) as error:
        raise FileError(f"Tệp không phải JSON hợp lệ: {error}.") from None
    if not is_packet(data) or not isinstance(data.get("DuLieu"), list):
        raise FileError(f"Tệp không phải gói tin số liệu báo cáo ({STANDARD}) mà xaso ghi.")
    header = data.get("ThongTinChung") or {}
    period = str((header.get("KyBaoCao") or {}).get("Ma") or "")
    rows = []
    for index, item in enumerate(data["DuLieu"], start=1):
        item = item if isinstance(item, dict) else {}
        estimated = item.get("TrangThai") == STATUS[ResultStatus.ESTIMATED]
        rows.append(
            ForeignRow(
                row=index,
                data_element=str(item.get("MaChiTieu") or ""),
                period=period,
                org_unit=str(item.get("MaDonVi") or ""),
                value=item.get("GiaTri"),
                comment="ước đạt" if estimated else "",
            )
        )
    return rows


def _periods(system, codes) -> dict:
    result = {}
    for code in codes:
        try:
            result[code] = parse_period(code).code
        except PeriodError as error:
            result[code] = CodeError(str(error))
    return result


def import_packet(content, *, system=None, user=None, dry_run=False) -> ImportReport:
    return import_rows(
        read_packet(content), system=system, user=user, dry_run=dry_run, read_periods=_periods
    )
