"""The report as a Word document, laid out by an editable template.

docxtpl fills a .docx template with the report's contents. Two templates ship with xaso
(`templates/publishing/bao-cao-ubnd.docx`, NĐ 30/2020/NĐ-CP, and `bao-cao-dang-uy.docx`,
HD 36-HD/VPTW), built by tools/make_report_templates.py; an office may upload its own .docx
that uses the same placeholders (docs/publishing.md, "Word templates"). The context the
template sees is built here (`context`): plain Vietnamese strings, already formatted, so a
template needs no logic beyond docxtpl's loops.

What the data cannot say is a marked gap ("[Cần bổ sung: …]", `wording.missing`); wherever a
template puts it, it comes out highlighted in yellow.
"""

import copy
import io
import re
from functools import cache, lru_cache
from pathlib import Path

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, TemplateError
from lxml import etree

from xaso import charts
from xaso.publishing.contents import ReportContents, Row
from xaso.publishing.heading import PARTY
from xaso.publishing.wording import missing
from xaso.vn.numbers import format_number, format_percent

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "publishing"
TEMPLATES = {"state": "bao-cao-ubnd.docx", PARTY: "bao-cao-dang-uy.docx"}
CHART_WIDTH_MM = 160  # the text is 165 mm wide

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_GAP = re.compile(r"\[Cần bổ sung:[^\]]*\]")
_GAP_TEXTS = etree.XPath(".//w:t[contains(., '[Cần bổ sung:')]", namespaces={"w": _W})
_ROW_PARAGRAPHS = etree.XPath("./w:tc/w:p", namespaces={"w": _W})
SHORT_TABLE = 8  # rows: kept on one page; a longer one keeps 3 rows together at each end
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
# Where <w:highlight> goes among a run's properties (the schema's order).
# fmt: off
_RPR = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
    "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
    "specVanish", "oMath"
)
# fmt: on


class TemplateProblem(ValueError):
    """An office's template that cannot be filled; the message says why, in Vietnamese."""


def render(contents: ReportContents, template: bytes | None = None) -> bytes:
    """The report as .docx bytes, from `template` (an office's own) or the shipped one."""
    source = template if template is not None else shipped_template(contents.heading.issuer)
    return fill(source, lambda document: context(contents, document))


def fill(source: bytes, make_context) -> bytes:
    """A .docx template filled with the context `make_context(document)` gives: gaps
    highlighted, short tables kept on a page. Any generated document (a report, a campaign's
    decision) goes through here."""
    try:
        document = _Template(io.BytesIO(source))
        document.init_docx()
    except Exception as error:  # python-docx says "not a zip file", "no main part", …
        raise TemplateProblem(
            f"Tệp mẫu không phải là tệp Word (.docx) đọc được: {error}"
        ) from error
    try:
        document.render(make_context(document), jinja_env=_environment(), autoescape=True)
    except TemplateError as error:
        # docxtpl keeps the template's text around the error, tags stripped.
        near = " ".join(" ".join(getattr(error, "docx_context", ())).split())[:200]
        where = f" (ở đoạn: «{near}»)" if near else ""
        raise TemplateProblem(f"Mẫu Word có chỗ giữ chỗ viết sai: {error}{where}") from error
    body = document.docx.element.body
    _highlight_gaps(body)
    _keep_tables_together(body)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@cache
def shipped_template(issuer: str) -> bytes:
    return (TEMPLATE_DIR / TEMPLATES[PARTY if issuer == PARTY else "state"]).read_bytes()


@cache
def _environment() -> Environment:
    return _Environment(autoescape=True)


# -- docxtpl, made proportional to what a report needs -------------------------------------

_CONTROL = re.compile(r"[\t\n\a\f]")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)


class _Environment(Environment):
    """Jinja, keeping the last templates compiled: the same Word template gives the same
    source every time, and compiling a report's body costs as much as filling it."""

    @lru_cache(maxsize=32)  # noqa: B019 -- one environment for the process (_environment)
    def _compiled(self, source: str):
        return super().from_string(source)

    def from_string(self, source, globals=None, template_class=None):
        if globals is None and template_class is None:
            return self._compiled(source)
        return super().from_string(source, globals, template_class)


class _Template(DocxTemplate):
    """docxtpl, with two passes over the whole filled document skipped where they have
    nothing to do (together a third of the time of a commune's report)."""

    def resolve_listing(self, xml: str) -> str:
        """docxtpl turns \n, \t, \a and \f in texts into breaks, tabs, paragraphs and
        pages by three regular expressions over every paragraph: here, only over the
        paragraphs that hold one."""
        if not _CONTROL.search(xml):
            return xml
        resolve = super().resolve_listing
        return _PARAGRAPH.sub(
            lambda m: resolve(m.group(0)) if _CONTROL.search(m.group(0)) else m.group(0), xml
        )

    def fix_tables(self, xml: str):
        """docxtpl mends tables whose rows gained or lost cells ({%tc %} loops, colspan),
        by a walk over every cell; the shipped templates have none."""
        if self._changes_cells:
            return super().fix_tables(xml)
        return etree.fromstring(xml, parser=etree.XMLParser(recover=True))

    @property
    def _changes_cells(self) -> bool:
        source = self.get_xml()
        return "{%tc" in source or "colspan" in source or "{% tc" in source


