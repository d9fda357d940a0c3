"""How much the reader reads and for how long: the text limits and the time budget.

Pure: no Django. `load_document` and `read_text` each run inside `time_budget(seconds)`; the
passes call `check()` in their loops (a paragraph, a line, a match at a time), which raises a
Vietnamese `ReadError` once the budget is spent. Outside a budget `check()` does nothing, so a
pass called on its own (`strip_furniture` on pasted text) never raises. Budgets nest: the
earliest deadline holds.

The limits are generous for the reports the reader is for (a 30-page report is about 100,000
characters and 1,000 paragraphs) and small enough that every pass, linear, stays within the
budget and a worker's memory stays within a few tens of megabytes.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from xaso.reading.decode import ReadError

DEFAULT_SECONDS = 5.0  # the time budget of load_document and of read_text, each
MAX_TEXT = 1_000_000  # characters of clean text (about 300 pages)
MAX_LINES = 200_000  # lines of a text or HTML page, blank lines included
MAX_BLOCKS = 100_000  # paragraphs and table rows of a DOCX, empty ones included


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", ".")


TOO_SLOW = (
    "Đọc tệp quá {seconds} giây mà chưa xong: văn bản quá lớn hoặc quá phức tạp; hãy chia nhỏ "
    "văn bản rồi đọc lại."
)
TOO_LONG = (
    f"Văn bản dài quá {_grouped(MAX_TEXT)} ký tự: có thể là tệp hỏng hoặc tệp độc hại; nếu đúng "
    "là văn bản dài như vậy, hãy chia nhỏ."
)
TOO_MANY_LINES = f"Văn bản có quá {_grouped(MAX_LINES)} dòng: có thể là tệp hỏng hoặc tệp độc hại."
TOO_MANY_BLOCKS = (
    f"Tài liệu có quá {_grouped(MAX_BLOCKS)} đoạn văn và dòng bảng: có thể là tệp hỏng hoặc "
    "tệp độc hại."
)

_deadline: ContextVar[tuple[float, float] | None] = ContextVar(
    "xaso_reading_deadline", default=None
)


@contextmanager
def time_budget(seconds: float | None = None) -> Iterator[None]:
    """Within the block, `check()` raises `ReadError` once `seconds` (default
    `DEFAULT_SECONDS`) have passed; an enclosing budget that ends sooner still holds."""
    seconds = DEFAULT_SECONDS if seconds is None else seconds
    deadline = time.monotonic() + seconds
    outer = _deadline.get()
    if outer is not None and outer[0] <= deadline:
        yield
        return
    token = _deadline.set((deadline, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def check() -> None:
    """Raise `ReadError` if the current time budget is spent; nothing outside a budget."""
    current = _deadline.get()
    if current is not None and time.monotonic() > current[0]:
        seconds = f"{current[1]:g}".replace(".", ",")
        raise ReadError(TOO_SLOW.format(seconds=seconds))


def check_text(text: str) -> None:
    """Raise `ReadError` for a text longer than `MAX_TEXT` characters."""
    if len(text) > MAX_TEXT:
        raise ReadError(TOO_LONG)


def check_lines(text: str) -> None:
    """Raise `ReadError` for a text of more than `MAX_LINES` lines (counted at C speed)."""
    if text.count("\n") >= MAX_LINES:
        raise ReadError(TOO_MANY_LINES)
