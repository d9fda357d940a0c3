from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from xaso.catalog.selectors import active_indicators
from xaso.documents.forms import ReviewForm, UploadForm
from xaso.documents.models import SourceDocument
from xaso.documents.selectors import (
    can_read_document,
    find_unit_within,
    import_record,
    readable_documents,
    successors,
    suggest_host,
    suggest_indicators,
)
from xaso.documents.services import (
    FigureChoice,
    document_confirm_targets,
    document_extraction,
    document_import,
    document_upload,
    suggested_target_period,
)
from xaso.figures.models import TargetSource
from xaso.formkit import show_service_errors
from xaso.meetings.services import AttendeeInput
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.reading import ReadError


def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None, initial=_own_unit(request.user))
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            document = document_upload(
                filename=file.name if file else "",
                data=file.read() if file else None,
                pasted=form.cleaned_data["pasted"],
                user=request.user,
                unit=form.cleaned_data["unit"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            return redirect("documents:review", pk=document.pk)
    recent = readable_documents(request.user).select_related("meeting", "unit")[:10]
    context = {
        "form": form,
        "recent": recent,
        "can_upload": policy.can_write_anywhere(request.user),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/upload.html", context, status=status)


def _own_unit(user) -> dict:
    """The upload form's unit: the one unit the user records for, when there is one."""
    writers = [g for g in policy.grants(user) if g.role in policy.WRITERS]
    if len(writers) != 1:
        return {}
    unit = OrgUnit.objects.filter(path=writers[0].path).first()
    return {"unit": unit.code} if unit else {}


def _initial(extraction, indicators) -> dict:
    meeting = extraction.meeting
    host = suggest_host(extraction)
    initial = {
        "host": host.code if host else "",
        "kind": meeting.kind or "other",
        "title": meeting.title or "",
        "date": meeting.date.strftime("%d/%m/%Y") if meeting.date else "",
        "time_of_day": meeting.time_of_day or "",
        "place": meeting.place or "",
        "period": meeting.period or "",
        "limitations": "\n".join(extraction.limitations),
        "directives": "\n".join(extraction.directives),
    }
    suggestions = suggest_indicators(extraction, indicators)
    for index, (figure, suggestion) in enumerate(zip(extraction.figures, suggestions, strict=True)):
        initial[f"figure_{index}"] = str(suggestion.pk) if suggestion else ""
        initial[f"estimated_{index}"] = figure.estimated
        initial[f"role_{index}"] = figure.role
        initial[f"source_{index}"] = figure.plan_source or _default_source(meeting)
        if figure.same_as is not None:  # the same figure reported twice: one is imported
            initial[f"figure_{index}"] = ""
    for index, person in enumerate(extraction.people):
        initial[f"person_{index}"] = "" if person.role == "author" else person.role or "attendee"
    return initial


def _default_source(meeting) -> str:
    """A plan read without its source: a campaign's goal at a launch, else the year's plan."""
    if meeting.kind == "campaign_launch":
        return TargetSource.CAMPAIGN
    return TargetSource.ANNUAL_PLAN


def highlighted(text: str, figures) -> str:
    """The document text, escaped, with each figure's span marked (inconsistent ones in red)."""
    parts, cursor = [], 0
    for index, figure in sorted(enumerate(figures), key=lambda item: item[1].start):
        if figure.start < cursor:
            continue
        parts.append(escape(text[cursor : figure.start]))
        css = "bad" if figure.consistent is False else "fig"
        parts.append(
            f'<mark id="f{index}" class="{css}">{escape(text[figure.start : figure.end])}</mark>'
        )
        cursor = figure.end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(parts))  # noqa: S308 — every piece above is escaped


def review(request, pk: int):
    document = get_object_or_404(SourceDocument.objects.select_related("meeting", "unit"), pk=pk)
    if not can_read_document(request.user, document):
        raise Http404("Không có văn bản này.")
    try:
        extraction = document_extraction(document)
    except ReadError as error:  # too long, or past the reader's time budget
        context = {"document": document, "error": str(error)}
        return render(request, "documents/unreadable.html", context, status=422)
    indicators = list(active_indicators())
    form = ReviewForm(
        request.POST or None,
        extraction=extraction,
        indicators=indicators,
        initial=_initial(extraction, indicators),
    )
    if extraction.meeting.period:  # what an empty target period will mean
        suggestion = suggested_target_period(extraction.meeting.period)
        form.fields["target_period"].widget.attrs["placeholder"] = suggestion
    if request.method == "POST" and form.is_valid():
        host = form.cleaned_data["host"]
        if not policy.can_record(request.user, host):
            form.add_error("host", "Bạn không có quyền ghi dữ liệu cho đơn vị này.")
        elif (units := _figure_units(form, host, len(extraction.figures))) is not None:
            try:
                meeting = _import(document, form, extraction, request.user, units)
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, "Đã nhập hội nghị và số liệu từ văn bản.")
                document.refresh_from_db()
                if document.proposed_targets:
                    messages.info(
                        request,
                        f"{len(document.proposed_targets)} chỉ tiêu kế hoạch đọc được đang chờ "
                        f"người quản lý {host.full_name} xác nhận.",
                    )
                return redirect("meetings:meeting", pk=meeting.pk)
    context = {
        "document": document,
        "extraction": extraction,
        "can_confirm": bool(document.proposed_targets)
        and document.unit is not None
        and policy.can_manage(request.user, document.unit),
        "form": form,
        "record": import_record(document) if document.imported else None,
        # An old report's commune that has since become part of another: say which.
        "successors": successors(suggest_host(extraction)),
        "text": highlighted(extraction.text, extraction.figures),
    }
    return render(request, "documents/review.html", context, status=400 if request.POST else 200)


def _figure_units(form, host, count: int) -> dict | None:
    """The unit each kept figure was given to, looked up inside the host's subtree;
    None (and the errors on the form) when a name matches no unit there, or several."""
    units, ok = {}, True
    for index in range(count):
        text = form.cleaned_data.get(f"unit_{index}", "").strip()
        if not text or not form.cleaned_data.get(f"figure_{index}"):
            continue
        matches = find_unit_within(host, text)
        if len(matches) == 1:
            units[index] = matches[0]
            continue
        ok = False
        if matches:
            codes = ", ".join(unit.code for unit in matches[:5])
            message = f"‘{text}’ khớp với {len(matches)} đơn vị, hãy ghi mã ({codes})."
        else:
            message = f"Không có đơn vị ‘{text}’ trong {host.full_name}."
        form.add_error(f"unit_{index}", message)
    return units if ok else None


def _import(document, form, extraction, user, units):
    data = form.cleaned_data
    figures = [
        FigureChoice(
            index=index,
            indicator=form.indicators[data[f"figure_{index}"]],
            estimated=data[f"estimated_{index}"],
            unit=units.get(index),
            role=data.get(f"role_{index}") or "result",
            source=data.get(f"source_{index}") or None,
        )
        for index in range(len(extraction.figures))
        if data.get(f"figure_{index}")
    ]
    attendees = [
        AttendeeInput(role=data[f"person_{index}"], name=person.name, title=person.position)
        for index, person in enumerate(extraction.people)
        if data.get(f"person_{index}")
    ]
    meeting = {
        key: data[key] for key in ("kind", "title", "date", "time_of_day", "place", "period")
    }
    return document_import(
        document=document,
        host=data["host"],
        meeting=meeting,
        figures=figures,
        attendees=attendees,
        limitations=form.lines("limitations"),
        directives=form.lines("directives"),
        user=user,
        target_period=data.get("target_period") or None,
    )


def confirm_targets(request, pk: int):
    """POST only: a manager sets the targets an import proposed."""
    document = get_object_or_404(SourceDocument.objects.select_related("unit"), pk=pk)
    if not can_read_document(request.user, document):
        raise Http404("Không có văn bản này.")
    if request.method != "POST":
        return redirect("documents:review", pk=pk)
    try:
        count = document_confirm_targets(document=document, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Đã xác nhận {count} chỉ tiêu kế hoạch.")
    return redirect("documents:review", pk=pk)
