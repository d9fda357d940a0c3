"""Reading a document into an Extraction: the one entry point of `xaso.reading`."""

import datetime as dt
from pathlib import Path

from xaso.reading import budget, ocr
from xaso.reading.dates import DateMention, context_year, find_dates
from xaso.reading.figures import find_figures, find_ratios
from xaso.reading.meeting import read_meeting
from xaso.reading.model import Extraction
from xaso.reading.people import find_people
from xaso.reading.places import find_places
from xaso.reading.repeats import find_repeats
from xaso.reading.sections import find_awards, find_directives, find_limitations
from xaso.reading.source import load_document
from xaso.vn.text import nfc


def read_text(
    text: str,
    *,
    source: str = "",
    warnings: list[str] | None = None,
    seconds: float | None = None,
) -> Extraction:
    """Read clean text (see `read_bytes` for files) into an Extraction.

    Raises `ReadError` for a text longer than `budget.MAX_TEXT` characters, or when reading
    takes longer than `seconds` (default `budget.DEFAULT_SECONDS`).
    """
    budget.check_text(text)
    with budget.time_budget(seconds):
        return _read(nfc(text), source, warnings)


def _read(text: str, source: str, warnings: list[str] | None) -> Extraction:
    check = budget.check
    year = context_year(text)
    dates = find_dates(text, default_year=year)
    check()
    meeting = read_meeting(text, dates, year)
    check()
    places = find_places(text)
    check()
    people = find_people(text)
    check()
    figures = find_figures(text)
    check()
    ratios = find_ratios(text)
    check()
    limitations = find_limitations(text)
    check()
    directives = find_directives(text)
    check()
    extraction = Extraction(
        source=source,
        text=text,
        meeting=meeting,
        dates=sorted({mention.date for mention in dates}),
        places=places,
        people=people,
        figures=figures,
        ratios=ratios,
        limitations=limitations,
        directives=directives,
        awards=find_awards(text),
        warnings=list(warnings or []),
        ocr_pages=ocr.pages_in(warnings),  # the warnings kept with a document say it
    )
    if guessed := _guessed_year(dates, meeting.date):
        extraction.warnings.append(f"Có ngày không ghi năm; đã lấy năm {guessed} theo văn bản.")
    for figure in extraction.figures:
        if figure.consistent is False:
            extraction.warnings.append(
                f"Tỷ lệ không khớp: ‘{figure.text.strip()[:80]}’ ghi {figure.percent_stated}%, "
                f"tính ra {figure.percent_computed}%."
            )
    for repeat in find_repeats(extraction.figures):
        extraction.warnings.append(repeat.warning(text, extraction.figures))
    ambiguous = [figure for figure in extraction.figures if figure.ambiguous]
    if ambiguous:
        example = ambiguous[0].text.strip()[:40]
        extraction.warnings.append(
            f"{len(ambiguous)} số viết kiểu ‘1.135’ được hiểu dấu chấm là phân cách hàng nghìn "
            f"(ví dụ ‘{example}’); hãy kiểm tra nếu văn bản dùng dấu chấm thập phân."
        )
    return extraction


def _guessed_year(dates: list[DateMention], meeting_date: dt.date | None) -> int | None:
    """The year given to a date written without one: the meeting's when it is such a date."""
    guessed = [mention for mention in dates if mention.year_guessed]
    for mention in guessed:
        if mention.date == meeting_date:
            return mention.date.year
    return guessed[0].date.year if guessed else None


def read_bytes(data: bytes, filename: str, *, seconds: float | None = None) -> Extraction:
    """Read a file's bytes (text in any common encoding, HTML, DOCX, .doc, PDF, PNG/JPEG photo).
    Raises ReadError.

    Loading and reading get a time budget of `seconds` each (default
    `budget.DEFAULT_SECONDS`)."""
    text, warnings = load_document(data, filename, seconds=seconds)
    return read_text(text, source=filename, warnings=warnings, seconds=seconds)


def read_path(path: str | Path, *, seconds: float | None = None) -> Extraction:
    path = Path(path)
    return read_bytes(path.read_bytes(), str(path), seconds=seconds)
