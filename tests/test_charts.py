"""Charts as inline SVG for pages and PNG for documents: what a reader sees in them."""

import re
import struct
import subprocess
import sys
import threading
import unicodedata
import xml.etree.ElementTree as ET
from decimal import Decimal

from xaso import charts
from xaso.charts import BELOW, LINE, REACHED, Bar, BarChart, LineChart, Point, to_png, to_svg

NS = "{http://www.w3.org/2000/svg}"
REVENUE = "Thu ngân sách trên địa bàn"
POVERTY = "Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 — our own SVG


def texts(svg: str) -> list[str]:
    return [node.text for node in parse(svg).iter(f"{NS}text")]


def filled(svg: str, colour: str) -> int:
    """How many shapes are filled with this colour (the bars)."""
    return sum(
        1 for node in parse(svg).iter(f"{NS}path") if f"fill: {colour}" in node.get("style", "")
    )


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", png[8:16])
    assert (length, kind) == (13, b"IHDR")
    return struct.unpack(">II", png[16:24])


def three_bars() -> BarChart:
    return BarChart(
        "Mức đạt kế hoạch theo chỉ tiêu",
        [
            Bar(REVENUE, Decimal("24.19")),  # 3.750 of 15.511 triệu đồng
            Bar(POVERTY, Decimal("112.5"), note="ước đạt"),
            Bar("Số hộ dùng nước sạch", None),
        ],
    )


# --- SVG ----------------------------------------------------------------------------------


def test_the_svg_writes_labels_and_values_the_vietnamese_way_as_text():
    shown = texts(to_svg(three_bars()))

    assert "Mức đạt kế hoạch theo chỉ tiêu" in shown
    assert REVENUE in shown
    assert POVERTY in shown
    assert "24,2%" in shown
    assert "112,5% · ước đạt" in shown
    assert "100%" in shown  # the reference line's label


def test_a_bar_without_a_value_says_so_and_draws_no_bar():
    svg = to_svg(three_bars())

    assert "chưa có số liệu" in texts(svg)
    assert filled(svg, BELOW) + filled(svg, REACHED) == 2


def test_bars_that_reached_the_plan_have_their_own_colour():
    chart = BarChart("t", [*three_bars().bars, Bar("Số hộ nghèo thoát nghèo", Decimal(100))])

    svg = to_svg(chart)

    assert filled(svg, REACHED) == 2  # 112,5% and exactly 100%
    assert filled(svg, BELOW) == 1  # 24,2%


def test_the_caller_says_whether_a_bar_reached_its_plan():
    # Lower-is-better indicators: 80% and 95% of the allowed rate have met the plan.
    chart = BarChart(
        "t",
        [
            Bar(POVERTY, Decimal(80), reached=True),
            Bar("Tỷ lệ trẻ em suy dinh dưỡng", Decimal(95), reached=True),
            Bar(REVENUE, Decimal(130), reached=False),
        ],
    )

    svg = to_svg(chart)

    assert filled(svg, REACHED) == 2
    assert filled(svg, BELOW) == 1


def test_a_value_in_another_unit_is_written_with_it():
    chart = BarChart(
        "Thu ngân sách", [Bar(REVENUE, Decimal("3750.5"))], unit="triệu đồng", reference=None
    )

    assert "3.750,5 triệu đồng" in texts(to_svg(chart))


def test_the_svg_is_an_element_for_a_page_without_script_or_fixed_size():
    svg = to_svg(three_bars())
    root = parse(svg)

    assert svg.startswith("<svg")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert "<script" not in svg.lower()
    assert "<style" not in svg  # an inline SVG's style sheet would apply to the whole page
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Mức đạt kế hoạch theo chỉ tiêu"
    assert re.fullmatch(r"0 0 400 [0-9.]+", root.get("viewBox"))
    assert root.get("width") is None and root.get("height") is None
    assert "max-width:100%;height:auto" in root.get("style")


def test_no_id_is_left_that_nothing_refers_to():
    # Two charts on one page must not repeat ids such as "figure_1".
    svg = to_svg(three_bars())

    for found in re.findall(r'\sid="([^"]+)"', svg):
        assert f"#{found}" in svg


