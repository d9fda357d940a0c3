"""Charts described apart from how they are drawn, drawn by matplotlib as SVG or PNG.

A page shows a chart as inline SVG (`to_svg`): text stays text (small, searchable, read by
a screen reader), the figure shrinks to a phone's width and carries no script. A DOCX
report embeds a PNG (`to_png`) in Liberation Serif, Times New Roman's metric twin.

The two lay a bar chart out differently: on a page each label has its own line above its
bar (a phone is narrow: the label keeps the whole width), in a document the label stands
left of its bar (an A4 page is short). Values are written the Vietnamese way ("24,2%",
"3.750,5").

Pure: nothing from Django. matplotlib is imported at the first drawing (it costs most of a
second) and never through pyplot, which keeps figures in global state: each drawing has a
`Figure` of its own. matplotlib's settings are process-wide, so a drawing holds a lock and
sets what it needs for its own duration only.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from xaso.vn.numbers import format_number, format_percent

__all__ = ["MAX_BARS", "Bar", "BarChart", "LineChart", "Point", "to_png", "to_svg", "warm_up"]

MAX_BARS = 40  # more and the chart says how many it left out
NO_DATA = "chưa có số liệu"
TARGET_LABEL = "Kế hoạch"

# One sober palette: reached the plan, not (yet) reached; the reference line; muted text.
REACHED = "#1f7a4a"
BELOW = "#d08a1e"
REFERENCE = "#5f6b7a"
INK = "#1d2733"
MUTED = "#5f6b7a"
LINE = "#0f4c81"
GRID = "#dde3ea"
_DASHED = {"color": REFERENCE, "linewidth": 0.9, "linestyle": (0, (4, 3))}

# A page's SVG is shown in the page's fonts; it is measured in DejaVu Sans, wider than
# these, so the browser's text fits where matplotlib placed it.
WEB_FONTS = 'system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif'
# Letters a face must have to be used (the 1.x Liberation files, installed beside the 2.x
# ones, have no Vietnamese).
_VIETNAMESE = "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđĐ…·–"


@dataclass(frozen=True)
class Bar:
    """One bar. Without a value no bar is drawn and its note (else "chưa có số liệu") is
    written instead; with one, the note follows the value ("24,2% · ước đạt")."""

    label: str
    value: Decimal | None
    note: str = ""
    # Whether the bar met its plan, when the caller knows better than value ≥ reference
    # (a lower-is-better indicator meets its plan under 100%).
    reached: bool | None = None


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars in the order given, with a dashed line at `reference` (100% of plan)."""

    title: str
    bars: list[Bar]
    unit: str = "%"
    reference: Decimal | None = Decimal(100)
    item: str = "chỉ tiêu"  # what a bar stands for: "và 12 chỉ tiêu khác"


@dataclass(frozen=True)
class Point:
    label: str  # a period: "T1/2022", "2020"
    value: Decimal | None  # None: a gap in the line


@dataclass(frozen=True)
class LineChart:
    """A figure over time, with a dashed line at its target ("Kế hoạch") when given."""

    title: str
    points: list[Point]
    unit: str
    target: Decimal | None = None


@dataclass(frozen=True)
class _Style:
    families: tuple[str, ...]  # the first installed one with Vietnamese is drawn with
    size: float  # text, in points
    title_size: float
    width: float  # the figure's width, in points
    labels_beside: bool  # a bar's label left of it (documents), else above it when long
    label_lines: int  # a label longer than this ends in "…"
    bar: float  # a bar's thickness
    gap: float  # between rows


_WEB = _Style(("DejaVu Sans",), 14, 15, 400, False, 2, 12, 10)
# Shown up to 460 pixels wide: its text then as large as the page's (16 px); narrower on a
# phone, where it shrinks with the screen (to 11 px on a 360-pixel one).
WEB_WIDTH = 460


def _document(width_px: int, dpi: int) -> _Style:
    width = width_px / dpi * 72  # matplotlib makes it whole pixels: `width_px` exactly
    return _Style(
        ("Liberation Serif", "Times New Roman", "DejaVu Serif"), 9, 10, width, True, 3, 8, 5
    )


_LOCK = threading.Lock()


# Drawings already made, newest last: a page's charts change only when its figures do, and
# matplotlib takes 20–100 ms a chart, most of a page's time. Keyed by the chart's repr
# (every field, values included) and how it is drawn; bounded (a chart is 10–100 KB).
_DRAWN: OrderedDict[tuple, bytes] = OrderedDict()
DRAWN_KEPT = 256


