"""The validation run is set-based: the figures of every reporting unit in the subtree are
read together, so a province of a hundred communes costs as many queries as three. Its
results are those of the per-unit checks it replaced, kept here as the oracle."""

import random
from dataclasses import astuple
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_indicator, make_unit
from xaso.figures.models import Result, Target
from xaso.figures.selectors import targets_containing
from xaso.figures.services import record_result, set_target
from xaso.org.models import UnitKind
from xaso.periods import Period, parse_period, previous_period
from xaso.reporting.definitions import define_form
from xaso.reporting.expressions import evaluate, names_in, parse_expression
from xaso.reporting.models import ReportForm, RuleSeverity
from xaso.reporting.selectors import expected_units, form_indicators
from xaso.reporting.services import save_report
from xaso.reporting.validation import (
    HISTORY_FACTOR,
    HISTORY_PERIODS,
    TARGET_FACTOR,
    Problem,
    check_report,
    problems_of,
    validation_run,
)
from xaso.vn.numbers import format_number

WEEK = parse_period("2022-W15")

# --- the oracle: the per-unit checks as they were (six queries a unit) ------------------------


def _name_for(code: str) -> str:
    return code.replace("-", "_")


def _old_values(unit, period: Period, indicators) -> dict[str, Decimal]:
    rows = Result.objects.filter(
        unit_path=unit.path, unit_depth=unit.depth, period=period.code, indicator__in=indicators
    ).select_related("indicator")
    return {_name_for(row.indicator.code): row.value for row in rows}


def _old_history(unit, period: Period, indicators) -> dict[str, list[Decimal]]:
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
    found["__last__"] = periods[:1]
    return found


def old_problems_of(form, unit, period: Period) -> list[Problem]:
    indicators = form_indicators(form)
    by_name = {_name_for(indicator.code): indicator for indicator in indicators}
    values = _old_values(unit, period, indicators)
    history = _old_history(unit, period, indicators)
    last = history.pop("__last__")
    previous_values = _old_values(unit, parse_period(last[0]), indicators) if last else {}
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


def old_check_report(submission) -> tuple[dict[str, str], dict[str, str]]:
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    for problem in old_problems_of(submission.form, submission.unit, submission.as_period):
        into = errors if problem.severity == RuleSeverity.ERROR else warnings
        into[problem.key] = " ".join(filter(None, [into.get(problem.key), problem.message]))
    return errors, warnings


def old_validation_run(form, unit, period: Period) -> list[Problem]:
    found = []
    for reporter in expected_units(form).filter(path__startswith=unit.path):
        found.extend(old_problems_of(form, reporter, period))
    return found


# --- a province whose communes report weekly ------------------------------------------------


@pytest.fixture
def province(db):
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="ht")
    fences = make_indicator("hang-rao-xanh", unit="m", name="Hàng rào xanh trồng mới")
    toilets = make_indicator("nha-tieu-tu-hoai", unit="ho", name="Hộ làm nhà tiêu tự hoại")
    households = make_indicator("so-ho", unit="ho", name="Số hộ")
    roads = make_indicator("duong-giao-thong", unit="km", name="Đường giao thông cứng hoá")
    form = define_form(
        code="ntm-tinh",
        name="Báo cáo tuần NTM (xã)",
        reviewer=province,
        period_type="week",
        deadline_rule="fri@17:00",
        indicators=[
            (fences, "Cảnh quan"),
            (toilets, "Vệ sinh"),
            (households, "Chung"),
            (roads, "Giao thông"),
        ],
        reporter_kind=UnitKind.COMMUNE,
        rules=[
            ("nha_tieu_tu_hoai <= so_ho", "Số hộ làm nhà tiêu vượt số hộ của xã.", "error"),
            ("so_ho >= previous(so_ho)", "Số hộ giảm so với tuần trước.", "warning"),
            (
                "duong_giao_thong <= 2 * target(duong_giao_thong)",
                "Đường vượt xa kế hoạch.",
                "error",
            ),
            ("hang_rao_xanh >= 0 and so_ho > 0", "Thiếu số hộ.", "warning"),
        ],
    )
    return {"unit": province, "form": form, "indicators": [fences, toilets, households, roads]}


