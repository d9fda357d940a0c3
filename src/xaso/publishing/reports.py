"""Writing a report file: the one path the page, the CLI and the benchmark take.

Reads only: nothing is stored. The reader must be allowed to read the unit (a report says
everything about it); the office's own Word template is used when it has one.
"""

import datetime as dt
from dataclasses import dataclass

from xaso.org.models import OrgUnit, UnitKind
from xaso.org.paths import ancestor_paths
from xaso.org.policy import require_read
from xaso.periods import Period
from xaso.publishing.contents import ReportContents, ReportKind, report_contents
from xaso.publishing.models import IssuerKind, ReportTemplate

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
}


class ReportError(Exception):
    """A report that cannot be written; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class ReportFile:
    filename: str
    content_type: str
    content: bytes


def template_for(unit: OrgUnit, issuer: str) -> ReportTemplate | None:
    """The unit's own template, else the nearest ancestor's (a district's for its communes)."""
    paths = ancestor_paths(unit.path, include_self=True)
    found = ReportTemplate.objects.filter(unit__path__in=paths, issuer=issuer)
    return max(found, key=lambda template: len(template.unit.path), default=None)


def default_issuer(unit: OrgUnit) -> str:
    """A party committee's or cell's report is the party's; any other unit's, its People's
    Committee's."""
    party = unit.kind in (UnitKind.PARTY_COMMITTEE, UnitKind.PARTY_CELL)
    return IssuerKind.PARTY if party else IssuerKind.STATE


def write_report(
    *,
    user,
    unit: OrgUnit,
    period: Period,
    fmt: str = "docx",
    kind: ReportKind | None = None,
    issuer: str = "state",
    day: dt.date | None = None,
) -> ReportFile:
    """The report of `unit` for `period` as a file; `user` None is the server's operator."""
    if fmt not in FORMATS:
        raise ReportError(f"Định dạng «{fmt}» không có; chọn một trong: {', '.join(FORMATS)}.")
    if user is not None:
        require_read(user, unit)
    contents = report_contents(unit, period, kind=kind, issuer=issuer, day=day)
    return ReportFile(filename(contents, fmt), FORMATS[fmt], render(contents, fmt))


def render(contents: ReportContents, fmt: str) -> bytes:
    if fmt == "md":
        from xaso.publishing import markdown_out

        return markdown_out.render(contents).encode("utf-8")
    if fmt == "xlsx":
        from xaso.publishing import xlsx_out

        return xlsx_out.render(contents)
    from xaso.publishing import docx_out

    template = template_for(contents.unit, contents.heading.issuer)
    try:
        document = docx_out.render(contents, bytes(template.content) if template else None)
    except docx_out.TemplateProblem as problem:
        raise ReportError(
            f"Mẫu Word «{template.filename}» của {template.unit}: {problem}"
        ) from None
    if fmt == "docx":
        return document
    from xaso.publishing import pdf_out

    try:
        return pdf_out.to_pdf(document)
    except (pdf_out.ConverterMissing, pdf_out.ConversionFailed) as failed:
        raise ReportError(str(failed)) from failed


def filename(contents: ReportContents, fmt: str) -> str:
    """ "bao-cao-so-ket-2020-H1-42.huong-khe.tt.docx": ASCII, so every browser keeps it."""
    return f"bao-cao-{contents.kind.value}-{contents.period.code}-{contents.unit.code}.{fmt}"