def _drawing(chart, style: _Style, fmt: str, dpi: int) -> bytes:
    """`_render`'s output, from the drawings kept when the same chart was drawn before.
    Called under `_LOCK`."""
    key = (repr(chart), style, fmt, dpi)
    drawn = _DRAWN.get(key)
    if drawn is None:
        drawn = _DRAWN[key] = _render(chart, style, fmt, dpi)
        while len(_DRAWN) > DRAWN_KEPT:
            _DRAWN.popitem(last=False)
    else:
        _DRAWN.move_to_end(key)
    return drawn


def to_svg(chart: BarChart | LineChart) -> str:
    """The chart as an `<svg>` element to put in HTML as it is."""
    with _LOCK:
        svg = _drawing(chart, _WEB, "svg", 72)
    return _inline(svg.decode(), chart.title, WEB_WIDTH)


def to_png(chart: BarChart | LineChart, *, width_cm: float = 16, dpi: int = 150) -> bytes:
    """The chart as a PNG `width_cm` wide at `dpi` (16 cm at 150 dpi: 945 pixels)."""
    style = _document(round(width_cm / 2.54 * dpi), dpi)
    with _LOCK:
        return _drawing(chart, style, "png", dpi)


def warm_up() -> None:
    """Import matplotlib and find the fonts now rather than at the first chart, which then
    costs half a second more (a server worker may call this as it starts)."""
    with _LOCK:
        _faces(_WEB.families)
        _faces(_document(945, 150).families)


# -- drawing ------------------------------------------------------------------------------


