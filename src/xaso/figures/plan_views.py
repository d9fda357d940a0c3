"""The plan page (a unit's targets for a year or a term, by source, with their documents)
and the allocation table (hand a target down). Views parse, call the services, render."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from xaso.catalog.selectors import active_indicators
from xaso.figures.allocation import (
    AllocationPlan,
    AllocationRowsError,
    Share,
    allocate,
    propose,
)
from xaso.figures.allocation_xlsx import allocation_workbook, read_allocation_workbook
from xaso.figures.models import Allocation, AllocationMethod, Target
from xaso.figures.plan_forms import SEEN_NONE, AllocationForm, TargetForm, share_field
from xaso.figures.plans import record_plan_document, unit_plan
from xaso.figures.services import Seen, StaleTarget, set_target
from xaso.formkit import show_service_errors
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.org.selectors import unit_or_404
from xaso.periods import Period, PeriodError, parse_period, read_period
from xaso.vn.numbers import NumberError, parse_number


def _typed_period(text: str) -> tuple[Period, str | None]:
    """The period typed (this year when empty), or this year and the error."""
    this_year = parse_period(str(timezone.localdate().year))
    if not text.strip():
        return this_year, None
    try:
        return read_period(text), None
    except PeriodError as error:
        return this_year, str(error)


def _plan_url(unit: OrgUnit, period: Period) -> str:
    return f"{reverse('figures:plan', args=[unit.code])}?period={period.code}"


def _seen(text: str) -> Seen | None:
    """The target value the form was opened with: "-" none, a plain number, or nothing."""
    if text == SEEN_NONE:
        return Seen(None)
    try:
        return Seen(parse_number(text).value) if text else Seen(None)
    except NumberError:
        return Seen(None)


def plan_page(request, code: str):
    unit = unit_or_404(code)
    policy.require_read(request.user, unit)
    posted = request.method == "POST"
    if posted:
        policy.require_manage(request.user, unit, what="đặt chỉ tiêu")
    source_of_period = request.POST if posted else request.GET
    period, period_error = _typed_period(source_of_period.get("period", ""))
    indicators = active_indicators()
    can_manage = policy.can_manage(request.user, unit)
    editing = None
    if not posted and can_manage and request.GET.get("edit", "").isdigit():
        editing = Target.objects.filter(pk=request.GET["edit"], unit=unit).first()
    status = 200
    if posted:
        form = TargetForm(request.POST, indicators=indicators)
        if period_error is None and form.is_valid() and _save_target(request, unit, period, form):
            return redirect(_plan_url(unit, period))
        status = 409 if form.has_error("seen") else 400
    elif editing is not None:
        form = TargetForm(
            initial={
                "indicator": editing.indicator,
                "source": editing.source,
                "value": _shown(editing.value),
                "document": editing.document.citation if editing.document_id else "",
                "seen": format(editing.value.normalize(), "f"),
            },
            indicators=indicators,
        )
        period = editing.as_period
    else:
        form = TargetForm(initial={"seen": SEEN_NONE}, indicators=indicators)
    plan = unit_plan(unit, period, list(indicators))
    context = {
        "unit": unit,
        "trail": policy.trail(request.user, unit),
        "period": period,
        "period_text": source_of_period.get("period", period.code),
        "period_error": period_error,
        "lines": [line for line in plan.lines if line.targets or line.term_targets],
        "has_terms": any(line.term_targets for line in plan.lines),
        "documents": plan.documents,
        "form": form if can_manage else None,
        "editing": editing,
        "can_manage": can_manage,
    }
    return render(request, "figures/plan.html", context, status=status)


def _save_target(request, unit: OrgUnit, period: Period, form: TargetForm) -> bool:
    data = form.cleaned_data
    try:
        with transaction.atomic():
            document = None
            if data["document"].strip():
                document = record_plan_document(
                    unit=unit, citation=data["document"], user=request.user
                )
            target = set_target(
                unit=unit,
                indicator=data["indicator"],
                period=period,
                source=data["source"],
                value=data["value"],
                user=request.user,
                document=document,
                revision=data["revision"],
                reason=data["reason"],
                seen=_seen(data["seen"]),
            )
    except ValidationError as error:
        show_service_errors(form, error)
        return False
    except StaleTarget as stale:
        form.add_error("seen", str(stale))
        # Sent again as it is, the form overwrites what it now shows as current.
        current = stale.current
        form.data = form.data.copy()
        form.data["seen"] = SEEN_NONE if current is None else format(current.value.normalize(), "f")
        return False
    messages.success(
        request,
        f"Đã lưu chỉ tiêu {target.indicator.name}, {period.label} ({target.get_source_display()}).",
    )
    return True


def _managed_target(request, code: str, target_id: int) -> tuple[OrgUnit, Target]:
    """The unit and its target to hand down; only a manager of the unit (or above)."""
    unit = unit_or_404(code)
    policy.require_manage(request.user, unit, what="phân bổ chỉ tiêu")
    target = get_object_or_404(
        Target.objects.select_related("indicator", "unit", "document"), pk=target_id, unit=unit
    )
    return unit, target


def _chosen(data) -> tuple[AllocationForm, str, object, str]:
    """The form choosing how to propose shares, and its method, base indicator and kind."""
    choice = AllocationForm(data or None, indicators=active_indicators())
    if not choice.is_valid():
        return choice, AllocationMethod.EQUAL, None, ""
    method, base, to_kind = (choice.cleaned_data[k] for k in ("method", "base", "to_kind"))
    return choice, method or AllocationMethod.EQUAL, base, to_kind


def allocation_page(request, code: str, target_id: int):
    unit, target = _managed_target(request, code, target_id)
    posted = request.method == "POST"
    data = request.POST if posted else request.GET
    earlier = Allocation.objects.filter(target=target).first()
    if not data and earlier is not None:  # open on how it was handed down last time
        data = {"method": earlier.method, "to_kind": earlier.to_kind}
        if earlier.base_indicator_id:
            data["base"] = earlier.base_indicator_id
        if earlier.method == AllocationMethod.FILE:
            data["method"] = AllocationMethod.HAND
    choice, method, base, to_kind = _chosen(data)
    errors: list[str] = list(_form_errors(choice))
    rows: list[tuple[str, str]] = []
    plan, typed, status = None, {}, 200
    if posted:
        confirm = request.POST.get("confirm") == "1"
        try:
            upload = request.FILES.get("file")
            if upload is not None:
                method, typed = AllocationMethod.FILE, read_allocation_workbook(upload.read())
            else:
                typed = {
                    key.removeprefix("share_"): value
                    for key, value in request.POST.items()
                    if key.startswith("share_")
                }
                if not _as_proposed(target, method, base, to_kind, typed):
                    method, base = AllocationMethod.HAND, None
            plan = allocate(
                target=target,
                method=method,
                user=request.user,
                base_indicator=base,
                to_kind=to_kind,
                values=typed if method in _TYPED else None,
                confirm_difference=confirm,
            )
        except AllocationRowsError as error:
            rows, status = error.rows, 400
        except ValidationError as error:
            errors, status = error.messages, 400
        else:
            messages.success(
                request,
                f"Đã phân bổ chỉ tiêu {target.indicator.name} cho {len(plan.shares)} đơn vị.",
            )
            return redirect(_plan_url(unit, target.as_period))
    if plan is None:
        try:
            plan = propose(target, method, base_indicator=base, to_kind=to_kind)
        except AllocationRowsError as error:
            rows = rows or error.rows
        except ValidationError as error:
            errors = errors or error.messages
        if plan is None:  # no proposal: the table shows the shares as they stand, to fill
            try:
                plan = _as_they_stand(target, to_kind)
            except ValidationError as error:  # nothing below to hand down to
                errors = error.messages
    shares = (
        []
        if plan is None
        else [
            {
                "unit": share.unit,
                "field": share_field(share.unit.code),
                "value": typed.get(share.unit.code, _shown(share.value)),
                "base": share.base,
                "current": share.current,
            }
            for share in plan.shares
        ]
    )
    typed_sum = _typed_sum(shares)
    context = {
        "unit": unit,
        "trail": policy.trail(request.user, unit),
        "target": target,
        "choice": choice,
        "method": method,
        "shares": shares,
        "total": typed_sum,
        "difference": None
        if typed_sum is None or plan is None or not plan.summable
        else typed_sum - target.value,
        "summable": plan is not None and plan.summable,
        "errors": errors,
        "rows": rows,
        "allocation": earlier,
        "posted": posted,
    }
    return render(request, "figures/allocation.html", context, status=status)


_TYPED = (AllocationMethod.HAND, AllocationMethod.FILE)


def _as_they_stand(target, to_kind: str):
    """The recipients with their current shares (blank where none), when no method could
    propose any: a table to fill by hand rather than numbers the officer did not ask for."""
    plan = propose(target, AllocationMethod.EQUAL, to_kind=to_kind)
    shares = [Share(s.unit, s.current, None, s.current) for s in plan.shares]
    return AllocationPlan(target, AllocationMethod.HAND, shares, None, to_kind)


def _as_proposed(target, method, base, to_kind, typed: dict[str, str]) -> bool:
    """Whether the shares sent are exactly what `method` proposes (then it is recorded as
    the method; any change by hand makes it a hand allocation)."""
    if method in _TYPED:
        return False
    try:
        plan = propose(target, method, base_indicator=base, to_kind=to_kind)
        return all(
            parse_number(typed.get(share.unit.code, "")).value == share.value
            for share in plan.shares
        ) and len(typed) == len(plan.shares)
    except (ValidationError, NumberError):
        return False


def allocation_xlsx(request, code: str, target_id: int):
    """The allocation table to fill in a spreadsheet, proposed by the method chosen."""
    unit, target = _managed_target(request, code, target_id)
    _, method, base, to_kind = _chosen(request.GET)
    try:
        plan = propose(target, method, base_indicator=base, to_kind=to_kind)
    except ValidationError:
        try:
            plan = propose(target, AllocationMethod.EQUAL, to_kind=to_kind)
        except ValidationError:  # nothing below: the table page says so
            page = reverse("figures:allocate", args=[unit.code, target.pk])
            return redirect(f"{page}?{request.GET.urlencode()}")
    response = HttpResponse(
        allocation_workbook(plan),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"phan-bo-{target.indicator.code}-{unit.code}-{target.period}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _form_errors(form) -> list[str]:
    if not form.is_bound or form.is_valid():
        return []
    return [message for messages_ in form.errors.values() for message in messages_]


def _shown(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f").replace(".", ",")


def _typed_sum(shares: list[dict]) -> Decimal | None:
    total = Decimal(0)
    for share in shares:
        text = str(share["value"]).strip()
        if not text:
            continue
        try:
            total += parse_number(text).value
        except NumberError:
            return None
    return total
