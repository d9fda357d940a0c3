"""Periods as officers type them (read_period) and as reports write them (find_period).

Expected codes are written by hand from the conventions (shared/DESIGN.md, docs/periods.md).
"""

import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from xaso import periods
from xaso.periods import (
    MAX_PHRASE_LENGTH,
    PeriodError,
    find_period,
    parse_period,
    read_period,
)

EXAMPLES = "Ví dụ: tháng 11/2022, quý II/2022, 6 tháng đầu năm 2022, năm 2022, nhiệm kỳ 2020-2025."

PHRASES = [
    ("Tháng 11/2022", "2022-11"),
    ("tháng 11/2022", "2022-11"),
    ("tháng 11 năm 2022", "2022-11"),
    ("T11/2022", "2022-11"),
    ("11/2022", "2022-11"),
    ("11-2022", "2022-11"),
    ("tháng 1/2022", "2022-01"),
    ("tháng 01/2022", "2022-01"),
    ("quý II/2022", "2022-Q2"),
    ("quý 2 năm 2022", "2022-Q2"),
    ("Q2/2022", "2022-Q2"),
    ("quý I/2022", "2022-Q1"),
    ("quý III/2022", "2022-Q3"),
    ("quý IV/2022", "2022-Q4"),
    ("6 tháng đầu năm 2020", "2020-H1"),
    ("6 tháng cuối năm 2020", "2020-H2"),
    ("sáu tháng đầu năm 2020", "2020-H1"),
    ("9 tháng 2022", "2022-9M"),
    ("9 tháng đầu năm 2022", "2022-9M"),
    ("năm 2022", "2022"),
    ("2022", "2022"),
    ("nhiệm kỳ 2020-2025", "2020..2025"),
    ("nhiệm kỳ 2020 – 2025", "2020..2025"),
    ("2020-2025", "2020..2025"),
    ("tuần 15/2022", "2022-W15"),
    ("tuần 5/2022", "2022-W05"),
    ("từ 15/4/2022 đến 30/5/2022", "2022-04-15..2022-05-30"),
    ("15/4/2022-30/5/2022", "2022-04-15..2022-05-30"),
    ("từ ngày 15/4 đến ngày 30/5/2022", "2022-04-15..2022-05-30"),
]


@pytest.mark.parametrize(("text", "code"), PHRASES)
def test_each_phrase_officers_type_gives_its_period(text, code):
    period = read_period(text)
    assert period.code == code
    assert period == parse_period(code)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("THÁNG 11/2022", "2022-11"),
        ("thang 11/2022", "2022-11"),
        ("Quy ii/2022", "2022-Q2"),
        ("QUÝ IV NĂM 2022", "2022-Q4"),
        ("SÁU THÁNG CUỐI NĂM 2020", "2020-H2"),
        ("6 thang dau nam 2020", "2020-H1"),
        ("chín tháng đầu năm 2022", "2022-9M"),
        ("nhiem ky 2020-2025", "2020..2025"),
        ("Nhiệm Kỳ 2020—2025", "2020..2025"),
        ("tu 15/4/2022 den 30/5/2022", "2022-04-15..2022-05-30"),
        ("  tháng   11 /  2022  ", "2022-11"),
        ("tháng\u00a011/2022", "2022-11"),  # a no-break space, as word processors paste it
        (unicodedata.normalize("NFD", "tháng 11 năm 2022"), "2022-11"),  # decomposed accents
        (unicodedata.normalize("NFD", "nhiệm kỳ 2020–2025"), "2020..2025"),
    ],
)
def test_case_accents_spaces_and_dashes_do_not_matter(text, code):
    assert read_period(text).code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2022-h1", "2022-H1"),
        ("2022-9m", "2022-9M"),
        ("2022-q2", "2022-Q2"),
        ("2022-w15", "2022-W15"),
        ("2022-1", "2022-01"),
        ("2020 .. 2025", "2020..2025"),
        ("2020–2025", "2020..2025"),
        ("2022-04-15..2022-05-30", "2022-04-15..2022-05-30"),
    ],
)
def test_every_code_is_read_as_parse_period_reads_it(text, code):
    assert read_period(text) == parse_period(text)
    assert read_period(text).code == code


