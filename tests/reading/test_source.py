"""load_document / load_path: format sniffing, furniture, repeated publication, the real seeds."""

import io
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
from docx import Document

from xaso.reading.decode import BINARY, EMPTY, WARN_CP1258, WARN_TCVN3, ReadError, encode_legacy
from xaso.reading.furniture import strip_furniture
from xaso.reading.source import (
    NO_TEXT,
    NOT_DOCX,
    NOT_FOUND,
    PDF,
    REPEATED,
    collapse_repeats,
    load_document,
    load_path,
)

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

TITLE = "Xã Quỳnh Thạch ra quân xây dựng nông thôn mới kiểu mẫu"
LEAD = (
    "Sáng ngày 5/4/2023, Ban Chỉ đạo xây dựng nông thôn mới xã Quỳnh Thạch tổ chức lễ ra quân "
    "đợt thi đua cao điểm 60 ngày đêm, với sự tham gia của hơn 500 cán bộ, đoàn viên, hội viên "
    "và nhân dân 9 thôn. Đồng chí Phạm Thị Mai, Chủ tịch UBND xã, phát biểu phát động."
)
BODY = (
    "Trong đợt thi đua, xã phấn đấu làm mới 3,5 km đường giao thông nội đồng, trồng 2.000 cây "
    "xanh, chỉnh trang 120 vườn hộ và xây 45 bể lọc nước thải sinh hoạt. Các thôn đăng ký khối "
    "lượng cụ thể, báo cáo tiến độ về Ban Chỉ đạo vào thứ Sáu hằng tuần để tổng hợp, chỉ đạo."
)
CAPTION = "Đ/c Phạm Thị Mai, Chủ tịch UBND xã phát biểu tại lễ ra quân"
BYLINE = "Tác giả: Hoàng Văn Sơn - Nguồn: Đài truyền thanh xã"
ARTICLE = "\n\n".join([TITLE, "05/04/2023 16:20", LEAD, CAPTION, BODY, BYLINE])


def test_plain_text_with_trailing_furniture():
    page = (
        ARTICLE
        + "\n\n\n\nĐánh giá:\n\nlượt đánh giá: , trung bình:\u00a0Bình luận\n\n\n"
        + "Mã xác thực không đúng.\n    CHƯƠNG TRÌNH PHÁT THANH\n  \u00a0Liên kết website\n"
        + "    Thống kê: 12.345\n    Online: 31"
    )
    text, warnings = load_document(page.encode("utf-8"), "bai.txt")
    assert text == ARTICLE
    assert warnings == []


def test_related_news_marker_cuts_the_rest():
    page = ARTICLE + "\n\nTin liên quan\n\nXã tổ chức hội nghị\nHuyện kiểm tra tiến độ\n"
    assert load_document(page.encode(), "a.txt")[0] == ARTICLE
    page = ARTICLE + "\n\nCác tin khác:\nHuyện kiểm tra tiến độ\n"
    assert load_document(page.encode(), "a.txt")[0] == ARTICLE


def test_marker_before_the_article_does_not_swallow_it():
    page = "Tin cùng chuyên mục\n\n" + ARTICLE
    assert load_document(page.encode(), "a.txt")[0] == ARTICLE


def test_captions_bylines_and_furniture_words_inside_the_text_are_kept():
    text = f"{LEAD}\n\nĐánh giá:\n\n{BODY}\n\nCác đại biểu tham dự hội nghị\n\nNguyễn Lan"
    assert strip_furniture(text) == text


def test_blank_lines_collapse_and_lines_are_stripped():
    assert strip_furniture("  Một  \n\n\n\n\t\u00a0\nHai   \n\n") == "Một\n\nHai"


def test_repeated_publication_is_collapsed():
    second = "\n\n".join([LEAD, CAPTION, BODY, BYLINE])
    page = ARTICLE + "\n\n" + second + "\n"
    text, warnings = load_document(page.encode(), "a.txt")
    assert text == ARTICLE
    assert warnings == [REPEATED]


def test_repeated_publication_with_its_title_and_trailing_furniture():
    page = ARTICLE + "\n\n" + ARTICLE + "\n\nThống kê: 77\nOnline: 3"
    text, warnings = load_document(page.encode(), "a.txt")
    assert text == ARTICLE
    assert warnings == [REPEATED]


def test_short_repeated_lines_are_not_a_repeat():
    page = ARTICLE + "\n\n" + CAPTION + "\n\n" + BYLINE
    text, changed = collapse_repeats(page)
    assert text == page
    assert not changed


