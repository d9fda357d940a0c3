"""A figure reported twice with two values is flagged (reading.repeats); the rest is not."""

from xaso.reading import read_text


def _warnings(text: str) -> list[str]:
    return [w for w in read_text(text).warnings if "ghi hai lần" in w]


def test_the_same_label_and_unit_with_two_values_is_flagged_naming_both_and_their_lines():
    text = (
        "Thôn Đông đào mới 120 m rãnh thoát nước.\n"
        "Các hộ góp 40 ngày công.\n"
        "Cuối tháng, thôn Đông đào mới 150 m rãnh thoát nước.\n"
    )
    extraction = read_text(text)

    assert _warnings(text) == [
        "Số liệu ‘rãnh thoát nước’ được ghi hai lần với giá trị khác nhau: 120 m (dòng 1: "
        "‘Thôn Đông đào mới 120 m rãnh thoát nước’) và 150 m (dòng 3: ‘Cuối tháng, thôn "
        "Đông đào mới 150 m rãnh thoát nước’). Hãy kiểm tra và chỉ nhập một giá trị."
    ]
    assert [figure.same_as for figure in extraction.figures if figure.unit == "m"] == [None, 0]


def test_the_same_value_written_twice_is_not_a_conflict():
    text = "Đào mới 120 m rãnh thoát nước. Tổng cộng đã đào 120 m rãnh thoát nước."
    assert _warnings(text) == []


def test_another_unit_or_another_label_is_another_figure():
    assert _warnings("Làm 120 m rãnh thoát nước; làm 3 km rãnh thoát nước.") == []
    assert _warnings("Làm 120 m rãnh thoát nước; làm 150 m đường bê tông.") == []


def test_a_plan_beside_its_result_is_not_a_repeat():
    text = "Đào mới 120 m rãnh thoát nước. Phấn đấu năm sau làm 300 m rãnh thoát nước."
    extraction = read_text(text)
    assert [f.role for f in extraction.figures] == ["result", "target"]
    assert _warnings(text) == []
