"""Reading a document into an Extraction: the one entry point of `xaso.reading`."""

from pathlib import Path

from xaso.reading.dates import context_year, find_dates
from xaso.reading.figures import find_figures, find_ratios
from xaso.reading.meeting import read_meeting
from xaso.reading.model import Extraction
from xaso.reading.people import find_people
from xaso.reading.places import find_places
from xaso.reading.sections import find_awards, find_directives, find_limitations
from xaso.reading.source import load_document
from xaso.vn.text import nfc


def read_text(text: str, *, source: str = "", warnings: list[str] | None = None) -> Extraction:
    """Read clean text (see `read_bytes` for files) into an Extraction."""
    text = nfc(text)
    year = context_year(text)
    dates = find_dates(text, default_year=year)
    extraction = Extraction(
        source=source,
        text=text,
        meeting=read_meeting(text, dates, year),
        dates=sorted({mention.date for mention in dates}),
        places=find_places(text),
        people=find_people(text),
        figures=find_figures(text),
        ratios=find_ratios(text),
        limitations=find_limitations(text),
        directives=find_directives(text),
        awards=find_awards(text),
        warnings=list(warnings or []),
    )
    if any(mention.year_guessed for mention in dates) and year:
        extraction.warnings.append(f"Có ngày không ghi năm; đã lấy năm {year} theo văn bản.")
    for figure in extraction.figures:
        if figure.consistent is False:
            extraction.warnings.append(
                f"Tỷ lệ không khớp: ‘{figure.text.strip()[:80]}’ ghi {figure.percent_stated}%, "
                f"tính ra {figure.percent_computed}%."
            )
    ambiguous = [figure for figure in extraction.figures if figure.ambiguous]
    if ambiguous:
        example = ambiguous[0].text.strip()[:40]
        extraction.warnings.append(
            f"{len(ambiguous)} số viết kiểu ‘1.135’ được hiểu dấu chấm là phân cách hàng nghìn "
            f"(ví dụ ‘{example}’); hãy kiểm tra nếu văn bản dùng dấu chấm thập phân."
        )
    return extraction


def read_bytes(data: bytes, filename: str) -> Extraction:
    """Read a file's bytes (text in any common encoding, HTML or DOCX). Raises ReadError."""
    text, warnings = load_document(data, filename)
    return read_text(text, source=filename, warnings=warnings)


def read_path(path: str | Path) -> Extraction:
    path = Path(path)
    return read_bytes(path.read_bytes(), str(path))