def add_communes(province, start: int, count: int) -> list:
    """Communes with seven weeks of figures drawn from a seeded generator: ordinary weeks,
    spikes, broken rules, targets for some, gaps, a village below each (not a reporter)."""
    fences, toilets, households, roads = province["indicators"]
    communes = []
    for n in range(start, start + count):
        draw = random.Random(n)
        commune = make_unit(f"Xã Số {n}", UnitKind.COMMUNE, province["unit"], code=f"x{n}")
        communes.append(commune)
        village = make_unit(f"Thôn của xã {n}", UnitKind.VILLAGE, commune, code=f"x{n}-1")
        record_result(unit=village, indicator=fences, period=WEEK, value="99999")
        if n % 5 == 4:
            continue  # a commune with no figures at all
        base = draw.randint(50, 400)
        homes = draw.randint(300, 900)
        period = WEEK
        for age in range(HISTORY_PERIODS + 1):
            if age and draw.random() < 0.2:
                period = previous_period(period)
                continue  # a week not reported
            spike = age == 0 and draw.random() < 0.4
            value = base * (draw.randint(4, 7) if spike else 1) + draw.randint(0, 30)
            record_result(unit=commune, indicator=fences, period=period, value=str(value))
            record_result(unit=commune, indicator=households, period=period, value=str(homes))
            toilets_now = draw.randint(0, homes)
            if draw.random() < 0.25:
                toilets_now = homes + draw.randint(1, 20)  # more than the households
            record_result(unit=commune, indicator=toilets, period=period, value=str(toilets_now))
            homes += draw.choice([0, 0, 0, 5])  # a week before with more households
            if draw.random() < 0.7:
                road = Decimal(draw.randint(1, 40)) / 10
                record_result(unit=commune, indicator=roads, period=period, value=str(road))
            period = previous_period(period)
        if n % 3 == 0:
            set_target(
                unit=commune,
                indicator=fences,
                period="2022",
                source="district_plan",
                value=str(draw.randint(20, 200)),
            )
            set_target(
                unit=commune,
                indicator=roads,
                period="2022",
                source="district_plan",
                value=str(Decimal(draw.randint(5, 20)) / 10),
            )
        if n % 4 == 0:  # a narrower target too: the quarter's comes first
            set_target(
                unit=commune,
                indicator=fences,
                period="2022-Q2",
                source="district_plan",
                value=str(draw.randint(10, 60)),
            )
    return communes


def queries_of(call) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return len(captured.captured_queries), result


def test_the_run_s_queries_do_not_grow_with_the_units(province, django_assert_max_num_queries):
    unit = province["unit"]
    add_communes(province, 0, 3)
    form = ReportForm.objects.select_related("reviewer").get(pk=province["form"].pk)
    three, _ = queries_of(lambda: validation_run(form, unit, WEEK))
    old_three, _ = queries_of(lambda: old_validation_run(form, unit, WEEK))
    add_communes(province, 3, 9)
    form = ReportForm.objects.select_related("reviewer").get(pk=form.pk)  # as the page has it

    with django_assert_max_num_queries(5):
        validation_run(form, unit, WEEK)
    twelve, _ = queries_of(lambda: validation_run(form, unit, WEEK))
    old_twelve, _ = queries_of(lambda: old_validation_run(form, unit, WEEK))

    assert three == twelve <= 5
    assert (old_three, old_twelve) == (1 + 6 * 3, 1 + 6 * 12)  # what it cost before


def test_the_run_finds_what_the_per_unit_checks_found(province):
    form, unit = province["form"], province["unit"]
    communes = add_communes(province, 0, 30)
    other = make_unit("Quảng Bình", UnitKind.PROVINCE, code="qb")
    elsewhere = make_unit("Xã Ngoài", UnitKind.COMMUNE, other, code="ngoai")
    record_result(unit=elsewhere, indicator=province["indicators"][1], period=WEEK, value="5")

    for period in (WEEK, parse_period("2022-W14"), parse_period("2022-W09")):
        new, old = validation_run(form, unit, period), old_validation_run(form, unit, period)
        assert sorted(map(astuple, new)) == sorted(map(astuple, old)), period.code
        # Unit by unit in tree order, rules before unusual values, as before.
        assert [p.unit_name for p in new] == [p.unit_name for p in old]
    found = validation_run(form, unit, WEEK)
    kinds = {p.message.split(":")[0] if "gấp hơn" in p.message else p.message for p in found}
    # The dataset exercises every kind of check.
    assert "Số hộ làm nhà tiêu vượt số hộ của xã." in kinds
    assert "Số hộ giảm so với tuần trước." in kinds
    assert "Đường vượt xa kế hoạch." in kinds
    assert any("lần mức cao nhất" in p.message for p in found)
    assert any("lần chỉ tiêu" in p.message for p in found)
    assert {p.unit_name for p in found} <= {c.full_name for c in communes}

    for commune in [*communes, elsewhere]:
        assert problems_of(form, commune, WEEK) == old_problems_of(form, commune, WEEK) or (
            sorted(map(astuple, problems_of(form, commune, WEEK)))
            == sorted(map(astuple, old_problems_of(form, commune, WEEK)))
        )
    for commune in communes[:12]:
        submission, _ = save_report(form=form, unit=commune, period=WEEK, entries={})
        assert check_report(submission) == old_check_report(submission), commune.name


def test_one_unit_and_no_unit(province):
    form, unit = province["form"], province["unit"]
    (commune,) = add_communes(province, 1, 1)
    assert validation_run(form, commune, WEEK) == problems_of(form, commune, WEEK)
    empty = make_unit("Tỉnh Trống", UnitKind.PROVINCE, code="trong")
    assert validation_run(form, empty, WEEK) == []
    assert validation_run(form, unit, WEEK) == old_validation_run(form, unit, WEEK) or sorted(
        map(astuple, validation_run(form, unit, WEEK))
    ) == sorted(map(astuple, old_validation_run(form, unit, WEEK)))
