"""Reading a document citation as officers write it.

"Quyết định số 15/QĐ-UBND ngày 10/01/2020 của UBND huyện" → kind "Quyết định", number
"15/QĐ-UBND", date 10/01/2020, issuer "UBND huyện". Every part but the kind may be missing
("Nghị quyết Đại hội Đảng bộ xã lần thứ XX"); what is not recognised stays in `rest`.
Pure standard library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from xaso.vn.text import fold, nfc

__all__ = ["Citation", "CitationError", "read_citation"]

MAX_LENGTH = 300

# Folded spelling of a kind's words → its code (the models' DocumentKind values).
KINDS = {
    "quyet dinh": "decision",
    "nghi quyet": "resolution",
    "ke hoach": "plan",
    "cong van": "official_letter",
    "thong bao": "notice",
    "ket luan": "conclusion",
    "chuong trinh": "programme",
    "van ban": "other",
}
# "QĐ 15/QĐ-UBND", "NQ số 05/NQ-HĐND": the usual short forms of the kinds.
_SHORT_KINDS = {"qd": "decision", "nq": "resolution", "kh": "plan", "cv": "official_letter"}

_NUMBER = re.compile(r"(?:\bsố\s*:?\s*)?(?P<number>\d+[A-Za-z]?(?:/[\wĐđ.\-]+)+)", re.IGNORECASE)
_DATE = re.compile(
    r"\bngày\s+(?P<d>\d{1,2})\s*(?:/|-|\.|\s+tháng\s+)(?P<m>\d{1,2})"
    r"\s*(?:/|-|\.|\s+năm\s+)(?P<y>\d{4})\b",
    re.IGNORECASE,
)
_ISSUER = re.compile(r"\bcủa\s+(?P<issuer>.+?)\s*[.;,]?\s*$", re.IGNORECASE)


class CitationError(ValueError):
    """A citation that cannot be read; the message is Vietnamese."""


@dataclass(frozen=True)
class Citation:
    kind: str  # a DocumentKind code
    number: str = ""
    issued_on: date | None = None
    issuer: str = ""
    rest: str = ""  # words not recognised, e.g. a title


def _kind(text: str) -> tuple[str, str]:
    """The kind's code and the text after the kind's words."""
    words = text.split()
    for size in (2, 1):
        head = fold(" ".join(words[:size]))
        code = KINDS.get(head) if size == 2 else _SHORT_KINDS.get(head)
        if code:
            return code, " ".join(words[size:])
    raise CitationError(
        f"Không nhận ra loại văn bản trong ‘{text}’: hãy bắt đầu bằng Quyết định, Nghị quyết, "
        "Kế hoạch, Công văn, Thông báo, Kết luận hoặc Chương trình."
    )


def read_citation(text: str) -> Citation:
    text = " ".join(nfc(text).split())
    if not text:
        raise CitationError("Chưa nhập văn bản.")
    if len(text) > MAX_LENGTH:
        raise CitationError(f"Trích dẫn văn bản dài quá {MAX_LENGTH} ký tự.")
    kind, rest = _kind(text)
    issued_on = None  # the date first: "ngày 24/07/2020" is not a number/symbol
    found = _DATE.search(rest)
    if found:
        day, month, year = (int(found.group(part)) for part in ("d", "m", "y"))
        try:
            issued_on = date(year, month, day)
        except ValueError:
            raise CitationError(
                f"Ngày ban hành {found.group(0)[5:].strip()} không có thật trong lịch."
            ) from None
        rest = (rest[: found.start()] + " " + rest[found.end() :]).strip()
    number = ""
    found = _NUMBER.search(rest)
    if found:
        number = found.group("number")
        rest = (rest[: found.start()] + " " + rest[found.end() :]).strip()
    issuer = ""
    found = _ISSUER.search(rest)
    if found:
        issuer = found.group("issuer").strip()
        rest = rest[: found.start()].strip()
    return Citation(kind, number, issued_on, issuer, " ".join(rest.split()))