def test_text_is_kept_in_nfc_and_escaped_and_never_read_as_formula():
    decomposed = unicodedata.normalize("NFD", "Hộ được hỗ trợ")
    chart = BarChart(
        "Chỉ tiêu <b> & $x$", [Bar(decomposed, Decimal(50)), Bar("Giá $5$ & <10>", Decimal(60))]
    )

    svg = to_svg(chart)
    shown = texts(svg)

    assert "Hộ được hỗ trợ" in shown
    assert decomposed not in svg
    assert "Giá $5$ & <10>" in shown
    assert parse(svg).get("aria-label") == "Chỉ tiêu <b> & $x$"


def test_a_long_label_wraps_onto_lines_that_keep_every_word():
    label = "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi trên địa bàn toàn xã"
    shown = texts(to_svg(BarChart("t", [Bar(label, Decimal(50))])))

    lines = [text for text in shown if text not in ("t", "100%", "50,0%")]
    assert len(lines) == 2
    assert " ".join(lines) == label


def test_a_label_longer_than_two_lines_ends_in_an_ellipsis():
    label = " ".join(["Chỉ tiêu rất dài về phát triển kinh tế xã hội"] * 6)
    shown = texts(to_svg(BarChart("t", [Bar(label, Decimal(50))])))

    lines = [text for text in shown if text not in ("t", "100%", "50,0%")]
    assert len(lines) == 2
    assert lines[1].endswith("…")
    assert label.startswith(" ".join(lines)[:-2])


def test_more_than_forty_bars_are_cut_and_the_chart_says_how_many_are_left():
    bars = [Bar(f"Chỉ tiêu số {n}", Decimal(n)) for n in range(1, 46)]

    svg = to_svg(BarChart("t", bars))
    shown = texts(svg)

    assert "Chỉ tiêu số 40" in shown
    assert "Chỉ tiêu số 41" not in shown
    assert "và 5 chỉ tiêu khác" in shown
    assert "và 5 đơn vị khác" in texts(to_svg(BarChart("t", bars, item="đơn vị")))
    assert len(svg.encode()) < 30_000


def test_forty_long_bars_stay_well_under_thirty_kilobytes():
    # Two lines of label, a value and a note on every bar: the most forty bars can say.
    label = "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi trên địa bàn toàn xã"
    bars = [Bar(f"{label} {n}", Decimal(n * 3), note="ước đạt") for n in range(40)]

    assert len(to_svg(BarChart("Mức đạt kế hoạch theo chỉ tiêu", bars)).encode()) < 20_000


