"""Fuzzing xaso.reading: any bytes, any text, archive bombs and quadratic inputs end in a
result or a Vietnamese ReadError, never another exception, and stay small and quick.

Peak memory is measured with tracemalloc, which sees Python's allocations (lxml's C
allocations are not traced); the bombs are refused before lxml parses anything.
"""

import io
import re
import struct
import tracemalloc
import zipfile
from functools import cache

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xaso.reading import ReadError, archive, budget, read_bytes, read_text
from xaso.reading.decode import _restore_punctuation, decode_bytes
from xaso.reading.docx import BROKEN, read_docx
from xaso.reading.html import html_to_text
from xaso.reading.model import Extraction
from xaso.reading.source import REPEATED, load_document

FAST = settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
MEMORY_BOUND = 100 * 1024 * 1024  # bytes of Python allocations while refusing a bomb
_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w='
    b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
_TAIL = b"</w:body></w:document>"


@cache
def _base() -> bytes:
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def docx(body_chunks, *, styles: bytes | None = None) -> bytes:
    """A DOCX whose document.xml is `body_chunks` inside a body, streamed into the archive."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_base())) as base, zipfile.ZipFile(out, "w", 8) as new:
        for info in base.infolist():
            if info.filename == "word/document.xml":
                with new.open(info.filename, "w", force_zip64=True) as member:
                    member.write(_HEAD)
                    for chunk in body_chunks:
                        member.write(chunk)
                    member.write(_TAIL)
            elif info.filename == "word/styles.xml" and styles is not None:
                new.writestr(info.filename, styles)
            else:
                new.writestr(info, base.read(info))
    return out.getvalue()


def refused(data: bytes, filename: str = "bom.docx") -> tuple[str, int]:
    """(the ReadError message, peak traced bytes) of loading `data`; fails if it is read."""
    tracemalloc.start()
    try:
        load_document(data, filename)
    except ReadError as error:
        return str(error), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    raise AssertionError("the reader accepted a hostile file")


def _outcome(function, *args):
    """Call; a ReadError with a Vietnamese message is a fine ending too."""
    try:
        return function(*args)
    except ReadError as error:
        assert str(error) and error.message == str(error)
        return None


# --- archive bombs ---------------------------------------------------------------------------


def test_a_small_docx_expanding_to_64_mb_is_refused():
    paragraph = b"<w:p><w:r><w:t>" + "Thu ngân sách đạt 3.750 triệu đồng. ".encode() * 100
    data = docx(paragraph + b"</w:t></w:r></w:p>" for _ in range(64 * 1024 * 1024 // 4000))
    assert len(data) < 1024 * 1024
    message, peak = refused(data)
    assert message == "Tệp giải nén lớn quá 20 MB: có thể là tệp hỏng hoặc tệp độc hại."
    assert peak < MEMORY_BOUND


def _lie(data: bytes, name: str, size: int) -> bytes:
    """`data` with the uncompressed size of member `name` declared as `size`, in its local
    header and in the central directory."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zipped:
        local = zipped.getinfo(name).header_offset
    struct.pack_into("<I", data, local + 22, size)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + length] == name.encode():
            struct.pack_into("<I", data, central + 24, size)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def test_a_header_that_lies_about_the_size_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_base())) as base, zipfile.ZipFile(out, "w", 8) as new:
        for info in base.infolist():
            if info.filename == "word/document.xml":
                big = _HEAD + b"<w:p><w:r><w:t>" + b"a" * (64 * 1024 * 1024) + b"</w:t></w:r></w:p>"
                new.writestr(info.filename, big + _TAIL)
                del big
            else:
                new.writestr(info, base.read(info))
    data = _lie(out.getvalue(), "word/document.xml", 1_000)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size == 1_000
    message, peak = refused(data)
    assert message == BROKEN  # decompressing shows the data is not what the header says
    assert peak < MEMORY_BOUND


def test_many_members_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_base())) as base, zipfile.ZipFile(out, "w") as new:
        for info in base.infolist():
            new.writestr(info, base.read(info))
        for number in range(archive.MAX_MEMBERS + 1):
            new.writestr(f"word/media/image{number}.png", b"")
    message, peak = refused(out.getvalue())
    assert message == "Tệp nén có quá 1.000 thành phần: có thể là tệp hỏng hoặc tệp độc hại."
    assert peak < MEMORY_BOUND


def test_three_million_empty_paragraphs_are_refused_before_parsing():
    data = docx([b"<w:p/>" * 3_000_000])
    assert len(data) < 100 * 1024
    message, peak = refused(data)
    assert message == (
        "Tệp có quá 500.000 thẻ XML (đoạn văn, ô bảng …): có thể là tệp hỏng hoặc tệp độc hại."
    )
    assert peak < MEMORY_BOUND


