"""The review form as a browser sends it, and uploading a seed through the page."""

from html.parser import HTMLParser

from xaso.documents.models import SourceDocument


class ReviewFormParser(HTMLParser):
    """The review form's fields as a browser would send them untouched."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self.inside = False
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "review" in (attrs.get("class") or ""):
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.data[name] = "on"
            else:
                self.data[name] = attrs.get("value") or ""
        elif tag == "select":
            self._select = name
            self.data[name] = ""
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            # The browser drops the newline right after <textarea>.
            first = not self.data[self._textarea]
            self.data[self._textarea] += data.removeprefix("\n") if first else data


def form_data(html: str) -> dict[str, str]:
    parser = ReviewFormParser()
    parser.feed(html)
    return parser.data


def figure_index(extraction, text: str) -> int:
    return next(i for i, figure in enumerate(extraction.figures) if figure.text == text)


def upload_seed(client, seeds_dir, number: str) -> SourceDocument:
    seed = next(seeds_dir.glob(f"{number}_*.txt"))
    response = client.post("/documents/", {"pasted": seed.read_text(encoding="utf-8")})
    assert response.status_code == 302
    return SourceDocument.objects.get()
