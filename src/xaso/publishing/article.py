"""A news article (tin bài) written from a meeting record, the way a reporter would write it.

From the data only: the lead (when, where, who hosted what), who chaired and who attended
(positions written out in full the first time a person is named), what was reported and the
host's figures for the reviewed period against plan, the shortcomings, the directives with
their assignees and due dates, the awards. Nothing is invented: what the record lacks is left
out, and the officer edits the draft before it is published.

Only figures that may be published go in (`publishing.public.is_public`): an estimate
("ước đạt") once approved, a final figure; a draft never.
"""

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from xaso.figures.models import Result
from xaso.figures.selectors import unit_overview
from xaso.meetings.models import AttendanceRole, Meeting, MeetingKind
from xaso.meetings.templatetags.meeting_text import mid_sentence
from xaso.org.models import UnitKind
from xaso.periods import parse_period
from xaso.publishing.contents import line_sentence
from xaso.publishing.public import public_q
from xaso.vn.abbreviations import expand_abbreviations, normalise_title
from xaso.vn.numbers import format_number
from xaso.vn.text import fold, nfc

TITLE_LENGTH = 300  # Article.title

# How the speech that gave the directives is named, by the speaker's role.
SPEECHES = {
    AttendanceRole.CHAIR: "Phát biểu kết luận",
    AttendanceRole.CONCLUDING: "Phát biểu kết luận",
    AttendanceRole.DIRECTING: "Phát biểu chỉ đạo",
}
# What the event is called inside a sentence ("chủ trì hội nghị").
EVENT_WORDS = {
    MeetingKind.WORKING_SESSION: "buổi làm việc",
    MeetingKind.CITIZEN_DIALOGUE: "buổi đối thoại",
    MeetingKind.CAMPAIGN_LAUNCH: "lễ phát động",
}
# Titles that already name an event ("Hội nghị sơ kết …", "Giao ban …"): the host
# "tổ chức" them. Those opening with a proper name of an event keep their capital.
_EVENT_OPENINGS = (
    *("hoi nghi", "le ", "dai hoi", "ky hop", "hoi thao", "phien", "buoi", "giao ban"),
    *("phat dong", "doi thoai", "so ket", "tong ket"),
)
_CAPITALISED_OPENINGS = ("hoi nghi", "le ", "dai hoi", "ky hop", "hoi thao")

# Administrative units are written lower-case inside a sentence ("xã Hà Linh"); the names of
# organisations keep their capital ("Đoàn Thanh niên xã Trang Giang").
_ADMINISTRATIVE = frozenset(
    {
        *(UnitKind.PROVINCE, UnitKind.CITY, UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.WARD),
        *(UnitKind.TOWNSHIP, UnitKind.SPECIAL_ZONE, UnitKind.VILLAGE),
        *(UnitKind.RESIDENTIAL_GROUP, UnitKind.HOUSEHOLD_GROUP),
    }
)

_md = MarkdownIt("commonmark", {"html": False})


def markdown_html(text: str) -> str:
    """Markdown as HTML, raw HTML shown as text (an officer's text cannot inject a script);
    links to javascript: and the like are refused by markdown-it's link check."""
    return _md.render(text or "")


_INLINE = re.compile(r"([\\`*_\[\]])")
_LINE_START = re.compile(r"^(\s*)([#>])", re.MULTILINE)


def escape(text: str) -> str:
    """Plain text (a name, a title, a sentence typed into the record) as Markdown that shows
    it as typed: emphasis, code, link brackets and a leading heading or quote mark escaped."""
    return _LINE_START.sub(r"\1\\\2", _INLINE.sub(r"\\\1", text))


def unit_in_text(unit) -> str:
    """A unit's name inside a sentence: "xã Hà Linh", "Đoàn Thanh niên xã Trang Giang"."""
    name = unit.full_name
    return mid_sentence(name) if unit.kind in _ADMINISTRATIVE else name


