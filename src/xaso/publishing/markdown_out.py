"""The report as Markdown: for a quick read, a chat message, or pasting into another editor."""

from xaso.publishing.contents import ReportContents
from xaso.publishing.wording import missing
from xaso.vn.numbers import format_number, format_percent


def render(contents: ReportContents) -> str:
    head = contents.heading
    out = [
        *(line for line in (head.parent_line, *head.body_lines) if line),
        "",
        *head.motto,
        "",
        head.number,
        f"*{head.place_date}*",
        "",
        f"# {contents.title}",
        f"**{contents.subject}**",
        "",
        "## I. KẾT QUẢ THỰC HIỆN",
        "",
    ]
    out += [f"{row.number}. {row.sentence}" for row in contents.rows] or [
        missing("kết quả thực hiện các chỉ tiêu")
    ]
    out += [""] + [f"- {line}" for line in contents.criteria]
    if contents.rows:
        out += ["", _table(contents)]
    out += ["", "## II. TỒN TẠI, HẠN CHẾ", ""]
    out += [f"- {text}" for text in contents.limitations] or [
        missing("tồn tại, hạn chế trong kỳ (chưa có hội nghị nào của kỳ ghi nhận)")
    ]
    out += ["", "## III. NHIỆM VỤ TRỌNG TÂM", ""]
    tasks = contents.directives + contents.next_targets
    out += [f"{n}. {text}" for n, text in enumerate(tasks, start=1)] or [
        missing("nhiệm vụ trọng tâm kỳ tới")
    ]
    if head.end_mark:  # "./." closes the body; a sentence's own full stop is its first dot
        out[-1] += head.end_mark[1:] if out[-1].endswith(".") else head.end_mark
    out += ["", "**Nơi nhận:**", *head.recipients, ""]
    out += [f"**{head.authority}**", f"**{head.signer_title}**", ""]
    out += [f"**{head.signer_name}**" if head.signer_name else missing("họ và tên người ký")]
    return "\n".join(out) + "\n"


def _table(contents: ReportContents) -> str:
    lines = [
        "| TT | Chỉ tiêu | ĐVT | Kế hoạch | Thực hiện | % KH | Cùng kỳ năm trước |",
        "|---:|---|---|---:|---:|---:|---:|",
    ]
    for row in contents.rows:
        plan = row.plan
        plan_text = f"{format_number(plan.value)} ({plan.words})" if plan else ""
        value = "" if row.value is None else format_number(row.value)
        if row.value is not None and row.estimated:
            value += " (ước)"
        percent = format_percent(row.percent) if row.percent is not None else ""
        before = "" if row.last_year is None else format_number(row.last_year)
        cells = [str(row.number), row.name, row.unit_name, plan_text, value, percent, before]
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |")
    return "\n".join(lines)
