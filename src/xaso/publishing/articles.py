"""Writing, editing, publishing and withdrawing a unit's news articles: one path for the web
and the command line, each a transaction that checks who may act and writes the audit trail.

A manager of the article's unit (or of a unit above it) does all of it. An edit carries the
version its writer saw: an edit made over someone else's is refused, not applied over it.
Publishing twice, withdrawing twice, sending the same edit twice change nothing the second
time; a draft written from a meeting once per submission token.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xaso.audit.models import Action, Entity
from xaso.audit.services import audit_record
from xaso.meetings.models import Meeting
from xaso.meetings.selectors import meeting_detail
from xaso.once import services as once_tokens
from xaso.org import policy
from xaso.publishing.article import write_article
from xaso.publishing.models import Article, ArticleStatus
from xaso.vn.text import nfc

# Field limits as the model's, and the body's in bytes: the public page of one article stays
# under 100 KB whatever letters the text is written in.
LIMITS = {"title": 300, "author": 200, "source": 300}
BODY_BYTES = 60_000
LABELS = {"title": "Tiêu đề", "body": "Nội dung", "author": "Tác giả", "source": "Nguồn"}


class StaleArticle(ValidationError):
    """The article was changed since its writer opened it; `article` is as it stands now."""

    def __init__(self, article: Article):
        super().__init__(
            f"Tin bài đã được người khác sửa sau khi bạn mở (nay là bản {article.version}). "
            "Hãy xem nội dung hiện tại bên dưới; gửi lại nếu vẫn muốn lưu nội dung của bạn."
        )
        self.article = article


def _fields(article: Article) -> dict:
    return {
        "title": article.title,
        "body": article.body,
        "author": article.author,
        "source": article.source,
        "status": article.status,
        "version": article.version,
    }


def _require_manage(user, article_or_unit, what: str) -> None:
    unit = getattr(article_or_unit, "unit", article_or_unit)
    if user is not None:
        policy.require_manage(user, unit, what=what)


def draft_article(meeting: Meeting, *, user, channel: str = "form", once: str = "") -> Article:
    """A draft article written from the meeting (`publishing.article`), for its host unit.

    `once` is the form's submission token: sent again, it writes nothing and returns the
    article the first submission wrote (marked `repeated`). Without a user (the demo, a
    script run by the operator) no permission is asked.
    """
    _require_manage(user, meeting.host, "viết tin bài")
    with transaction.atomic():
        token, earlier = once_tokens.claim(user=user, key=once, kind="article")
        if earlier is not None:
            article = Article.objects.get(pk=earlier)
            article.repeated = True
            return article
        author = (user.get_full_name() or "") if user is not None else ""
        written = write_article(meeting_detail(meeting.pk), author=author)
        article = Article.objects.create(
            unit=meeting.host,
            meeting=meeting,
            title=written.title,
            body=written.body_markdown(),
            author=written.author,
            source=written.source,
            status=ArticleStatus.DRAFT,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        audit_record(
            entity=Entity.ARTICLE,
            object_id=article.pk,
            unit=article.unit,
            action=Action.CREATE,
            old=None,
            new=_fields(article) | {"meeting": meeting.pk},
            user=user,
            channel=channel,
        )
        once_tokens.settle(token, article.pk)
    article.repeated = False
    return article


def clean_fields(*, title: str, body: str, author: str, source: str) -> dict:
    """The fields as stored (NFC, trimmed; title, author and source on one line), or a
    ValidationError naming each field that is wrong."""
    values = {
        "title": " ".join(nfc(title or "").split()),
        "body": nfc(body or "").replace("\r\n", "\n").strip() + "\n",
        "author": " ".join(nfc(author or "").split()),
        "source": " ".join(nfc(source or "").split()),
    }
    errors: dict[str, list[str]] = {}
    for name in ("title", "body"):
        if not values[name].strip():
            errors[name] = [f"{LABELS[name]}: không được để trống."]
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            errors[name] = [f"{LABELS[name]}: dài quá {limit} ký tự (đang có {len(values[name])})."]
    if len(values["body"].encode("utf-8")) > BODY_BYTES:
        errors["body"] = [f"{LABELS['body']}: dài quá {BODY_BYTES // 1000} KB, hãy rút gọn."]
    if errors:
        raise ValidationError(errors)
    return values


def edit_article(
    article: Article,
    *,
    title: str,
    body: str,
    author: str = "",
    source: str = "",
    seen_version: int,
    user,
    channel: str = "form",
) -> Article:
    """Save an officer's edit, made on version `seen_version`; the version goes up by one.

    Refused (StaleArticle) when someone else saved a version since — unless what is stored is
    already exactly this edit (the same form sent twice), which is answered as done.
    """
    _require_manage(user, article, "sửa tin bài")
    values = clean_fields(title=title, body=body, author=author, source=source)
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        unchanged = all(getattr(current, name) == value for name, value in values.items())
        if unchanged:
            return current
        if seen_version != current.version:
            raise StaleArticle(current)
        old = _fields(current)
        for name, value in values.items():
            setattr(current, name, value)
        current.version += 1
        current.save(update_fields=[*values, "version", "updated_at"])
        audit_record(
            entity=Entity.ARTICLE,
            object_id=current.pk,
            unit=current.unit,
            action=Action.UPDATE,
            old=old,
            new=_fields(current),
            user=user,
            channel=channel,
        )
    return current


def _set_status(article: Article, status: str, *, user, channel: str, what: str) -> Article:
    _require_manage(user, article, what)
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if current.status == status:
            return current  # twice is once: nothing changes, nothing is written
        if status == ArticleStatus.WITHDRAWN and current.status != ArticleStatus.PUBLISHED:
            return current  # a draft is not on the public page: nothing to take down
        old = {"status": current.status, "published_at": current.published_at}
        current.status = status
        if status == ArticleStatus.PUBLISHED:
            current.published_at = timezone.now()
            current.published_by = user if user is not None and user.is_authenticated else None
        current.save(update_fields=["status", "published_at", "published_by", "updated_at"])
        audit_record(
            entity=Entity.ARTICLE,
            object_id=current.pk,
            unit=current.unit,
            action=Action.UPDATE,
            old=old,
            new={"status": current.status, "published_at": current.published_at},
            user=user,
            channel=channel,
        )
    return current


def publish_article(article: Article, *, user, channel: str = "form") -> Article:
    """Put the article on the unit's public page (and its feed), dated now."""
    return _set_status(
        article, ArticleStatus.PUBLISHED, user=user, channel=channel, what="đăng tin bài"
    )


def withdraw_article(article: Article, *, user, channel: str = "form") -> Article:
    """Take a published article off the public page at once; it stays for the officers."""
    return _set_status(
        article, ArticleStatus.WITHDRAWN, user=user, channel=channel, what="gỡ tin bài"
    )