# --- limits, from both sides ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("tháng 12/2022", "2022-12"),
        ("tháng 1/2022", "2022-01"),
        ("2022-12", "2022-12"),
        ("quý IV/2022", "2022-Q4"),
        ("quý 4/2022", "2022-Q4"),
        ("tuần 53/2020", "2020-W53"),  # 2020 has 53 ISO weeks
        ("tuần 1/2022", "2022-W01"),
        ("năm 1900", "1900"),
        ("năm 2199", "2199"),
        ("tháng 1/1900", "1900-01"),
        ("tháng 12/2199", "2199-12"),
        ("nhiệm kỳ 2020-2030", "2020..2030"),  # 10 years
        ("nhiệm kỳ 2020-2021", "2020..2021"),
        ("từ 29/2/2024 đến 1/3/2024", "2024-02-29..2024-03-01"),
        ("từ 30/5/2022 đến 30/5/2022", "2022-05-30..2022-05-30"),
    ],
)
def test_the_last_value_inside_each_limit_is_accepted(text, code):
    assert read_period(text).code == code


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("tháng 13/2022", "tháng phải từ 1 đến 12"),
        ("tháng 0/2022", "tháng phải từ 1 đến 12"),
        ("2022-13", "tháng phải từ 1 đến 12"),
        ("13/2022", "tháng phải từ 1 đến 12"),
        ("quý V/2022", "quý phải từ I đến IV"),
        ("quý 5/2022", "quý phải từ I đến IV"),
        ("quý 0/2022", "quý phải từ I đến IV"),
        ("2022-Q5", "quý phải từ I đến IV"),
        ("2022-H3", "nửa năm chỉ có H1 (6 tháng đầu năm) và H2 (6 tháng cuối năm)"),
        ("tuần 54/2020", "tuần phải từ 1 đến 53"),
        ("tuần 0/2022", "tuần phải từ 1 đến 53"),
        ("tuần 53/2021", "năm 2021 không có tuần 53"),  # 2021 has 52 ISO weeks
        ("2021-W53", "năm 2021 không có tuần 53"),
        ("năm 1899", "năm 1899 nằm ngoài khoảng 1900–2199"),
        ("năm 2200", "năm 2200 nằm ngoài khoảng 1900–2199"),
        ("1899", "năm 1899 nằm ngoài khoảng 1900–2199"),
        ("tháng 12/1899", "năm 1899 nằm ngoài khoảng 1900–2199"),
        ("tháng 1/2200", "năm 2200 nằm ngoài khoảng 1900–2199"),
        ("nhiệm kỳ 1899-1905", "năm 1899 nằm ngoài khoảng 1900–2199"),
        ("nhiệm kỳ 2020-2031", "nhiệm kỳ dài quá 10 năm"),  # 11 years
        ("nhiệm kỳ 2020-2020", "năm kết thúc nhiệm kỳ phải sau năm bắt đầu"),
        ("nhiệm kỳ 2025-2020", "năm kết thúc nhiệm kỳ phải sau năm bắt đầu"),
        ("từ 29/2/2022 đến 1/3/2022", "ngày 29/2/2022 không tồn tại"),
        ("từ 30/5/2022 đến 29/5/2022", "ngày kết thúc đứng trước ngày bắt đầu"),
        ("2022-02-30..2022-03-01", "ngày 30/2/2022 không tồn tại"),
        ("tháng 11", "chưa ghi năm"),
        ("quý II", "chưa ghi năm"),
        ("6 tháng đầu năm", "chưa ghi năm"),
    ],
)
def test_the_first_value_outside_each_limit_is_refused_naming_the_problem(text, problem):
    with pytest.raises(PeriodError) as caught:
        read_period(text)
    assert caught.value.message == f"Không hiểu kỳ ‘{text}’: {problem}. {EXAMPLES}"


def test_the_message_of_the_issue_is_given_word_for_word():
    with pytest.raises(PeriodError) as caught:
        read_period("quý V/2022")
    assert str(caught.value) == (
        "Không hiểu kỳ ‘quý V/2022’: quý phải từ I đến IV. Ví dụ: tháng 11/2022, quý II/2022, "
        "6 tháng đầu năm 2022, năm 2022, nhiệm kỳ 2020-2025."
    )


def test_a_phrase_of_80_characters_is_read_and_one_of_81_is_refused():
    assert MAX_PHRASE_LENGTH == 80
    at_limit = "năm" + " " * 73 + "2022"
    assert len(at_limit) == 80
    assert read_period(at_limit).code == "2022"
    over = "năm" + " " * 74 + "2022"
    with pytest.raises(PeriodError) as caught:
        read_period(over)
    assert caught.value.message == f"Kỳ ‘{over[:24]}…’ dài quá 80 ký tự. {EXAMPLES}"


def test_a_huge_input_is_refused_by_its_length():
    with pytest.raises(PeriodError, match="dài quá 80 ký tự"):
        read_period("tháng 11/2022 " * 100_000)


@pytest.mark.parametrize(
    "text", ["hello", "11", "6 tháng 2022", "2022/11", "quỹ", "tháng mười một", "٢٠٢٢"]
)
def test_what_is_not_a_period_is_refused_quoting_it_with_examples(text):
    with pytest.raises(PeriodError) as caught:
        read_period(text)
    assert caught.value.message == f"Không hiểu kỳ ‘{text}’. {EXAMPLES}"
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_nothing_typed_says_so(text):
    with pytest.raises(PeriodError) as caught:
        read_period(text)
    assert caught.value.message == f"Chưa nhập kỳ. {EXAMPLES}"


# --- properties -------------------------------------------------------------------------

