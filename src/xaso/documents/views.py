from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from xaso.catalog.selectors import active_indicators
from xaso.documents.forms import ReviewForm, UploadForm
from xaso.documents.models import SourceDocument
from xaso.documents.selectors import suggest_host, suggest_indicator
from xaso.documents.services import (
    FigureChoice,
    document_extraction,
    document_import,
    document_upload,
)
from xaso.formkit import show_service_errors
from xaso.meetings.services import AttendeeInput
from xaso.org.selectors import can_record


def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            document = document_upload(
                filename=file.name if file else "",
                data=file.read() if file else None,
                pasted=form.cleaned_data["pasted"],
                user=request.user,
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            return redirect("documents:review", pk=document.pk)
    recent = SourceDocument.objects.select_related("meeting")[:10]
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/upload.html", {"form": form, "recent": recent}, status=status)


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
    for index, figure in enumerate(extraction.figures):
        suggestion = suggest_indicator(figure, indicators)
        initial[f"figure_{index}"] = str(suggestion.pk) if suggestion else ""
        initial[f"estimated_{index}"] = figure.estimated
    for index, person in enumerate(extraction.people):
        initial[f"person_{index}"] = "" if person.role == "author" else person.role or "attendee"
    return initial


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
    document = get_object_or_404(SourceDocument.objects.select_related("meeting"), pk=pk)
    extraction = document_extraction(document)
    indicators = list(active_indicators())
    form = ReviewForm(
        request.POST or None,
        extraction=extraction,
        indicators=indicators,
        initial=_initial(extraction, indicators),
    )
    if request.method == "POST" and form.is_valid():
        host = form.cleaned_data["host"]
        if not can_record(request.user, host):
            form.add_error("host", "Bạn không có quyền ghi dữ liệu cho đơn vị này.")
        else:
            try:
                meeting = _import(document, form, extraction, request.user)
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, "Đã nhập hội nghị và số liệu từ văn bản.")
                return redirect("meetings:meeting", pk=meeting.pk)
    context = {
        "document": document,
        "extraction": extraction,
        "form": form,
        "text": highlighted(extraction.text, extraction.figures),
    }
    return render(request, "documents/review.html", context, status=400 if request.POST else 200)


def _import(document, form, extraction, user):
    data = form.cleaned_data
    figures = [
        FigureChoice(
            index=index,
            indicator=form.indicators[data[f"figure_{index}"]],
            estimated=data[f"estimated_{index}"],
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
    )
