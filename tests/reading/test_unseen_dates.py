"""The meeting date on reports the reader was not built on (issue 19): dates without a year or
written with hyphens, the year taken from the text or the publication stamp, deadlines, spans,
plans and cited documents that are not the meeting's date, and numbers that are not dates."""

import datetime as dt

import pytest

from xaso.reading import read_text
from xaso.reading.dates import (
    CITED,
    DEADLINE,
    EVENT,
    OCCASION,
    PLANNED,
    SINCE,
    UNTIL,
    context_year,
    find_dates,
)

# A body paragraph long enough to end the lead, written for these tests.
FILLER = (
    "Các đại biểu thảo luận sôi nổi về kết quả thực hiện nhiệm vụ, chỉ ra những việc làm được, "
    "những việc còn tồn tại và bàn cách khắc phục trong thời gian tới."
)


def meeting_date(text: str) -> dt.date | None:
    return read_text(text).meeting.date


# --- forms: hyphens, no year, time of day without "ngày" ---------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "time_of_day"),
    [
        ("Sáng 8/7, Hội Nông dân xã họp bàn việc 6 tháng cuối năm 2024.", (2024, 7, 8), "morning"),
        ("sáng 28-6, xã Tân Lập tổng kết phong trào năm 2021.", (2021, 6, 28), "morning"),
        ("Chiều 3-11-2018, Đoàn xã Hòa Bình họp.", (2018, 11, 3), "afternoon"),
        ("Ngày 15-7-2019, Đoàn xã Hòa Bình tổ chức đại hội.", (2019, 7, 15), None),
        ("Ngày 19 - 12 - 2016, UBND tỉnh họp phiên thường kỳ.", (2016, 12, 19), None),
        ("chiều ngày 12/6, Đảng ủy xã đánh giá tháng 05 năm 2023.", (2023, 6, 12), "afternoon"),
        (
            "Hội nghị họp ngày 15 tháng 7 tại hội trường xã; năm 2023 xã đạt chuẩn.",
            (2023, 7, 15),
            None,
        ),
        ("Tối nay (9/10/2023), Ban Chỉ huy Quân sự huyện họp.", (2023, 10, 9), "evening"),
        ("Hôm nay (9/10), Ban Chỉ huy họp tổng kết năm 2022.", (2022, 10, 9), None),
        ("Sáng thứ Hai (8/7), xã họp bàn việc năm 2024.", (2024, 7, 8), "morning"),
        ("Thứ Năm (11/7), xã họp bàn việc năm 2024.", (2024, 7, 11), None),
        ("Sáng 15.7, xã họp sơ kết năm 2019.", (2019, 7, 15), "morning"),
        ("Hội nghị họp ngày 15.7.2019 tại xã.", (2019, 7, 15), None),
    ],
)
def test_it_reads_the_meeting_date_in_each_form(text, expected, time_of_day):
    extraction = read_text(text)
    assert extraction.meeting.date == dt.date(*expected)
    assert extraction.meeting.time_of_day == time_of_day


def test_the_first_day_of_a_run_of_days_is_the_meeting_date():
    text = "Ngày 27 và 28-7-2016, Hội Liên hiệp Phụ nữ huyện tổ chức đại hội."
    assert meeting_date(text) == dt.date(2016, 7, 27)
    assert [m.date.day for m in find_dates(text)] == [27, 28]


def test_a_bare_day_and_month_needs_ngay_or_a_time_of_day():
    assert find_dates("Có 7/9 khu dân cư đăng ký, năm 2020.") == []
    assert find_dates("Có 7-9 thôn tham gia, năm 2020.") == []
    assert [m.date for m in find_dates("Sáng 7/9 xã họp, năm 2020.")] == [dt.date(2020, 9, 7)]
    assert [m.date for m in find_dates("Sáng 7-9 xã họp, năm 2020.")] == [dt.date(2020, 9, 7)]


@pytest.mark.parametrize(
    "text",
    [
        "Thực hiện Nghị quyết số 15-NQ/TU của Tỉnh ủy, năm 2020.",
        "Theo Quyết định 1234/QĐ-UBND, năm 2020.",
        "Kết luận 62-KL/TW được quán triệt năm 2020.",
        "Văn bản ngày 15/3-TB/HU hướng dẫn, năm 2020.",
        "nhiệm kỳ 2020 - 2025, giai đoạn 2021-2025",
        "tỷ lệ tăng 3-5%, mỗi đợt từ 5-7 ngày, năm 2022",
        "giao ban tháng 1-2026 và tháng 12/2025",
        "thu 1.250 triệu đồng, 3.4 tấn, mốc 15.7.2019, mỗi ngày 1.500 lượt",
    ],
)
def test_codes_ratios_spans_of_years_and_months_are_not_dates(text):
    assert find_dates(text) == []


# --- the year when the date has none ------------------------------------------------------


def test_the_year_comes_from_the_text_when_there_is_no_stamp():
    assert meeting_date("Sáng 30-1, Đảng ủy xã giao ban tháng 1-2026.") == dt.date(2026, 1, 30)
    assert meeting_date("Sáng 30-1, Đảng ủy xã giao ban.") is None  # no year anywhere


def test_a_term_counts_less_than_a_year_written_alone():
    text = "Ngày 22/6, Đảng ủy xã họp; nhiệm kỳ 2020-2025 và 2020 – 2025; năm 2022 đạt khá."
    assert context_year(text) == 2022
    assert meeting_date(text) == dt.date(2022, 6, 22)


