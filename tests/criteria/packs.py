"""Small packs of our own for the tests (not the shipped ones)."""

import textwrap

from xaso.criteria.pack import read_pack_text

TWO_REGIONS = textwrap.dedent(
    """\
    format: 1
    code: thu-nghiem
    version: "1"
    name: Bộ tiêu chí thử nghiệm
    short_name: Thử nghiệm
    family: ntm
    decision: Quyết định số 1/QĐ-THU
    scope: national
    applies_to: [commune]
    years: [2021, 2025]
    grouping:
      label: vùng
      groups:
        - {code: BAC, name: Miền Bắc}
        - {code: NAM, name: Miền Nam}
    confidence: summary
    criteria:
      - number: "1"
        name: Nước sạch
        group: I. Môi trường
        requirements:
          - code: "1.1"
            name: Tỷ lệ hộ dùng nước sạch
            test: at_least
            unit: percent
            threshold: {all: 85, NAM: "90,5"}
            indicator: thu-nuoc-sach
      - number: "2"
        name: Nghèo đa chiều
        requirements:
          - code: "2.1"
            name: Tỷ lệ hộ nghèo đa chiều
            test: at_most
            unit: percent
            threshold: {all: 5, BAC: null}
            indicator: thu-ho-ngheo
      - number: "3"
        name: Chợ nông thôn
        requirements:
          - code: "3.1"
            name: Số chợ đạt chuẩn
            test: reached
            unit: cong_trinh
            indicator: thu-cho
      - number: "4"
        name: Hệ thống chính trị
        note: Chấm theo hồ sơ, không có số đo.
    """
)


def two_regions(**changes):
    """The test pack, with top-level lines replaced (`version='"2"'`)."""
    text = TWO_REGIONS
    for key, value in changes.items():
        lines = text.splitlines()
        lines = [f"{key}: {value}" if line.startswith(f"{key}:") else line for line in lines]
        text = "\n".join(lines) + "\n"
    return read_pack_text(text, file="thu.yaml")
