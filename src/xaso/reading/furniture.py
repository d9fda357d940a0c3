"""Remove portal furniture (ratings, visitor counters, comment forms, link boxes) from text.

Pure: no Django. Works line by line on plain text (and on what `html_to_text` produces):

- a marker line such as "Tin cùng chuyên mục", "Tin liên quan" or "Các tin khác" ends the
  article: it and everything after it go (unless it comes before any real text);
- lines that are only furniture go ("Thống kê: 44.344", "Online: 60", "Mã xác thực không đúng.",
  "CHƯƠNG TRÌNH PHÁT THANH", "Liên kết website", "lượt đánh giá: …", "In bài viết | Quay lại");
- words that are furniture only in company ("Đánh giá:", "Bình luận", "Liên kết", "Gửi") go when
  they stand next to other furniture or at the very end, and stay inside the article;
- everything else stays: captions ("Đ/c … phát biểu tại hội nghị"), the date line, the author
  line ("Tác giả: … - Nguồn: …", "Ảnh và tin bài: …") and a lone byline name.

Lines are stripped of surrounding white space and runs of blank lines become one blank line.
"""

import re

from xaso.reading import budget

_FLAGS = re.IGNORECASE

# "Tin cùng chuyên mục", "Các tin khác", "Bài viết liên quan", "Tin đã đưa" …
_MARKER = (
    r"(?:các\s+)?(?:tin|tin\s+tức|bài|bài\s+viết)\s+"
    r"(?:cùng\s+(?:chuyên\s+mục|danh\s+mục|chủ\s+đề|lĩnh\s+vực)|liên\s+quan|khác|đã\s+đưa"
    r"|mới\s+hơn|cũ\s+hơn|trước|đọc\s+nhiều(?:\s+nhất)?|xem\s+nhiều(?:\s+nhất)?)"
    r"\s*[:.…»>]*"
)

_NUMBER = r"[\d.,\s]*"
_STRONG = (
    # ratings
    r"\(?\d*\s*lượt\s+đánh\s+giá\b.*",
    r"trung\s+bình\s*:[\d.,/\s]*(?:bình\s+luận)?",
    r"(?:bạn\s+)?đánh\s+giá\s+(?:bài\s+viết|tin\s+bài|bài\s+này|nội\s+dung)\b.*",
    r"(?:đánh\s+giá\s*:\s*)?[★☆✩✪⭐\s]+",
    # comment forms
    r"(?:mã\s+(?:xác\s+thực|xác\s+nhận|bảo\s+mật|kiểm\s+tra)|nhập\s+mã)\b.*",
    r"(?:gửi|viết)\s+(?:bình\s+luận|ý\s+kiến)\b.*",
    r"(?:các\s+)?(?:bình\s+luận|ý\s+kiến\s+bạn\s+đọc)\s*\(\s*\d+\s*\)\s*:?",
    r"chưa\s+có\s+(?:bình\s+luận|ý\s+kiến)\b.*",
    r"ý\s+kiến\s+(?:bạn\s+đọc|của\s+bạn)\s*:?",
    # visitor counters
    r"(?:thống\s+kê(?:\s+truy\s+cập)?|(?:tổng\s+)?(?:số\s+)?lượt\s+truy\s+cập"
    r"|đang\s+(?:truy\s+cập|online|trực\s+tuyến)|online|trực\s+tuyến"
    r"|(?:số\s+)?lượt\s+(?:xem|đọc))\s*:?" + _NUMBER,
    # portal boxes
    r"chương\s+trình\s+phát\s+thanh.*",
    r"[-–—\s]*(?:liên\s+kết\s+(?:website|web|trang)|website\s+liên\s+kết|các\s+liên\s+kết)"
    r"[-–—\s:]*",
    r"trang\s+chủ\s*(?:[>»›/|].*)?",
    r"(?:tags?|từ\s+khó[aá]|từ\s+khoá)\s*:.*",
    r"(?:©|copyright\b|bản\s+quyền\s+(?:thuộc|©)|thiết\s+kế\s+(?:và\s+phát\s+triển\s+)?bởi"
    r"|designed\s+by|powered\s+by|cơ\s+quan\s+chủ\s+quản\s*:|chịu\s+trách\s+nhiệm\s+"
    r"(?:chính|nội\s+dung|xuất\s+bản)\s*:|giấy\s+phép\s+(?:số|thiết\s+lập|xuất\s+bản)).*",
    r"(?:tìm\s+kiếm|nhập\s+từ\s+khó[aá](?:\s+tìm\s+kiếm)?|đăng\s+nhập)\s*(?:\.{3}|…)?",
)

