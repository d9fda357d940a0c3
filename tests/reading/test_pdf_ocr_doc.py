"""PDF (text layer and scanned), photos by OCR, and old Word .doc (#19).

The inputs are built here from our own sentences: a DOCX made with python-docx, turned into a
PDF and a .doc by LibreOffice, rendered to PNG by pdftoppm, and an image-only PDF made by PIL.
A test skips only when the tool it needs is missing (CI installs them all: .ci/run).
"""

import io
import json
import shutil
import subprocess
import unicodedata
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image

from xaso.cli import main
from xaso.reading import ReadError, doc, ocr, pdf, read_bytes
from xaso.reading.source import load_source

HEADING = "UỶ BAN NHÂN DÂN XÃ HOÀ BÌNH"
LEAD = (
    "Sáng ngày 14/3/2025, Ủy ban nhân dân xã Hòa Bình tổ chức hội nghị sơ kết công tác quý I "
    "năm 2025. Đồng chí Trần Thị Mai, Chủ tịch UBND xã chủ trì hội nghị."
)
RESULTS = (
    "Trong quý, toàn xã trồng mới 1.250 m hàng rào xanh; thu ngân sách đạt 3.750 triệu đồng. "
    "Có 17/19 tiêu chí đã hoàn thành."
)
TASKS = (
    "Hội nghị yêu cầu các thôn tiếp tục vận động nhân dân chỉnh trang vườn hộ và giữ gìn "
    "đường làng sạch đẹp."
)
PAGE_TWO = "Các thôn báo cáo kết quả về Ủy ban nhân dân xã trước ngày 30/6/2025 để tổng hợp."
FOOTER = "Báo cáo sơ kết quý I năm 2025 của xã Hòa Bình"
PARAGRAPHS = [HEADING, LEAD, RESULTS, TASKS, PAGE_TWO]


def _need(*tools: str) -> None:
    for tool in tools:
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (CI installs it: .ci/run)")
    if "tesseract" in tools and ocr.missing():
        pytest.skip("tesseract has no Vietnamese data (apt-get install tesseract-ocr-vie)")