def _one_line(text: str) -> str:
    return " ".join(nfc(text or "").split())


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


def _without_stop(text: str) -> str:
    return text.strip().rstrip(".;")


def in_text_date(day) -> str:
    """A date inside a sentence, as official texts write it: a zero before a day under 10 and
    before months 1 and 2 only ("08/7/2020", "15/02/2023", "30/11/2022")."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


@dataclass(frozen=True)
class Block:
    """A paragraph, or a list introduced by a paragraph (`text` may be empty)."""

    text: str = ""
    items: tuple[str, ...] = ()
    numbered: bool = False

    def to_markdown(self) -> str:
        parts = [self.text] if self.text else []
        if self.items:
            marks = [f"{n}." if self.numbered else "-" for n in range(1, len(self.items) + 1)]
            parts.append(
                "\n".join(f"{m} {item}" for m, item in zip(marks, self.items, strict=True))
            )
        return "\n\n".join(parts)


@dataclass(frozen=True)
class WrittenArticle:
    title: str
    blocks: list[Block] = field(default_factory=list)
    author: str = ""
    source: str = ""

    def body_markdown(self) -> str:
        """The body as stored in Article.body: the blocks, without title or byline."""
        return "\n\n".join(block.to_markdown() for block in self.blocks) + "\n"

    def byline(self) -> str:
        parts = []
        if self.author:
            parts.append(f"Tác giả: {self.author}")
        if self.source:
            parts.append(f"Nguồn: {self.source}")
        return " - ".join(parts)

    def to_markdown(self) -> str:
        text = f"# {escape(self.title)}\n\n{self.body_markdown()}"
        byline = self.byline()
        return text + (f"\n*{escape(byline)}*\n" if byline else "")

    def to_html(self) -> str:
        return markdown_html(self.to_markdown())


# ---- people ---------------------------------------------------------------------------


class _People:
    """Names people as a reporter does: "đồng chí X, <full position>" the first time, the name
    alone afterwards."""

    def __init__(self) -> None:
        self.named: set[int] = set()

    def one(self, attendance, *, comrade: bool = True) -> str:
        if attendance.person is None:
            count = f" ({attendance.group_count} người)" if attendance.group_count else ""
            return escape(mid_sentence(expand_abbreviations(attendance.group))) + count
        person = attendance.person
        name = escape(person.full_name)
        prefix = "đồng chí " if comrade else ""
        if person.pk in self.named or attendance.position is None:
            self.named.add(person.pk)
            return prefix + name
        self.named.add(person.pk)
        position = attendance.position
        title = position.title_normalised or normalise_title(position.title)
        return f"{prefix}{name}, {escape(title)}"

    def many(self, attendances) -> str:
        people = [a for a in attendances if a.person is not None]
        groups = [a for a in attendances if a.person is None]
        parts = []
        if people:
            prefix = "các đồng chí " if len(people) > 1 else "đồng chí "
            named = [self.one(a, comrade=False) for a in people]
            # Names with their positions are parted by semicolons, bare names by commas.
            parts.append(prefix + ("; " if any("," in n for n in named) else ", ").join(named))
        parts += [self.one(a) for a in groups]
        return "; ".join(parts)


# ---- the parts --------------------------------------------------------------------------


def noun_for(meeting: Meeting) -> str:
    return EVENT_WORDS.get(meeting.kind, "hội nghị")


def _event(meeting: Meeting) -> tuple[str, bool]:
    """What the host held, as it reads after "tổ chức", and whether the title is a clause
    of its own ("Thường trực Huyện ủy làm việc với …") that needs no host before it."""
    title = _one_line(meeting.title)
    folded = fold(title)
    if folded.startswith(_CAPITALISED_OPENINGS):
        return title, False
    if folded.startswith(_EVENT_OPENINGS):
        return mid_sentence(title), False
    if meeting.kind == MeetingKind.WORKING_SESSION:
        return title, True
    if meeting.kind == MeetingKind.OTHER:
        return mid_sentence(title), False
    return f"{meeting.get_kind_display()} {mid_sentence(title)}", False


def _title(meeting: Meeting) -> str:
    event, clause = _event(meeting)
    title = event if clause else f"{meeting.host.full_name} tổ chức {event}"
    if len(title) <= TITLE_LENGTH:
        return title
    return title[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _lead(meeting: Meeting) -> str:
    when = f"ngày {in_text_date(meeting.date)}"
    if meeting.time_of_day:
        when = f"{meeting.get_time_of_day_display()} {when}"
    where = f", tại {escape(_one_line(meeting.place))}" if meeting.place else ""
    event, clause = _event(meeting)
    if clause:
        text = f"{when}{where}, {escape(event)}"
    else:
        text = f"{when}{where}, {escape(unit_in_text(meeting.host))} tổ chức {escape(event)}"
    # The period reviewed, unless the title says it or the meeting opens it (a campaign).
    if meeting.period and meeting.kind != MeetingKind.CAMPAIGN_LAUNCH:
        label = parse_period(meeting.period).label
        if fold(label) not in fold(event):
            text += f", đánh giá kết quả {label}"
    return _sentence(text)


def _participants(meeting: Meeting, attendances, people: _People) -> str:
    noun = noun_for(meeting)
    by_role: dict[str, list] = {}
    for attendance in attendances:
        by_role.setdefault(attendance.role, []).append(attendance)
    sentences = []
    if by_role.get(AttendanceRole.CHAIR):
        sentences.append(f"{people.many(by_role[AttendanceRole.CHAIR])} chủ trì {noun}")
    if by_role.get(AttendanceRole.DIRECTING):
        sentences.append(
            f"Tham dự và chỉ đạo {noun} có {people.many(by_role[AttendanceRole.DIRECTING])}"
        )
    if by_role.get(AttendanceRole.ATTENDEE):
        sentences.append(f"Cùng dự có {people.many(by_role[AttendanceRole.ATTENDEE])}")
    return " ".join(_sentence(s) for s in sentences)


def _reports(meeting: Meeting, attendances, people: _People) -> list[Block]:
    """Who presented what, then the summary of what was reported (each line a paragraph)."""
    sentences = []
    documents = list(meeting.documents.all())
    presented = {d.presenter_id for d in documents if d.presenter_id}
    for document in documents:
        what = escape(mid_sentence(_one_line(document.title)))
        if document.presenter is not None:
            sentences.append(f"{people.one(document.presenter)} trình bày {what}")
        else:
            sentences.append(f"{noun_for(meeting)} nghe {what}")
    for attendance in attendances:
        if attendance.role == AttendanceRole.REPORTING and attendance.pk not in presented:
            sentences.append(f"{people.one(attendance)} trình bày báo cáo tại {noun_for(meeting)}")
    speakers = [
        a for a in attendances if a.role == AttendanceRole.SPEAKER and a.pk not in presented
    ]
    if speakers:
        sentences.append(f"{people.many(speakers)} phát biểu tham luận")
    blocks = [Block(" ".join(_sentence(s) for s in sentences))] if sentences else []
    for line in nfc(meeting.summary or "").splitlines():
        if line.strip():
            blocks.append(Block(_sentence(escape(line.strip()))))
    return blocks


def figure_sentence(line, period) -> str:
    """ "Thu ngân sách trên địa bàn ước đạt 3.750 triệu đồng, đạt 24,2% kế hoạch huyện
    giao; đạt 22,8% kế hoạch HĐND giao" — the report's sentence (`contents.line_sentence`)
    without the period, which the article's paragraph names once, and without the ratio."""
    return line_sentence(line, "", ratio=False).removesuffix(".")


