"""Checks of a report before it is sent, and the validation run of a reviewer.

Each value has already passed its indicator's own rules when it was saved (not negative,
a rate within 0–100 %, whole counts: `figures.services.to_indicator_unit`). Here:

- the form's rules (`ValidationRule`: expressions over indicator codes, errors or warnings);
- warnings for a value far outside the unit's own history (over `HISTORY_FACTOR` times the
  highest of its last `HISTORY_PERIODS` periods of the same kind) or many times its target
  (over `TARGET_FACTOR` times).

Errors block sending and name the indicator; warnings need one confirmation.

The figures of all the units checked are read together (`problems_by_unit`): a validation
run over a province's hundred communes takes as many queries as one over a single village.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from xaso.figures.models import Result
from xaso.figures.target_values import TargetValue, target_values_containing
from xaso.periods import Period, previous_period
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


@dataclass
class _Figures:
    """One unit's figures for the checks, by expression name (indicator code with "_")."""

    values: dict[str, Decimal] = field(default_factory=dict)  # the period's
    previous: dict[str, Decimal] = field(default_factory=dict)  # the period before
    history: dict[str, list[Decimal]] = field(default_factory=dict)  # the periods before
    targets: dict[str, TargetValue] = field(default_factory=dict)  # the narrowest containing one


def _earlier(period: Period) -> list[str]:
    """The codes of the `HISTORY_PERIODS` periods of the same kind before `period`, latest
    first."""
    periods, current = [], period
    for _ in range(HISTORY_PERIODS):
        current = previous_period(current)
        if current is None:
            break
        periods.append(current.code)
    return periods


def _figures(units: list, period: Period, indicators: list) -> dict[int, _Figures]:
    """The figures of every unit, by unit id: two queries, whatever the number of units
    (their values of the period and of the periods before, and their targets)."""
    earlier = _earlier(period)
    names = {indicator.pk: _name_for(indicator.code) for indicator in indicators}
    position = {indicator.pk: n for n, indicator in enumerate(indicators)}
    by_place = {(unit.path, unit.depth): unit.pk for unit in units}
    rows = Result.objects.filter(
        unit_path__in=sorted({unit.path for unit in units}),
        unit_depth__in=sorted({unit.depth for unit in units}),
        period__in=[period.code, *earlier],
        indicator__in=indicators,
    ).values_list("unit_path", "unit_depth", "period", "indicator_id", "value")
    found = {unit.pk: _Figures() for unit in units}
    # In the form's order, so that a unit's problems come in the order of its sheet.
    for path, depth, code, indicator_id, value in sorted(rows, key=lambda r: position[r[3]]):
        unit_id = by_place.get((path, depth))
        if unit_id is None:
            continue
        figures, name = found[unit_id], names[indicator_id]
        if code == period.code:
            figures.values[name] = value
            continue
        figures.history.setdefault(name, []).append(value)
        if code == earlier[0]:
            figures.previous[name] = value
    for (unit_id, indicator_id), targets in target_values_containing(
        units, period, indicators=indicators
    ).items():
        found[unit_id].targets[names[indicator_id]] = targets[0]
    return found


def _problems(unit, figures: _Figures, rules: list, by_name: dict) -> list[Problem]:
    """Every rule the unit's figures break, and every unusual value (no query)."""
    problems = []
    targets = figures.targets
    for rule, tree in rules:
        held = evaluate(
            tree,
            figures.values,
            previous=figures.previous.get,
            target=lambda name: targets[name].value if name in targets else None,
        )
        if held is False:
            key = next((by_name[n].code for n in sorted(names_in(tree)) if n in by_name), None)
            problems.append(
                Problem(unit.full_name, key or f"rule-{rule.pk}", rule.message, rule.severity)
            )
    for name, value in figures.values.items():
        indicator = by_name[name]
        unit_name = indicator.unit_name
        highest = max(figures.history.get(name, []), default=None)
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


def problems_by_unit(form: ReportForm, units: list, period: Period) -> dict[int, list[Problem]]:
    """Every rule each unit's values for the period break, and every unusual value, by unit
    id. Four queries, whatever the number of units: the form's indicators, its rules, the
    units' values of the period and the periods before, their targets."""
    units = list(units)
    if not units:
        return {}
    indicators = form_indicators(form)
    by_name = {_name_for(indicator.code): indicator for indicator in indicators}
    rules = [(rule, parse_expression(rule.expression)) for rule in form.rules.order_by("pk")]
    figures = _figures(units, period, indicators)
    return {unit.pk: _problems(unit, figures[unit.pk], rules, by_name) for unit in units}


def problems_of(form: ReportForm, unit, period: Period) -> list[Problem]:
    """Every rule the unit's values for the period break, and every unusual value."""
    return problems_by_unit(form, [unit], period)[unit.pk]


def check_report(submission: Submission) -> tuple[dict[str, str], dict[str, str]]:
    """(errors, warnings) of a report, by indicator code (or rule), messages joined."""
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    for problem in problems_of(submission.form, submission.unit, submission.as_period):
        into = errors if problem.severity == RuleSeverity.ERROR else warnings
        into[problem.key] = " ".join(filter(None, [into.get(problem.key), problem.message]))
    return errors, warnings


def validation_run(form: ReportForm, unit, period: Period) -> list[Problem]:
    """Every broken rule and unusual value of the form's reporters in `unit`'s subtree, unit
    by unit in tree order: five queries, whatever the number of units."""
    reporters = list(expected_units(form).filter(path__startswith=unit.path))
    found = problems_by_unit(form, reporters, period)
    return [problem for reporter in reporters for problem in found[reporter.pk]]
