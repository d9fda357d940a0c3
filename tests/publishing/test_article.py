"""The article written from a meeting states the meeting's facts, and only those that may be
published: checked against the record of `articles_world`, percentages computed here."""

import datetime as dt

import pytest

from tests.publishing.articles_world import (
    BUDGET,
    BUDGET_COUNCIL,
    BUDGET_PLAN,
    CRITERIA,
    CRITERIA_PLAN,
    build,
    percent,
)
from xaso.meetings.selectors import meeting_detail
from xaso.meetings.services import meeting_record
from xaso.publishing.article import escape, in_text_date, markdown_html, write_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build()


def written(meeting):
    return write_article(meeting_detail(meeting.pk), author="Nguyễn Hà", source="Ban Biên tập")


def paragraphs(article) -> list[str]:
    return [block.text for block in article.blocks]


def test_title_and_lead_say_who_held_what_when_and_where(world):
    article = written(world.meeting)

    assert article.title == "Xã An Phú tổ chức Hội nghị sơ kết công tác 6 tháng đầu năm 2020"
    # The lead: the time of day, the date as texts write it inside a sentence, the place,
    # the host in lower case inside the sentence; the period is in the title, not repeated.
    assert paragraphs(article)[0] == (
        "Sáng ngày 03/7/2020, tại Hội trường Ủy ban nhân dân xã, xã An Phú tổ chức "
        "Hội nghị sơ kết công tác 6 tháng đầu năm 2020."
    )


def test_dates_inside_text_pad_the_day_and_only_january_and_february():
    assert in_text_date(dt.date(2020, 7, 8)) == "08/7/2020"
    assert in_text_date(dt.date(2023, 2, 15)) == "15/02/2023"
    assert in_text_date(dt.date(2021, 1, 5)) == "05/01/2021"
    assert in_text_date(dt.date(2022, 11, 30)) == "30/11/2022"


def test_the_chair_and_guests_are_named_with_their_positions_written_out_once(world):
    text = written(world.meeting).to_markdown()

    assert "Đồng chí Trần Văn Bình, Phó Bí thư Thường trực Đảng ủy chủ trì hội nghị." in text
    guest = (
        "đồng chí Lê Thị Hoa, Ủy viên Ban Chấp hành Đảng bộ huyện, "
        "Phó Chủ nhiệm Ủy ban Kiểm tra Huyện ủy"
    )
    assert f"Tham dự và chỉ đạo hội nghị có {guest}." in text
    assert "Cùng dự có bí thư các chi bộ (9 người)." in text
    # Named again when she gives the directives: by name alone, the position not repeated.
    assert text.count("Phó Chủ nhiệm Ủy ban Kiểm tra Huyện ủy") == 1
    assert "Phát biểu chỉ đạo hội nghị, đồng chí Lê Thị Hoa đề nghị" in text
    assert "PCN" not in text and "UVBCH" not in text


def test_figures_against_plan_public_ones_only_estimates_said_so(world):
    text = written(world.meeting).to_markdown()

    budget = (
        f"Trong 6 tháng đầu năm 2020, thu ngân sách trên địa bàn ước đạt 4.120 triệu đồng, "
        f"đạt {percent(BUDGET, BUDGET_PLAN)} kế hoạch huyện giao; "
        f"đạt {percent(BUDGET, BUDGET_COUNCIL)} kế hoạch HĐND giao."
    )
    assert percent(BUDGET, BUDGET_PLAN) == "23,9%"  # 4 120 / 17 230
    assert budget in text
    # Final: no "ước"; its name says "đạt" already, so the figure follows a colon.
    criteria = (
        f"Tiêu chí văn minh đô thị đạt: 21 tiêu chí, đạt {percent(CRITERIA, CRITERIA_PLAN)} "
        "kế hoạch năm."
    )
    assert criteria in text
    assert "Cây xanh trồng mới đạt 1.375 cây." in text
    # The food estimate was never approved: a draft, not in an article that will be published.
    assert "lương thực" not in text
    assert "312" not in text
    assert text.count("ước đạt") == 1


def test_summary_limitations_directives_awards_and_byline(world):
    article = written(world.meeting)
    text = article.to_markdown()

    assert "Các chi bộ hoàn thành sinh hoạt chuyên đề quý II." in paragraphs(article)
    limitations = next(b for b in article.blocks if "tồn tại, hạn chế" in b.text)
    assert limitations.items == (
        "Thu ngân sách chưa đạt tiến độ.",
        "Vệ sinh môi trường còn hạn chế.",
    )
    assert (
        "1. Tập trung khai thác nguồn thu ngân sách (giao xã An Phú; hạn 31/12/2020).\n"
        "2. Ra quân vệ sinh môi trường hằng tháng (giao thôn Đông; hạn 05/09/2020)."
    ) in text
    assert "- Huy hiệu 40 năm tuổi Đảng: Đảng viên chi bộ Thôn Đông (số lượng: 3)" in text
    assert text.rstrip().endswith("*Tác giả: Nguyễn Hà - Nguồn: Ban Biên tập*")
    assert not article.body_markdown().startswith("#")  # the body holds no title
    assert "Tác giả" not in article.body_markdown()


def test_what_the_record_lacks_is_left_out(world):
    bare = meeting_record(
        host=world.commune,
        kind="briefing",
        title="Giao ban đầu năm",
        date=dt.date(2021, 1, 5),
    )
    article = written(bare)

    assert article.title == "Xã An Phú tổ chức giao ban đầu năm"
    assert paragraphs(article) == ["Ngày 05/01/2021, xã An Phú tổ chức giao ban đầu năm."]
    assert all(not block.items for block in article.blocks)


def test_html_shows_typed_markup_as_text_and_lists_as_lists(world):
    meeting = meeting_record(
        host=world.commune,
        kind="briefing",
        title="Hội nghị giao ban <b>tháng 1</b>",
        date=dt.date(2021, 1, 29),
        summary="<script>alert(1)</script> giảm *3* hộ_nghèo [x](javascript:alert(1))",
        limitations=["# Không phải tiêu đề"],
    )
    html = written(meeting).to_html()

    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; giảm *3* hộ_nghèo" in html
    assert 'href="javascript' not in html
    assert "<li># Không phải tiêu đề.</li>" in html
    title = "Xã An Phú tổ chức Hội nghị giao ban &lt;b&gt;tháng 1&lt;/b&gt;"
    assert html.startswith(f"<h1>{title}</h1>")
    assert "<ol>" not in html  # no directives here


def test_directives_render_as_a_numbered_list(world):
    html = written(world.meeting).to_html()

    assert "<ol>\n<li>Tập trung khai thác nguồn thu ngân sách" in html
    assert html.count("<li>") == 2 + 2 + 1  # limitations, directives, the award


def test_escape_keeps_plain_text_plain():
    assert markdown_html(escape("a *b* _c_ [d](e) `f`")) == "<p>a *b* _c_ [d](e) `f`</p>\n"
    assert markdown_html(escape("# x\n> y")) == "<p># x\n&gt; y</p>\n"


def test_an_unapproved_report_keeps_the_budget_out(world):
    from xaso.figures.models import Result

    Result.objects.filter(indicator__code="thu-ns").update(approved=False)
    text = written(world.meeting).to_markdown()

    assert "ngân sách trên địa bàn" not in text
    assert "Trong 6 tháng đầu năm 2020, tiêu chí văn minh đô thị đạt: 21 tiêu chí" in text
