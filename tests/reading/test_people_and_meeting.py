"""Reading meetings, people, places and lists: our own documents in the genre, and the seeds."""

import datetime as dt

import pytest

from xaso.reading import read_text
from xaso.reading.dates import find_dates
from xaso.reading.people import find_people
from xaso.reading.places import find_places
from xaso.reading.sections import find_awards, find_directives, find_limitations

# Our own report in the genre of the portals' news items (names invented).
BRIEFING = """Xã Tân Phúc tổ chức Hội nghị BCH mở rộng đánh giá kết quả tháng 10
25/10/2023 15:20
Chiều ngày 24/10/2023, tại hội trường UBND xã Tân Phúc, BCH Đảng bộ xã tổ chức hội nghị.

Dự hội nghị có đồng chí Lý Minh Khoa, HUV, Phó Chủ tịch UBND huyện; đồng chí Đinh Thị Ngọc \
Bích - Ủy viên BTV - Trưởng ban Dân vận huyện ủy và bí thư các chi bộ, trưởng 9 thôn.

Đ/c Vũ Quốc Hưng, PBT TT Đảng ủy thông qua báo cáo tháng 10.

Trong tháng, xã lãnh đạo 14/14 chi bộ sinh hoạt chuyên đề; duy trì 19/19 tiêu chí.

Bên cạnh kết quả đạt được, hội nghị chỉ ra những hạn chế sau:

- Thu ngân sách còn chậm so với kế hoạch

- Một số thôn chưa quyết liệt trong chỉnh trang khu dân cư

Đ/c Lý Minh Khoa, HUV, Phó Chủ tịch UBND huyện phát biểu chỉ đạo hội nghị

Kết luận hội nghị, đồng chí Lý Minh Khoa đề nghị tập trung các nhiệm vụ trọng tâm thời gian tới:

1. Hoàn thành thu ngân sách năm 2023

2. Chuẩn bị tốt các điều kiện đón Tết Giáp Thìn

Tại hội nghị đã trao Huy hiệu 40 năm tuổi Đảng cho 3 đảng viên.

Tác giả: Trịnh Văn Long - Nguồn: Ban Biên tập
"""


def test_it_reads_the_meeting_of_a_report():
    extraction = read_text(BRIEFING, source="tan-phuc.txt")
    meeting = extraction.meeting
    assert meeting.date == dt.date(2023, 10, 24)  # not the publication stamp of the 25th
    assert meeting.time_of_day == "afternoon"
    assert meeting.kind == "executive_extended"
    assert meeting.period == "2023-10"
    assert meeting.place == "hội trường UBND xã Tân Phúc"
    assert meeting.title.startswith("Xã Tân Phúc tổ chức Hội nghị BCH mở rộng")


def test_it_reads_people_with_positions_and_their_roles():
    people = {person.name: person for person in find_people(BRIEFING)}
    assert people["Lý Minh Khoa"].position == "HUV, Phó Chủ tịch UBND huyện"
    assert (
        people["Lý Minh Khoa"].position_normalised
        == "Huyện ủy viên, Phó Chủ tịch Ủy ban nhân dân huyện"
    )
    assert people["Lý Minh Khoa"].role == "concluding"
    assert people["Đinh Thị Ngọc Bích"].position == "Ủy viên BTV - Trưởng ban Dân vận huyện ủy"
    assert people["Vũ Quốc Hưng"].position_normalised == "Phó Bí thư Thường trực Đảng ủy"
    assert people["Vũ Quốc Hưng"].role == "reporting"
    assert people["Trịnh Văn Long"].role == "author"


def test_it_lists_limitations_directives_and_awards():
    assert find_limitations(BRIEFING) == [
        "Thu ngân sách còn chậm so với kế hoạch",
        "Một số thôn chưa quyết liệt trong chỉnh trang khu dân cư",
    ]
    assert find_directives(BRIEFING) == [
        "Hoàn thành thu ngân sách năm 2023",
        "Chuẩn bị tốt các điều kiện đón Tết Giáp Thìn",
    ]
    assert find_awards(BRIEFING) == [
        "Tại hội nghị đã trao Huy hiệu 40 năm tuổi Đảng cho 3 đảng viên"
    ]


