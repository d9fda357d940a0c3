"""An office's own Word template for its reports: set (checked whole first) and removed.

Checked before it is kept: a Word file, bounded in size, using only the placeholders xaso
fills (docs/publishing.md, "Word templates") — a misspelt `{{ palce_date }}` would otherwise
leave a gap in every report without a word — and filled once with the unit's contents, so a
template that cannot be filled is refused at upload and not when a report is due.
"""

import io

from django.db import transaction
from django.utils import timezone
from docxtpl import DocxTemplate

from xaso.audit.models import Action, Entity
from xaso.audit.services import audit_record
from xaso.org.models import OrgUnit
from xaso.org.policy import require_manage
from xaso.periods import parse_period
from xaso.publishing import docx_out
from xaso.publishing.contents import report_contents
from xaso.publishing.models import IssuerKind, ReportTemplate

MAX_BYTES = 2 * 1024 * 1024


class TemplateRefused(ValueError):
    """The file cannot serve as a template; the message says why, in Vietnamese."""


def placeholders_used(content: bytes) -> set[str]:
    try:
        return DocxTemplate(io.BytesIO(content)).get_undeclared_template_variables()
    except Exception as error:  # not a zip, no document part, a Jinja syntax error, …
        raise TemplateRefused(f"không đọc được tệp như một mẫu Word: {error}") from error


def set_report_template(
    *, unit: OrgUnit, issuer: str, filename: str, content: bytes, user, channel: str = "form"
) -> ReportTemplate:
    require_manage(user, unit, what="đặt mẫu báo cáo")
    if issuer not in IssuerKind.values:
        raise TemplateRefused(f"thể thức «{issuer}» không có.")
    if not filename.lower().endswith(".docx"):
        raise TemplateRefused("chỉ nhận tệp Word .docx (tệp .doc cũ: mở bằng Word, lưu lại .docx).")
    if len(content) > MAX_BYTES:
        raise TemplateRefused("tệp mẫu lớn quá 2 MB.")
    used = placeholders_used(content)
    contents = report_contents(unit, parse_period(str(timezone.localdate().year)), issuer=issuer)
    known = set(docx_out.context(contents))
    unknown = sorted(used - known)
    if unknown:
        names = ", ".join("{{ " + name + " }}" for name in unknown)
        raise TemplateRefused(
            f"mẫu dùng chỗ giữ chỗ mà xã số không điền: {names}. "
            "Các chỗ giữ chỗ dùng được có trong hướng dẫn (docs/publishing.md)."
        )
    if not used:
        raise TemplateRefused(
            "mẫu không có chỗ giữ chỗ nào ({{ … }}): báo cáo sẽ không có số liệu."
        )
    try:
        docx_out.render(contents, content)
    except docx_out.TemplateProblem as problem:
        raise TemplateRefused(str(problem)) from problem
    with transaction.atomic():
        existing = ReportTemplate.objects.filter(unit=unit, issuer=issuer).first()
        old = {"filename": existing.filename} if existing else None
        template, _ = ReportTemplate.objects.update_or_create(
            unit=unit,
            issuer=issuer,
            defaults={"filename": filename, "content": content, "uploaded_by": user},
        )
        audit_record(
            entity=Entity.REPORT_TEMPLATE,
            object_id=template.pk,
            unit=unit,
            action=Action.UPDATE if existing else Action.CREATE,
            old=old,
            new={"filename": filename, "issuer": issuer, "bytes": len(content)},
            user=user,
            channel=channel,
        )
    return template


def remove_report_template(*, unit: OrgUnit, issuer: str, user, channel: str = "form") -> bool:
    """Back to the shipped template (or the one above); False when there was none."""
    require_manage(user, unit, what="đặt mẫu báo cáo")
    with transaction.atomic():
        template = ReportTemplate.objects.filter(unit=unit, issuer=issuer).first()
        if template is None:
            return False
        audit_record(
            entity=Entity.REPORT_TEMPLATE,
            object_id=template.pk,
            unit=unit,
            action=Action.DELETE,
            old={"filename": template.filename, "issuer": issuer},
            new=None,
            user=user,
            channel=channel,
        )
        template.delete()
    return True
