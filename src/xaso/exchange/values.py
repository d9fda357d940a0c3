"""Figures in from a file or another system: one service every importer calls.

A spreadsheet, a DHIS2 dataValueSet, an API batch and `xaso import` all turn what they read
into `ValueRow`s (xaso's own codes, the value as written) and hand them to `import_values`.
It is all or nothing: every row is checked first — the unit, the indicator, the period (and
that the unit existed in it: `figures.validity`), the number and its unit of measure, the
user's right to record for the unit, a figure given twice with two values, an approved
figure changed without a reason — and a single wrong row stores nothing; the report names
each wrong row, its field and the problem, in Vietnamese. Rows that hold the value already
stored are counted as unchanged and not written again, so the same file imported twice
stores once.

The writes go through `figures.batch.write_results`, the set-based path the data-entry sheet
takes too (issue 20): the figures locked, the new ones inserted and the changed ones updated
in a few statements, one audit entry per changed value, none for an unchanged one, and the
subtotals refreshed once, set-based, before the commit.
"""

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from xaso.catalog.models import Indicator
from xaso.figures import validity
from xaso.figures.batch import Write, write_results, written_as
from xaso.figures.models import EntryChannel, ResultStatus
from xaso.figures.services import to_indicator_unit
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.periods import PeriodError, parse_period
from xaso.vn.text import nfc

MAX_ROWS = 200_000  # one import; a bigger file is split by period


@dataclass(frozen=True)
class ValueRow:
    """One figure as a file gives it, in xaso's codes (mapped already)."""

    row: int | str  # where it is in the file: a line number, "Biểu 1!C5"
    unit: str
    indicator: str
    period: str
    value: str | Decimal  # as written: "3.750", "1,8 km", Decimal("3750")
    status: str = ResultStatus.FINAL


@dataclass(frozen=True)
class RowError:
    row: int | str
    field: str  # "unit", "indicator", "period", "value", "status"
    message: str  # Vietnamese


@dataclass
class ImportReport:
    rows: int = 0
    stored: int = 0  # written (or, in a dry run, that would be written)
    unchanged: int = 0  # the value already stored
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict:
        return {
            "rows": self.rows,
            "stored": self.stored,
            "unchanged": self.unchanged,
            "errors": [asdict(error) for error in self.errors],
            "dry_run": self.dry_run,
        }


class _RolledBack(Exception):
    """Leaves the transaction of a dry run or of a refused import."""


def _lookup(rows: list[ValueRow]) -> tuple[dict, dict]:
    unit_codes = {nfc(str(r.unit)).strip() for r in rows}
    indicator_codes = {nfc(str(r.indicator)).strip() for r in rows}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=unit_codes)}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=indicator_codes)}
    return units, indicators


def _check(rows, user, units, indicators, report: ImportReport) -> list[tuple]:
    """The rows read and checked: (row, unit, indicator, period, amount, status, written)."""
    errors, allowed, refused = report.errors, {}, {}
    checked, seen = [], {}
    for r in rows:
        unit = units.get(nfc(str(r.unit)).strip())
        indicator = indicators.get(nfc(str(r.indicator)).strip())
        if unit is None:
            errors.append(RowError(r.row, "unit", f"Không có đơn vị mã «{r.unit}»."))
        elif user is not None:
            if unit.pk not in allowed:
                allowed[unit.pk] = policy.can_record(user, unit)
            if not allowed[unit.pk]:
                message = f"Bạn không có quyền ghi số liệu cho {unit.full_name}."
                errors.append(RowError(r.row, "unit", message))
                unit = None
        if indicator is None:
            errors.append(RowError(r.row, "indicator", f"Không có chỉ tiêu mã «{r.indicator}»."))
        try:
            period = parse_period(str(r.period))
        except PeriodError as error:
            errors.append(RowError(r.row, "period", str(error)))
            period = None
        if unit is not None and period is not None and not validity.existed_in(unit, period):
            # A period the unit did not exist in (issue 22): the period is what is wrong, as
            # write_results would say; said here, with every other row's errors at once.
            key = (unit.pk, period.code)
            if key not in refused:
                refused[key] = validity.refusal(unit, period)
            errors.append(RowError(r.row, "period", refused[key]))
            period = None
        if r.status not in ResultStatus.values:
            message = f"Tình trạng «{r.status}» không hợp lệ (ước đạt hoặc chính thức)."
            errors.append(RowError(r.row, "status", message))
        amount = None
        if indicator is not None:
            if isinstance(r.value, str) and not nfc(r.value).strip():
                errors.append(RowError(r.row, "value", "Ô số liệu còn trống."))
            else:
                try:
                    amount = to_indicator_unit(indicator, r.value)
                except ValidationError as error:
                    message = " ".join(error.message_dict["value"])
                    errors.append(RowError(r.row, "value", f"{indicator.name}: {message}"))
        if None in (unit, indicator, period, amount) or r.status not in ResultStatus.values:
            continue
        key = (unit.pk, indicator.pk, period.code)
        if key in seen and seen[key][0] != (amount, r.status):
            message = (
                f"{indicator.name} của {unit.full_name} kỳ {period.code} đã có ở dòng "
                f"{seen[key][1]} với số khác."
            )
            errors.append(RowError(r.row, "value", message))
            continue
        if key in seen:
            report.unchanged += 1  # the same figure twice with the same value: stored once
            continue
        seen[key] = ((amount, r.status), r.row)
        written = r.value if isinstance(r.value, str) else amount
        checked.append((r.row, unit, indicator, period, amount, r.status, written))
    return checked


def import_values(
    rows: list[ValueRow],
    *,
    user=None,
    channel: str = EntryChannel.IMPORT,
    dry_run: bool = False,
    correction: str = "",
) -> ImportReport:
    """Check every row, then store all of them or none; the report says what happened.

    `user` None is the system itself (a command run by the server's owner); otherwise each
    row's unit must be one the user may record for.
    """
    report = ImportReport(rows=len(rows), dry_run=dry_run)
    if len(rows) > MAX_ROWS:
        message = f"Một lần nhập tối đa {MAX_ROWS:,} dòng; hãy chia tệp theo kỳ.".replace(",", ".")
        report.errors.append(RowError(0, "file", message))
        return report
    units, indicators = _lookup(rows)
    checked = _check(rows, user, units, indicators, report)
    if report.errors:
        return report
    writes, where = [], {}
    for row, unit, indicator, period, amount, status, written in checked:
        label = str(row)
        where[label] = row
        text = written_as(written)
        writes.append(Write(unit, indicator, period, amount, status, text, label=label))
    saved = None
    try:
        with transaction.atomic():
            try:
                saved = write_results(writes, user=user, channel=channel, correction=correction)
            except ValidationError as error:
                for label, messages in error.message_dict.items():
                    report.errors.append(
                        RowError(where.get(label, label), "value", " ".join(messages))
                    )
            if report.errors or dry_run:
                raise _RolledBack
    except _RolledBack:
        pass
    if saved is not None:
        report.unchanged += saved.unchanged
    report.stored = 0 if report.errors or saved is None else saved.saved
    return report
