"""Reading a report sent as a chat message (xaso.reading.chat): concrete messages, both sides
of a tie, what is left over, units converted, and hostile input."""

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xaso.reading.chat import MAX_LENGTH, ChatError, IndicatorSpec, read_chat_report

HERE = Path(__file__).parent


def _load(name: str) -> dict:
    with (HERE / name).open("rb") as handle:
        return tomllib.load(handle)


FORMS = {
    key: [
        IndicatorSpec(i["code"], i["name"], i["unit"], tuple(i.get("aliases", ())))
        for i in form["indicators"]
    ]
    for key, form in _load("chat_forms.toml")["forms"].items()
}
WEEKLY = FORMS["tuan45"]
MONTHLY = FORMS["ntm"]
DEV = _load("chat_dev.toml")["messages"]
HELD_OUT = _load("chat_heldout.toml")["messages"]


def values(reading) -> dict[str, Decimal]:
    return {v.code: v.value for v in reading.values}


def test_the_message_of_the_issue():
    reading = read_chat_report(
        "Thôn Cẩm Trang tuần 3: trồng mới 320 m hàng rào xanh, 5 hộ chỉnh trang vườn, "
        "2 nhà vệ sinh tự hoại.",
        WEEKLY,
    )
    assert values(reading) == {
        "hang-rao-xanh": Decimal(320),
        "ho-chinh-trang-vuon": Decimal(5),
        "ho-nha-ve-sinh": Decimal(2),
    }
    assert [v.source for v in reading.values] == [
        "320 m hàng rào xanh",
        "5 hộ chỉnh trang vườn",
        "2 nhà vệ sinh tự hoại",
    ]
    assert reading.values[0].unit_written == "m"
    assert (reading.unit_name, reading.period, reading.period_code) == (
        "Thôn Cẩm Trang",
        "tuần 3",
        None,
    )
    assert reading.left_over == []


def test_offsets_point_at_the_source_words():
    text = "Thôn Cẩm Trang tuần 3: trồng mới 320 m hàng rào xanh"
    (value,) = read_chat_report(text, WEEKLY).values
    assert text[value.start : value.end] == value.source == "320 m hàng rào xanh"


@pytest.mark.parametrize(
    ("text", "code", "value"),
    [
        ("hàng rào xanh 1,2 km", "hang-rao-xanh", Decimal(1200)),
        ("đắp lề đường 0,8 km", "le-duong", Decimal(800)),
        ("hàng rào xanh 1.250 m", "hang-rao-xanh", Decimal(1250)),
        ("hang rao xanh 200m", "hang-rao-xanh", Decimal(200)),
        ("HR xanh 95m", "hang-rao-xanh", Decimal(95)),
        ("nhà tắm 2 cái", "nha-tam", Decimal(2)),
    ],
)
def test_numbers_units_and_spellings(text, code, value):
    assert values(read_chat_report(text, WEEKLY)) == {code: value}


def test_money_and_length_convert_into_the_indicator_unit():
    reading = read_chat_report("đường GTNT 1.250 m, nhân dân đóng góp 1,2 tỷ", MONTHLY)
    assert values(reading) == {
        "duong-gtnt": Decimal("1.25"),
        "kinh-phi-dong-gop": Decimal(1200),
    }
    assert reading.values[0].note.startswith("Hiểu ‘1.250’ là 1250")


def test_the_unit_decides_between_indicators_with_the_same_words():
    assert values(read_chat_report("chỉnh trang 7 vườn", WEEKLY)) == {"vuon-ho": Decimal(7)}
    assert values(read_chat_report("7 hộ chỉnh trang vườn", WEEKLY)) == {
        "ho-chinh-trang-vuon": Decimal(7)
    }
    assert values(read_chat_report("trồng 14 hộ hàng rào xanh", WEEKLY)) == {
        "ho-hang-rao-xanh": Decimal(14)
    }
    assert values(read_chat_report("trồng 140 m hàng rào xanh", WEEKLY)) == {
        "hang-rao-xanh": Decimal(140)
    }


@pytest.mark.parametrize(
    ("text", "tied"),
    [
        ("chỉnh trang vườn được 9", {"ho-chinh-trang-vuon", "vuon-ho"}),
        ("5 hộ chỉnh trang", {"ho-chinh-trang-vuon", "ho-cong-ngo"}),
    ],
)
def test_a_tie_is_never_guessed(text, tied):
    reading = read_chat_report(text, WEEKLY)
    assert reading.values == []
    (left,) = reading.left_over
    assert set(left.candidates) == tied
    assert left.reason.startswith("Khớp ngang nhau với")
    assert "hãy nhập tay" in left.reason