def test_too_many_paragraphs_within_the_tag_limit_are_refused(monkeypatch):
    monkeypatch.setattr(budget, "MAX_BLOCKS", 2_000)
    data = docx([b"<w:p/>" * 2_001])
    message, _ = refused(data)
    assert message == budget.TOO_MANY_BLOCKS


def test_a_docx_of_more_than_a_million_characters_is_refused():
    paragraph = b"<w:p><w:r><w:t>" + b"x" * 9_000 + b"</w:t></w:r></w:p>"
    message, _ = refused(docx([paragraph] * 120))
    assert message == budget.TOO_LONG


# --- hostile DOCX structure ------------------------------------------------------------------

_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_styles_based_on_each_other_in_a_loop_end():
    styles = (
        b"<w:styles " + _W + b">"
        b'<w:style w:type="paragraph" w:default="1" w:styleId="A"><w:basedOn w:val="B"/></w:style>'
        b'<w:style w:type="paragraph" w:styleId="B"><w:basedOn w:val="A"/></w:style>'
        b'<w:style w:type="paragraph" w:styleId="C&quot;]"><w:basedOn w:val="C&quot;]"/></w:style>'
        b"</w:styles>"
    )
    body = '<w:p><w:pPr><w:pStyle w:val="C&quot;]"/></w:pPr><w:r><w:t>Xin chào</w:t></w:r></w:p>'
    body = body.encode()
    again = "<w:p><w:r><w:t>lần nữa</w:t></w:r></w:p>".encode()
    assert read_docx(docx([body, again], styles=styles)) == (
        "Xin chào\n\nlần nữa",
        [],
    )


def test_a_long_vertical_merge_is_read_in_one_pass():
    first = "<w:tr><w:tc><w:tcPr><w:vMerge w:val='restart'/></w:tcPr><w:p><w:r><w:t>Thôn 1"
    first = first.encode()
    rest = b"<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>"
    body = [b"<w:tbl>", first + b"</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr>"]
    body += [rest] * 3000 + [b"</w:tbl>"]  # python-docx's row.cells recursed 3000 deep
    text, _ = read_docx(docx(body))
    assert text == "\n".join(["Thôn 1 | "] * 3001).strip()  # the block is stripped


def test_a_vertical_merge_with_nothing_above_is_its_own_cell():
    row = "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>ô</w:t></w:r></w:p></w:tc></w:tr>"
    row = row.encode()
    assert read_docx(docx([b"<w:tbl>", row, b"</w:tbl>"]))[0] == "ô"


# --- quadratic texts -------------------------------------------------------------------------

PARAGRAPH = (
    "Đảng ủy xã tổ chức hội nghị sơ kết công tác 6 tháng đầu năm 2022. Trong 6 tháng, toàn xã "
    "làm mới 1.135m đường giao thông nông thôn, trồng 215 cây bóng mát; thu ngân sách ước đạt "
    "3.750 triệu đồng/15.511 triệu đồng (đạt 24,2% kế hoạch huyện giao)."
)


