"""One row of the data-entry sheet as HTML, written directly (issue 20).

The sheet is most of its page: a row per indicator with its label, what is shown beside the
box, the four inputs and the row's messages. Through the template engine each row cost a
dozen variable look-ups and tags; here it is a few escaped strings. The markup is the one
`entry.html` had; a clash (rare: someone else saved meanwhile) keeps its template.
"""

from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from xaso.figures.models import ResultStatus
from xaso.web.templatetags.vn import vn_number


def _beside(about) -> SafeString:
    """The targets for the period and the previous period's figure, after the label."""
    if about is None or not (about.targets or about.previous):
        return mark_safe("")
    parts = [
        format_html(
            "Chỉ tiêu {} ({}): {}",
            target.period_label,
            target.get_source_display(),
            vn_number(target.value),
        )
        for target in about.targets
    ]
    previous = about.previous
    if previous is not None:
        estimated = " (ước đạt)" if previous.status == ResultStatus.ESTIMATED else ""
        parts.append(
            format_html(
                "Kỳ trước ({}): {}{}", about.previous_label, vn_number(previous.value), estimated
            )
        )
    return format_html(
        '\n    <br><span class="muted small context">{}</span>',
        mark_safe(" · ".join(parts)),  # noqa: S308 (parts escaped)
    )


def row_html(row) -> SafeString:
    """A `forms.Row` as the sheet shows it."""
    value, indicator = row.value, row.indicator
    failed = bool(value.errors) or row.clash is not None or bool(row.question)
    lines = [
        format_html(
            '<div class="entry-row{}">\n  <div><label for="{}">{} '
            '<span class="muted small">({})</span></label>{}</div>\n'
            '  <div class="inputs">{} {}{}{}</div>',
            " has-error" if failed else "",
            value.id_for_label,
            indicator.name,
            indicator.unit_name,
            _beside(row.context),
            value,
            row.status,
            row.seen,
            row.confirm,
        )
    ]
    if value.errors:
        lines.append(
            format_html_join("", '\n  <p class="error">{}</p>', ((e,) for e in value.errors))
        )
    if row.question:
        lines.append(format_html('\n  <p class="error question">{}</p>', row.question))
    if row.clash is not None:  # its template's output is safe already
        clash = render_to_string("figures/_clash.html", {"clash": row.clash})
        lines.append(format_html("\n  {}", clash))
    lines.append("\n</div>")
    return mark_safe("".join(lines))  # noqa: S308 (every part escaped above)