def _figures(meeting: Meeting) -> Block | None:
    """The host's own figures for the reviewed period that may be published, against plan."""
    if not meeting.period:
        return None
    period = parse_period(meeting.period)
    host = meeting.host
    public = set(
        Result.objects.filter(period=period.code, unit_depth=host.depth, unit_path=host.path)
        .filter(public_q())
        .values_list("indicator_id", flat=True)
    )
    if not public:
        return None
    overview = unit_overview(host, period, inline_children=0)
    lines = [
        line
        for line in overview.lines
        if line.figure is not None and line.figure.own and line.indicator.pk in public
    ]
    if not lines:
        return None
    sentences = [escape(figure_sentence(line, period)) for line in lines]
    sentences[0] = f"Trong {period.label}, {mid_sentence(sentences[0])}"
    return Block(" ".join(_sentence(s) for s in sentences))


def _limitations(meeting: Meeting) -> Block | None:
    items = [escape(_sentence(_one_line(x.text))) for x in meeting.limitations.all()]
    if not items:
        return None
    return Block(
        f"Bên cạnh kết quả đạt được, {noun_for(meeting)} chỉ ra những tồn tại, hạn chế:",
        tuple(items),
    )


def _directive_item(directive) -> str:
    text = escape(_without_stop(_one_line(directive.text)))
    notes = []
    units = [unit_in_text(unit) for unit in directive.assigned_to.all()]
    if units:
        notes.append("giao " + ", ".join(escape(name) for name in units))
    if directive.due_date:
        notes.append(f"hạn {directive.due_date:%d/%m/%Y}")
    return f"{text} ({'; '.join(notes)})." if notes else f"{text}."