def context(contents: ReportContents, document: DocxTemplate | None = None) -> dict:
    """What a template sees; docs/publishing.md lists it. The chart is drawn only for a
    `document` (an image belongs to one)."""
    head, period = contents.heading, contents.period
    following = contents.following
    number = head.number.removeprefix("Số:").removeprefix("Số")  # "        /BC-UBND"
    issuer_body = "Đảng ủy" if head.is_party else "Ủy ban nhân dân"
    unit_name = contents.unit.full_name
    annex_note = (
        f"(Kèm theo Báo cáo số{number} {head.place_date.split(', ', 1)[-1]}"
        f" của {issuer_body} {unit_name[0].lower()}{unit_name[1:]})"
    )
    breakdowns = _breakdowns(contents)
    sources = _sources(contents.rows)
    tasks = contents.directives + contents.next_targets or [missing("nhiệm vụ trọng tâm kỳ tới")]
    if head.end_mark:  # NĐ 30: "./." closes the body ("… năm 2022./.")
        last = tasks[-1]
        tasks[-1] = last + (head.end_mark[1:] if last.endswith(".") else head.end_mark)
    return {
        "issuer": head.issuer,
        "is_party": head.is_party,
        "parent_line": head.parent_line,
        "body_lines": list(head.body_lines),
        "body": "\n".join(head.body_lines),
        "separator": head.separator,
        "motto": list(head.motto),
        "motto_1": head.motto[0],
        "motto_2": head.motto[1] if len(head.motto) > 1 else "",
        "number": head.number,
        "place_date": head.place_date,
        "title": contents.title,
        "subject": contents.subject,
        "unit_name": unit_name,
        "period": period.label,
        "kind_label": contents.kind_label,
        "results_heading": f"KẾT QUẢ THỰC HIỆN NHIỆM VỤ {period.label.upper()}",
        "results": [row.sentence for row in contents.rows]
        or [missing("kết quả thực hiện các chỉ tiêu")],
        "criteria": list(contents.criteria),
        "table_caption": f"Kết quả thực hiện các chỉ tiêu chủ yếu {period.label}",
        "table": _table(contents.rows),
        "chart": _chart(contents, document) if document is not None else None,
        "limitations_heading": "TỒN TẠI, HẠN CHẾ",
        "limitations": list(contents.limitations)
        or [missing("tồn tại, hạn chế trong kỳ (chưa có hội nghị nào của kỳ ghi nhận)")],
        "tasks_heading": "NHIỆM VỤ TRỌNG TÂM "
        + (following.label.upper() if following else "THỜI GIAN TỚI"),
        "tasks": tasks,
        "recipients": list(head.recipients),
        "authority": head.authority,
        "signer_title": head.signer_title,
        "signer_name": head.signer_name or missing("họ và tên người ký"),
        "annex_note": annex_note,
        "breakdown_annex": "Phụ lục I" if sources else "Phụ lục",
        "breakdowns": breakdowns,
        "sources_annex": "Phụ lục II" if breakdowns else "Phụ lục",
        "sources": sources,
    }


# -- the parts ------------------------------------------------------------------------------


def _figure(value, estimated: bool) -> str:
    if value is None:
        return ""
    text = format_number(value)
    return f"{text}\n(ước)" if estimated else text


def _percent(value) -> str:
    return "" if value is None else format_percent(value)


def _table(rows: list[Row]) -> list[dict]:
    """The indicators' rows; a row naming each group first when the indicators have groups."""
    out, group, groups = [], None, 0
    grouped = any(row.group for row in rows)
    for row in rows:
        if grouped and row.group != group:
            group, groups = row.group, groups + 1
            numeral = _ROMAN[groups - 1] if groups <= len(_ROMAN) else str(groups)
            out.append({"group": row.group or "Chỉ tiêu khác", "number": numeral})
        plan = row.plan
        plan_text = ""
        if plan is not None:
            words = plan.words.replace("kế hoạch", "KH", 1)
            plan_text = f"{format_number(plan.value)}\n({words})"
        out.append(
            {
                "group": "",
                "number": str(row.number),
                "name": row.name,
                "unit": row.unit_name,
                "plan": plan_text,
                "value": _figure(row.value, row.estimated),
                "percent": _percent(row.percent),
                "last_year": _figure(row.last_year, False),
            }
        )
    return out


