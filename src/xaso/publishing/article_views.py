"""The officers' pages of news articles: a unit's list, writing one from a meeting, editing
(with a preview), publishing and withdrawing. Read as the unit is read; written by its
managers (`xaso.org.policy`); every write goes through `publishing.articles`."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from xaso.formkit import OnceField, show_service_errors
from xaso.meetings.models import Meeting
from xaso.meetings.selectors import meeting_detail
from xaso.org import policy
from xaso.org.selectors import unit_or_404
from xaso.publishing.article import markdown_html, write_article
from xaso.publishing.articles import (
    StaleArticle,
    draft_article,
    edit_article,
    publish_article,
    withdraw_article,
)
from xaso.publishing.models import Article, ArticleStatus

MEETINGS_LISTED = 10


class WriteForm(forms.Form):
    once = OnceField()


class ArticleForm(forms.Form):
    """The fields as typed; the service checks them (its messages name the field)."""

    title = forms.CharField(
        label="Tiêu đề", required=False, widget=forms.TextInput(attrs={"size": 60})
    )
    body = forms.CharField(
        label="Nội dung (Markdown)",
        required=False,
        strip=False,
        # Normal weight: the form's labels are bold, and a long text in bold is hard to read.
        widget=forms.Textarea(attrs={"rows": 24, "style": "font-weight:400;width:100%"}),
        help_text="Đoạn văn cách nhau một dòng trống; dòng bắt đầu bằng “- ” là gạch đầu dòng, "
        "“1. ” là danh sách đánh số; **chữ đậm**, *chữ nghiêng*.",
    )
    author = forms.CharField(label="Tác giả", required=False)
    source = forms.CharField(label="Nguồn", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _readable_article(user, pk: int) -> Article:
    articles = Article.objects.filter(policy.scope_q(user, "unit__path")).select_related(
        "unit", "meeting", "created_by", "published_by"
    )
    return get_object_or_404(articles, pk=pk)


def unit_articles(request, code: str):
    unit = unit_or_404(code)
    policy.require_read(request.user, unit)
    articles = list(
        Article.objects.filter(unit=unit).select_related("meeting").order_by("-created_at", "-pk")
    )
    can_manage = policy.can_manage(request.user, unit)
    meetings = []
    if can_manage:
        meetings = list(
            Meeting.objects.filter(host=unit).order_by("-date", "-pk")[:MEETINGS_LISTED]
        )
    context = {
        "unit": unit,
        "trail": policy.trail(request.user, unit),
        "articles": articles,
        "can_manage": can_manage,
        "meetings": meetings,
        "published": any(a.status == ArticleStatus.PUBLISHED for a in articles),
    }
    return render(request, "publishing/article_list.html", context)


def article_write(request, pk: int):
    """ "Viết tin bài" from a meeting: shows the text that will be written; sending the form
    writes the draft (once per form shown) and opens it for editing."""
    try:
        meeting = meeting_detail(pk, user=request.user)
    except Meeting.DoesNotExist:
        raise Http404("Không có hội nghị này.") from None
    policy.require_manage(request.user, meeting.host, what="viết tin bài")
    form = WriteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        article = draft_article(
            meeting, user=request.user, channel="form", once=form.cleaned_data["once"]
        )
        if article.repeated:
            messages.info(request, "Biểu mẫu này đã được gửi trước đó: không viết lại.")
        else:
            messages.success(request, "Đã viết bản nháp tin bài. Hãy đọc, sửa rồi đăng.")
        return redirect("articles:edit", pk=article.pk)
    written = write_article(meeting, author=request.user.get_full_name())
    context = {
        "meeting": meeting,
        "unit": meeting.host,
        "trail": policy.trail(request.user, meeting.host),
        "form": form,
        "preview": written.to_html(),
        "earlier": list(meeting.articles.order_by("-created_at")),
    }
    return render(request, "publishing/article_write.html", context)


def article_edit(request, pk: int):
    article = _readable_article(request.user, pk)
    can_manage = policy.can_manage(request.user, article.unit)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied("Chỉ người quản lý đơn vị mới được sửa tin bài.")
    initial = {
        "title": article.title,
        "body": article.body,
        "author": article.author,
        "source": article.source,
        "version": article.version,
    }
    form = ArticleForm(request.POST if request.method == "POST" else None, initial=initial)
    status, stale, preview = 200, None, article.body
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "preview":
            preview = data["body"]  # shown, never saved
        else:
            try:
                edit_article(
                    article,
                    title=data["title"],
                    body=data["body"],
                    author=data["author"],
                    source=data["source"],
                    seen_version=data["version"],
                    user=request.user,
                    channel="form",
                )
            except StaleArticle as error:
                # Shown beside what the user typed; the form now carries the current version,
                # so sending it again keeps the user's text (they have seen the other one).
                stale = error.article
                form.add_error(None, error.message)
                form.data = form.data.copy()
                form.data["version"] = str(stale.version)
                preview, status = data["body"], 409
            except ValidationError as error:
                show_service_errors(form, error)
                preview, status = data["body"], 400
            else:
                messages.success(request, "Đã lưu tin bài.")
                return redirect("articles:edit", pk=article.pk)
    elif request.method == "POST":
        status = 400
    context = {
        "article": article,
        "unit": article.unit,
        "trail": policy.trail(request.user, article.unit),
        "form": form,
        "can_manage": can_manage,
        "preview": markdown_html(preview),
        "stale": stale,
        "stale_html": markdown_html(stale.body) if stale else "",
    }
    return render(request, "publishing/article_edit.html", context, status=status)


@require_POST
def article_publish(request, pk: int):
    article = _readable_article(request.user, pk)
    before = article.status
    article = publish_article(article, user=request.user, channel="form")
    if before == ArticleStatus.PUBLISHED:
        messages.info(request, "Tin bài đã đăng từ trước.")
    else:
        messages.success(request, "Đã đăng tin bài lên trang công khai.")
    return redirect("articles:edit", pk=article.pk)


@require_POST
def article_withdraw(request, pk: int):
    article = _readable_article(request.user, pk)
    before = article.status
    article = withdraw_article(article, user=request.user, channel="form")
    if before == ArticleStatus.PUBLISHED:
        messages.success(request, "Đã gỡ tin bài khỏi trang công khai.")
    else:
        messages.info(request, "Tin bài không có trên trang công khai.")
    return redirect("articles:edit", pk=article.pk)