YEARS = st.integers(1900, 2199)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
CODES = st.one_of(
    st.builds("{}".format, YEARS),
    st.builds("{}-H{}".format, YEARS, st.integers(1, 2)),
    st.builds("{}-9M".format, YEARS),
    st.builds("{}-Q{}".format, YEARS, st.integers(1, 4)),
    st.builds("{}-{:02d}".format, YEARS, st.integers(1, 12)),
    st.builds("{}-{}".format, YEARS, st.integers(1, 12)),
    st.builds("{}-W{:02d}".format, YEARS, st.integers(1, 53)),
    st.builds(
        lambda first, length: f"{first}..{first + length}",
        st.integers(1900, 2189),
        st.integers(1, 10),
    ),
    st.builds(
        lambda y, m, d, days: f"{y}-{m:02d}-{d:02d}..{y + days // 365}-{m:02d}-{d:02d}",
        YEARS.filter(lambda y: y < 2199),
        st.integers(1, 12),
        st.integers(1, 28),
        st.integers(0, 400),
    ),
)


def _valid(code: str):
    try:
        return parse_period(code)
    except PeriodError:
        assume(False)
        raise


@settings(max_examples=300, deadline=None)
@given(CODES, st.sampled_from([str, str.lower, str.upper, lambda c: f"  {c} "]))
def test_every_valid_code_is_read_as_parse_period_reads_it(code, spell):
    period = _valid(code)
    assert read_period(spell(code)) == period
    assert read_period(spell(code)).code == period.code


@settings(max_examples=300, deadline=None)
@given(CODES)
def test_every_label_reads_back_as_its_period(code):
    # Labels are phrases: "năm 2022", "quý II/2022", "nhiệm kỳ 2020–2025", "từ … đến …".
    period = _valid(code)
    assert read_period(period.label) == period
    assert read_period(period.label.upper()) == period


@settings(max_examples=300, deadline=None)
@given(
    YEARS,
    st.integers(1, 12),
    st.sampled_from(
        [
            "tháng {m}/{y}",
            "Tháng {m:02d}/{y}",
            "tháng {m} năm {y}",
            "thang {m}-{y}",
            "T{m}/{y}",
            "{m}/{y}",
            "{m:02d}-{y}",
        ]
    ),
)
def test_a_month_however_spelled_is_that_month(year, month, spelling):
    assert read_period(spelling.format(m=month, y=year)).code == f"{year}-{month:02d}"


@settings(max_examples=200, deadline=None)
@given(
    YEARS,
    st.integers(1, 4),
    st.sampled_from(["quý {r}/{y}", "Quý {q} năm {y}", "Q{q}/{y}", "quy {r} nam {y}"]),
)
def test_a_quarter_however_spelled_is_that_quarter(year, quarter, spelling):
    text = spelling.format(r=ROMAN[quarter], q=quarter, y=year)
    assert read_period(text).code == f"{year}-Q{quarter}"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=90))
def test_any_text_gives_a_period_or_a_vietnamese_refusal(text):
    try:
        period = read_period(text)
    except PeriodError as error:
        assert error.message.startswith(("Không hiểu kỳ ‘", "Chưa nhập kỳ.", "Kỳ ‘"))
        assert error.message.endswith(EXAMPLES)
        return
    assert parse_period(period.code) == period


# --- find_period: the first period a running text names ------------------------------------


@pytest.mark.parametrize(
    ("text", "year", "code"),
    [
        ("Sơ kết 6 tháng đầu năm 2022", None, "2022-H1"),
        ("Hội nghị sơ kết 6 tháng đầu năm", 2022, "2022-H1"),
        ("Hội nghị sơ kết 6 tháng đầu năm", None, None),
        ("sơ kết sáu tháng cuối năm", 2021, "2021-H2"),
        ("đánh giá kết quả tháng 11 năm 2022 và quý IV", None, "2022-11"),
        ("Báo cáo quý III/2022", None, "2022-Q3"),
        ("Nghị quyết Đại hội nhiệm kỳ 2020 – 2025", None, "2020..2025"),
        ("giao ban trong tuần 15/2022", None, "2022-W15"),
        ("phát động từ ngày 15/4 đến 30/5/2022", None, "2022-04-15..2022-05-30"),
        ("kết quả năm 2022", None, "2022"),
        ("16 tháng đầu năm 2022", None, "2022"),  # 16 months is not a half year
        ("Việt Nam 2022", None, None),  # in a report, accents are required: "Nam" is not "năm"
        ("quỹ 2/2022", None, None),  # a fund (quỹ), not a quarter (quý)
        ("từ 30/2/2022 đến 1/3/2022, năm 2022", None, None),  # the first one named decides
        ("", 2022, None),
    ],
)
def test_find_period_reads_the_first_period_a_report_names(text, year, code):
    assert find_period(text, year) == code


def test_find_period_may_look_for_date_spans_only():
    text = "Kết quả năm 2022. Phát động thi đua từ 15/4/2022 đến 30/5/2022."
    assert find_period(text, None) == "2022"
    assert find_period(text, None, span_only=True) == "2022-04-15..2022-05-30"
    assert find_period("Kết quả năm 2022.", None, span_only=True) is None


def test_the_reader_uses_the_one_grammar_of_xaso_periods():
    from xaso.reading import meeting

    assert meeting.find_period is periods.find_period
    assert not hasattr(meeting, "_PERIODS") and not hasattr(meeting, "_SPAN")
