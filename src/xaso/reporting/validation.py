"""Checks of a report before it is sent, and the validation run of a reviewer.

Each value has already passed its indicator's own rules when it was saved (not negative,
a rate within 0–100 %, whole counts: `figures.services.to_indicator_unit`). Here:

- the form's rules (`ValidationRule`: expressions over indicator codes, errors or warnings);
- warnings for a value far outside the unit's own history (over `HISTORY_FACTOR` times the
  highest of its last `HISTORY_PERIODS` periods of the same kind) or many times its target
  (over `TARGET_FACTOR` times).

Errors block sending and name the indicator; warnings need one confirmation.
"""

from dataclasses import dataclass
from decimal import Decimal

from xaso.figures.models import Result, Target
from xaso.figures.selectors import targets_containing
from xaso.periods import Period, parse_period, previous_period
from xaso.reporting.expressions import evaluate, names_in, parse_expression
from xaso.reporting.models import ReportForm, RuleSeverity, Submission
from xaso.reporting.selectors import expected_units, form_indicators
from xaso.vn.numbers import format_number

HISTORY_PERIODS = 6
HISTORY_FACTOR = 3
TARGET_FACTOR = 5


@dataclass(frozen=True)
class Problem:
    unit_name: str
    key: str  # an indicator code, or "rule-<id>"
    message: str
    severity: str


def _name_for(code: str) -> str:
    return code.replace("-", "_")


def _values(unit, period: Period, indicators) -> dict[str, Decimal]:
    rows = Result.objects.filter(
        unit_path=unit.path, unit_depth=unit.depth, period=period.code, indicator__in=indicators
    ).select_related("indicator")
    return {_name_for(row.indicator.code): row.value for row in rows}


def _history(unit, period: Period, indicators) -> dict[str, list[Decimal]]:
    periods, current = [], period
    for _ in range(HISTORY_PERIODS):
        current = previous_period(current)
        if current is None:
            break
        periods.append(current.code)
    rows = Result.objects.filter(
        unit_path=unit.path, unit_depth=unit.depth, period__in=periods, indicator__in=indicators
    ).select_related("indicator")
    found: dict[str, list[Decimal]] = {}
    for row in rows:
        found.setdefault(_name_for(row.indicator.code), []).append(row.value)
    found["__last__"] = periods[:1]  # the previous period's code, for previous()
    return found


def problems_of(form: ReportForm, unit, period: Period) -> list[Problem]:
    """Every rule the unit's values for the period break, and every unusual value."""
    indicators = form_indicators(form)
    by_name = {_name_for(indicator.code): indicator for indicator in indicators}
    values = _values(unit, period, indicators)
    history = _history(unit, period, indicators)
    last = history.pop("__last__")
    previous_values = _values(unit, parse_period(last[0]), indicators) if last else {}
    targets: dict[str, Target] = {}
    for (_, indicator_id), found in targets_containing(
        [unit], period, indicators=indicators
    ).items():
        indicator = next(i for i in indicators if i.pk == indicator_id)
        targets[_name_for(indicator.code)] = found[0]
    problems = []
    for rule in form.rules.all():
        tree = parse_expression(rule.expression)
        held = evaluate(
            tree,
            values,
            previous=previous_values.get,
            target=lambda name: targets[name].value if name in targets else None,
        )
        if held is False:
            key = next((by_name[n].code for n in sorted(names_in(tree)) if n in by_name), None)
            problems.append(
                Problem(unit.full_name, key or f"rule-{rule.pk}", rule.message, rule.severity)
            )
    for name, value in values.items():
        indicator = by_name[name]
        unit_name = indicator.unit_name
        highest = max(history.get(name, []), default=None)
        if highest and value > highest * HISTORY_FACTOR:
            problems.append(
                Problem(
                    unit.full_name,
                    indicator.code,
                    f"{indicator.name}: {format_number(value)} {unit_name}, gấp hơn "
                    f"{HISTORY_FACTOR} lần mức cao nhất {HISTORY_PERIODS} kỳ trước "
                    f"({format_number(highest)}). Kiểm tra lại số này.",
                    RuleSeverity.WARNING,
                )
            )
        target = targets.get(name)
        if target is not None and target.value and value > target.value * TARGET_FACTOR:
            problems.append(
                Problem(
                    unit.full_name,
                    indicator.code,
                    f"{indicator.name}: {format_number(value)} {unit_name}, gấp hơn "
                    f"{TARGET_FACTOR} lần chỉ tiêu ({format_number(target.value)}). "
                    "Kiểm tra lại số này.",
                    RuleSeverity.WARNING,
                )
            )
    return problems


def check_report(submission: Submission) -> tuple[dict[str, str], dict[str, str]]:
    """(errors, warnings) of a report, by indicator code (or rule), messages joined."""
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    for problem in problems_of(submission.form, submission.unit, submission.as_period):
        into = errors if problem.severity == RuleSeverity.ERROR else warnings
        into[problem.key] = " ".join(filter(None, [into.get(problem.key), problem.message]))
    return errors, warnings


def validation_run(form: ReportForm, unit, period: Period) -> list[Problem]:
    """Every broken rule and unusual value of the form's reporters in `unit`'s subtree."""
    reporters = expected_units(form).filter(path__startswith=unit.path)
    found = []
    for reporter in reporters:
        found.extend(problems_of(form, reporter, period))
    return found
