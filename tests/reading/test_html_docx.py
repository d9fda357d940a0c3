"""HTML pages and DOCX files to article text."""

import io

from docx import Document

from xaso.reading.decode import encode_legacy
from xaso.reading.docx import docx_to_text, read_docx
from xaso.reading.furniture import strip_furniture
from xaso.reading.html import html_to_text

PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Xã Quỳnh Thạch sơ kết quý I - Cổng thông tin điện tử</title>
<style>body { font-family: Arial; } .menu li { display: inline }</style>
<script>var s = "Thống kê: 1.234"; document.write("<p>không được hiện</p>");</script>
</head>
<body>
<header id="top">
  <div class="logo">CỔNG THÔNG TIN ĐIỆN TỬ XÃ QUỲNH THẠCH</div>
  <nav><ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/gt">Giới thiệu</a></li>
  <li>Tin tức</li></ul></nav>
</header>
<div class="breadcrumb"><a href="/">Trang chủ</a> &raquo; Tin tức &raquo; Hoạt động</div>
<div id="main-content">
 <h1>Xã Quỳnh Thạch sơ kết công tác quý I năm 2023</h1>
 <div class="date">15/03/2023 08:45</div>
 <p>Chiều ngày 14/3/2023, Đảng ủy xã tổ chức hội nghị sơ kết quý&nbsp;I, triển khai
    nhiệm vụ quý II. Dự hội nghị có đồng chí Lê Văn Hưởng, Phó Chủ tịch UBND huyện.</p>
 <figure><img src="a.jpg" alt="ảnh hội nghị">
   <figcaption>Đ/c Lê Văn Hưởng phát biểu chỉ đạo hội nghị</figcaption></figure>
 <p>Trong quý, toàn xã làm mới 2,4&nbsp;km đường giao thông, trồng 1.250 cây xanh; thu ngân
    sách ước đạt 1.820 triệu đồng, bằng 36,4% kế hoạch huyện giao.<br>Công tác vệ sinh môi
    trường còn hạn chế, việc thu gom r&aacute;c chưa thường xuyên.</p>
 <table><tr><th>Chỉ tiêu</th><th>Kế hoạch</th><th>Thực hiện</th></tr>
 <tr><td>Đường giao thông (km)</td><td>6</td><td>2,4</td></tr></table>
 <p>Tác giả: Nguyễn Thu Hà &ndash; Nguồn: Ban Biên tập &amp; Đài truyền thanh xã</p>
 <div class="rating">Đánh giá: ★★★★☆</div>
 <div class="box-share"><a>In bài viết</a> | <a>Gửi email</a></div>
 <div class="other-news"><h3>Tin cùng chuyên mục</h3>
   <ul><li><a href="/1">Xã tổ chức ra quân làm đường giao thông</a></li>
   <li><a href="/2">Hội Nông dân xã tập huấn kỹ thuật trồng lúa</a></li></ul></div>
</div>
<aside><h3>Liên kết website</h3><select><option>Cổng TTĐT tỉnh</option></select></aside>
<footer><p>Thống kê truy cập</p><p>Online: 12</p><p>Bản quyền thuộc về UBND xã Quỳnh Thạch</p>
</footer>
</body></html>
"""

ARTICLE = """Xã Quỳnh Thạch sơ kết công tác quý I năm 2023

15/03/2023 08:45

Chiều ngày 14/3/2023, Đảng ủy xã tổ chức hội nghị sơ kết quý I, triển khai nhiệm vụ quý II. \
Dự hội nghị có đồng chí Lê Văn Hưởng, Phó Chủ tịch UBND huyện.

Đ/c Lê Văn Hưởng phát biểu chỉ đạo hội nghị

Trong quý, toàn xã làm mới 2,4 km đường giao thông, trồng 1.250 cây xanh; thu ngân sách ước \
đạt 1.820 triệu đồng, bằng 36,4% kế hoạch huyện giao.
Công tác vệ sinh môi trường còn hạn chế, việc thu gom rác chưa thường xuyên.

Chỉ tiêu | Kế hoạch | Thực hiện
Đường giao thông (km) | 6 | 2,4

