"""Citations of the documents that set targets, as officers write them."""

from datetime import date

import pytest

from xaso.vn.citations import MAX_LENGTH, Citation, CitationError, read_citation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Quyết định số 15/QĐ-UBND ngày 10/01/2020 của UBND huyện",
            Citation("decision", "15/QĐ-UBND", date(2020, 1, 10), "UBND huyện"),
        ),
        (
            "Nghị quyết số 05/NQ-HĐND ngày 20 tháng 12 năm 2019 của HĐND xã Hà Linh",
            Citation("resolution", "05/NQ-HĐND", date(2019, 12, 20), "HĐND xã Hà Linh"),
        ),
        (
            "QĐ số 1234/QĐ-UBND ngày 3-7-2020 của UBND tỉnh",
            Citation("decision", "1234/QĐ-UBND", date(2020, 7, 3), "UBND tỉnh"),
        ),
        ("Kế hoạch 27/KH-UBND", Citation("plan", "27/KH-UBND")),
        (
            "Nghị quyết Đại hội Đảng bộ thị trấn lần thứ XXV",
            Citation("resolution", rest="Đại hội Đảng bộ thị trấn lần thứ XXV"),
        ),
        (
            "Nghị quyết ngày 24/07/2020 của HĐND thị trấn",
            Citation("resolution", "", date(2020, 7, 24), "HĐND thị trấn"),
        ),
        (
            "Nghị quyết số 12/2020/NQ-HĐND ngày 10/12/2020",
            Citation("resolution", "12/2020/NQ-HĐND", date(2020, 12, 10)),
        ),
        (
            "  công   văn số 88/UBND-VP của UBND xã  ",
            Citation("official_letter", "88/UBND-VP", issuer="UBND xã"),
        ),
    ],
)
def test_citations_are_read_into_their_parts(text, expected):
    assert read_citation(text) == expected


def test_decomposed_spelling_reads_the_same():
    import unicodedata

    text = unicodedata.normalize("NFD", "Quyết định số 2/QĐ-UBND của UBND huyện")
    assert read_citation(text) == Citation("decision", "2/QĐ-UBND", issuer="UBND huyện")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Chưa nhập văn bản"),
        ("Tờ trình số 4/TTr-UBND", "Không nhận ra loại văn bản trong ‘Tờ trình số 4/TTr-UBND’"),
        ("Quyết định số 1/QĐ-UBND ngày 30/02/2020", "không có thật"),
    ],
)
def test_unreadable_citations_are_refused_in_vietnamese(text, message):
    with pytest.raises(CitationError, match=message):
        read_citation(text)


def test_length_limit_on_both_sides():
    head = "Quyết định "
    assert read_citation(head + "x" * (MAX_LENGTH - len(head))).rest
    with pytest.raises(CitationError, match="dài quá"):
        read_citation(head + "x" * (MAX_LENGTH - len(head) + 1))
