"""DHIS2 dataValueSets in and out, JSON and CSV, through the shared import core.

In: {"dataValues": [{"dataElement", "period", "orgUnit", "value", "categoryOptionCombo"?,
"attributeOptionCombo"?, "comment"?}]} with optional top-level dataSet/period/orgUnit
defaults, or DHIS2's CSV (columns by position: dataelement, period, orgunit, catoptcombo,
attroptcombo, value, storedby, lastupdated, comment, followup; a first header row is
skipped). Each row's codes go through the system's `CodeMapping` (codes.py), the value is
read as DHIS2 writes it (a dot for decimals), and the rows go to `import_values`: all or
nothing, each wrong row named by its place in the file (the index in dataValues counting
from 1, or the CSV line).

Out: a unit's figures for one period, of its whole subtree (or the unit and its children),
limited in the query to what the user may read.

xaso has no disaggregations: only DHIS2's default category option combo is accepted. An
"ước đạt" (estimated) figure is written with the comment "ước đạt", and read back so — a
convention of xaso, not of DHIS2.
"""

import csv
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Q

from xaso.exchange.codes import periods_to_other, periods_to_xaso, to_other, to_xaso
from xaso.exchange.models import CodeKind
from xaso.exchange.values import ImportReport, RowError, ValueRow, import_values
from xaso.figures.models import Result, ResultStatus
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.periods import Period
from xaso.vn.text import nfc

CSV_HEADER = [
    "dataelement", "period", "orgunit", "catoptcombo", "attroptcombo",
    "value", "storedby", "lastupdated", "comment", "followup",
]  # fmt: skip
DEFAULT_COMBOS = {"", "HllvX50cXC0", "default"}  # DHIS2's default combo uid, or none given
ESTIMATED = "ước đạt"
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")


class FileError(ValueError):
    """The file cannot be read at all; the message is Vietnamese."""


@dataclass(frozen=True)
class ForeignRow:
    """One value as the other system wrote it, before its codes are translated."""

    row: int | str
    data_element: str
    period: str
    org_unit: str
    value: object
    combo: str = ""
    attribute_combo: str = ""
    comment: str = ""


@dataclass(frozen=True)
class Figure:
    """One stored figure on its way out, in xaso's codes."""

    unit: str
    indicator: str
    period: str
    value: Decimal
    status: str

    @property
    def text(self) -> str:
        return plain_number(self.value)


def plain_number(value: Decimal) -> str:
    """3750.500000 → "3750.5": a dot for decimals, no exponent, no trailing zeros."""
    return f"{value.normalize():f}"


# --- out -------------------------------------------------------------------------------


def exported_figures(user, unit: OrgUnit, period: Period, *, children_only=False) -> list[Figure]:
    """The figures of the unit's subtree (or of the unit and its children) for the period,
    those the user may read, in one query. `user` None is the server's operator."""
    if user is not None:
        policy.require_read(user, unit)
    found = Result.objects.filter(period=period.code)
    if children_only:
        below = Q(unit_depth=unit.depth + 1) & policy.subtree_q([unit.path], "unit_path")
        found = found.filter(Q(unit_path=unit.path) | below)
    else:
        found = found.filter(policy.subtree_q([unit.path], "unit_path"))
    if user is not None:
        found = found.filter(policy.scope_q(user, "unit_path"))
    rows = found.order_by("unit_path", "indicator__code").values_list(
        "unit__code", "indicator__code", "value", "status"
    )
    return [Figure(u, i, period.code, v, s) for u, i, v, s in rows]


def foreign_codes(figures: list[Figure], system: str | None) -> tuple[dict, dict, dict]:
    """The other system's codes for the figures' units, indicators and periods (one query
    per kind); CodeError when a period has no code there."""
    units = to_other(system, CodeKind.UNIT, {f.unit for f in figures})
    indicators = to_other(system, CodeKind.INDICATOR, {f.indicator for f in figures})
    periods = periods_to_other(system, {f.period for f in figures})
    return units, indicators, periods


def _data_values(figures: list[Figure], system: str | None) -> list[dict]:
    units, indicators, periods = foreign_codes(figures, system)
    values = []
    for f in figures:
        item = {
            "dataElement": indicators[f.indicator],
            "period": periods[f.period],
            "orgUnit": units[f.unit],
            "value": f.text,
        }
        if f.status == ResultStatus.ESTIMATED:
            item["comment"] = ESTIMATED
        values.append(item)
    return values


def write_json(figures: list[Figure], system: str | None = None) -> str:
    return json.dumps({"dataValues": _data_values(figures, system)}, ensure_ascii=False, indent=1)


