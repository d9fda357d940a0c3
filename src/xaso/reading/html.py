"""HTML page to plain article text, with the standard library's html.parser.

Pure: no Django. Drops scripts, styles, the document head, navigation, page header and footer,
side boxes and forms (also elements whose class or id names a menu, sidebar, breadcrumb, share
bar, comment box or related-news box); keeps paragraph and line structure (block elements and
<br> become line breaks, table cells are joined by " | "); unescapes entities; then removes the
remaining portal furniture with `strip_furniture`. A <header> or <footer> inside <article> or
<main> belongs to the article (title, byline) and is kept.
"""

import re
from html.parser import HTMLParser

from xaso.reading import budget
from xaso.reading.decode import ReadError
from xaso.reading.furniture import strip_furniture

BROKEN = "Trang HTML hỏng: không đọc được phần đánh dấu (markup) của trang."

_SKIP = frozenset(
    {
        "head",
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "aside",
        "form",
        "select",
        "button",
        "iframe",
        "object",
        "svg",
        "canvas",
        "map",
    }
)
_PAGE_PARTS = frozenset({"header", "footer"})  # skipped unless inside <article>/<main>
_ARTICLE = frozenset({"article", "main"})
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
# Block elements: a paragraph break around them …
_PARAGRAPH = frozenset(
    {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "ul",
        "ol",
        "dl",
        "figure",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "address",
        "hr",
    }
)
# … or a line break.
_LINE = frozenset(
    {"div", "br", "li", "dt", "dd", "tr", "figcaption", "caption", "center", "tbody", "thead"}
)
_CELL = frozenset({"td", "th"})

# class / id words that mark page furniture
_FURNITURE_WORDS = frozenset(
    {
        "menu",
        "navbar",
        "navigation",
        "nav",
        "sidebar",
        "breadcrumb",
        "breadcrumbs",
        "share",
        "sharing",
        "social",
        "comment",
        "comments",
        "related",
        "relatednews",
        "othernews",
        "tinlienquan",
        "tinkhac",
        "banner",
        "advert",
        "advertisement",
        "ads",
        "quangcao",
        "pagination",
        "rating",
    }
)
_WORD_SPLIT = re.compile(r"[\s_-]+")
_SPACES = re.compile(r"\s+")
_UNTIDY = re.compile(r"[^\S ]|  ")  # white space other than single spaces


def _is_furniture(attrs: list[tuple[str, str | None]]) -> bool:
    for name, value in attrs:
        if name in {"class", "id"} and value:
            words = _WORD_SPLIT.split(value.lower())
            if any(word in _FURNITURE_WORDS for word in words):
                return True
    return False


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_tag: str | None = None  # the element being skipped …
        self.skip_depth = 0  # … and how deeply it is nested in itself
        self.article_depth = 0
        self.pre_depth = 0
        self.cells_in_row = 0

    # Python's parser (3.11) rescans to the end of the page for each "<" of a tag that is
    # never closed: quadratic. The page is fed in chunks and every construct checks the time
    # budget, so such a page ends in a ReadError instead of hanging the worker.
    def parse_starttag(self, i: int) -> int:
        budget.check()
        return super().parse_starttag(i)

    def parse_endtag(self, i: int) -> int:
        budget.check()
        return super().parse_endtag(i)

    def parse_comment(self, i: int, report: bool = True) -> int:
        budget.check()
        return super().parse_comment(i, report)

    def parse_html_declaration(self, i: int) -> int:
        budget.check()
        try:
            return super().parse_html_declaration(i)
        except AssertionError:  # "<![" without a known keyword: what browsers call a comment
            return self.parse_bogus_comment(i)

    def parse_pi(self, i: int) -> int:
        budget.check()
        return super().parse_pi(i)

    # The parser calls these with lowercase tag names.
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_depth += 1
            return
        skip = tag in _SKIP or (tag in _PAGE_PARTS and not self.article_depth)
        if not skip and tag not in _VOID and tag not in _ARTICLE and _is_furniture(attrs):
            skip = True
        if skip and tag not in _VOID:
            self.skip_tag, self.skip_depth = tag, 1
            return
        if tag in _ARTICLE:
            self.article_depth += 1
        if tag == "pre":
            self.pre_depth += 1
        if tag == "tr":
            self.cells_in_row = 0
        if tag in _CELL:
            if self.cells_in_row:
                self.parts.append(" | ")
            self.cells_in_row += 1
        self._break(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if self.skip_depth == 0:
                    self.skip_tag = None
            return
        if tag in _ARTICLE and self.article_depth:
            self.article_depth -= 1
        if tag == "pre" and self.pre_depth:
            self.pre_depth -= 1
        if tag in _VOID:
            return
        self._break(tag)

    def handle_data(self, data: str) -> None:
        if self.skip_tag is not None:
            return
        if self.pre_depth:
            self.parts.append(data)
        elif data.strip() or not self._at_break():
            if _UNTIDY.search(data):  # substituting is slow; most text needs nothing
                data = _SPACES.sub(" ", data)
            self.parts.append(data)

    def _at_break(self) -> bool:
        return not self.parts or self.parts[-1].endswith("\n")

    def _break(self, tag: str) -> None:
        """A line break, or a blank line for paragraph-like elements; never more than one."""
        if tag in _PARAGRAPH:
            if not self.parts or self.parts[-1].endswith("\n\n"):
                return
            self.parts.append("\n" if self.parts[-1].endswith("\n") else "\n\n")
        elif tag in _LINE and not self._at_break():
            self.parts.append("\n")

    def text(self) -> str:
        lines = [line.strip() for line in "".join(self.parts).split("\n")]
        return "\n".join(lines)


_CHUNK = 1 << 16


def html_to_text(html: str) -> str:
    """The article text of an HTML page (see the module documentation). Raises `ReadError`
    for a page of more than `budget.MAX_LINES` lines, or when the time budget runs out."""
    # A "<" after the last ">" cannot open a tag: it is text, as the parser would find out
    # at the end, after rescanning the rest of the page for each one of them.
    last = html.rfind(">")
    if html.find("<", last + 1) >= 0:
        html = html[: last + 1] + html[last + 1 :].replace("<", "&lt;")
    parser = _TextParser()
    try:
        for begin in range(0, len(html), _CHUNK):
            budget.check()
            parser.feed(html[begin : begin + _CHUNK])
        parser.close()
    except AssertionError as exc:  # the standard parser's way of giving up on markup
        raise ReadError(BROKEN) from exc
    text = parser.text()
    budget.check_lines(text)
    return strip_furniture(text)
