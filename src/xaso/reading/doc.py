"""Old Word documents (.doc, Word 97–2003, and RTF) to DOCX with LibreOffice headless.

(`xaso.publishing.pdf_out` runs LibreOffice the same way the other way round, DOCX → PDF.)
Pure: no Django. The file is written into a temporary directory and converted there by
`soffice --headless --convert-to docx`, with its own throw-away user profile (so that several
conversions may run at once, beside a LibreOffice the server runs for something else) and a
timeout; the DOCX is then read like any other (`xaso.reading.docx`). The directory is removed
afterwards. A missing LibreOffice gives a Vietnamese `ReadError`.
"""

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from xaso.reading.decode import ReadError

SECONDS = 120  # LibreOffice starts in a few seconds; a document converts in a few more

NO_LIBREOFFICE = (
    "Máy chủ chưa cài LibreOffice (libreoffice-writer) nên không đọc được tệp Word đời cũ "
    "(.doc); hãy lưu lại dưới dạng .docx."
)
FAILED = "LibreOffice không chuyển được tệp Word cũ (.doc, .rtf) này: tệp hỏng hoặc có mật khẩu."
TOO_SLOW = f"Chuyển tệp .doc quá {SECONDS} giây mà chưa xong; hãy lưu lại dưới dạng .docx."

# An OLE2 compound file holds a Word document when it has a stream of this name (UTF-16).
_WORD_STREAM = "WordDocument".encode("utf-16-le")


def is_word(data: bytes) -> bool:
    """Whether an OLE2 compound file (old Office) is a Word document rather than Excel, …"""
    return _WORD_STREAM in data


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _run(command: list[str], folder: Path) -> None:
    """Run LibreOffice in a session of its own, so that a timeout ends all its processes."""
    try:
        process = subprocess.Popen(  # noqa: S603 -- a fixed command, our own temp files
            command,
            cwd=folder,
            env={**os.environ, "HOME": str(folder)},  # nothing written to the server's home
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise ReadError(NO_LIBREOFFICE) from exc
    try:
        process.wait(timeout=SECONDS)
    except subprocess.TimeoutExpired as exc:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise ReadError(TOO_SLOW) from exc


WORD_97 = "MS Word 97"  # LibreOffice's import filter for .doc (Word 97–2003)
RTF = "Rich Text Format"


def doc_to_docx(data: bytes, import_filter: str = WORD_97) -> bytes:
    """The DOCX LibreOffice makes of an old Word document (or RTF). Raises `ReadError`.

    The import filter is named, so that a broken file fails instead of being taken for plain
    text (LibreOffice's fallback)."""
    soffice = _soffice()
    if soffice is None:
        raise ReadError(NO_LIBREOFFICE)
    with tempfile.TemporaryDirectory(prefix="xaso-doc-") as folder:
        folder = Path(folder)
        source = folder / "in.doc"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            f"--infilter={import_filter}",
            "--nolockcheck",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        _run(command, folder)
        converted = folder / "out" / "in.docx"
        if not converted.is_file():
            raise ReadError(FAILED)
        return converted.read_bytes()
