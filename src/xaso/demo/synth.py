"""A synthetic country for scale tests: provinces > communes > villages, indicators with units
and roll-up rules, yearly targets per commune, monthly results per village.

Deterministic for a seed, streamed (memory flat in the country's size), bulk-loaded with
PostgreSQL COPY or batched inserts on SQLite. Codes start with "S" so a synthetic country
never collides with the real administrative units.
"""

import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction

from xaso.catalog.models import Indicator, Rollup
from xaso.figures import subtotals
from xaso.figures.bulk import indexes_built_after, result_batch
from xaso.figures.models import EntryChannel, Target, TargetSource
from xaso.figures.partitions import ensure_partitions
from xaso.org.models import OrgUnit, UnitKind
from xaso.org.paths import last_child_step, path_step
from xaso.periods import Period, expand_periods, parse_period
from xaso.vn.numbers import format_number
from xaso.vn.text import fold

UNITS = ["ho", "m", "trieu_dong", "cay", "cong_trinh", "tan", "nguoi", "percent", "km", "vuon"]


@dataclass(frozen=True)
class SynthSpec:
    provinces: int
    communes_per_province: int
    villages_per_commune: int
    indicators: int
    periods: str  # "2024" = its twelve months; "2024-01..2024-06"
    seed: int = 1


@dataclass(frozen=True)
class SynthReport:
    units: int
    indicators: int
    targets: int
    results: int
    seconds: float
    result_seconds: float  # the whole load, index builds included
    index_seconds: float = 0.0  # of which building the results' indexes after the rows
    subtotals: int = 0
    subtotal_seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.results / self.result_seconds if self.result_seconds else 0.0


def _rule(number: int) -> tuple[str, str]:
    unit = UNITS[number % len(UNITS)]
    if unit == "percent":
        return unit, Rollup.AVERAGE
    return unit, Rollup.MAX if number % 25 == 24 else Rollup.SUM


def make_indicators(count: int) -> list[Indicator]:
    indicators = []
    for number in range(count):
        unit, rule = _rule(number)
        indicator, _ = Indicator.objects.update_or_create(
            code=f"syn-{number + 1:03d}",
            defaults={
                "name": f"Chỉ tiêu tổng hợp {number + 1}",
                "unit": unit,
                "rollup": rule,
                "group": "Dữ liệu tổng hợp",
                "position": 10_000 + number,
            },
        )
        indicators.append(indicator)
    return indicators


def _unit(code: str, name: str, kind: str, path: str) -> OrgUnit:
    return OrgUnit(
        code=code,
        name=name,
        kind=kind,
        path=path,
        depth=len(path) // OrgUnit.steplen,
        numchild=0,
        search_name=fold(name),
    )


@transaction.atomic
def make_province(number: int, spec: SynthSpec, root_step: int) -> None:
    """One province with its communes and villages."""
    code = f"S{number:02d}"
    province = _unit(code, f"Tổng hợp {number:02d}", UnitKind.PROVINCE, path_step(root_step))
    province.numchild = spec.communes_per_province
    units = [province]
    for c in range(1, spec.communes_per_province + 1):
        commune = _unit(
            f"{code}.{c:03d}",
            f"Tổng hợp {number:02d}-{c:03d}",
            UnitKind.COMMUNE,
            province.path + path_step(c),
        )
        commune.numchild = spec.villages_per_commune
        units.append(commune)
        for v in range(1, spec.villages_per_commune + 1):
            units.append(
                _unit(
                    f"{commune.code}.{v:02d}",
                    f"Tổng hợp {number:02d}-{c:03d}-{v:02d}",
                    UnitKind.VILLAGE,
                    commune.path + path_step(v),
                )
            )
    OrgUnit.objects.bulk_create(units, batch_size=5_000)


