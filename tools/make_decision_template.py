"""Build the shipped Word template of a campaign's commendation decision
(`xaso.campaigns.decision`).

    .venv/bin/python tools/make_decision_template.py [OUTDIR]

writes `quyet-dinh-khen-thuong.docx` into OUTDIR, by default
src/xaso/campaigns/templates/campaigns/. The decision of a People's Committee chairman
(NĐ 30/2020/NĐ-CP: quyết định cá biệt) shares the report's heading, page, styles and
signature block, built by the same functions (tools/make_report_templates.py); what differs
is its body: the issuing authority's title, the legal bases in italics, "QUYẾT ĐỊNH:", and
its articles ("Điều 1." in bold). Reproducible like the report's templates.
"""

import sys
from pathlib import Path

from docx import Document
from docx.shared import Cm, Pt
from make_report_templates import (
    STATE,
    _cells,
    _control,
    _control_row,
    _head_row,
    _header,
    _page,
    _para,
    _signature,
    _styles,
    _table,
    _title,
    _write,
    finish,
    reproducible,
)

OUT = Path(__file__).resolve().parents[1] / "src/xaso/campaigns/templates/campaigns"
FILE = "quyet-dinh-khen-thuong.docx"


def _body(document) -> None:
    authority = _para(document, "{{ issuing_authority }}", "Report Subject")
    authority.paragraph_format.space_after = Pt(6)
    _control(document, "{%p for line in grounds %}")
    _para(document, "{{ line }}", italic=True)
    _control(document, "{%p endfor %}")
    decides = _para(document, "QUYẾT ĐỊNH:", "Report Subject")
    decides.paragraph_format.space_before = Pt(6)
    decides.paragraph_format.space_after = Pt(6)
    _control(document, "{%p for article in articles %}")
    article = _para(document)
    _write(article, "{{ article.label }}", bold=True)
    _write(article, " {{ article.text }}")
    _control(document, "{%p for line in article.lines %}")
    line = _para(document, "{{ line }}")
    line.paragraph_format.left_indent = Cm(1.27)
    line.paragraph_format.first_line_indent = Cm(0)
    _control(document, "{%p endfor %}")
    _control(document, "{%p endfor %}")


def _annex(document) -> None:
    """The scores the decision rests on, as a table after the signature."""
    _control(document, "{%p if scores %}")
    _para(document, "Phụ lục", "Report Annex")
    _para(document, "{{ annex_title }}", "Report Annex Title")
    _para(document, "{{ annex_note }}", "Report Annex Note")
    names = ("Hạng", "Đơn vị", "Điểm", "Hoàn thành", "Còn thiếu")
    table = _table(document, 4, (1.4, 5.0, 1.8, 2.4, 5.9), style="Table Grid")
    _head_row(table, names)
    _control_row(table.rows[1], "{%tr for r in scores %}")
    number, text = "Report Table Number", "Report Table"
    keys = ("rank", "unit", "score", "completed", "lacking")
    _cells(
        table.rows[2],
        tuple(f"{{{{ r.{key} }}}}" for key in keys),
        (number, text, number, number, text),
    )
    _control_row(table.rows[3], "{%tr endfor %}")
    _control(document, "{%p endif %}")


def build():
    document = Document()
    _styles(document, STATE)
    _page(document, STATE)
    _header(document, STATE)
    _title(document, STATE)
    _body(document)
    _signature(document, STATE)
    _annex(document)
    return finish(document)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    out.mkdir(parents=True, exist_ok=True)
    (out / FILE).write_bytes(reproducible(build()))
    print(out / FILE)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
