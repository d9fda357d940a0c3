"""The closing review: final ranking, praise and reminders by two thresholds (both sides of
each), the draft decision and the scores workbook — expected values worked out by hand."""

import datetime as dt
import io
import subprocess
import sys
import zipfile
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from openpyxl import load_workbook

from tests.factories import make_commune_tree, make_indicator
from xaso.campaigns.closing import closing_review, read_thresholds
from xaso.campaigns.decision import TEMPLATE, decision_docx
from xaso.campaigns.scores import scores_xlsx
from xaso.campaigns.services import GoalInput, create_campaign, launch_campaign
from xaso.figures.services import record_result

pytestmark = pytest.mark.django_db
AFTER = dt.date(2022, 6, 2)  # the campaign has ended


def day(text: str) -> str:
    return f"{text}..{text}"


@pytest.fixture
def campaign():
    _, _, commune, villages = make_commune_tree()
    fences = make_indicator("hang-rao", name="Hàng rào xanh", unit="m")
    gardens = make_indicator("vuon", name="Vườn hộ", unit="vuon")
    made = create_campaign(
        host=commune, code="cd", name="Phong trào thi đua 45 ngày cao điểm",
        start=dt.date(2022, 4, 15), end=dt.date(2022, 5, 30), cadence="daily",
        goals=[GoalInput(fences, D("300")), GoalInput(gardens, D("30"))], participants=villages,
    )  # fmt: skip
    launch_campaign(made)  # each village: 100 m of fence, 10 gardens
    one, two, three = villages
    entries = [
        (one, fences, "2022-04-16", "100"), (one, gardens, "2022-05-02", "10"),  # 100 + 100
        (two, fences, "2022-04-20", "60"), (two, gardens, "2022-05-01", "5"),  # (60 + 50) / 2
        (three, fences, "2022-05-10", "30"),  # (30 + 0) / 2 = 15
    ]  # fmt: skip
    for unit, indicator, date, value in entries:
        record_result(unit=unit, indicator=indicator, period=day(date), value=value)
    return made


def _summary(closing):
    return [(r.unit.full_name, r.ranked.rank, r.ranked.score, r.verdict) for r in closing.rows]


def test_the_final_ranking_praises_the_complete_and_reminds_the_weak(campaign):
    closing = closing_review(campaign, today=AFTER)
    assert closing.final
    assert _summary(closing) == [
        ("Thôn 1", 1, D("100.0"), "praise"),
        ("Thôn 2", 2, D("55.0"), ""),
        ("Thôn 3", 3, D("15.0"), "remind"),
    ]
    assert closing.average == D("56.7")  # (100 + 55 + 15) / 3
    assert [r.goals for r in closing.rows] == [2, 2, 2]


def test_thresholds_on_both_sides(campaign):
    at = closing_review(campaign, praise_from=D("55"), remind_below=D("15"), today=AFTER)
    assert [r.verdict for r in at.rows] == ["praise", "praise", ""]  # 55 ≥ 55; 15 is not < 15
    above = closing_review(campaign, praise_from=D("55.1"), remind_below=D("15.1"), today=AFTER)
    assert [r.verdict for r in above.rows] == ["praise", "", "remind"]


def test_before_the_last_day_the_review_is_provisional(campaign):
    closing = closing_review(campaign, today=dt.date(2022, 4, 30))
    assert not closing.final and closing.progress.on == dt.date(2022, 4, 30)
    # Thôn 1: fence done, no garden yet: 50; Thôn 2: 60 m and nothing else: 30; Thôn 3: 0.
    assert [(r.unit.full_name, r.ranked.score) for r in closing.rows] == [
        ("Thôn 1", D("50.0")), ("Thôn 2", D("30.0")), ("Thôn 3", D("0.0")),
    ]  # fmt: skip


def test_thresholds_are_read_the_vietnamese_way_and_checked():
    assert read_thresholds("75,5", "") == (D("75.5"), D("50"))
    assert read_thresholds("", "") == (D("100"), D("50"))
    assert read_thresholds("0", "0") == (D("0"), D("0"))
    assert read_thresholds("100", "100") == (D("100"), D("100"))
    for praise, remind, field in [
        ("100,1", "", "praise_from"),
        ("", "-1", "remind_below"),
        ("nhiều", "", "praise_from"),
        ("60", "60,5", "remind_below"),  # reminded above the praise line
    ]:
        with pytest.raises(ValidationError) as error:
            read_thresholds(praise, remind)
        assert list(error.value.message_dict) == [field]