def test_legacy_and_windows_1258_files():
    legacy = encode_legacy(ARTICLE, "tcvn3").encode("latin-1")
    assert load_document(legacy, "bai.txt") == (ARTICLE, [WARN_TCVN3])
    assert load_document(_cp1258(ARTICLE), "bai.txt") == (ARTICLE, [WARN_CP1258])


def _cp1258(text: str) -> bytes:
    """Windows-1258: tones as combining marks after the base letter (which may be â, ơ …)."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def _html(body: str) -> str:
    return (
        "<!DOCTYPE html><html><head><title>x</title></head><body>"
        "<nav><a>Trang chủ</a><a>Tin tức</a></nav>"
        f"{body}<footer>Online: 5</footer></body></html>"
    )


def test_html_is_sniffed_by_content_and_by_name():
    body = "".join(f"<p>{part}</p>" for part in ARTICLE.split("\n\n"))
    for name, data in [
        ("bai.txt", _html(body).encode()),
        ("bai.htm", body.encode()),
        ("trang", ("\ufeff  " + _html(body)).encode("utf-16")),
    ]:
        assert load_document(data, name) == (ARTICLE, []), name


def test_html_with_legacy_font_text_in_entities():
    legacy = encode_legacy(ARTICLE, "tcvn3")
    body = "".join(
        f"<p>{''.join(f'&#{ord(c)};' if ord(c) > 127 else c for c in p)}</p>"
        for p in legacy.split("\n\n")
    )
    assert load_document(_html(body).encode(), "a.html") == (ARTICLE, [WARN_TCVN3])


def test_docx_is_sniffed_by_content():
    document = Document()
    for part in ARTICLE.split("\n\n"):
        document.add_paragraph(part)
    document.add_paragraph("Thống kê: 99")
    out = io.BytesIO()
    document.save(out)
    assert load_document(out.getvalue(), "upload.bin") == (ARTICLE, [])


def test_refusals():
    def message(data: bytes, name: str) -> str:
        with pytest.raises(ReadError) as err:
            load_document(data, name)
        assert err.value.filename == name
        return str(err.value)

    assert message(b"", "a.txt") == EMPTY
    assert message(b"\n \n", "a.txt") == EMPTY
    assert message(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "anh.txt") == BINARY
    assert message(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "bao-cao.pdf") == PDF
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    assert message(archive.getvalue(), "so-lieu.xlsx") == NOT_DOCX
    assert message(_html("<nav>Trang chủ</nav>").encode(), "a.html") == NO_TEXT


def test_load_path(tmp_path):
    path = tmp_path / "bai.txt"
    path.write_bytes(ARTICLE.encode("utf-16"))
    assert load_path(path) == (ARTICLE, [])
    with pytest.raises(ReadError) as err:
        load_path(tmp_path / "khong-co.txt")
    assert str(err.value) == NOT_FOUND


# --- the real seeds -------------------------------------------------------------------------


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("the source reports (../shared/seeds) are not beside this checkout")
    return SEEDS


def _seed(seeds: Path, number: str) -> tuple[str, str, list[str]]:
    (path,) = seeds.glob(f"{number}_*.txt")
    raw = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    text, warnings = load_document(path.read_bytes(), path.name)
    return raw, text, warnings


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_seed_002_loses_its_trailing_furniture(seeds):
    raw, text, warnings = _seed(seeds, "002")
    raw_lines = _lines(raw)
    end = raw_lines.index("Đánh giá:")
    assert _lines(text) == raw_lines[:end]  # the whole body, nothing after it
    for furniture in ("Mã xác thực", "Thống kê", "Online", "Liên kết website", "Đánh giá:"):
        assert furniture in raw
        assert furniture not in text
    assert warnings == []


def test_seed_003_repeated_article_is_collapsed(seeds):
    raw, text, warnings = _seed(seeds, "003")
    longest = max(_lines(raw), key=len)
    assert raw.count(longest) == 2
    assert text.count(longest) == 1
    assert warnings == [REPEATED]
    # the first copy is whole: its byline is still the last line
    assert _lines(text)[-1] == _lines(raw)[-1]
    assert len(text) < 0.6 * len(raw)


def test_seed_001_loses_the_related_news_marker(seeds):
    raw, text, warnings = _seed(seeds, "001")
    raw_lines = _lines(raw)
    assert raw_lines[-1] == "Tin cùng chuyên mục"
    assert "Tin cùng chuyên mục" not in text
    assert _lines(text) == raw_lines[:-1]  # the byline above it stays
    assert warnings == []


@pytest.mark.parametrize("number", ["000", "004"])
def test_clean_seeds_keep_every_line(seeds, number):
    raw, text, warnings = _seed(seeds, number)
    assert _lines(text) == _lines(raw)
    assert warnings == []
    assert not re.search(r"\n{3,}", text)
