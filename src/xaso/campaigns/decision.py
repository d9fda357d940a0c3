"""The draft decision commending the participants a campaign's closing review praises, laid
out like the other generated documents (NĐ 30/2020/NĐ-CP: the report's heading, styles and
signature block; tools/make_decision_template.py builds the template).

It is a draft for the office to finish: what xaso cannot know — the legal bases in force,
the reward, who proposed it — is a highlighted "[Cần bổ sung: …]" gap, never invented. The
number is left blank for the office, as on a report.
"""

import datetime as dt
from functools import cache
from pathlib import Path

from xaso.campaigns.closing import Closing
from xaso.publishing.contents import unit_heading
from xaso.publishing.docx_out import fill
from xaso.publishing.heading import STATE
from xaso.publishing.wording import missing
from xaso.vn.numbers import format_number, format_quantity

TEMPLATE = (
    Path(__file__).resolve().parent / "templates" / "campaigns" / "quyet-dinh-khen-thuong.docx"
)
NUMBER = "Số:        /QĐ-UBND"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _score(value) -> str:
    return format_number(value, decimals=1)


def _praise_line(number: int, row) -> str:
    ranked = row.ranked
    return (
        f"{number}. {row.unit.full_name}: hoàn thành {ranked.completed}/{row.goals} chỉ tiêu, "
        f"đạt {_score(ranked.score)} điểm, xếp thứ {ranked.rank};"
    )


def _lacking(row) -> str:
    names = [
        f"{cell.goal.indicator.name} còn thiếu "
        + format_quantity(cell.missing, cell.goal.indicator.unit_name)
        for cell in row.cells
        if cell.target and cell.missing > 0
    ]
    return "; ".join(names) or "—"


def context(closing: Closing, day: dt.date) -> dict:
    """What the template sees: plain strings, already formatted."""
    campaign = closing.campaign
    host = campaign.host
    head = unit_heading(host, STATE, day)
    span = f"từ ngày {campaign.start:%d/%m/%Y} đến ngày {campaign.end:%d/%m/%Y}"
    praised = closing.praised
    subject = (
        "Về việc khen thưởng các tập thể có thành tích xuất sắc trong "
        f"{_lower_first(campaign.name)}"
    )
    lines = [_praise_line(n, row) for n, row in enumerate(praised, start=1)]
    if lines:
        lines[-1] = lines[-1].removesuffix(";") + "."
    else:
        lines = [missing("chưa có tập thể nào đạt mức khen thưởng")]
    held = f"{host.get_kind_display().lower()} {host.name}"
    articles = [
        {
            "label": "Điều 1.",
            "text": f"Tặng Giấy khen cho {len(praised)} tập thể đã hoàn thành xuất sắc các "
            f"chỉ tiêu của {_lower_first(campaign.name)} ({span}), gồm:",
            "lines": lines,
        },
        {
            "label": "Điều 2.",
            "text": "Mức thưởng kèm theo và nguồn kinh phí: "
            + missing("mức thưởng theo quy định hiện hành")
            + ".",
            "lines": [],
        },
        {
            "label": "Điều 3.",
            "text": "Quyết định này có hiệu lực kể từ ngày ký. Văn phòng Hội đồng nhân dân và "
            f"Ủy ban nhân dân {held}, {missing('các bộ phận có liên quan')} và các tập thể có "
            "tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
            "lines": [],
        },
    ]
    grounds = [
        "Căn cứ " + missing("các văn bản pháp luật về thi đua, khen thưởng đang có hiệu lực") + ";",
        f"Căn cứ kế hoạch phát động {_lower_first(campaign.name)} "
        f"của {_lower_first(host.full_name)} ({span});",
        f"Xét kết quả chấm điểm thi đua đến ngày {closing.progress.on:%d/%m/%Y} "
        f"và đề nghị của {missing('bộ phận đề nghị khen thưởng')}.",
    ]
    annex_date = head.place_date.split(", ", 1)[-1]
    scores = [
        {
            "rank": str(row.ranked.rank),
            "unit": row.unit.full_name,
            "score": _score(row.ranked.score),
            "completed": f"{row.ranked.completed}/{row.goals}",
            "lacking": _lacking(row),
        }
        for row in closing.rows
    ]
    return {
        "body": "\n".join(head.body_lines),
        "motto_1": head.motto[0],
        "motto_2": head.motto[1],
        "number": NUMBER,
        "place_date": head.place_date,
        "title": "QUYẾT ĐỊNH",
        "subject": subject,
        "issuing_authority": f"CHỦ TỊCH ỦY BAN NHÂN DÂN {held.upper()}",
        "grounds": grounds,
        "articles": articles,
        "recipients": [
            "- Như Điều 3;",
            f"- Thường trực Đảng ủy, HĐND {host.get_kind_display().lower()};",
            "- Lưu: VT.",
        ],
        "authority": "CHỦ TỊCH",
        "signer_title": "",
        "signer_name": head.signer_name or missing("họ và tên người ký"),
        "annex_title": "BẢNG ĐIỂM THI ĐUA CỦA CÁC ĐƠN VỊ THAM GIA",
        "annex_note": f"(Kèm theo Quyết định số{NUMBER.removeprefix('Số:')} {annex_date} "
        f"của Chủ tịch Ủy ban nhân dân {held})",
        "scores": scores,
    }


@cache
def _template() -> bytes:
    return TEMPLATE.read_bytes()


def decision_docx(closing: Closing, day: dt.date) -> bytes:
    """The draft decision as .docx bytes, dated `day`."""
    return fill(_template(), lambda document: context(closing, day))