def make_targets(spec: SynthSpec, indicators: list[Indicator], year: Period, number: int) -> int:
    rng = random.Random(spec.seed * 7919 + number * 10_000 + year.start.year)
    communes = OrgUnit.objects.filter(code__startswith=f"S{number:02d}.", depth=2)
    villages, months = spec.villages_per_commune, 12
    targets = [
        Target(
            unit=commune,
            indicator=indicator,
            source=TargetSource.PROVINCE_PLAN,
            value=Decimal(round(villages * months * 50 * rng.uniform(0.8, 1.2))),
            period=year.code,
            period_kind=str(year.kind),
            period_start=year.start,
            period_end=year.end,
        )
        for commune in communes
        for indicator in indicators
    ]
    Target.objects.bulk_create(targets, batch_size=5_000)
    return len(targets)


def _load_month(month: Period, villages, limits, seed: int) -> int:
    """One month's results, villages in path order: the order of the results index, so the
    database only ever appends to it. Deterministic: the month's values have their own seed."""
    rng = random.Random(seed * 1_000_003 + month.start.month)
    with result_batch(channel=EntryChannel.IMPORT) as batch:
        for village_id, path in villages:
            for indicator, high in limits:
                batch.add(village_id, path, indicator.pk, month, rng.randint(0, high))
    return batch.count


class SynthError(ValueError):
    pass


def synth(spec: SynthSpec, *, progress=print) -> SynthReport:
    if OrgUnit.objects.filter(code="S01").exists():
        raise SynthError(
            "Đã có một nước tổng hợp (mã S01) trong cơ sở dữ liệu này; "
            "hãy dùng một cơ sở dữ liệu trống."
        )
    started = time.perf_counter()
    months = expand_periods(spec.periods)
    # Each year the months touch has its plan: a span of years is read against its last.
    years = [parse_period(str(y)) for y in sorted({month.year for month in months})]
    indicators = make_indicators(spec.indicators)
    limits = [(i, 100 if i.unit == "percent" else 50) for i in indicators]
    first_root = last_child_step(None) + 1
    targets, units = 0, 0
    for number in range(1, spec.provinces + 1):
        make_province(number, spec, first_root + number - 1)
        units += 1 + spec.communes_per_province * (1 + spec.villages_per_commune)
        targets += sum(make_targets(spec, indicators, year, number) for year in years)
    progress(f"{format_number(units)} đơn vị, {format_number(targets)} chỉ tiêu kế hoạch")
    # Only the villages' ids and paths are held (about 7 MB for 68,000 villages): the
    # connection is busy with COPY while rows stream, so it cannot page through a query.
    villages = list(
        OrgUnit.objects.filter(code__startswith="S", kind=UnitKind.VILLAGE, depth=3)
        .order_by("path")
        .values_list("pk", "path")
    )
    ensure_partitions({month.year for month in months})  # PostgreSQL: the years' partitions
    load_started, loaded = time.perf_counter(), 0
    with transaction.atomic(), indexes_built_after() as timing:
        for month in months:
            loaded += _load_month(month, villages, limits, spec.seed)
            elapsed = time.perf_counter() - load_started
            progress(
                f"{month.label}: {format_number(loaded)} kết quả, "
                f"{format_number(round(loaded / elapsed))} dòng/giây"
            )
    index_seconds = timing.seconds
    if index_seconds:
        progress(f"Chỉ mục dựng lại sau khi nạp: {format_number(round(index_seconds, 1))} giây")
    result_seconds = time.perf_counter() - load_started
    if connection.vendor == "postgresql":
        # Fresh statistics before the subtotals are built from the results.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) figures_result")
    subtotals_started = time.perf_counter()
    subtotal_rows = subtotals.rebuild()
    subtotal_seconds = time.perf_counter() - subtotals_started
    progress(
        f"{format_number(subtotal_rows)} dòng tổng hợp cấp dưới "
        f"trong {format_number(round(subtotal_seconds, 1))} giây"
    )
    if connection.vendor == "postgresql":
        # A visibility map: roll-ups can then read the subtotal index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) figures_subtotal")
    return SynthReport(
        units=units,
        indicators=len(indicators),
        targets=targets,
        results=loaded,
        seconds=time.perf_counter() - started,
        result_seconds=result_seconds,
        index_seconds=index_seconds,
        subtotals=subtotal_rows,
        subtotal_seconds=subtotal_seconds,
    )