def _breakdowns(contents: ReportContents) -> list[dict]:
    return [
        {
            "number": number,
            "name": breakdown.name,
            "unit": breakdown.unit_name,
            "rows": [
                {
                    "number": str(index),
                    "name": child.name,
                    "plan": _figure(child.plan, False),
                    "value": _figure(child.value, child.estimated),
                    "percent": _percent(child.percent),
                }
                for index, child in enumerate(breakdown.rows, start=1)
            ],
        }
        for number, breakdown in enumerate(contents.breakdowns, start=1)
    ]


def _sources(rows: list[Row]) -> list[dict]:
    """Where each figure came from: one line per indicator (the entries summed up, who
    entered them, when, how). Every entry is listed in the XLSX, not here: a six-month
    report of a commune stands on thousands of them."""
    return [
        {"number": str(row.number), "name": f"{row.name} ({row.unit_name})", "source": row.source}
        for row in rows
        if row.source
    ]


def _chart(contents: ReportContents, document: DocxTemplate) -> InlineImage | None:
    """Each planned indicator's percent of its plan, as one picture."""
    bars = [
        charts.Bar(row.name, row.percent, note="ước đạt" if row.estimated else "")
        for row in contents.rows
        if row.plan is not None
    ]
    if not bars:
        return None
    png = charts.to_png(
        charts.BarChart(title=contents.chart_title, bars=bars), width_cm=CHART_WIDTH_MM / 10
    )
    return InlineImage(document, io.BytesIO(png), width=Mm(CHART_WIDTH_MM))


# -- tables across pages -------------------------------------------------------------------


def _keep_tables_together(body) -> None:
    """A short table on one page, a long one never leaving a row or two alone at a page's
    foot or head: "keep with next" on the paragraphs of the rows that must stay with the
    row after them (how Word keeps rows together). Done here, not in the template, because
    it depends on the number of rows."""
    for table in body.iterchildren(f"{{{_W}}}tbl"):
        rows = table.findall(f"{{{_W}}}tr")
        count = len(rows)
        keep = range(count - 1)
        if count > SHORT_TABLE:
            keep = [*range(2), *range(count - 3, count - 1)]
        for index in keep:
            for paragraph in _ROW_PARAGRAPHS(rows[index]):
                _keep_with_next(paragraph)


def _keep_with_next(paragraph) -> None:
    props = paragraph.find(f"{{{_W}}}pPr")
    if props is None:
        props = paragraph.makeelement(f"{{{_W}}}pPr", {})
        paragraph.insert(0, props)
    if props.find(f"{{{_W}}}keepNext") is not None:
        return
    mark = props.makeelement(f"{{{_W}}}keepNext", {})
    style = props.find(f"{{{_W}}}pStyle")
    if style is not None:
        style.addnext(mark)
    else:
        props.insert(0, mark)


# -- marking the gaps -----------------------------------------------------------------------


def _highlight_gaps(body) -> None:
    """Every "[Cần bổ sung: …]" in a run of its own, highlighted yellow."""
    texts = _GAP_TEXTS(body)
    runs = {id(t.getparent()): t.getparent() for t in texts if t.getparent().tag == f"{{{_W}}}r"}
    for run in runs.values():
        _split_run(run)


def _split_run(run) -> None:
    props = run.find(f"{{{_W}}}rPr")
    pieces = []  # (element, highlighted)
    for child in run:
        if child is props:
            continue
        if child.tag != f"{{{_W}}}t":
            pieces.append((child, False))
            continue
        text, at = child.text or "", 0
        for gap in _GAP.finditer(text):
            pieces += [(_text(text[at : gap.start()]), False), (_text(gap.group()), True)]
            at = gap.end()
        pieces.append((_text(text[at:]), False))
    for element, highlighted in pieces:
        if element.tag == f"{{{_W}}}t" and not element.text:
            continue
        new = run.makeelement(f"{{{_W}}}r", {})
        new_props = copy.deepcopy(props) if props is not None else None
        if highlighted:
            if new_props is None:
                new_props = run.makeelement(f"{{{_W}}}rPr", {})
            _add_highlight(new_props)
        if new_props is not None:
            new.append(new_props)
        new.append(element)
        run.addprevious(new)
    run.getparent().remove(run)


def _text(value: str):
    element = etree.Element(f"{{{_W}}}t")
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    element.text = value
    return element


def _add_highlight(props) -> None:
    for old in props.findall(f"{{{_W}}}highlight"):
        props.remove(old)
    mark = props.makeelement(f"{{{_W}}}highlight", {f"{{{_W}}}val": "yellow"})
    rank = _RPR.index("highlight")
    for sibling in props:
        name = sibling.tag.rsplit("}", 1)[-1]
        if name in _RPR and _RPR.index(name) > rank:
            sibling.addprevious(mark)
            return
    props.append(mark)