def test_a_date_without_a_year_takes_the_documents_year_and_says_so():
    text = "Ngày 22/6, đồng chí Hà Văn Tùng làm việc với xã Yên Lạc về kết quả năm 2024."
    extraction = read_text(text)
    assert extraction.meeting.date == dt.date(2024, 6, 22)
    assert any("2024" in warning for warning in extraction.warnings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sáng ngày 8/7/2020 Đảng bộ họp", dt.date(2020, 7, 8)),
        ("từ ngày 15/4 /2022 đến hết tháng", dt.date(2022, 4, 15)),
        ("ngày 30 tháng 11 năm 2022", dt.date(2022, 11, 30)),
    ],
)
def test_it_reads_the_date_forms_of_the_genre(text, expected):
    assert [mention.date for mention in find_dates(text)] == [expected]


def test_ratios_and_decree_numbers_are_not_dates():
    text = "đạt 17/17 chi bộ; Nghị quyết số 03-NQ/HU; 20/20 tiêu chí năm 2022"
    assert find_dates(text) == []


def test_it_finds_the_places_named():
    text = "Xã Yên Lạc và thị trấn Na Hang (huyện Na Hang) giúp thôn Bản Khiển, thôn 3."
    assert find_places(text) == [
        "xã Yên Lạc",
        "thị trấn Na Hang",
        "huyện Na Hang",
        "thôn Bản Khiển",
        "thôn 3",
    ]


# --- the five seeds ---------------------------------------------------------------------
SEED_MEETINGS = {
    "000": (dt.date(2022, 11, 30), "morning", "executive_extended", "2022-11"),
    "001": (dt.date(2022, 6, 22), None, "working_session", "2020..2025"),
    "003": (dt.date(2022, 6, 21), "afternoon", "briefing", "2022-H1"),
    "004": (dt.date(2020, 7, 8), "morning", "interim_review", "2020-H1"),
}
SEED_PEOPLE = {
    "000": {"Đoàn Thanh Hải": "directing", "Phan Đình Tâm": "reporting"},
    "001": {"Nguyễn Thế Đồi": "chair"},
    "002": {"Nguyễn Tuấn Toại": "speaker", "Trần Thị Lan Anh": "speaker"},
    "003": {"Hồ Văn Dần": "chair", "Đỗ Xuân Nam": "directing"},
    "004": {"Lê Trọng Dũng": "directing", "Nguyễn Anh Tuấn": "directing"},
}


def _seed(seeds_dir, number: str) -> str:
    return next(seeds_dir.glob(f"{number}_*.txt")).read_text(encoding="utf-8")


@pytest.mark.parametrize("number", sorted(SEED_MEETINGS))
def test_every_dated_seed_meeting_has_its_date_kind_and_period(seeds_dir, number):
    meeting = read_text(_seed(seeds_dir, number)).meeting
    assert (meeting.date, meeting.time_of_day, meeting.kind, meeting.period) == SEED_MEETINGS[
        number
    ]


@pytest.mark.parametrize("number", sorted(SEED_PEOPLE))
def test_every_seed_person_is_read_with_a_position_and_role(seeds_dir, number):
    people = {person.name: person for person in read_text(_seed(seeds_dir, number)).people}
    for name, role in SEED_PEOPLE[number].items():
        assert people[name].position, name
        assert people[name].role == role, name


def test_seed_000_has_its_four_limitations_and_five_directives(seeds_dir):
    extraction = read_text(_seed(seeds_dir, "000"))
    assert len(extraction.limitations) == 4
    assert len(extraction.directives) == 5
    assert extraction.directives[3] == "Thực hiện tốt nhiệm vụ tuyển, giao quân năm 2023"


def test_seed_004_records_the_party_badges(seeds_dir):
    awards = read_text(_seed(seeds_dir, "004")).awards
    assert any("Huy hiệu" in award and "19 đảng viên" in award for award in awards)
