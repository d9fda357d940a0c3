"""Uploading PDF, .doc and photos on /documents/ (#19): read as the other formats are, text read
by OCR marked on the review page, within the 5 MB bound, and a clear error when a tool is
missing. The files are made here from our own sentences (a skip only when a tool is missing;
CI installs them all: .ci/run)."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from PIL import Image, ImageDraw, ImageFont

from tests.factories import make_unit, make_user
from xaso.documents.models import SourceDocument
from xaso.documents.services import MAX_UPLOAD
from xaso.org.models import Role, UnitKind
from xaso.reading import ocr

pytestmark = pytest.mark.django_db

FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
LINES = [
    "Chiều ngày 21/4/2025, xã Tân Lập họp giao ban tháng 4.",
    "Toàn xã làm mới 2.400 m đường bê tông nội đồng.",
    "Các thôn hoàn thành 9/9 tiêu chí về môi trường.",
]
BANNER = "Văn bản được nhận dạng từ ảnh (OCR): hãy đối chiếu với bản gốc (trang 1)."
BESIDE = "Nhận dạng từ ảnh (OCR), trang 1: chữ và số có thể sai, hãy đối chiếu với bản gốc."


def _need(*tools: str) -> None:
    for tool in tools:
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (CI installs it: .ci/run)")
    if "tesseract" in tools and ocr.missing():
        pytest.skip("tesseract has no Vietnamese data (apt-get install tesseract-ocr-vie)")


@pytest.fixture
def officer(client):
    commune = make_unit("Tân Lập", UnitKind.COMMUNE, code="tl")
    user = make_user("vanthu", unit=commune, role=Role.MANAGER)
    client.force_login(user)
    return user


def _photo(kind: str = "PNG") -> bytes:
    """A page photographed square on: black serif text on white, about 300 DPI."""
    if not FONT.is_file():
        pytest.skip("fonts-liberation2 is not installed (CI installs it: .ci/run)")
    font = ImageFont.truetype(str(FONT), 48)
    image = Image.new("L", (1800, 420), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(LINES):
        draw.text((80, 60 + row * 110), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


def _office(tmp_path: Path, to: str) -> bytes:
    """The three lines as a DOCX made by python-docx, converted by LibreOffice."""
    _need("soffice")
    document = Document()
    for line in LINES:
        document.add_paragraph(line)
    source = tmp_path / "bao-cao.docx"
    document.save(source)
    profile = (tmp_path / "profile").as_uri()
    command = [shutil.which("soffice"), f"-env:UserInstallation={profile}", "--headless"]
    command += ["--convert-to", to, "--outdir", str(tmp_path), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)  # noqa: S603
    return source.with_suffix(f".{to}").read_bytes()


def _upload(client, name: str, data: bytes):
    return client.post("/documents/", {"file": SimpleUploadedFile(name, data)})


def test_the_form_names_the_formats(client, officer):
    page = client.get("/documents/").content.decode()
    assert 'accept=".docx,.doc,.rtf,.pdf,.png,.jpg,.jpeg,.txt,.html,.htm"' in page
    assert "Tệp báo cáo (.docx, .doc, .pdf, ảnh chụp .png/.jpg, .txt, .html; tối đa 5 MB)" in page


@pytest.mark.parametrize("to", ["pdf", "doc"])
def test_pdf_and_doc_read_like_docx_without_an_ocr_mark(client, officer, tmp_path, to):
    response = _upload(client, f"bao-cao.{to}", _office(tmp_path, to))
    document = SourceDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{document.pk}/"
    assert document.text == "\n\n".join(LINES)
    assert document.warnings == []
    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert "2.400 m" in page
    assert "(OCR)" not in page


@pytest.mark.parametrize(("name", "kind"), [("anh.png", "PNG"), ("anh.jpg", "JPEG")])
def test_photo_read_by_ocr_and_marked_at_the_top_and_beside_the_text(client, officer, name, kind):
    _need("tesseract")
    response = _upload(client, name, _photo(kind))
    assert response.status_code == 302
    document = SourceDocument.objects.get()
    assert document.warnings == ["Văn bản được nhận dạng từ ảnh (OCR): hãy đối chiếu với bản gốc."]
    # What Tesseract reads right in a clear 48 px serif: the numbers and a whole sentence.
    assert "Toàn xã làm mới 2.400 m đường bê tông nội đồng." in document.text
    assert "9/9 tiêu chí" in document.text
    page = client.get(f"/documents/{document.pk}/").content.decode()
    top, text = page.split('<section class="card source">')
    assert BANNER in top
    assert BESIDE in text
    assert top.index(BANNER) < top.index('class="stack review"')  # above the review form


def test_size_bound_both_sides(client, officer):
    _need("tesseract")
    photo = _photo()
    padded = photo + b"\x00" * (MAX_UPLOAD - len(photo))  # bytes after the PNG's end are ignored
    assert _upload(client, "anh.png", padded).status_code == 302
    assert SourceDocument.objects.count() == 1
    response = _upload(client, "anh-lon.png", padded + b"\x00")
    assert response.status_code == 400
    assert "Tệp lớn hơn 5 MB." in response.content.decode()
    assert SourceDocument.objects.count() == 1


def test_missing_tesseract_is_said_and_nothing_is_saved(client, officer, monkeypatch, tmp_path):
    photo = _photo()
    monkeypatch.setenv("PATH", str(tmp_path))  # a server without Tesseract
    response = _upload(client, "anh.png", photo)
    assert response.status_code == 400
    assert (
        "anh.png: Máy chủ chưa cài Tesseract OCR tiếng Việt (tesseract-ocr-vie) nên không đọc "
        "được ảnh chụp/bản quét."
    ) in response.content.decode()
    assert not SourceDocument.objects.exists()