def _directives(meeting: Meeting, people: _People) -> list[Block]:
    blocks = []
    noun = noun_for(meeting)
    if meeting.conclusions:
        for line in nfc(meeting.conclusions).splitlines():
            if line.strip():
                blocks.append(Block(_sentence(escape(line.strip()))))
    directives = list(meeting.directives.all())
    if not directives:
        return blocks
    issuers = {d.issued_by_id for d in directives}
    issuer = directives[0].issued_by if len(issuers) == 1 else None
    if issuer is not None:
        speech = SPEECHES.get(issuer.role, "Phát biểu tại")
        intro = f"{speech} {noun}, {people.one(issuer)} đề nghị thực hiện các nhiệm vụ:"
    else:
        intro = f"{noun.capitalize()} đề ra các nhiệm vụ:"
    items = tuple(_directive_item(d) for d in directives)
    blocks.append(Block(intro, items, numbered=True))
    return blocks


def _award_item(award) -> str:
    what = _one_line(award.detail) or award.get_kind_display()
    text = escape(what)
    if award.recipients:
        text += f": {escape(_one_line(award.recipients))}"
    if award.count:
        text += f" (số lượng: {format_number(award.count)})"
    return text


def _awards(meeting: Meeting) -> Block | None:
    items = tuple(_award_item(award) for award in meeting.awards.all())
    if not items:
        return None
    return Block(f"Tại {noun_for(meeting)}, đã trao khen thưởng:", items)


def write_article(meeting: Meeting, *, author: str = "", source: str = "") -> WrittenArticle:
    """The article for a meeting. Pass the meeting as `meetings.selectors.meeting_detail` reads
    it (its people, directives and awards prefetched) to keep the queries few."""
    attendances = list(meeting.attendances.all())
    people = _People()
    blocks = [Block(_lead(meeting))]
    participants = _participants(meeting, attendances, people)
    if participants:
        blocks.append(Block(participants))
    blocks += _reports(meeting, attendances, people)
    for block in (_figures(meeting), _limitations(meeting)):
        if block is not None:
            blocks.append(block)
    blocks += _directives(meeting, people)
    awards = _awards(meeting)
    if awards is not None:
        blocks.append(awards)
    return WrittenArticle(
        title=_title(meeting), blocks=blocks, author=_one_line(author), source=_one_line(source)
    )
