"""ZIP archives (DOCX now, XLSX later) opened without trusting them.

Pure: no Django. A ZIP of a few hundred kilobytes can expand to gigabytes, hold a million
members, or declare sizes in its headers that its data does not have. `check_archive` refuses
all of that before any library parses the archive: it counts the members, then decompresses
every member in small chunks, counting the bytes that really come out (the declared sizes are
only used to refuse early), and the XML tags of the XML parts, which is what an XML parser
builds in memory. It raises `ReadError` with a Vietnamese message; once it has passed, a
library (python-docx, openpyxl) can read the same bytes within the same bounds.
"""

import io
import zipfile
import zlib
from dataclasses import dataclass

from xaso.reading.decode import ReadError

MAX_MEMBERS = 1_000  # a DOCX has about 15, plus its pictures
MAX_UNCOMPRESSED = 20 * 1024 * 1024  # bytes, every member decompressed
MAX_TAGS = 500_000  # "<" in the XML parts: elements an XML parser would build (~100 MB)
_CHUNK = 64 * 1024

BROKEN = "Tệp nén (ZIP) bị hỏng."
TOO_MANY_MEMBERS = "Tệp nén có quá {limit} thành phần: có thể là tệp hỏng hoặc tệp độc hại."
TOO_LARGE = "Tệp giải nén lớn quá {limit} MB: có thể là tệp hỏng hoặc tệp độc hại."
TOO_MANY_TAGS = (
    "Tệp có quá {limit} thẻ XML (đoạn văn, ô bảng …): có thể là tệp hỏng hoặc tệp độc hại."
)

# What a damaged or hostile archive can raise from zipfile and zlib.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    KeyError,
    NotImplementedError,  # an unknown compression method
    RuntimeError,  # an encrypted member
)


@dataclass(frozen=True)
class Limits:
    members: int = MAX_MEMBERS
    uncompressed: int = MAX_UNCOMPRESSED
    tags: int = MAX_TAGS


@dataclass(frozen=True)
class Summary:
    names: frozenset[str]
    uncompressed: int  # bytes that came out of decompressing every member
    tags: int  # "<" counted in the members whose name ends in .xml or .rels


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _too_large(limits: Limits) -> ReadError:
    return ReadError(TOO_LARGE.format(limit=_grouped(limits.uncompressed // (1024 * 1024))))


def check_archive(data: bytes, limits: Limits = Limits(), *, broken: str = BROKEN) -> Summary:
    """Check a ZIP archive against `limits` by decompressing it; raise `ReadError` if it is
    damaged (message `broken`) or goes beyond them. Memory: one chunk at a time."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > limits.members:
                raise ReadError(TOO_MANY_MEMBERS.format(limit=_grouped(limits.members)))
            if sum(info.file_size for info in infos) > limits.uncompressed:
                raise _too_large(limits)  # declared: a quick refusal, not a proof
            total = tags = 0
            for info in infos:
                xml = info.filename.lower().endswith((".xml", ".rels"))
                with archive.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        total += len(chunk)
                        if total > limits.uncompressed:
                            raise _too_large(limits)
                        if xml:
                            tags += chunk.count(b"<")
                            if tags > limits.tags:
                                raise ReadError(TOO_MANY_TAGS.format(limit=_grouped(limits.tags)))
            return Summary(frozenset(info.filename for info in infos), total, tags)
    except ZIP_ERRORS as exc:
        raise ReadError(broken) from exc