@cache
def _matplotlib():
    """matplotlib's pieces, imported once."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
    from matplotlib.figure import Figure

    return matplotlib, Figure, FigureCanvasAgg, RendererAgg


@dataclass(frozen=True, eq=False)  # hashed by identity: a cache key
class _Faces:
    regular: object  # FontProperties
    bold: object
    italic: object
    renderer: object  # measures text

    def width(self, text: str, size: float, face: str = "regular") -> float:
        return _width(self, text, size, face)


@lru_cache(maxsize=8192)  # bounded: a server meets ever new labels
def _width(faces: _Faces, text: str, size: float, face: str) -> float:
    prop = getattr(faces, face).copy()
    prop.set_size(size)
    return faces.renderer.get_text_width_height_descent(text, prop, ismath=False)[0]


@cache
def _faces(families: tuple[str, ...]) -> _Faces:
    """The font files to draw with: of the first family installed with Vietnamese letters,
    its regular, bold and italic faces; DejaVu Sans (matplotlib's own) when none is. One
    family, not a fallback list: a list costs a third of a drawing (each string is laid out
    through the fallbacks) and matplotlib warns at every glyph of a family missing."""
    from matplotlib.font_manager import FontProperties, fontManager, get_font

    def covers(path: str) -> bool:
        font = get_font(path)
        return all(font.get_char_index(ord(c)) for c in _VIETNAMESE)

    def face(family: str, style: str, weight: int) -> str | None:
        found = (
            entry.fname
            for entry in fontManager.ttflist
            if (entry.name, entry.style, entry.weight) == (family, style, weight)
        )
        return next((path for path in found if covers(path)), None)

    for family in (*families, "DejaVu Sans"):
        regular = face(family, "normal", 400)
        if regular is None:
            continue
        bold = face(family, "normal", 700) or regular
        italic = face(family, "italic", 400) or face(family, "oblique", 400) or regular
        return _Faces(
            regular=FontProperties(family=family, fname=regular),
            bold=FontProperties(family=family, fname=bold, weight="bold"),
            italic=FontProperties(family=family, fname=italic, style="italic"),
            renderer=_matplotlib()[3](1, 1, 72),
        )
    raise LookupError("no font with Vietnamese letters")  # DejaVu Sans ships with matplotlib


def _render(chart, style: _Style, fmt: str, dpi: int) -> bytes:
    matplotlib, Figure, FigureCanvasAgg, _ = _matplotlib()
    faces = _faces(style.families)
    settings = {
        "svg.fonttype": "none",
        # The ids of a line's markers follow the chart: two charts on a page differ.
        "svg.hashsalt": hashlib.blake2b(repr(chart).encode(), digest_size=4).hexdigest(),
        "axes.unicode_minus": False,
        # Unhinted glyphs: a third faster to draw, and true to their shapes at 150 dpi.
        "text.hinting": "no_hinting",
    }
    with matplotlib.rc_context(settings):
        if isinstance(chart, BarChart):
            figure = _bar_figure(chart, style, faces, Figure)
        else:
            figure = _line_figure(chart, style, faces, Figure)
        FigureCanvasAgg(figure)
        out = io.BytesIO()
        if fmt == "svg":
            figure.patch.set_visible(False)  # the page's background shows through
            figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
        else:
            figure.savefig(
                out,
                format="png",
                dpi=dpi,
                metadata={"Software": None},
                pil_kwargs={"compress_level": 3},
            )
    return out.getvalue()


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _wrap(text: str, room: float, lines: int, width) -> list[str]:
    """The text in at most `lines` lines no wider than `room`; the last ends in "…" when
    the text goes on."""
    out: list[str] = []
    current = ""
    more = False
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if not current or width(candidate) <= room:
            current = candidate
        elif len(out) == lines - 1:
            more = True
            break
        else:
            out.append(current)
            current = word
    out.append(current)
    if more:
        last = out[-1]
        while " " in last and width(last + " …") > room:
            last = last.rsplit(" ", 1)[0]
        out[-1] = last.rstrip(",;:–-") + " …"
    for i, line in enumerate(out):  # a word wider than the room is cut
        while len(line) > 2 and width(line) > room:
            line = line[:-2] + "…"
        out[i] = line
    return out


def _value_text(value: Decimal, unit: str) -> str:
    if unit == "%":
        return format_percent(value)
    return f"{format_number(value)} {_nfc(unit)}".strip()


def _bar_text(bar: Bar, unit: str) -> str:
    if bar.value is None:
        return _nfc(bar.note) or NO_DATA
    text = _value_text(bar.value, unit)
    return f"{text} · {_nfc(bar.note)}" if bar.note else text


def _reached(bar: Bar, reference: Decimal | None) -> bool:
    if bar.reached is not None:
        return bar.reached
    return reference is not None and bar.value is not None and bar.value >= reference


class _Canvas:
    """Text and shapes placed in points from the figure's top left corner."""

    def __init__(self, Figure, faces: _Faces, width: float, height: float, size: float):
        self.figure = Figure(figsize=(width / 72, height / 72), dpi=72)
        self.ax = self.figure.add_axes((0, 0, 1, 1))
        self.ax.set_axis_off()
        self.ax.set_xlim(0, width)
        self.ax.set_ylim(height, 0)
        self.faces, self.size = faces, size

    def text(self, x, y, s, *, face="regular", size=None, **kw):
        kw = {"color": INK, **kw, "fontproperties": getattr(self.faces, face)}
        self.ax.text(x, y, s, fontsize=size or self.size, parse_math=False, clip_on=False, **kw)


def _title_lines(title: str, style: _Style, faces: _Faces, room: float) -> list[str]:
    return _wrap(_nfc(title), room, 3, lambda s: faces.width(s, style.title_size, "bold"))


def _bar_figure(chart: BarChart, style: _Style, faces: _Faces, Figure):
    def width(text: str) -> float:
        return faces.width(text, style.size)

    pad = 6.0
    line_h = style.size * 1.25
    title_h = style.title_size * 1.3
    title = _title_lines(chart.title, style, faces, style.width - 2 * pad)
    shown = chart.bars[:MAX_BARS]
    left_out = len(chart.bars) - len(shown)
    texts = [_bar_text(bar, chart.unit) for bar in shown]
    # Labels stand left of their bars in a document, and on a page too when all are short
    # ("Thôn 1"): a line of their own each would only make the chart twice as tall.
    widest = max((width(_nfc(bar.label)) for bar in shown), default=0.0)
    beside = style.labels_beside or widest <= style.width * 0.3
    if beside:
        label_room = min(style.width * 0.38, widest)
        bar_x = pad + label_room + 8
    else:
        label_room = style.width - 2 * pad
        bar_x = pad
    # Room for the longest value after a full bar: no value is pushed out of the figure.
    value_room = max([width(t) for t in texts] + [width("100,0%")]) + 5
    bar_end = style.width - pad - value_room
    labels = [_wrap(_nfc(bar.label), label_room, style.label_lines, width) for bar in shown]

    top = max((bar.value for bar in shown if bar.value is not None), default=Decimal(0))
    reference = chart.reference if chart.reference and chart.reference > 0 else None
    if reference is not None:
        # A plan overshot many times over would flatten every other bar: the scale stops
        # at twice the plan, and the value written says how far the bar goes.
        scale = min(max(top, reference), 2 * reference)
    else:
        scale = top if top > 0 else Decimal(1)

    def x_of(value: Decimal) -> float:
        share = max(Decimal(0), min(value, scale)) / scale
        return bar_x + float(share) * (bar_end - bar_x)

    y = pad + len(title) * title_h + 6 + (line_h if reference is not None else 0)
    bars_top = y
    rows = []  # (top of the row, of its label, of its bar, bottom of the row)
    for lines in labels:
        if beside:
            height = max(style.bar, len(lines) * line_h)
            label_y = y + (height - len(lines) * line_h) / 2
            rows.append((y, label_y, y + (height - style.bar) / 2, y + height))
        else:
            height = len(lines) * line_h + 1 + style.bar
            rows.append((y, y, y + len(lines) * line_h + 1, y + height))
        y += height + style.gap
    bars_bottom = y - style.gap
    total = y + (line_h if left_out else 0) + pad

    canvas = _Canvas(Figure, faces, style.width, total, style.size)
    for i, line in enumerate(title):
        canvas.text(pad, pad + i * title_h, line, face="bold", size=style.title_size, va="top")
    rects, starts = [], []
    for bar, lines, text, (_, label_y, bar_y, _) in zip(shown, labels, texts, rows, strict=True):
        for j, line in enumerate(lines):
            canvas.text(pad, label_y + (j + 0.5) * line_h, line, va="center")
        mid = bar_y + style.bar / 2
        if bar.value is None:
            canvas.text(bar_x, mid, text, face="italic", color=MUTED, va="center")
            starts.append(bar_x)
            continue
        end = x_of(bar.value)
        rects.append((mid, end, REACHED if _reached(bar, chart.reference) else BELOW))
        canvas.text(end + 4, mid, text, va="center")
        starts.append(end + 4)
    if reference is not None:
        x = x_of(reference)
        mark = format_number(reference) + ("%" if chart.unit == "%" else "")
        small = style.size * 0.85
        canvas.text(x, bars_top - 5, mark, size=small, color=MUTED, ha="center", va="bottom")
        # The dashed line runs through the bars, not through a label or a value's text.
        segments: list[list[float]] = []
        for (top, _, bar_y, bottom), start, text in zip(rows, starts, texts, strict=True):
            if start - 2 <= x <= start + width(text) + 2:
                continue
            if beside:
                y0, y1 = top - style.gap / 2, bottom + style.gap / 2
            else:
                y0, y1 = bar_y - 2, bar_y + style.bar + 2
            if segments and beside and segments[-1][1] >= y0 - 0.01:
                segments[-1][1] = y1
            else:
                segments.append([y0, y1])
        if segments:  # one path, broken where a NaN stands
            ys = [y for y0, y1 in segments for y in (y0, y1, float("nan"))][:-1]
            canvas.ax.plot([x] * len(ys), ys, clip_on=False, zorder=3, **_DASHED)
    if rects:
        mids, ends, colours = zip(*rects, strict=True)
        lengths = [end - bar_x for end in ends]
        canvas.ax.barh(mids, lengths, style.bar, bar_x, color=colours, linewidth=0, clip_on=False)
    if left_out:
        more = f"và {left_out} {_nfc(chart.item)} khác"
        canvas.text(pad, bars_bottom + line_h * 0.9, more, face="italic", color=MUTED, va="center")
    return canvas.figure


def _tick_text(value: float) -> str:
    return format_number(Decimal(repr(round(float(value), 6))))


def _nice_ticks(low: float, high: float) -> list[float]:
    """About five round ticks from `low` to `high`."""
    from matplotlib.ticker import MaxNLocator

    return [t for t in MaxNLocator(5).tick_values(low, high) if low <= t <= high]


def _line_figure(chart: LineChart, style: _Style, faces: _Faces, Figure):
    small = style.size * 0.85

    def width(text: str) -> float:
        return faces.width(text, small)

    pad = 6.0
    title_h = style.title_size * 1.3
    title = _title_lines(chart.title, style, faces, style.width - 2 * pad)
    values = [float(p.value) for p in chart.points if p.value is not None]
    if chart.target is not None:
        values.append(float(chart.target))
    low, high = min([*values, 0.0]), max([*values, 0.0])
    if high == low:
        high = low + 1
    span = high - low
    y_low, y_high = (low - span * 0.05 if low < 0 else 0.0), high + span * 0.15
    ticks = _nice_ticks(y_low, y_high)

    head = pad + len(title) * title_h + style.size * 1.6  # the title, then the unit
    plot_h = style.width * 0.42
    labels = [_nfc(p.label) for p in chart.points]
    widest = max([width(label) for label in labels] + [1.0])
    left = pad + max([width(_tick_text(t)) for t in ticks] + [1.0]) + 8
    right = pad + 6
    slot = (style.width - left - right) / max(len(labels), 1)
    rotate = widest + 6 > slot
    bottom = (widest * 0.71 + small * 1.2 if rotate else small * 2) + pad
    total = head + plot_h + bottom

    canvas = _Canvas(Figure, faces, style.width, total, style.size)
    for i, line in enumerate(title):
        canvas.text(pad, pad + i * title_h, line, face="bold", size=style.title_size, va="top")
    if chart.unit:
        canvas.text(pad, head - 4, f"Đơn vị: {_nfc(chart.unit)}", size=small, color=MUTED)

    plot_w = style.width - left - right
    ax = canvas.figure.add_axes(
        (left / style.width, bottom / total, plot_w / style.width, plot_h / total)
    )
    ax.patch.set_visible(False)
    ax.set_ylim(y_low, y_high)
    xs = list(range(len(chart.points)))
    ys = [float(p.value) if p.value is not None else float("nan") for p in chart.points]
    ax.plot(xs, ys, color=LINE, linewidth=1.6, marker="o", markersize=3.5, zorder=3)
    ax.set_xlim(-0.5, max(len(xs) - 0.5, 0.5))
    font = {"fontproperties": faces.regular, "fontsize": small, "parse_math": False}
    slanted = {"rotation": 45, "ha": "right", "rotation_mode": "anchor"} if rotate else {}
    ax.set_xticks(xs, labels, **font, **slanted)
    ax.set_yticks(ticks, [_tick_text(t) for t in ticks], **font)
    if len(xs) <= 12:  # each value written above its point while they have room
        for x, point in zip(xs, chart.points, strict=True):
            if point.value is not None:
                at, shown = (x, float(point.value)), format_number(point.value)
                above = {"xytext": (0, 5), "textcoords": "offset points", "ha": "center"}
                ax.annotate(shown, at, **above, **font, color=INK, annotation_clip=False)
    if chart.target is not None:
        ax.axhline(float(chart.target), **_DASHED)
        target = f"{TARGET_LABEL}: {format_number(chart.target)}"
        at_right = {"transform": ax.get_yaxis_transform(), "ha": "right", "va": "bottom"}
        ax.text(1, float(chart.target), target, **at_right, **font, color=MUTED)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(GRID)
    ax.tick_params(colors=GRID, labelcolor=INK, length=3)
    return canvas.figure


# -- SVG for inline HTML ------------------------------------------------------------------

_PROLOG = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*")
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_STYLE = re.compile(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>\s*", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ROOT = re.compile(r"<svg\b[^>]*>")
_VIEWBOX = re.compile(r'viewBox="([^"]*)"')
_ID = re.compile(r'\sid="([^"]+)"')
_FONT_FAMILY = re.compile(r";?\s*font-family: [^;\"]*")
_SPACE = re.compile(r"\s*\n\s*")
_GEOMETRY = re.compile(r'(\s(?:d|x|y|transform)=")([^"]*)"')
_DECIMALS = re.compile(r"-?\d+\.\d{2,}")
_NO_ROTATION = re.compile(r' transform="rotate\(-?0 [^)]*\)"')
_LONE = re.compile(r"<g>(<(path|text|use)\b[^>]*(?:/>|>[^<]*</\2>))</g>")


def _tenths(match: re.Match) -> str:
    """Coordinates to a tenth of a point (matplotlib writes six decimals)."""
    numbers = _DECIMALS.sub(lambda n: f"{float(n.group()):.1f}", match.group(2))
    return f'{match.group(1)}{numbers}"'


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _inline(svg: str, title: str, width: float) -> str:
    """matplotlib's SVG document as an element of a page: no prolog, metadata or comments;
    no `<style>` (an inline SVG's style sheet applies to the whole page); ids only where
    something refers to them; one font list, on the root; and a size that follows the
    page's width."""
    svg = _PROLOG.sub("", svg)
    svg = _METADATA.sub("", svg)
    svg = _STYLE.sub("", svg)
    svg = _COMMENT.sub("", svg)
    svg = _ID.sub(lambda m: m.group(0) if f"#{m.group(1)}" in svg else "", svg)
    svg = _FONT_FAMILY.sub("", svg).replace("text-anchor: start; ", "")
    svg = _NO_ROTATION.sub("", _GEOMETRY.sub(_tenths, svg))
    # Lines and indents only: the labels are single lines, so no text loses a space.
    svg = _SPACE.sub(" ", svg).replace("> <", "><")
    for _ in range(3):  # groups of one shape, with nothing of their own
        svg = _LONE.sub(r"\1", svg)
    view_box = _VIEWBOX.search(svg).group(1)
    root = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        f' viewBox="{view_box}" role="img" aria-label="{_escape(_nfc(title))}" class="chart-svg"'
        f' style="width:{width:g}px;max-width:100%;height:auto;font-family:{_escape(WEB_FONTS)}">'
    )
    return _ROOT.sub(lambda _: root, svg, count=1).strip()
