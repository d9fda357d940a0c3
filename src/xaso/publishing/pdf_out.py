"""A Word document as PDF, converted by LibreOffice in headless mode.

Each conversion runs in a throwaway directory with a LibreOffice user profile of its own, so
two conversions at once do not share (and lock) one profile; it is stopped, with everything
it started, when it takes longer than `timeout`. On Linux LibreOffice sets Times New Roman in
Liberation Serif, its metric twin (Debian `fonts-liberation2`): the lines break where Word
breaks them.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path


class ConverterMissing(Exception):
    """LibreOffice is not installed: PDF cannot be made on this server."""


class ConversionFailed(Exception):
    """LibreOffice ran but gave no PDF (it failed or took too long)."""


def converter() -> str:
    """The path of LibreOffice's `soffice`; ConverterMissing when there is none."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    raise ConverterMissing(
        "Không tạo được tệp PDF: máy chủ chưa cài LibreOffice (chương trình «soffice»). "
        "Trên Debian/Ubuntu cài gói libreoffice-writer và fonts-liberation2: "
        "apt-get install libreoffice-writer fonts-liberation2. "
        "Trong khi chờ, có thể tải báo cáo dạng Word (.docx)."
    )


def to_pdf(docx: bytes, *, timeout: int = 120) -> bytes:
    """The PDF of a .docx; ConverterMissing without LibreOffice, ConversionFailed else."""
    soffice = converter()
    with tempfile.TemporaryDirectory(prefix="xaso-pdf-") as work:
        folder = Path(work)
        source = folder / "bao-cao.docx"
        source.write_bytes(docx)
        profile = (folder / "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--invisible",
            "--nodefault",
            "--nolockcheck",
            "--nologo",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(folder),
            str(source),
        ]
        env = {**os.environ, "HOME": str(folder)}  # nothing written to the server's home
        process = subprocess.Popen(  # noqa: S603 -- a fixed command, our own temp files
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=folder,
            start_new_session=True,  # its own process group: killed whole on timeout
        )
        try:
            _out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            raise ConversionFailed(
                f"LibreOffice không chuyển xong báo cáo sang PDF sau {timeout} giây; "
                "đã dừng. Hãy thử lại, hoặc tải báo cáo dạng Word (.docx)."
            ) from None
        result = folder / "bao-cao.pdf"
        if process.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
            detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise ConversionFailed(
                "LibreOffice không chuyển được báo cáo sang PDF"
                f" (mã thoát {process.returncode}{': ' + detail[0] if detail[0] else ''}). "
                "Có thể tải báo cáo dạng Word (.docx)."
            )
        return result.read_bytes()


def _kill(process: subprocess.Popen) -> None:
    """Stop soffice and what it started (its own process group), then reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