def test_charts_drawn_together_in_threads_come_out_as_drawn_alone():
    charts = [BarChart(f"Biểu đồ {n}", [Bar(REVENUE, Decimal(n * 10))]) for n in range(6)]
    alone = [to_svg(chart) for chart in charts]
    together: dict[int, str] = {}

    def draw(n):
        together[n] = to_svg(charts[n])

    threads = [threading.Thread(target=draw, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [together[n] for n in range(6)] == alone


# --- line chart ---------------------------------------------------------------------------


def months(values) -> list[Point]:
    return [Point(f"T{m}/2022", value) for m, value in enumerate(values, start=1)]


def test_the_line_chart_names_its_periods_and_its_target():
    chart = LineChart(
        REVENUE,
        months([Decimal(300), Decimal("412.5"), Decimal(520)]),
        "triệu đồng",
        target=Decimal("3750.5"),
    )

    shown = texts(to_svg(chart))

    assert REVENUE in shown
    assert {"T1/2022", "T2/2022", "T3/2022"} <= set(shown)
    assert "Kế hoạch: 3.750,5" in shown
    assert "Đơn vị: triệu đồng" in shown
    assert "412,5" in shown  # a point's value
    assert "2.000" in shown  # the vertical axis, in Vietnamese


def test_the_line_chart_without_a_target_has_no_target_line():
    chart = LineChart(REVENUE, months([Decimal(300), Decimal(412)]), "triệu đồng")

    assert not any(text.startswith("Kế hoạch") for text in texts(to_svg(chart)))


def test_a_period_without_a_value_is_a_gap_in_the_line():
    chart = LineChart(REVENUE, months([Decimal(1), Decimal(2), None, Decimal(4), Decimal(5)]), "hộ")

    [line] = [
        node
        for node in parse(to_svg(chart)).iter(f"{NS}path")
        if f"stroke: {LINE}" in node.get("style", "") and node.get("id") is None
    ]  # (the markers' shape, defined once, has an id)
    assert line.get("d").count("M") == 2


# --- PNG ----------------------------------------------------------------------------------


def test_the_png_is_as_wide_as_asked_and_grows_with_the_bars():
    chart = three_bars()

    width, height = png_size(to_png(chart))
    assert width == 945  # 16 cm at 150 dpi
    assert png_size(to_png(chart, width_cm=8, dpi=100))[0] == 315

    # Twelve bars more, each at least 8 points thick (at 150 dpi, 16,7 pixels) on a row.
    more = BarChart(chart.title, chart.bars * 5)
    assert png_size(to_png(more))[1] - height >= 12 * 8 / 72 * 150


def test_a_line_chart_is_drawn_as_png_too():
    chart = LineChart(
        REVENUE, months([Decimal(300), None, Decimal(520)]), "triệu đồng", target=Decimal(500)
    )

    assert png_size(to_png(chart, width_cm=10, dpi=200))[0] == 787  # 10 / 2,54 × 200


def test_matplotlib_is_imported_at_the_first_chart_or_when_warming_up_not_before():
    # Importing it costs about half a second: the CLI and every worker would pay it.
    script = (
        "import sys; from xaso import charts; print('matplotlib' in sys.modules); "
        "charts.warm_up(); print('matplotlib' in sys.modules)"
    )
    found = subprocess.run(  # noqa: S603 — our own interpreter
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )

    assert found.stdout.split() == ["False", "True"]


# --- drawings kept ------------------------------------------------------------------------


def counting_renders(monkeypatch) -> list:
    """Every chart matplotlib draws from now on (the kept drawings emptied first)."""
    drawn = []
    real = charts._render

    def render(chart, *args):
        drawn.append(chart)
        return real(chart, *args)

    monkeypatch.setattr(charts, "_render", render)
    monkeypatch.setattr(charts, "_DRAWN", charts.OrderedDict())
    return drawn


def test_the_same_chart_is_drawn_once_and_shown_the_same(monkeypatch):
    drawn = counting_renders(monkeypatch)

    first = to_svg(three_bars())
    again = to_svg(three_bars())  # an equal chart, another object

    assert again == first
    assert len(drawn) == 1


def test_a_chart_whose_value_changed_is_drawn_anew(monkeypatch):
    drawn = counting_renders(monkeypatch)
    to_svg(three_bars())
    changed = three_bars()
    changed.bars[0] = Bar(REVENUE, Decimal("25"))

    shown = texts(to_svg(changed))

    assert len(drawn) == 2
    assert "25,0%" in shown
    assert "24,2%" not in shown


def test_a_png_and_an_svg_of_one_chart_are_two_drawings(monkeypatch):
    drawn = counting_renders(monkeypatch)

    svg = to_svg(three_bars())
    png = to_png(three_bars())

    assert len(drawn) == 2
    assert svg.startswith("<svg")
    assert png.startswith(b"\x89PNG")


def test_only_the_latest_drawings_are_kept(monkeypatch):
    drawn = counting_renders(monkeypatch)
    monkeypatch.setattr(charts, "DRAWN_KEPT", 2)
    first, second, third = (
        BarChart(f"Biểu đồ {n}", [Bar(REVENUE, Decimal(n))]) for n in (10, 20, 30)
    )
    for chart in (first, second, third):
        to_svg(chart)
    to_svg(third)  # kept
    to_svg(second)  # kept
    assert len(drawn) == 3

    to_svg(first)  # the oldest went when the third came

    assert drawn == [first, second, third, first]
