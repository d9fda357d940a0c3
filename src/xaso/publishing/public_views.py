"""A unit's public page, its articles and their Atom feed: open to anyone, no login.

Light on purpose (citizens read it on cheap phones): server-rendered, no JavaScript, its own
small stylesheet inline, no officer menu. A unit without a published article, an article not
published (a draft, a withdrawn one) or of another unit answer 404.
"""

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags

from xaso.org.models import OrgUnit
from xaso.publishing.article import markdown_html
from xaso.publishing.models import Article
from xaso.publishing.public import headline_figures, public_articles, public_unit

PER_PAGE = 20
FEED_ITEMS = 20
EXCERPT_WORDS = 40


def _unit_or_404(code: str) -> OrgUnit:
    unit = public_unit(code)
    if unit is None:
        raise Http404("Không có trang công khai này.")
    return unit


def excerpt(article: Article) -> str:
    """The first paragraph as plain text, cut to EXCERPT_WORDS words."""
    first = next((p for p in article.body.split("\n\n") if p.strip()), "")
    words = strip_tags(markdown_html(first)).split()
    text = " ".join(words[:EXCERPT_WORDS])
    return text + (" …" if len(words) > EXCERPT_WORDS else "")


@login_not_required
def unit_page(request, code: str):
    unit = _unit_or_404(code)
    page = Paginator(public_articles(unit), PER_PAGE).get_page(request.GET.get("page"))
    for article in page:
        article.excerpt = excerpt(article)
    context = {"unit": unit, "page": page, "headline": headline_figures(unit)}
    return render(request, "publishing/public_unit.html", context)


@login_not_required
def article_page(request, code: str, pk: int):
    unit = _unit_or_404(code)
    article = public_articles(unit).filter(pk=pk).first()
    if article is None:
        raise Http404("Không có tin bài này.")
    context = {"unit": unit, "article": article, "body": markdown_html(article.body)}
    return render(request, "publishing/public_article.html", context)


class UnitFeed(Feed):
    """The unit's published articles, newest first, as an Atom feed."""

    feed_type = Atom1Feed
    language = "vi"
    login_required = False  # what `login_not_required` marks on a function view

    def get_object(self, request, code: str):
        return _unit_or_404(code)

    def title(self, unit: OrgUnit) -> str:
        return f"Tin bài {unit.full_name}"

    def subtitle(self, unit: OrgUnit) -> str:
        return f"Tin bài do {unit.full_name} đăng công khai."

    def link(self, unit: OrgUnit) -> str:
        return reverse("public:unit", args=[unit.code])

    def items(self, unit: OrgUnit):
        return public_articles(unit).select_related("unit")[:FEED_ITEMS]

    def item_title(self, article: Article) -> str:
        return article.title

    def item_description(self, article: Article) -> str:
        return markdown_html(article.body)

    def item_link(self, article: Article) -> str:
        return reverse("public:article", args=[article.unit.code, article.pk])

    def item_pubdate(self, article: Article):
        return article.published_at

    def item_updateddate(self, article: Article):
        return article.updated_at

    def item_author_name(self, article: Article) -> str:
        return article.author or None
