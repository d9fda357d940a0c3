"""Codes between xaso and another system: org units, indicators (data elements), periods.

A `CodeMapping` row of a system says which of the other system's codes stands for which
xaso code; without a row, a code is used as it is written. Each direction reads one query
per kind for a whole file. Periods without a mapping row follow DHIS2's period codes by rule
(202211 ↔ 2022-11, 2022Q2 ↔ 2022-Q2, 2022S1 ↔ 2022-H1, 2022W15 ↔ 2022-W15, 2022 ↔ 2022);
xaso's nine months, terms and free spans have no DHIS2 code and are refused. xaso has no
day periods, so a DHIS2 day (20220415) is refused too.

`load_mappings` reads a mapping table (CSV: system,kind,xaso_code,other_code[,note]) all
or nothing.
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from xaso.exchange.models import CodeKind, CodeMapping
from xaso.exchange.values import RowError
from xaso.org import policy
from xaso.periods import PeriodError, PeriodKind, parse_period
from xaso.vn.text import nfc

MAPPING_COLUMNS = ("system", "kind", "xaso_code", "other_code")
_SYSTEM = re.compile(r"[-a-zA-Z0-9_]{1,64}")

_D_YEAR = re.compile(r"([0-9]{4})")
_D_MONTH = re.compile(r"([0-9]{4})([0-9]{2})")
_D_QUARTER = re.compile(r"([0-9]{4})Q([1-4])")
_D_HALF = re.compile(r"([0-9]{4})S([12])")
_D_WEEK = re.compile(r"([0-9]{4})W([0-9]{1,2})")
_D_DAY = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")


class CodeError(ValueError):
    """A code that cannot be translated; the message is Vietnamese."""


def _clean(code) -> str:
    return nfc(str(code)).strip()


def to_other(system: str | None, kind: str, codes: Iterable[str]) -> dict[str, str]:
    """{xaso code: the other system's code} for these codes, in one query."""
    wanted = {_clean(c) for c in codes}
    found = {}
    if system:
        rows = CodeMapping.objects.filter(system=system, kind=kind, xaso_code__in=wanted)
        found = dict(rows.values_list("xaso_code", "other_code"))
    return {code: found.get(code, code) for code in wanted}


def to_xaso(system: str | None, kind: str, codes: Iterable[str]) -> dict[str, str]:
    """{the other system's code: xaso code} for these codes, in one query."""
    wanted = {_clean(c) for c in codes}
    found = {}
    if system:
        rows = CodeMapping.objects.filter(system=system, kind=kind, other_code__in=wanted)
        found = dict(rows.values_list("other_code", "xaso_code"))
    return {code: found.get(code, code) for code in wanted}


# --- periods by rule ----------------------------------------------------------------------


def dhis2_period(code: str) -> str:
    """The DHIS2 period code of a xaso period, or CodeError when DHIS2 has none."""
    try:
        period = parse_period(code)
    except PeriodError as error:
        raise CodeError(str(error)) from None
    year = period.year
    match period.kind:
        case PeriodKind.YEAR:
            return f"{year}"
        case PeriodKind.HALF:
            return f"{year}S{1 if period.start.month == 1 else 2}"
        case PeriodKind.QUARTER:
            return f"{year}Q{(period.start.month + 2) // 3}"
        case PeriodKind.MONTH:
            return f"{year}{period.start.month:02d}"
        case PeriodKind.WEEK:
            return f"{year}W{int(period.code[6:])}"
    raise CodeError(f"Kỳ {period.label} ({period.code}) không có mã tương ứng trong DHIS2.")


def xaso_period(code: str) -> str:
    """The xaso period code of a DHIS2 period, or CodeError (Vietnamese)."""
    text = _clean(code).upper()
    if (m := _D_YEAR.fullmatch(text)) is not None:
        xaso = m[1]
    elif (m := _D_MONTH.fullmatch(text)) is not None:
        xaso = f"{m[1]}-{m[2]}"
    elif (m := _D_QUARTER.fullmatch(text)) is not None:
        xaso = f"{m[1]}-Q{m[2]}"
    elif (m := _D_HALF.fullmatch(text)) is not None:
        xaso = f"{m[1]}-H{m[2]}"
    elif (m := _D_WEEK.fullmatch(text)) is not None:
        xaso = f"{m[1]}-W{int(m[2]):02d}"
    elif _D_DAY.fullmatch(text) is not None:
        raise CodeError(f"Kỳ DHIS2 «{code}» là một ngày; xaso không có kỳ theo ngày.")
    else:
        raise CodeError(
            f"«{code}» không phải mã kỳ DHIS2 được hỗ trợ "
            "(ví dụ: 2022, 2022S1, 2022Q2, 202211, 2022W15)."
        )
    try:
        return parse_period(xaso).code
    except PeriodError as error:
        raise CodeError(f"Kỳ DHIS2 «{code}»: {error}") from None


def periods_to_other(system: str | None, codes: Iterable[str]) -> dict[str, str]:
    """{xaso period: DHIS2 period}: a mapping row first, else the rule (CodeError if none)."""
    mapped = to_other(system, CodeKind.PERIOD, codes)
    return {code: other if other != code else dhis2_period(code) for code, other in mapped.items()}


def periods_to_xaso(system: str | None, codes: Iterable[str]) -> dict[str, str | CodeError]:
    """{DHIS2 period: xaso period or the CodeError saying why there is none}."""
    result: dict[str, str | CodeError] = {}
    for other, xaso in to_xaso(system, CodeKind.PERIOD, codes).items():
        if xaso != other:
            result[other] = xaso
            continue
        try:
            result[other] = xaso_period(other)
        except CodeError as error:
            result[other] = error
    return result


# --- the mapping table ----------------------------------------------------------------------


@dataclass
class MappingReport:
    rows: int = 0
    stored: int = 0
    errors: list[RowError] | None = None

    def to_json(self) -> dict:
        errors = [vars(e) for e in self.errors or []]
        return {"rows": self.rows, "stored": self.stored, "errors": errors}


def load_mappings(text: str, *, user=None) -> MappingReport:
    """Read a mapping table (CSV with a header: system,kind,xaso_code,other_code[,note]) and
    store every row, replacing what each code meant before, or store nothing.

    A mapping is the same for every unit, so only the operator (user None) or a superuser
    may load one."""
    if user is not None and not policy.is_everyone(user):
        raise PermissionDenied("Chỉ quản trị hệ thống được nạp bảng ánh xạ mã.")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    report = MappingReport(errors=[])
    missing = [name for name in MAPPING_COLUMNS if name not in header]
    if missing:
        message = f"Thiếu cột {', '.join(missing)} (cần: system,kind,xaso_code,other_code)."
        report.errors.append(RowError(1, "file", message))
        return report
    reader.fieldnames = header
    rows, seen = [], {}
    for line, raw in enumerate(reader, start=2):
        report.rows += 1
        row = {key: _clean(raw.get(key) or "") for key in (*MAPPING_COLUMNS, "note")}
        errors = _check_mapping(line, row, seen)
        report.errors += errors
        if not errors:
            rows.append(row)
    if report.errors:
        return report
    with transaction.atomic():
        for row in rows:
            key = {"system": row["system"], "kind": row["kind"]}
            CodeMapping.objects.filter(**key, other_code=row["other_code"]).exclude(
                xaso_code=row["xaso_code"]
            ).delete()
            CodeMapping.objects.update_or_create(
                **key,
                xaso_code=row["xaso_code"],
                defaults={"other_code": row["other_code"], "note": row["note"][:300]},
            )
    report.stored = len(rows)
    return report


def _check_mapping(line: int, row: dict, seen: dict) -> list[RowError]:
    errors = []
    if not _SYSTEM.fullmatch(row["system"]):
        errors.append(RowError(line, "system", "Tên hệ thống chỉ gồm chữ không dấu, số, - và _."))
    if row["kind"] not in CodeKind.values:
        message = f"Loại mã «{row['kind']}» không hợp lệ (unit, indicator hoặc period)."
        errors.append(RowError(line, "kind", message))
    limits = (("xaso_code", "Mã xaso", 64), ("other_code", "Mã hệ thống kia", 128))
    for name, label, limit in limits:
        if not row[name]:
            errors.append(RowError(line, name, f"{label} còn trống."))
        elif len(row[name]) > limit:
            errors.append(RowError(line, name, f"{label} dài quá {limit} ký tự."))
    if row["kind"] == CodeKind.PERIOD and row["xaso_code"]:
        try:
            row["xaso_code"] = parse_period(row["xaso_code"]).code
        except PeriodError as error:
            errors.append(RowError(line, "xaso_code", str(error)))
    if errors:
        return errors
    for side in ("xaso_code", "other_code"):
        key = (row["system"], row["kind"], side, row[side])
        if key in seen:
            message = f"«{row[side]}» đã được ánh xạ ở dòng {seen[key]}."
            errors.append(RowError(line, side, message))
        else:
            seen[key] = line
    return errors