def write_csv(figures: list[Figure], system: str | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for item in _data_values(figures, system):
        writer.writerow(
            [item["dataElement"], item["period"], item["orgUnit"], "", "", item["value"],
             "", "", item.get("comment", ""), ""]
        )  # fmt: skip
    return out.getvalue()


# --- in --------------------------------------------------------------------------------


def read_json(content: str | bytes) -> list[ForeignRow]:
    try:
        data = json.loads(content, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as error:
        raise FileError(f"Tệp không phải JSON hợp lệ: {error}.") from None
    if not isinstance(data, dict) or not isinstance(data.get("dataValues"), list):
        raise FileError('Tệp JSON không có danh sách "dataValues" của DHIS2.')
    top = {key: data.get(key) or "" for key in ("period", "orgUnit")}
    rows = []
    for index, item in enumerate(data["dataValues"], start=1):
        if not isinstance(item, dict):
            item = {}
        rows.append(
            ForeignRow(
                row=index,
                data_element=str(item.get("dataElement") or ""),
                period=str(item.get("period") or top["period"]),
                org_unit=str(item.get("orgUnit") or top["orgUnit"]),
                value=item.get("value"),
                combo=str(item.get("categoryOptionCombo") or ""),
                attribute_combo=str(item.get("attributeOptionCombo") or ""),
                comment=str(item.get("comment") or ""),
            )
        )
    return rows


def read_csv(content: str | bytes) -> list[ForeignRow]:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileError("Tệp CSV phải mã hoá UTF-8.") from None
    rows = []
    for line, cells in enumerate(csv.reader(io.StringIO(content.lstrip("\ufeff"))), start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if line == 1 and cells[0].strip().lower() == "dataelement":
            continue
        cells = [cell.strip() for cell in cells] + [""] * (10 - len(cells))
        rows.append(
            ForeignRow(
                row=line, data_element=cells[0], period=cells[1], org_unit=cells[2],
                value=cells[5], combo=cells[3], attribute_combo=cells[4], comment=cells[8],
            )
        )  # fmt: skip
    return rows


def dhis2_value(value) -> Decimal:
    """A DHIS2 value: a plain number with a dot for decimals; ValueError otherwise."""
    if isinstance(value, bool) or value is None:
        raise ValueError
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    text = nfc(str(value)).strip()
    if not _NUMBER.fullmatch(text):
        raise ValueError
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError from None


def to_value_rows(
    rows: list[ForeignRow], system: str | None, read_periods=periods_to_xaso
) -> tuple[list[ValueRow], list]:
    """The rows in xaso's codes, and the errors of the rows that cannot be read at all.
    `read_periods(system, codes)` gives {code: xaso period or CodeError} (DHIS2's rule)."""
    units = to_xaso(system, CodeKind.UNIT, {r.org_unit for r in rows})
    indicators = to_xaso(system, CodeKind.INDICATOR, {r.data_element for r in rows})
    periods = read_periods(system, {nfc(r.period).strip() for r in rows})
    values, errors = [], []
    for r in rows:
        wrong = []
        for field, code, what in (
            ("unit", r.org_unit, "mã đơn vị (orgUnit)"),
            ("indicator", r.data_element, "mã chỉ tiêu (dataElement)"),
        ):
            if not code.strip():
                wrong.append(RowError(r.row, field, f"Thiếu {what}."))
        period = periods.get(nfc(r.period).strip())
        if not r.period.strip():
            wrong.append(RowError(r.row, "period", "Thiếu kỳ (period)."))
        elif not isinstance(period, str):
            wrong.append(RowError(r.row, "period", str(period)))
        for name, combo in (
            ("categoryOptionCombo", r.combo),
            ("attributeOptionCombo", r.attribute_combo),
        ):
            if combo.strip() not in DEFAULT_COMBOS:
                message = f"xaso không có phân tổ; {name} «{combo}» không nhận được."
                wrong.append(RowError(r.row, name, message))
        try:
            amount = dhis2_value(r.value)
        except ValueError:
            shown = "" if r.value is None else r.value
            message = f"Giá trị «{shown}» không phải số (DHIS2 viết số với dấu chấm thập phân)."
            wrong.append(RowError(r.row, "value", message))
        if wrong:
            errors += wrong
            continue
        status = (
            ResultStatus.ESTIMATED
            if nfc(r.comment).strip().lower() == ESTIMATED
            else (ResultStatus.FINAL)
        )
        unit = units[nfc(r.org_unit).strip()]
        indicator = indicators[nfc(r.data_element).strip()]
        values.append(ValueRow(r.row, unit, indicator, period, amount, status))
    return values, errors


def import_rows(
    rows: list[ForeignRow], *, system=None, user=None, dry_run=False, read_periods=None
) -> ImportReport:
    """Translate and import; with any unreadable row, nothing is stored and the report names
    every wrong row (those the core would refuse too)."""
    values, errors = to_value_rows(rows, system, read_periods or periods_to_xaso)
    report = import_values(values, user=user, dry_run=dry_run or bool(errors))
    if errors:
        report.errors = sorted(errors + report.errors, key=lambda e: _order(e.row))
        report.rows, report.stored, report.dry_run = len(rows), 0, dry_run
    return report


def _order(row) -> tuple:
    return (0, row, "") if isinstance(row, int) else (1, 0, str(row))


def import_json(content, *, system=None, user=None, dry_run=False) -> ImportReport:
    return import_rows(read_json(content), system=system, user=user, dry_run=dry_run)


def import_csv(content, *, system=None, user=None, dry_run=False) -> ImportReport:
    return import_rows(read_csv(content), system=system, user=user, dry_run=dry_run)
