"""The report as PDF: LibreOffice converts the DOCX, in Times New Roman's metric twin.

The conversions need LibreOffice (`soffice`) and poppler's `pdftotext`/`pdffonts`; CI installs
them (.ci/run), so they skip only on a machine without them. The failures are played by small
stand-ins for `soffice` on PATH, so they run everywhere.
"""

import datetime as dt
import os
import shutil
import subprocess
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.factories import make_indicator, make_unit
from xaso.figures.services import record_result, set_target
from xaso.org.models import UnitKind
from xaso.periods import parse_period
from xaso.publishing import pdf_out
from xaso.publishing.reports import ReportError, write_report

pytestmark = pytest.mark.django_db

H1 = parse_period("2020-H1")
DAY = dt.date(2020, 7, 10)

needs_libreoffice = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdffonts")),
    reason="LibreOffice (soffice) or poppler (pdftotext, pdffonts) is not installed; "
    "apt-get install libreoffice-writer fonts-liberation2 poppler-utils (.ci/run does)",
)


@pytest.fixture
def township():
    district = make_unit("Hương Khê", UnitKind.DISTRICT, code="hk")
    town = make_unit("Hương Khê", UnitKind.TOWNSHIP, district, code="hk-tt")
    revenue = make_indicator("thu-ngan-sach", name="Thu ngân sách trên địa bàn", unit="trieu_dong")
    set_target(unit=town, indicator=revenue, period="2020", source="district_plan", value="15511")
    record_result(unit=town, indicator=revenue, period=H1, value="3750", status="estimated")
    return town


def pdf_of(unit, issuer="party") -> bytes:
    found = write_report(user=None, unit=unit, period=H1, fmt="pdf", issuer=issuer, day=DAY)
    assert found.filename.endswith(".pdf")
    assert found.content_type == "application/pdf"
    return found.content


def poppler(tool: str, pdf: bytes, tmp_path) -> str:
    path = tmp_path / f"{tool}.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(  # noqa: S603 -- poppler on our own file
        [tool, str(path), "-"] if tool == "pdftotext" else [tool, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@needs_libreoffice
@pytest.mark.parametrize("issuer", ["state", "party"])
def test_the_pdf_holds_the_report_in_liberation_serif(township, issuer, tmp_path):
    pdf = pdf_of(township, issuer)
    assert pdf.startswith(b"%PDF")
    text = " ".join(poppler("pdftotext", pdf, tmp_path).split())
    assert "BÁO CÁO" in text
    assert "ước đạt 3.750 triệu đồng/15.511 triệu đồng, đạt 24,2% kế hoạch huyện giao" in text
    assert "Hương Khê, ngày 10 tháng 7 năm 2020" in text
    # Times New Roman set in its metric twin, embedded; no fallback font for a letter.
    fonts = [line.split()[0] for line in poppler("pdffonts", pdf, tmp_path).splitlines()[2:]]
    assert fonts
    assert all("LiberationSerif" in name or "Times" in name for name in fonts), fonts
    assert not any("DejaVu" in name for name in fonts)


@needs_libreoffice
def test_two_conversions_at_once_both_succeed(township):
    docx = write_report(user=None, unit=township, period=H1, fmt="docx", day=DAY).content
    with ThreadPoolExecutor(2) as pool:
        pdfs = list(pool.map(pdf_out.to_pdf, [docx, docx]))
    assert all(pdf.startswith(b"%PDF") for pdf in pdfs)


def running(pid: int) -> bool:
    """Whether the process lives (a zombie left to a container's init does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def fake_soffice(folder, script: str) -> None:
    """A stand-in for LibreOffice on PATH, as a shell script."""
    path = folder / "soffice"
    path.write_text("#!/bin/sh\n" + textwrap.dedent(script))
    path.chmod(0o755)


def test_without_libreoffice_the_message_names_the_package(township, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no soffice anywhere
    with pytest.raises(pdf_out.ConverterMissing, match="libreoffice-writer"):
        pdf_out.to_pdf(b"PK")
    # The page and the command line get it as the report's error, in Vietnamese.
    with pytest.raises(ReportError, match=r"chưa cài LibreOffice.*libreoffice-writer"):
        pdf_of(township)


def test_a_failed_conversion_says_so(tmp_path, monkeypatch):
    fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2\nexit 1\n")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(pdf_out.ConversionFailed, match=r"mã thoát 1: Error: source file"):
        pdf_out.to_pdf(b"PK")


def test_a_conversion_that_exits_with_an_error_fails_even_with_a_file(tmp_path, monkeypatch):
    fake_soffice(tmp_path, 'for last; do :; done\nprintf "%%PDF" > "${last%.docx}.pdf"\nexit 3\n')
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    with pytest.raises(pdf_out.ConversionFailed, match="mã thoát 3"):
        pdf_out.to_pdf(b"PK")


def test_a_conversion_that_gives_no_file_fails(tmp_path, monkeypatch):
    fake_soffice(tmp_path, "exit 0\n")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(pdf_out.ConversionFailed, match="không chuyển được"):
        pdf_out.to_pdf(b"PK")


def test_a_conversion_past_its_time_is_killed_with_its_children(tmp_path, monkeypatch):
    pids = tmp_path / "pids"
    # soffice's launcher starts the real program as a child: both must go.
    fake_soffice(tmp_path, f"sleep 60 &\necho $$ $! > {pids}\nwait\n")
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    started = time.monotonic()
    with pytest.raises(pdf_out.ConversionFailed, match="sau 1 giây"):
        pdf_out.to_pdf(b"PK", timeout=1)
    assert time.monotonic() - started < 10
    for pid in map(int, pids.read_text().split()):
        assert not running(pid)


def test_each_conversion_has_its_own_profile_and_folder(tmp_path, monkeypatch):
    seen = tmp_path / "seen"
    # Writes the PDF LibreOffice would, and notes the arguments it was given.
    fake_soffice(
        tmp_path,
        f"""\
        echo "$@" >> {seen}
        for last; do :; done
        printf '%%PDF-1.7 fake' > "${{last%.docx}}.pdf"
        """,
    )
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    assert pdf_out.to_pdf(b"PK") == b"%PDF-1.7 fake"
    assert pdf_out.to_pdf(b"PK") == b"%PDF-1.7 fake"
    first, second = seen.read_text().splitlines()
    profiles = [line.split()[0] for line in (first, second)]
    assert all(p.startswith("-env:UserInstallation=file:///") for p in profiles)
    assert profiles[0] != profiles[1]
    assert "--headless" in first and "--convert-to pdf" in first
    # Nothing is left behind.
    folder = profiles[0].removeprefix("-env:UserInstallation=file://").rsplit("/", 1)[0]
    assert not os.path.exists(folder)
