"""The formal parts of a report around its body: header blocks, number, place and date,
signature and recipients — laid out per NĐ 30/2020/NĐ-CP for a People's Committee and per
HD 36-HD/VPTW for a party committee (docs/publishing.md, shared/domain/document_layout.md).

Pure: names in, texts out. Sizes and margins live with the renderers (`layout`).
"""

import datetime as dt
from dataclasses import dataclass

STATE, PARTY = "state", "party"

# Quốc hiệu and tiêu ngữ (NĐ 30), or the party's header (HD 36).
STATE_MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
PARTY_MOTTO = ("ĐẢNG CỘNG SẢN VIỆT NAM",)

# The numbers are left blank: the office gives them when the report is signed.
STATE_NUMBER = "Số:        /BC-UBND"  # NĐ 30: colon after "Số", slash, hyphen in the symbol
PARTY_NUMBER = "Số        -BC/ĐU"  # HD 36: no colon, hyphen before the type, slash before body


@dataclass(frozen=True)
class Unit:
    """What the heading needs of the reporting unit and its parent."""

    kind_name: str  # "Thị trấn", "Xã"
    name: str  # "Hương Khê"
    parent_kind_name: str = ""  # "Huyện" (before 2025) or "Tỉnh"
    parent_name: str = ""


@dataclass(frozen=True)
class Heading:
    issuer: str  # STATE or PARTY
    parent_line: str  # the superior body, or "" (a People's Committee has none)
    body_lines: tuple[str, ...]  # the issuing body, in capitals
    separator: str  # "*" under a party body; a rule under a state one ("")
    motto: tuple[str, ...]
    number: str
    place_date: str
    authority: str  # "TM. ỦY BAN NHÂN DÂN" / "T/M ĐẢNG ỦY"
    signer_title: str
    signer_name: str  # "" when not known: the renderer leaves a marked gap
    recipients: tuple[str, ...]
    end_mark: str  # "./." closes a state document's body; party documents have none

    @property
    def is_party(self) -> bool:
        return self.issuer == PARTY


def place_date(place: str, day: dt.date) -> str:
    """ "Hương Khê, ngày 10 tháng 7 năm 2020": a leading zero for days 1–9 and months 1–2
    (NĐ 30, Phụ lục I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def heading(unit: Unit, issuer: str, day: dt.date, *, signer_name: str = "") -> Heading:
    whole = f"{unit.kind_name} {unit.name}".upper()
    parent = f"{unit.parent_kind_name} {unit.parent_name}".strip()
    if issuer == PARTY:
        return Heading(
            issuer=PARTY,
            parent_line=f"ĐẢNG BỘ {parent.upper()}" if parent else "",
            body_lines=(f"ĐẢNG ỦY {whole}",),
            separator="*",
            motto=PARTY_MOTTO,
            number=PARTY_NUMBER,
            place_date=place_date(unit.name, day),
            authority="T/M ĐẢNG ỦY",
            signer_title="BÍ THƯ",
            signer_name=signer_name,
            recipients=_party_recipients(parent),
            end_mark="",
        )
    return Heading(
        issuer=STATE,
        parent_line="",
        body_lines=("ỦY BAN NHÂN DÂN", whole),
        separator="",
        motto=STATE_MOTTO,
        number=STATE_NUMBER,
        place_date=place_date(unit.name, day),
        authority="TM. ỦY BAN NHÂN DÂN",
        signer_title="CHỦ TỊCH",
        signer_name=signer_name,
        recipients=_state_recipients(unit, parent),
        end_mark="./.",
    )


def _state_recipients(unit: Unit, parent: str) -> tuple[str, ...]:
    above = [f"- UBND {parent[0].lower() + parent[1:]};"] if parent else []
    own = unit.kind_name.lower()
    return (*above, f"- Thường trực Đảng ủy, HĐND {own};", "- Lưu: VT, VP.")


def _party_recipients(parent: str) -> tuple[str, ...]:
    above = [f"- Ban Thường vụ {_committee(parent)};"] if parent else []
    return (
        *above,
        "- Các đồng chí Đảng ủy viên;",
        "- Các chi bộ trực thuộc;",
        "- Lưu Văn phòng Đảng ủy.",
    )


def _committee(parent: str) -> str:
    """The party committee of a district or province: "Huyện ủy", "Tỉnh ủy"."""
    kind = parent.split(" ", 1)[0].lower()
    return {"huyện": "Huyện ủy", "tỉnh": "Tỉnh ủy", "thành": "Thành ủy"}.get(
        kind, "cấp ủy cấp trên"
    )