def test_a_tie_between_years_goes_to_the_later_one():
    text = "Chiều ngày 16/10, Hội kỷ niệm ngày thành lập (20/10/1930 - 20/10/2025)."
    assert context_year(text) == 2025
    assert meeting_date(text) == dt.date(2025, 10, 16)
    assert context_year("Năm 2019 và năm 2019 hơn năm 2024.") == 2019


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("Cập nhật: 12/01/2023 17:20", dt.date(2023, 1, 12)),  # the same day
        ("09:21 19/06/2023", dt.date(2023, 1, 12)),
        ("Tin địa phương 09:21 19/06/2023", dt.date(2023, 1, 12)),
        ("Thứ Tư, 08/04/2023, 08:11 [GMT+7]", dt.date(2023, 1, 12)),
        ("Thứ Tư, 08/04/2023", dt.date(2023, 1, 12)),
        ("Ngày 08/04/2023 | 11:38", dt.date(2023, 1, 12)),
        ("11/01/2023", dt.date(2022, 1, 12)),  # the day after the stamp: the year before
        ("Cập nhật: 05/01/2024", dt.date(2023, 1, 12)),
    ],
)
def test_the_year_comes_from_the_publication_stamp(stamp, expected):
    text = f"{stamp}\nSáng 12/1, Ban Thường vụ họp bàn kế hoạch năm 2030.\n{FILLER}"
    mentions = find_dates(text)
    assert [m.stamp for m in mentions] == [True, False]
    assert meeting_date(text) == expected


def test_a_date_in_a_headline_or_an_event_is_not_a_stamp():
    text = (
        "Sơ kết công tác 6 tháng tại khu di tích (9/7/2019)\nLúc 8h30 ngày 9/7/2019, hội nghị họp."
    )
    assert [m.stamp for m in find_dates(text)] == [False, False]
    assert meeting_date(text) == dt.date(2019, 7, 9)


def test_it_says_which_year_it_gave_a_date_without_one():
    text = f"Cập nhật: 05/01/2024\nSáng 28/12, xã tổng kết năm 2030.\n{FILLER}"
    extraction = read_text(text)
    assert extraction.meeting.date == dt.date(2023, 12, 28)
    assert any("năm 2023" in warning for warning in extraction.warnings)
    assert not any("năm 20" in w for w in read_text("Ngày 5/3/2023, xã họp.").warnings)


# --- which date is the meeting's ----------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "role"),
    [
        ("hoàn thành trước ngày", DEADLINE),
        ("gửi chậm nhất ngày", DEADLINE),
        ("không quá ngày", DEADLINE),
        ("kéo dài đến ngày", UNTIL),
        ("tính đến hết ngày", UNTIL),
        ("triển khai từ ngày", SINCE),
        ("kỳ họp dự kiến diễn ra sáng ngày", PLANNED),
        ("theo Kế hoạch số 25/KH-UBND ngày", CITED),
        ("Nghị quyết 10-NQ/TU, ngày", CITED),
        ("chào mừng ngày", OCCASION),
        ("Sáng", EVENT),
        ("Vừa qua, ngày", EVENT),
        ("Theo kế hoạch, sáng ngày", EVENT),
    ],
)
def test_the_words_before_a_date_tell_its_role(before, role):
    [mention] = find_dates(f"{before} 30/11/2019 xã làm việc.")
    assert mention.role == role


def test_a_deadline_later_in_the_text_is_not_the_meeting_date():
    text = f"Ngày 5/9/2019, UBND xã họp.\n{FILLER}\n- Các thôn hoàn thành trước ngày 30/11/2019."
    assert meeting_date(text) == dt.date(2019, 9, 5)
    assert meeting_date("Các thôn phải hoàn thành trước ngày 30/11/2019.") is None
    assert meeting_date("Báo cáo gửi về xã chậm nhất ngày 5/12/2020.") is None


def test_a_planned_session_cited_document_or_holiday_is_not_the_meeting_date():
    assert meeting_date("Kỳ họp dự kiến diễn ra sáng ngày 01/03/2024.") is None
    assert meeting_date("Thực hiện Kế hoạch số 25/KH-UBND ngày 15/3/2023, xã ra quân.") is None
    assert meeting_date("Chào mừng ngày 2/9/2024, xã tổ chức giải bóng đá.") is None
    text = "Chào mừng ngày 20/10, chiều ngày 18/10/2024 Hội Phụ nữ xã tọa đàm."
    assert meeting_date(text) == dt.date(2024, 10, 18)


def test_the_first_event_date_of_the_lead_wins_over_a_later_time_of_day():
    later = "Sáng 20/11/2016, các xã quán triệt."
    text = f"Ngày 14-11-2016, Tỉnh ủy ban hành nghị quyết.\n{FILLER}\n{later}"
    assert meeting_date(text) == dt.date(2016, 11, 14)
    text = f"{FILLER}\nNgày 14/11/2016, Tỉnh ủy ban hành.\n{later}"
    assert meeting_date(text) == dt.date(2016, 11, 20)  # outside the lead a time of day wins


def test_a_reckoning_date_in_the_lead_is_the_date_when_there_is_no_other():
    assert meeting_date("Tính đến ngày 15/6/2024, 28/30 xã đã hoàn thành.") == dt.date(2024, 6, 15)
    assert meeting_date("Đến ngày 4/5/2020, tỉnh đã tổ chức xong đại hội.") == dt.date(2020, 5, 4)
    later = f"{FILLER}\nKế hoạch triển khai từ ngày 1/6/2023 đến ngày 30/6/2023."
    assert meeting_date(later) is None  # a plan's span after the lead
    assert meeting_date(f"Ngày 2/6/2023, xã họp.\n{later}") == dt.date(2023, 6, 2)