Tác giả: Nguyễn Thu Hà – Nguồn: Ban Biên tập & Đài truyền thanh xã"""


def test_html_page_is_reduced_to_the_article():
    assert html_to_text(PAGE) == ARTICLE


def test_html_article_header_and_footer_are_kept():
    page = (
        "<html><body><header>Cổng thông tin xã</header><article><header><h1>Hội nghị giao ban"
        "</h1></header><p>Nội dung báo cáo tháng.</p><footer>Ảnh và tin bài: Trần Minh</footer>"
        "</article><footer>Online: 4</footer></body></html>"
    )
    assert html_to_text(page) == (
        "Hội nghị giao ban\n\nNội dung báo cáo tháng.\n\nẢnh và tin bài: Trần Minh"
    )


def test_html_furniture_without_markup_hints_is_stripped():
    page = (
        "<div><p>Xã tổ chức hội nghị tổng kết công tác phòng cháy chữa cháy.</p>"
        "<p>Đánh giá:</p><p>lượt đánh giá: 0, trung bình: 0 Bình luận</p>"
        "<p>Mã xác thực không đúng.</p><p>Thống kê: 10.512</p><p>Online: 7</p></div>"
    )
    assert html_to_text(page) == "Xã tổ chức hội nghị tổng kết công tác phòng cháy chữa cháy."


def test_html_unclosed_paragraphs_and_entities():
    page = "<p>Hội Phụ nữ&#x20;xã &quot;5 không 3 sạch&quot;<p>Đoàn Thanh ni&#234;n xã"
    assert html_to_text(page) == 'Hội Phụ nữ xã "5 không 3 sạch"\n\nĐoàn Thanh niên xã'


# --- DOCX -----------------------------------------------------------------------------------


def build_docx() -> bytes:
    document = Document()
    document.add_heading("Báo cáo kết quả quý I năm 2023", level=1)
    document.add_paragraph(
        "Trong quý, toàn xã làm mới 2,4 km đường giao thông, trồng 1.250 cây xanh."
    )
    table = document.add_table(rows=4, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "Kết quả thực hiện một số chỉ tiêu"
    for r, row in enumerate(
        [
            ["Chỉ tiêu", "Kế hoạch", "Thực hiện"],
            ["Đường giao thông (km)", "6", "2,4"],
            ["Cây xanh (cây)", "3.000", "1.250"],
        ],
        start=1,
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    paragraph = document.add_paragraph("Nơi nhận: ")
    paragraph.add_run("Thường trực Đảng ủy").bold = True
    paragraph.add_run("; lưu VP.")
    return _save(document)


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_paragraphs_and_table():
    assert docx_to_text(build_docx()) == (
        "Báo cáo kết quả quý I năm 2023\n\n"
        "Trong quý, toàn xã làm mới 2,4 km đường giao thông, trồng 1.250 cây xanh.\n\n"
        "Kết quả thực hiện một số chỉ tiêu\n"
        "Chỉ tiêu | Kế hoạch | Thực hiện\n"
        "Đường giao thông (km) | 6 | 2,4\n"
        "Cây xanh (cây) | 3.000 | 1.250\n\n"
        "Nơi nhận: Thường trực Đảng ủy; lưu VP."
    )


def test_docx_legacy_font_runs_are_converted():
    document = Document()
    paragraph = document.add_paragraph()
    run = paragraph.add_run(encode_legacy("báo cáo", "tcvn3"))
    run.font.name = ".VnTimeH"  # the capitals font of the ABC set
    paragraph.add_run(" của ")
    run = paragraph.add_run(encode_legacy("ủy ban nhân dân xã", "tcvn3"))
    run.font.name = ".VnTime"
    run = document.add_paragraph().add_run(encode_legacy("Người báo cáo: Trần Thị Hằng", "vni"))
    run.font.name = "VNI-Times"
    text, warnings = read_docx(_save(document))
    assert text == "BÁO CÁO của ủy ban nhân dân xã\n\nNgười báo cáo: Trần Thị Hằng"
    assert len(warnings) == 2


def test_strip_furniture_is_idempotent_on_the_article():
    assert strip_furniture(ARTICLE) == ARTICLE


def test_docx_legacy_font_from_the_style_and_unicode_runs():
    document = Document()
    document.styles["Normal"].font.name = ".VnTime"  # an old template
    document.add_paragraph(encode_legacy("Biên bản hội nghị giao ban tháng 5", "tcvn3"))
    document.add_paragraph("Người ghi: Đặng Thị Thu")  # typed later, in Unicode
    text, warnings = read_docx(_save(document))
    assert text == "Biên bản hội nghị giao ban tháng 5\n\nNgười ghi: Đặng Thị Thu"
    assert len(warnings) == 1
