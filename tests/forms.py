"""A page's form as a browser sends it back untouched: what the tests that post forms fill in.

Read with a real HTML parser, not a pattern: an empty box has no `value` attribute, a
select sends its selected option (else its first), a value's entities are decoded, and
only the fields of one form are sent, not those of every form on the page.
"""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    """The fields of every POST form of a page, as a browser would send them untouched."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, str]] = []
        self.fields: dict[str, str] = {}
        self.in_form = False
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.in_form = True
            self.fields = {}
            self.forms.append(self.fields)
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self.fields[name] = a.get("value") or ("on" if kind == "checkbox" else "")
        elif tag == "select" and name:
            self.select, self.select_first, self.select_chosen = name, None, False
        elif tag == "option" and self.select:
            value = a.get("value") or ""
            if self.select_first is None:
                self.select_first = value
            if "selected" in a:
                self.fields[self.select], self.select_chosen = value, True
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select" and self.select:
            if not self.select_chosen:
                self.fields[self.select] = self.select_first or ""
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.in_form = False

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data


def parse_form(html: str, containing: str) -> dict[str, str]:
    """The first POST form of the page with a field named `containing` ({} if none)."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    fields = next((form for form in parser.forms if containing in form), {})
    # A browser drops the first newline right after <textarea>.
    return {k: v.removeprefix("\n") if k and v.startswith("\n") else v for k, v in fields.items()}