def test_megabytes_of_a_repeated_paragraph_collapse_to_one():
    data = ((PARAGRAPH + "\n\n") * (5_000_000 // len(PARAGRAPH))).encode()
    assert len(data) > 4_900_000
    tracemalloc.start()
    try:
        text, warnings = load_document(data, "lap.txt")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (text, warnings) == (PARAGRAPH, [REPEATED])
    assert peak < MEMORY_BOUND


def test_a_text_longer_than_the_cap_is_refused_by_read_text():
    with pytest.raises(ReadError) as caught:
        read_text("a" * (budget.MAX_TEXT + 1))
    assert caught.value.message == (
        "Văn bản dài quá 1.000.000 ký tự: có thể là tệp hỏng hoặc tệp độc hại; nếu đúng là "
        "văn bản dài như vậy, hãy chia nhỏ."
    )


def test_a_text_of_too_many_lines_is_refused():
    with pytest.raises(ReadError) as caught:
        load_document(b"a\n" * budget.MAX_LINES, "dong.txt")
    assert caught.value.message == budget.TOO_MANY_LINES


@pytest.mark.parametrize(
    "text",
    [
        "khen thưởng. " * 40_000,  # awards: sentences on one line
        "Hạn chế:\n- một việc cần làm\n" * 15_000,  # lists after cues
        "Nhiệm vụ trọng tâm:\n" * 25_000,
        "Đ/c Nguyễn Văn An, " * 10_000,
        "1/2/" * 100_000,
        "từ 1/2" + " " * 5000 + "\n",
    ],
    ids=["awards", "cues", "directive-cues", "people", "slashes", "spaces"],
)
def test_hostile_texts_end_within_the_budget(text):
    outcome = _outcome(lambda: read_text(text, seconds=1))
    assert outcome is None or isinstance(outcome, Extraction)


def test_the_time_budget_stops_the_reader_with_a_vietnamese_message():
    with pytest.raises(ReadError) as caught:
        read_text((PARAGRAPH + "\n") * 3000, seconds=0)
    assert caught.value.message == (
        "Đọc tệp quá 0 giây mà chưa xong: văn bản quá lớn hoặc quá phức tạp; hãy chia nhỏ văn "
        "bản rồi đọc lại."
    )
    assert read_text(PARAGRAPH).figures  # outside a budget nothing is left behind


@pytest.mark.parametrize("markup", ["<a ", "<!--", "<![", "</a ", "<?", "<a b='"])
def test_unclosed_markup_ends(markup):
    page = (markup * 20_000).encode()
    outcome = _outcome(load_document, page, "trang.html")
    assert outcome is None or isinstance(outcome[0], str)


# --- fuzzing ---------------------------------------------------------------------------------


@FAST
@given(st.binary(max_size=3000))
def test_any_bytes_decode_or_read_error(data):
    outcome = _outcome(decode_bytes, data)
    assert outcome is None or outcome[0] == outcome[0].strip("\ufeff") or True


@FAST
@given(st.binary(max_size=3000), st.sampled_from(["a.txt", "a.html", "a.docx", "a", "a.pdf"]))
def test_any_bytes_load_or_read_error(data, filename):
    outcome = _outcome(load_document, data, filename)
    assert outcome is None or outcome[0].strip()


MARKUP = st.text(alphabet="<>/!-?[]&;#=\"' \nabpdivscrit0123xã", max_size=400)


@FAST
@given(MARKUP)
def test_any_markup_gives_text_or_read_error(html):
    outcome = _outcome(html_to_text, html)
    assert outcome is None or isinstance(outcome, str)


@FAST
@given(st.data())
def test_a_damaged_docx_is_read_or_refused(data):
    paragraph = "<w:p><w:r><w:t>Thu 3.750 triệu đồng</w:t></w:r></w:p>".encode()
    original = bytearray(docx([paragraph] * 5))
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] = data.draw(st.integers(0, 255))
    outcome = _outcome(read_docx, bytes(original))
    assert outcome is None or isinstance(outcome[0], str)


WORDS = st.sampled_from(
    [
        *("Đ/c", "Nguyễn", "Văn", "An", "Chủ", "tịch", "UBND", "xã", "Hà", "Linh", "thôn", "9"),
        *("ngày", "30/11/2022", "tháng", "11", "năm", "2022", "6", "đầu", "quý", "II", "từ"),
        *("3.750", "triệu", "đồng", "/", "15.511", "(đạt", "24,2%", "kế", "hoạch", "huyện"),
        *("giao)", "17/17", "chi", "bộ", "khen", "thưởng", "Hạn", "chế:", "-", ";", ".", ":"),
        *("\n", "\n\n", "ước", "đạt", "m", "km", "tấn", "ha", "hộ", "1.135m", "nhiệm", "kỳ"),
        *("2020-2025", "Tác", "giả:", "Giấy", "khen", "‘", "’", "%", "…", "1,2,3", "0"),
    ]
)


@FAST
@given(st.one_of(st.lists(WORDS, max_size=300).map(" ".join), st.text(max_size=500)))
def test_any_text_reads_into_an_extraction_or_read_error(text):
    outcome = _outcome(read_text, text)
    assert outcome is None or outcome.text == outcome.text.strip() or outcome.text


@FAST
@given(st.one_of(st.lists(WORDS, max_size=200).map(" ".join), st.text(max_size=300)))
def test_any_file_reads_or_read_error(text):
    for data, name in ((text.encode("utf-8"), "bai.txt"), (text.encode("utf-16"), "bai.txt")):
        outcome = _outcome(read_bytes, data, name)
        assert outcome is None or isinstance(outcome, Extraction)


def _restore_reference(view: str) -> str:
    """The version before issue 11 (it searched back to the start of the line each time)."""
    from xaso.reading.decode import _OPENING_QUOTE, _TCVN3_DECODE

    def letter(ch: str) -> str:
        return _TCVN3_DECODE.get(ord(ch), ch)

    def fix(match: re.Match[str]) -> str:
        i = match.start()
        code = match.group()
        before = letter(view[i - 1]) if i > 0 else " "
        after = letter(view[i + 1]) if i + 1 < len(view) else " "
        if before.isalpha() and after.isalpha() and (before.isupper() or after.isupper()):
            return code
        if before.isupper():
            opening = _OPENING_QUOTE.get(code)
            line_start = view.rfind("\n", 0, i) + 1
            if opening is None or view.rfind(opening, line_start, i) < 0:
                return code
        return code.encode("latin-1").decode("cp1252")

    return re.sub(r"[\x85\x91-\x97]", fix, view)


@settings(max_examples=300, deadline=500)
@given(st.text(alphabet="\x85\x91\x92\x93\x94\x96AaÔ \n", max_size=40))
def test_quote_repair_in_one_pass_gives_what_it_gave(view):
    assert _restore_punctuation(view) == _restore_reference(view)