# Short commands that may be strung together with "|" or "•" on one line.
_COMMAND = (
    r"(?:in\s+bài(?:\s+viết)?|in\s+trang|bản\s+in|gửi\s+(?:email|bài\s+viết|cho\s+bạn\s+bè)"
    r"|gửi\s+tin|chia\s+sẻ|share|tweet|facebook|zalo|twitter|lưu\s+bài(?:\s+viết)?|lưu\s+tin"
    r"|quay\s+(?:lại|về)|trở\s+(?:về|lại)|(?:về|lên)\s+đầu\s+trang|đầu\s+trang|xem\s+tiếp"
    r"|xem\s+thêm|đọc\s+tiếp|cỡ\s+chữ\s*:?|font\s+size\s*:?|phóng\s+to|thu\s+nhỏ|a\s*[+-]"
    r"|nghe\s+đọc\s+bài(?:\s+viết)?|nghe\s+bài(?:\s+viết)?|bài\s+viết\s+hay\s*\?)"
)
_SEP = r"\s*[|•·]\s*"
_COMMANDS = f"(?:[|•·]\\s*)?{_COMMAND}(?:{_SEP}{_COMMAND})*(?:\\s*[|•·])?"

# Furniture only when other furniture is close by or at the very end of the text.
_WEAK = (
    r"(?:đánh\s+giá|bình\s+luận|liên\s+kết|gửi|hủy|huỷ|nhập\s+lại|làm\s+lại|họ\s+(?:và\s+)?tên"
    r"|e-?mail|tiêu\s+đề|nội\s+dung|ý\s+kiến|chia\s+sẻ|xem\s+nhiều)\s*:?\s*\*?"
)

# A line with no letter or digit at all: separators, bullets, star rows.
_SYMBOLS_ONLY = r"[^\w]+"

# One pattern for all: the first alternative that matches the whole line names its kind.
_KINDS = re.compile(
    f"(?P<marker>{_MARKER})"
    f"|(?P<strong>{'|'.join(f'(?:{p})' for p in (*_STRONG, _COMMANDS, _SYMBOLS_ONLY))})"
    f"|(?P<weak>{_WEAK})",
    _FLAGS,
)

_FURNITURE_MAX = 120  # furniture lines are short; a longer line is text
_MARKER_MIN_BEFORE = 200  # characters of text needed before a marker for it to end the article


def classify(line: str) -> str | None:
    """'marker', 'strong', 'weak' or None (content) for one stripped line."""
    if not line or len(line) > _FURNITURE_MAX:
        return None
    match = _KINDS.fullmatch(line)
    return match.lastgroup if match else None


def _clean_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [line.strip() for line in text.split("\n")]


def strip_furniture(text: str) -> str:
    """Plain text without portal furniture; see the module documentation."""
    lines = _clean_lines(text)
    kinds = []
    for number, line in enumerate(lines):
        if number & 1023 == 0:
            budget.check()  # only inside a time budget (load_document), never on pasted text
        kinds.append(classify(line))

    # A marker ends the article once enough text precedes it.
    seen = 0
    for i, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind == "marker" and seen >= _MARKER_MIN_BEFORE:
            lines, kinds = lines[:i], kinds[:i]
            break
        if kind is None:
            seen += len(line)

    # Groups of neighbouring furniture lines (blank lines between them do not separate them).
    keep = [kind is None for kind in kinds]
    content = [i for i, line in enumerate(lines) if line]
    last_content = max((i for i in content if kinds[i] is None), default=-1)
    group: list[int] = []
    for i in [*content, None]:
        if i is not None and kinds[i] is not None:
            group.append(i)
            continue
        if group:
            strong = any(kinds[j] in {"strong", "marker"} for j in group)
            trailing = group[0] > last_content
            for j in group:
                if kinds[j] == "weak" and not strong and not trailing:
                    keep[j] = True
            group = []

    out: list[str] = []
    for line, kept in zip(lines, keep, strict=True):
        if not line:
            if out and out[-1]:
                out.append("")
        elif kept:
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