def test_numbers_that_match_nothing_are_listed():
    reading = read_chat_report(
        "Báo cáo NTM tuần 6 thôn Bắc Sơn: họp dân 2 lần, hàng rào xanh 75m, làm 3/5 việc",
        WEEKLY,
    )
    assert values(reading) == {"hang-rao-xanh": Decimal(75)}
    assert [(item.text, item.reason) for item in reading.left_over] == [
        ("họp dân 2 lần", "Không khớp chỉ tiêu nào của biểu mẫu."),
        ("3/5", "Không đọc số dạng tỉ số/ngày."),
    ]


def test_a_unit_that_does_not_fit_is_said():
    reading = read_chat_report("hàng rào xanh 3 ha", WEEKLY)
    assert reading.values == []
    (left,) = reading.left_over
    assert "hang-rao-xanh" in left.candidates
    assert left.reason.startswith("Đơn vị không hợp với")


def test_two_figures_for_one_indicator_take_neither():
    reading = read_chat_report("hàng rào xanh thôn trên 100m, hàng rào xanh xóm dưới 50m", WEEKLY)
    assert reading.values == []
    assert [item.candidates for item in reading.left_over] == [("hang-rao-xanh",)] * 2


def test_header_numbers_dates_and_times_are_not_figures():
    reading = read_chat_report(
        "Xóm 5 báo cáo tuần 15/2022 lúc 17h30 ngày 22/4: hàng rào xanh 60m", WEEKLY
    )
    assert values(reading) == {"hang-rao-xanh": Decimal(60)}
    assert reading.left_over == []
    assert (reading.unit_name, reading.period, reading.period_code) == (
        "Xóm 5",
        "tuần 15/2022",
        "2022-W15",
    )


def test_an_unreadable_number_is_left_over_with_its_reason():
    reading = read_chat_report("hàng rào xanh 1.2.3 m", WEEKLY)
    assert reading.values == []
    assert "ba chữ số" in reading.left_over[0].reason


@pytest.mark.parametrize("message", DEV, ids=[f"dev{n}" for n in range(1, len(DEV) + 1)])
def test_dev_set(message):
    reading = read_chat_report(message["text"], FORMS[message["form"]])
    assert values(reading) == {k: Decimal(v) for k, v in message["expect"].items()}
    assert reading.unit_name == message.get("unit")
    assert reading.period == message.get("period")


def test_held_out_set_scores_as_reported():
    """docs/reading.md reports the held-out score measured once, before any change made
    after seeing it; this keeps it from getting worse."""
    right = taken = expected = 0
    for message in HELD_OUT:
        got = values(read_chat_report(message["text"], FORMS[message["form"]]))
        want = {k: Decimal(v) for k, v in message["expect"].items()}
        right += sum(1 for code, value in got.items() if want.get(code) == value)
        taken += len(got)
        expected += len(want)
    assert expected == 25
    assert right == taken  # precision 1.00
    assert right >= 24  # recall 0.96


def test_a_message_too_long_is_refused_in_vietnamese():
    with pytest.raises(ChatError) as error:
        read_chat_report("hàng rào xanh 5m, " * 400, WEEKLY)
    assert error.value.message.startswith("Tin nhắn dài quá 5.000 ký tự")


def test_no_indicators_and_empty_text():
    assert read_chat_report("", WEEKLY).values == []
    assert read_chat_report("hàng rào xanh 5m", []).left_over[0].text == "hàng rào xanh 5m"


_CHAT_ALPHABET = st.sampled_from(
    list("0123456789.,;:/-+%\n ") + list("hangròxđêưấộvờmkt") + ["hộ", "m", "km", "và", "tuần"]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=MAX_LENGTH), st.lists(_CHAT_ALPHABET, max_size=400).map("".join)))
def test_no_text_crashes_the_reader(text):
    reading = read_chat_report(text, WEEKLY)
    codes = {spec.code for spec in WEEKLY}
    for value in reading.values:
        assert value.code in codes
        assert value.value >= 0
        assert value.start <= value.end
    for item in reading.left_over:
        assert item.reason


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=50))
def test_over_the_bound_is_always_refused(tail):
    with pytest.raises(ChatError):
        read_chat_report("." * MAX_LENGTH + tail, WEEKLY)