def _paragraphs(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.append(" | ".join(cell.text for cell in row.cells))
    return texts


def test_the_draft_decision_lists_the_praised_units_in_the_state_layout(campaign):
    closing = closing_review(campaign, today=AFTER)
    texts = _paragraphs(decision_docx(closing, dt.date(2022, 6, 2)))
    whole = "\n".join(texts)
    assert "QUYẾT ĐỊNH" in texts
    assert "Về việc khen thưởng các tập thể có thành tích xuất sắc trong phong trào thi đua " \
        "45 ngày cao điểm" in texts  # fmt: skip
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ HÀ LINH" in texts
    assert "ỦY BAN NHÂN DÂN\nXÃ HÀ LINH\n | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do " \
        "- Hạnh phúc" in whole  # fmt: skip
    assert "Số:        /QĐ-UBND | Hà Linh, ngày 02 tháng 6 năm 2022" in whole
    # Only Thôn 1 reached 100 points.
    assert "1. Thôn 1: hoàn thành 2/2 chỉ tiêu, đạt 100,0 điểm, xếp thứ 1." in texts
    assert "Thôn 2:" not in whole.split("Phụ lục")[0]
    assert any(t.startswith("Điều 1. Tặng Giấy khen cho 1 tập thể") for t in texts)
    assert "Căn cứ kế hoạch phát động phong trào thi đua 45 ngày cao điểm của xã Hà Linh (từ " \
        "ngày 15/04/2022 đến ngày 30/05/2022);" in texts  # fmt: skip
    assert "Xét kết quả chấm điểm thi đua đến ngày 30/05/2022 và đề nghị của [Cần bổ sung: " \
        "bộ phận đề nghị khen thưởng]." in texts  # fmt: skip
    # The scores annex: every participant.
    assert (
        "2 | Thôn 2 | 55,0 | 0/2 | Hàng rào xanh còn thiếu 40 m; Vườn hộ còn thiếu 5 vườn" in texts
    )
    assert "[Cần bổ sung: mức thưởng theo quy định hiện hành]" in whole


def test_a_decision_with_no_one_to_praise_says_so_as_a_gap(campaign):
    closing = closing_review(campaign, praise_from=D("100"), today=dt.date(2022, 4, 20))
    texts = _paragraphs(decision_docx(closing, dt.date(2022, 4, 20)))
    assert "[Cần bổ sung: chưa có tập thể nào đạt mức khen thưởng]" in texts
    assert any(t.startswith("Điều 1. Tặng Giấy khen cho 0 tập thể") for t in texts)


def test_the_gaps_of_the_decision_are_highlighted(campaign):
    closing = closing_review(campaign, today=AFTER)
    document = Document(io.BytesIO(decision_docx(closing, AFTER)))
    gaps = [
        run
        for paragraph in document.paragraphs
        for run in paragraph.runs
        if run.text.startswith("[Cần bổ sung")
    ]
    assert gaps and all(run.font.highlight_color is not None for run in gaps)


def test_the_scores_workbook_holds_the_reviews_figures(campaign):
    closing = closing_review(campaign, today=AFTER)
    book = load_workbook(io.BytesIO(scores_xlsx(closing)))
    sheet = book["Bảng điểm"]
    rows = [row for row in sheet.iter_rows(values_only=True)]
    header = rows.index(next(r for r in rows if r and r[0] == "Hạng"))
    assert rows[header][:8] == (
        "Hạng", "Đơn vị", "Mã đơn vị", "Điểm thi đua", "Chỉ tiêu hoàn thành",
        "Chỉ tiêu được giao", "Ngày hoàn thành", "Xếp loại",
    )  # fmt: skip
    body = rows[header + 1 :]
    assert [r[:6] + r[7:8] for r in body] == [
        (1, "Thôn 1", "hl-1", 100.0, 2, 2, "Biểu dương"),
        (2, "Thôn 2", "hl-2", 55.0, 0, 2, None),
        (3, "Thôn 3", "hl-3", 15.0, 0, 2, "Nhắc nhở"),
    ]
    assert body[0][6].date() == dt.date(2022, 5, 2)  # the garden, its last goal, on 2/5
    # Hàng rào xanh: target, done, achievement as a fraction; then Vườn hộ.
    assert body[1][8:] == (100.0, 60.0, 0.6, 10.0, 5.0, 0.5)
    goals = [r for r in book["Theo chỉ tiêu"].iter_rows(values_only=True) if r[0]]
    assert goals[-2:] == [
        ("Hàng rào xanh", "m", 300.0, 190.0, pytest.approx(0.633)),
        ("Vườn hộ", "vườn", 30.0, 15.0, 0.5),
    ]


def test_the_shipped_decision_template_is_what_the_script_builds(tmp_path):
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(  # noqa: S603 -- our own script
        [sys.executable, str(root / "tools" / "make_decision_template.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    built = (tmp_path / TEMPLATE.name).read_bytes()
    with zipfile.ZipFile(io.BytesIO(built)) as a, zipfile.ZipFile(TEMPLATE) as b:
        assert a.namelist() == b.namelist(), "run tools/make_decision_template.py"
        for member in a.namelist():
            assert a.read(member) == b.read(member), f"{member} differs"


def test_on_the_last_day_the_review_is_still_provisional(campaign):
    assert not closing_review(campaign, today=dt.date(2022, 5, 30)).final
    assert closing_review(campaign, today=dt.date(2022, 5, 31)).final


def test_the_threshold_messages(campaign):
    with pytest.raises(ValidationError) as error:
        read_thresholds("60", "61")
    assert error.value.message_dict == {
        "remind_below": ["Mức nhắc nhở phải thấp hơn hoặc bằng mức biểu dương."]
    }
    with pytest.raises(ValidationError) as error:
        read_thresholds("101", "-")
    assert error.value.message_dict["praise_from"] == ["Điểm phải từ 0 đến 100."]
    assert "remind_below" in error.value.message_dict  # both fields read, not only the first