def _convert(source: Path, to: str) -> Path:
    out = source.parent
    profile = (out / "lo-profile").as_uri()
    soffice = shutil.which("soffice")
    subprocess.run(  # noqa: S603 -- our own files
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return source.with_suffix(f".{to}")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """report.docx (two pages, a running footer with the page number; its text decomposed,
    NFD, as some editors write it) and what LibreOffice and pdftoppm make of it."""
    _need("soffice")
    folder = tmp_path_factory.mktemp("formats")
    document = Document()
    document.styles["Normal"].font.name = "Liberation Serif"
    document.styles["Normal"].font.size = Pt(13)
    for text in PARAGRAPHS[:-1]:
        document.add_paragraph(unicodedata.normalize("NFD", text))
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph(PAGE_TWO)
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = FOOTER
    number = document.sections[0].header.paragraphs[0]
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    number._p.append(field)
    docx = folder / "report.docx"
    document.save(docx)
    files = {"docx": docx, "pdf": _convert(docx, "pdf"), "doc": _convert(docx, "doc")}
    if shutil.which("pdftoppm"):
        pdftoppm = shutil.which("pdftoppm")
        subprocess.run(  # noqa: S603 -- our own files
            [
                pdftoppm,
                "-r",
                "300",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(files["pdf"]),
                str(folder / "page1"),
            ],
            check=True,
            timeout=60,
        )
        files["png"] = folder / "page1.png"
    return files


def _unite(*pdfs: Path) -> None:
    """pdfunite A B OUT: the pages of A then B."""
    subprocess.run([shutil.which("pdfunite"), *pdfs], check=True, timeout=60)  # noqa: S603


def _scanned_pdf(png: Path, pages: int = 1) -> bytes:
    """An image-only PDF, as a scanner makes: no text layer at all."""
    image = Image.open(png).convert("L")
    out = io.BytesIO()
    image.save(out, "PDF", resolution=300, save_all=True, append_images=[image] * (pages - 1))
    return out.getvalue()


def test_pdf_text_layer_paragraphs_in_order_without_footer_and_page_numbers(files):
    loaded = load_source(files["pdf"].read_bytes(), "report.pdf")
    # Each paragraph whole (its wrapped lines joined), NFC although the DOCX was NFD; the
    # footer and the page numbers ("1", "2") of both pages are gone.
    assert loaded.text == "\n\n".join(PARAGRAPHS)
    assert loaded.ocr_pages == []
    assert loaded.warnings == []


def test_pdf_read_into_figures(files):
    extraction = read_bytes(files["pdf"].read_bytes(), "report.pdf")
    figures = {(f.value, f.unit) for f in extraction.figures}
    assert figures == {(Decimal(1250), "m"), (Decimal(3750), "trieu_dong")}
    assert [(r.achieved, r.total, r.what) for r in extraction.ratios] == [(17, 19, "tiêu chí")]
    assert str(extraction.meeting.date) == "2025-03-14"
    assert extraction.ocr_pages == []
    assert extraction.to_json()["ocr_pages"] == []


def test_pdf_table_rows_joined_like_docx(tmp_path):
    _need("soffice")
    document = Document()
    document.add_paragraph("Kết quả thực hiện các chỉ tiêu năm 2025:")
    table = document.add_table(rows=3, cols=3)
    rows = [
        ("Chỉ tiêu", "Kế hoạch", "Thực hiện"),
        ("Hàng rào xanh", "2.000 m", "1.250 m"),
        ("Vườn hộ chỉnh trang", "120 vườn", "95 vườn"),
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("Các thôn cần:")
    document.add_paragraph("- trồng thêm cây xanh;")
    document.add_paragraph("- sửa đường làng.")
    source = tmp_path / "bang.docx"
    document.save(source)
    text = load_source(_convert(source, "pdf").read_bytes(), "bang.pdf").text
    # pdfminer gives each cell a box, read a column at a time; the rows are put back.
    assert text == (
        "Kết quả thực hiện các chỉ tiêu năm 2025:\n\n"
        "Chỉ tiêu | Kế hoạch | Thực hiện\n\n"
        "Hàng rào xanh | 2.000 m | 1.250 m\n\n"
        "Vườn hộ chỉnh trang | 120 vườn | 95 vườn\n\n"
        "Các thôn cần:\n\n- trồng thêm cây xanh;\n\n- sửa đường làng."
    )


def test_doc_through_libreoffice(files):
    data = files["doc"].read_bytes()
    assert data.startswith(b"\xd0\xcf\x11\xe0")  # an OLE2 file, not a renamed DOCX
    text, warnings = load_source(data, "report.doc")[:2]
    assert text == "\n\n".join(PARAGRAPHS)  # the body, as from the DOCX (not the footer)
    assert warnings == []
    extraction = read_bytes(data, "report.doc")
    assert {f.value for f in extraction.figures} == {Decimal(1250), Decimal(3750)}


def test_rtf_through_libreoffice(files):
    rtf = _convert(files["docx"], "rtf").read_bytes()
    assert rtf.startswith(b"{\\rtf")
    assert load_source(rtf, "cu.doc").text == "\n\n".join(PARAGRAPHS)


def test_a_broken_doc_is_refused_in_words():
    _need("soffice")
    broken = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") * 4
    with pytest.raises(ReadError) as err:
        load_source(broken, "hong.doc")
    assert str(err.value) == (
        "LibreOffice không chuyển được tệp Word cũ (.doc, .rtf) này: tệp hỏng hoặc có mật khẩu."
    )


def test_photo_by_ocr(files):
    _need("tesseract", "pdftoppm")
    extraction = read_bytes(files["png"].read_bytes(), "anh-chup.png")
    # What OCR reads right from a 300 DPI page in a clear serif (checked by eye once: the
    # whole page came back letter for letter, the page number "1" included).
    assert "Đồng chí Trần Thị Mai, Chủ tịch UBND xã chủ trì hội nghị." in extraction.text
    assert "trồng mới 1.250 m hàng rào xanh" in extraction.text
    figures = {(f.value, f.unit) for f in extraction.figures}
    assert {(Decimal(1250), "m"), (Decimal(3750), "trieu_dong")} <= figures
    assert extraction.ocr_pages == [1]
    assert extraction.warnings[0] == ocr.notice(None)
    assert extraction.to_json()["ocr_pages"] == [1]


def test_scanned_pdf_takes_the_ocr_path_and_marks_its_pages(files, tmp_path):
    _need("tesseract", "pdftoppm", "pdfunite")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(_scanned_pdf(files["png"]))
    assert pdf.read_pdf(scan.read_bytes()).ocr_pages == [1]
    # Two pages with a text layer, then the scan: only page 3 is read by OCR.
    mixed = tmp_path / "mixed.pdf"
    _unite(files["pdf"], scan, mixed)
    loaded = load_source(mixed.read_bytes(), "mixed.pdf")
    assert loaded.ocr_pages == [3]
    assert loaded.warnings[0] == (
        "Văn bản được nhận dạng từ ảnh (OCR): hãy đối chiếu với bản gốc (trang 3)."
    )
    first, scanned = loaded.text.split(PAGE_TWO)
    assert first == "\n\n".join(PARAGRAPHS[:-1]) + "\n\n"  # the text layer, exact
    assert "Đồng chí Trần Thị Mai" in scanned and "3.750 triệu đồng" in scanned
    extraction = read_bytes(mixed.read_bytes(), "mixed.pdf")
    assert extraction.ocr_pages == [3]


def test_scanned_pages_beyond_the_limit_are_left_with_a_warning(files, monkeypatch, tmp_path):
    _need("tesseract", "pdftoppm")
    data = _scanned_pdf(files["png"], pages=2)
    monkeypatch.setattr(ocr, "MAX_PAGES", 2)
    assert pdf.read_pdf(data).ocr_pages == [1, 2]
    monkeypatch.setattr(ocr, "MAX_PAGES", 1)
    read = pdf.read_pdf(data)
    assert read.ocr_pages == [1]
    assert read.warnings == [
        ocr.notice([1]),
        "Chỉ nhận dạng (OCR) 1 trang quét đầu tiên; các trang 2 chưa đọc: hãy tách tệp.",
    ]


def test_ocr_stops_starting_pages_after_its_time(files, monkeypatch):
    _need("tesseract", "pdftoppm")
    data = _scanned_pdf(files["png"], pages=2)
    monkeypatch.setattr(ocr, "TOTAL_SECONDS", 0)  # spent at once: the first page is still read
    read = pdf.read_pdf(data)
    assert read.ocr_pages == [1]
    assert read.warnings[1] == (
        "Nhận dạng (OCR) đã quá 0 giây nên dừng; các trang 2 chưa đọc: hãy tách tệp."
    )
    assert "Trần Thị Mai" in read.text


def test_page_limit(files, monkeypatch):
    data = files["pdf"].read_bytes()  # two pages
    monkeypatch.setattr(pdf, "MAX_PAGES", 2)
    assert pdf.read_pdf(data).text.endswith(PAGE_TWO)
    monkeypatch.setattr(pdf, "MAX_PAGES", 1)
    with pytest.raises(ReadError) as err:
        pdf.read_pdf(data)
    assert str(err.value) == "Tệp PDF dài quá 1 trang: hãy tách thành nhiều tệp."


def test_image_size_limit(monkeypatch):
    _need("tesseract")
    monkeypatch.setattr(ocr, "MAX_PIXELS", 5000)

    def png(width, height) -> bytes:
        out = io.BytesIO()
        Image.new("L", (width, height), 255).save(out, "PNG")
        return out.getvalue()

    with pytest.raises(ReadError) as err:  # at the limit: read, but a blank image says nothing
        ocr.ocr_image(png(100, 50))
    assert str(err.value) == ocr.NOTHING_READ
    with pytest.raises(ReadError) as err:  # one pixel over
        ocr.ocr_image(png(3, 1667))
    assert str(err.value) == ocr.HUGE_IMAGE


def test_missing_tools_give_a_clear_message(files, monkeypatch, tmp_path):
    _need("tesseract", "pdftoppm", "pdfunite")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(_scanned_pdf(files["png"]))
    mixed = tmp_path / "mixed.pdf"
    _unite(files["pdf"], scan, mixed)
    png, doc_bytes = files["png"].read_bytes(), files["doc"].read_bytes()
    monkeypatch.setenv("PATH", str(tmp_path))  # a server with none of the tools
    expected = (
        "Máy chủ chưa cài Tesseract OCR tiếng Việt (tesseract-ocr-vie) nên không đọc được ảnh "
        "chụp/bản quét."
    )
    for data, name in ((png, "anh.png"), (scan.read_bytes(), "scan.pdf")):
        with pytest.raises(ReadError) as err:
            load_source(data, name)
        assert str(err.value) == expected
    # The text layer of a mixed PDF is still read; the scanned page is named as left out.
    loaded = load_source(mixed.read_bytes(), "mixed.pdf")
    assert loaded.text == "\n\n".join(PARAGRAPHS)
    assert loaded.ocr_pages == []
    assert loaded.warnings == [f"Các trang 3 là bản quét nhưng chưa đọc được: {expected}"]
    with pytest.raises(ReadError) as err:
        load_source(doc_bytes, "cu.doc")
    assert str(err.value) == doc.NO_LIBREOFFICE


def _pdf_with_content(content: bytes) -> bytes:
    """A one-page PDF whose content stream is `content`, Flate-compressed."""
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (5, xref)
    return bytes(out)


def test_a_small_pdf_expanding_to_200_mb_is_stopped(files, monkeypatch):
    bomb = _pdf_with_content(b"q Q " * 50_000_000)  # 195 KB on disk
    assert len(bomb) < 200_000
    text = files["pdf"].read_bytes()
    monkeypatch.setattr(pdf, "MEMORY", 300 << 20)
    assert pdf.read_pdf(text).text.startswith(HEADING)  # an ordinary PDF fits
    with pytest.raises(ReadError) as err:
        pdf.read_pdf(bomb)
    assert str(err.value) == pdf.TOO_BIG
    monkeypatch.setattr(pdf, "MEMORY", 2 << 30)
    monkeypatch.setattr(pdf, "SECONDS", 5)
    assert pdf.read_pdf(text).text.startswith(HEADING)
    with pytest.raises(ReadError) as err:
        pdf.read_pdf(bomb)
    assert str(err.value) == (
        "Đọc tệp PDF quá 5 giây mà chưa xong: tệp quá lớn, quá phức tạp hoặc hỏng; hãy in lại "
        "thành PDF hoặc lưu thành .docx."
    )


def test_refusals():
    with pytest.raises(ReadError) as err:
        load_source(b"%PDF-1.7\nnot really a PDF\n", "hong.pdf")
    assert str(err.value) == pdf.BROKEN
    ole_excel = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "Workbook".encode("utf-16-le")
    with pytest.raises(ReadError) as err:
        load_source(ole_excel, "so-lieu.xls")
    assert "Excel" in str(err.value)


def test_pdf_with_a_password(files):
    profile = (files["docx"].parent / "lo-profile").as_uri()
    export = (
        'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"mk-123"}}'
    )
    out = files["docx"].parent / "locked"
    command = [shutil.which("soffice"), f"-env:UserInstallation={profile}", "--headless"]
    command += ["--convert-to", export, "--outdir", str(out), str(files["docx"])]
    subprocess.run(command, check=True, capture_output=True, timeout=180)  # noqa: S603
    with pytest.raises(ReadError) as err:
        load_source((out / "report.pdf").read_bytes(), "khoa.pdf")
    assert str(err.value) == "Tệp PDF có mật khẩu hoặc bị khoá: hãy mở khoá rồi tải lên lại."


def test_ingest_json(files, capsys):
    _need("tesseract", "pdftoppm")
    paths = [str(files[kind]) for kind in ("pdf", "doc", "png")]
    assert main(["ingest", *paths, "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert [r["source"] for r in results] == paths
    assert [r["ocr_pages"] for r in results] == [[], [], [1]]
    for result in results:
        assert {"value": 1250, "unit": "m"}.items() <= result["figures"][0].items()
        assert result["meeting"]["date"] == "2025-03-14"


def test_notice_round_trip():
    assert ocr.pages_in([ocr.notice([2, 5])]) == [2, 5]
    assert ocr.pages_in(["Tệp nhị phân.", ocr.notice(None)]) == [1]
    assert ocr.pages_in(["Văn bản khác."]) == []
    assert ocr.pages_in(None) == []


def test_join_lines():
    assert pdf.join_lines(["Các thôn cần:", "- trồng cây", "tiếp", "+ làm đường", "a) sửa"]) == (
        "Các thôn cần:\n- trồng cây tiếp\n+ làm đường\na) sửa"
    )
