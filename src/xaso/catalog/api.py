"""API: what is measured (indicators) and when (periods). Both are the same for everyone
signed in: the catalogue and the calendar hold no unit's data."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from xaso.api.errors import READ_ERRORS, ApiError
from xaso.api.numbers import plain
from xaso.api.pagination import limit_query, page
from xaso.catalog.models import Indicator
from xaso.periods import Period, PeriodError, PeriodKind, parse_period, read_period

router = Router()


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    unit_name: str
    rollup: str
    over_time: str
    direction: str
    group: str
    active: bool
    min_value: Decimal | None
    max_value: Decimal | None


class IndicatorPage(Schema):
    items: list[IndicatorOut]
    next: str | None


class PeriodOut(Schema):
    code: str
    kind: str
    label: str
    start: dt.date
    end: dt.date
    parts: list[str]


def indicator_json(indicator: Indicator) -> dict:
    low, high = indicator.bounds
    return {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "unit_name": indicator.unit_name,
        "rollup": indicator.rollup,
        "over_time": indicator.pooling,
        "direction": indicator.direction,
        "group": indicator.group,
        "active": indicator.active,
        "min_value": plain(low),
        "max_value": plain(high),
    }


@router.get(
    "/indicators/",
    response={200: IndicatorPage, **READ_ERRORS},
    tags=["Chỉ tiêu"],
    summary="Danh mục chỉ tiêu",
)
def list_indicators(
    request,
    active: bool | None = Query(
        None, description="Chỉ chỉ tiêu đang dùng (true) hoặc đã thôi (false)."
    ),
    limit: int = limit_query(),
    cursor: str | None = Query(None, max_length=200),
):
    """Indicators by code."""
    indicators = Indicator.objects.all()
    if active is not None:
        indicators = indicators.filter(active=active)
    return page(
        request, indicators, key="code", limit=limit, cursor=cursor, serialize=indicator_json
    )


@router.get(
    "/indicators/{code}",
    response={200: IndicatorOut, **READ_ERRORS},
    tags=["Chỉ tiêu"],
    summary="Một chỉ tiêu",
)
def get_indicator(request, code: str):
    return indicator_json(get_object_or_404(Indicator, code=code))


def _year(year: int) -> Period:
    return parse_period(str(year))


def parts(period: Period) -> list[Period]:
    """The periods one level down: a term's years, a year's halves, a half's quarters, the
    nine months' quarters, a quarter's months, a span's whole months; a month or a week none."""
    year = period.start.year
    match period.kind:
        case PeriodKind.TERM:
            return [_year(y) for y in range(period.start.year, period.end.year + 1)]
        case PeriodKind.YEAR:
            return [parse_period(f"{year}-H1"), parse_period(f"{year}-H2")]
        case PeriodKind.HALF | PeriodKind.NINE_MONTHS:
            first = (period.start.month + 2) // 3
            last = (period.end.month + 2) // 3
            return [parse_period(f"{year}-Q{q}") for q in range(first, last + 1)]
        case PeriodKind.QUARTER | PeriodKind.SPAN:
            return period.months()
    return []


@router.get(
    "/periods/{code}",
    response={200: PeriodOut, **READ_ERRORS},
    tags=["Kỳ báo cáo"],
    summary="Đọc một kỳ",
)
def get_period(request, code: str):
    """A period by its code (2022, 2022-H1, 2022-9M, 2022-Q2, 2022-11, 2022-W15, 2020..2025,
    2022-04-15..2022-05-30) or as written ("tháng 11/2022"), with its parts one level down."""
    try:
        period = read_period(code)
    except PeriodError as error:
        raise ApiError(422, str(error), field="code", code="validation") from None
    return {
        "code": period.code,
        "kind": str(period.kind),
        "label": period.label,
        "start": period.start,
        "end": period.end,
        "parts": [part.code for part in parts(period)],
    }
