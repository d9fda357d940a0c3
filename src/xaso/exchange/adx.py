"""ADX (IHE QRPH Aggregate Data Exchange, namespace urn:ihe:qrph:adx:2015) out and in.

Out: one `group` per org unit for the period (`orgUnit`, `period` as a start date and an ISO
8601 duration — "2022-11-01/P1M" —, `dataSet`), one `dataValue` per figure (`dataElement`,
`value`). An estimated figure carries `status="estimated"` (an extra attribute, which ADX
allows; a convention of xaso). Codes go through the system's `CodeMapping`.

ADX states any period as start/duration, so every xaso period has one: a year P1Y, a half
P6M, nine months P9M, a quarter P3M, a month P1M, an ISO week P7D (from its Monday), a term
of n calendar years PnY, a free span PnD. Reading, the same rules backwards; a duration that
is none of these (e.g. a month not starting on the 1st) is refused for its row.

In: every dataValue becomes a row named by its line in the file, and goes through the same
path as a DHIS2 row (`dhis2.import_rows`). A dataValue with other attributes (sex, age
group: disaggregations) is refused; xaso has none.
"""

import re
from datetime import UTC, date, datetime, timedelta

from lxml import etree

from xaso.exchange.codes import CodeError, to_other
from xaso.exchange.dhis2 import Figure, FileError, ForeignRow, import_rows
from xaso.exchange.models import CodeKind
from xaso.exchange.values import ImportReport
from xaso.figures.models import ResultStatus
from xaso.periods import Period, PeriodError, PeriodKind, parse_period

NS = "urn:ihe:qrph:adx:2015"
ESTIMATED = "estimated"
_KNOWN = {"dataElement", "value", "status"}
_DURATION = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})/P([0-9]+)([YMD])")
_SPANS = {
    PeriodKind.YEAR: "P1Y",
    PeriodKind.HALF: "P6M",
    PeriodKind.NINE_MONTHS: "P9M",
    PeriodKind.QUARTER: "P3M",
    PeriodKind.MONTH: "P1M",
    PeriodKind.WEEK: "P7D",
}


def adx_period(period: Period) -> str:
    """ "2022-11" → "2022-11-01/P1M"; a term of 2020..2025 → "2020-01-01/P6Y"."""
    if period.kind in _SPANS:
        duration = _SPANS[period.kind]
    elif period.kind is PeriodKind.TERM:
        duration = f"P{period.end.year - period.start.year + 1}Y"
    else:
        duration = f"P{(period.end - period.start).days + 1}D"
    return f"{period.start.isoformat()}/{duration}"


def xaso_period(text: str) -> str:
    """The xaso period of an ADX start/duration, or CodeError (Vietnamese)."""
    found = _DURATION.fullmatch(text.strip())
    if found is None:
        raise CodeError(f"Kỳ ADX «{text}» phải có dạng ngày bắt đầu/độ dài, ví dụ 2022-11-01/P1M.")
    try:
        start = date.fromisoformat(found[1])
    except ValueError:
        raise CodeError(f"Kỳ ADX «{text}» có ngày không tồn tại.") from None
    n, unit = int(found[2]), found[3]
    y, m, d = start.year, start.month, start.day
    code = None
    if unit == "Y" and (m, d) == (1, 1):
        code = f"{y}" if n == 1 else f"{y}..{y + n - 1}"
    elif unit == "M" and d == 1:
        if n == 1:
            code = f"{y}-{m:02d}"
        elif n == 3 and m in (1, 4, 7, 10):
            code = f"{y}-Q{(m + 2) // 3}"
        elif n == 6 and m in (1, 7):
            code = f"{y}-H{1 if m == 1 else 2}"
        elif n == 9 and m == 1:
            code = f"{y}-9M"
    elif unit == "D" and n >= 1:
        iso = start.isocalendar()
        if n == 7 and iso.weekday == 1:
            code = f"{iso.year}-W{iso.week:02d}"
        else:
            code = f"{start.isoformat()}..{(start + timedelta(days=n - 1)).isoformat()}"
    if code is None:
        raise CodeError(f"Kỳ ADX «{text}» không ứng với kỳ nào của xaso.")
    try:
        return parse_period(code).code
    except PeriodError as error:
        raise CodeError(f"Kỳ ADX «{text}»: {error}") from None


def _periods(system, codes) -> dict:
    result = {}
    for code in codes:
        try:
            result[code] = xaso_period(code)
        except CodeError as error:
            result[code] = error
    return result


def write_adx(figures: list[Figure], system: str | None = None, *, data_set="xaso") -> bytes:
    units = to_other(system, CodeKind.UNIT, {f.unit for f in figures})
    indicators = to_other(system, CodeKind.INDICATOR, {f.indicator for f in figures})
    exported = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    root = etree.Element(f"{{{NS}}}adx", nsmap={None: NS}, exported=exported)
    groups: dict[tuple, etree._Element] = {}
    for f in figures:
        key = (f.unit, f.period)
        if key not in groups:
            groups[key] = etree.SubElement(
                root, f"{{{NS}}}group", orgUnit=units[f.unit],
                period=adx_period(parse_period(f.period)), dataSet=data_set,
            )  # fmt: skip
        value = etree.SubElement(
            groups[key], f"{{{NS}}}dataValue", dataElement=indicators[f.indicator], value=f.text
        )
        if f.status == ResultStatus.ESTIMATED:
            value.set("status", ESTIMATED)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def read_adx(content: bytes) -> list[ForeignRow]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise FileError(f"Tệp XML không đọc được: {error}.") from None
    if root.tag != f"{{{NS}}}adx":
        raise FileError(f"Tệp không phải ADX (cần phần tử gốc adx trong không gian tên {NS}).")
    rows = []
    for group in root.iter(f"{{{NS}}}group"):
        for item in group.iter(f"{{{NS}}}dataValue"):
            extra = sorted(set(item.attrib) - _KNOWN)
            rows.append(
                ForeignRow(
                    row=item.sourceline,
                    data_element=item.get("dataElement", ""),
                    period=group.get("period", ""),
                    org_unit=group.get("orgUnit", ""),
                    value=item.get("value"),
                    combo=", ".join(f"{k}={item.get(k)}" for k in extra),
                    comment="ước đạt" if item.get("status") == ESTIMATED else "",
                )
            )
    return rows


def import_adx(content: bytes, *, system=None, user=None, dry_run=False) -> ImportReport:
    return import_rows(
        read_adx(content), system=system, user=user, dry_run=dry_run, read_periods=_periods
    )
