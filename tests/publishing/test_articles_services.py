"""Writing, editing, publishing and withdrawing articles: who may, what a stale or repeated
write does, what the audit trail keeps — through the services and over HTTP."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tests.publishing.articles_world import build
from xaso.audit.models import AuditEntry, Entity
from xaso.publishing.articles import (
    BODY_BYTES,
    StaleArticle,
    draft_article,
    edit_article,
    publish_article,
    withdraw_article,
)
from xaso.publishing.models import Article, ArticleStatus
from xaso.publishing.public import public_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build()


def audits(article) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(entity=Entity.ARTICLE, object_id=article.pk).order_by("pk")
    )


def edit(article, user, *, seen, **fields):
    values = {"title": article.title, "body": article.body, "author": "", "source": ""}
    return edit_article(article, **(values | fields), seen_version=seen, user=user)


# ---- writing a draft -----------------------------------------------------------------------


def test_a_manager_of_the_host_writes_a_draft_from_the_meeting(world):
    article = draft_article(world.meeting, user=world.manager, channel="form")

    article.refresh_from_db()
    assert (article.unit, article.meeting, article.status) == (
        world.commune,
        world.meeting,
        ArticleStatus.DRAFT,
    )
    assert article.title == "Xã An Phú tổ chức Hội nghị sơ kết công tác 6 tháng đầu năm 2020"
    assert article.body.startswith("Sáng ngày 03/7/2020, tại Hội trường")
    assert "Trần Văn Bình" in article.body
    assert (article.author, article.version, article.created_by) == ("Hà Nguyễn", 1, world.manager)
    assert [(a.action, a.changed_by, a.unit) for a in audits(article)] == [
        ("create", world.manager, world.commune)
    ]
    assert audits(article)[0].new["meeting"] == world.meeting.pk
    assert public_articles(world.commune).count() == 0  # a draft is not public


@pytest.mark.parametrize("who", ["viewer", "reporter", "outsider"])
def test_only_a_manager_writes_a_draft(world, who):
    with pytest.raises(PermissionDenied):
        draft_article(world.meeting, user=getattr(world, who), channel="form")
    assert Article.objects.count() == 0
    assert not AuditEntry.objects.filter(entity=Entity.ARTICLE).exists()


def test_a_manager_above_the_host_may_write_it_too(world):
    from tests.factories import make_user
    from xaso.org.models import Role

    district = make_user("district-manager", unit=world.district, role=Role.MANAGER)
    assert draft_article(world.meeting, user=district, channel="form").unit == world.commune


def test_the_same_form_sent_twice_writes_one_draft(world):
    first = draft_article(world.meeting, user=world.manager, channel="form", once="k-1")
    again = draft_article(world.meeting, user=world.manager, channel="form", once="k-1")
    other = draft_article(world.meeting, user=world.manager, channel="form", once="k-2")

    assert (first.repeated, again.repeated, again.pk) == (False, True, first.pk)
    assert other.pk != first.pk
    assert Article.objects.count() == 2


# ---- editing --------------------------------------------------------------------------------


def test_an_edit_raises_the_version_and_is_audited(world):
    article = draft_article(world.meeting, user=world.manager, channel="form")

    saved = edit(article, world.manager, seen=1, title="  Xã An Phú sơ kết  6 tháng ", source="X")

    assert (saved.title, saved.source, saved.version) == ("Xã An Phú sơ kết 6 tháng", "X", 2)
    entry = audits(article)[-1]
    assert (entry.action, entry.old["version"], entry.new["version"]) == ("update", 1, 2)
    assert entry.old["title"].startswith("Xã An Phú tổ chức")
    assert entry.new["title"] == "Xã An Phú sơ kết 6 tháng"


def test_an_edit_over_someone_elses_is_refused_and_the_same_edit_twice_is_once(world):
    article = draft_article(world.meeting, user=world.manager, channel="form")
    edit(article, world.manager, seen=1, body="Bản của người thứ nhất.")

    with pytest.raises(StaleArticle) as refused:
        edit(article, world.manager, seen=1, body="Bản của người thứ hai.")

    assert "người khác sửa" in refused.value.message
    assert refused.value.article.version == 2
    article.refresh_from_db()
    assert (article.body, article.version) == ("Bản của người thứ nhất.\n", 2)
    # The first writer's form sent again (a double click): what is stored already, so done.
    again = edit(article, world.manager, seen=1, body="Bản của người thứ nhất.")
    assert again.version == 2
    assert len(audits(article)) == 2  # created, edited once


def test_an_edit_names_the_field_that_is_wrong(world):
    article = draft_article(world.meeting, user=world.manager, channel="form")

    with pytest.raises(ValidationError) as refused:
        edit(article, world.manager, seen=1, title="  ", body="ư" * (BODY_BYTES // 2 + 1))

    assert refused.value.message_dict == {
        "title": ["Tiêu đề: không được để trống."],
        "body": ["Nội dung: dài quá 60 KB, hãy rút gọn."],
    }
    with pytest.raises(ValidationError) as refused:
        edit(article, world.manager, seen=1, author="a" * 201)
    assert refused.value.message_dict == {"author": ["Tác giả: dài quá 200 ký tự (đang có 201)."]}
    article.refresh_from_db()
    assert article.version == 1


@pytest.mark.parametrize("who", ["viewer", "reporter", "outsider"])
def test_only_a_manager_edits_publishes_or_withdraws(world, who):
    article = draft_article(world.meeting, user=world.manager, channel="form")
    publish_article(article, user=world.manager)
    user = getattr(world, who)

    for act in (
        lambda: edit(article, user, seen=1, title="Khác"),
        lambda: withdraw_article(article, user=user),
        lambda: publish_article(article, user=user),
    ):
        with pytest.raises(PermissionDenied):
            act()
    article.refresh_from_db()
    assert (article.title, article.status) != ("Khác", ArticleStatus.WITHDRAWN)
    assert len(audits(article)) == 2


# ---- publishing and withdrawing -------------------------------------------------------------


def test_publishing_twice_changes_nothing_the_second_time(world):
    article = draft_article(world.meeting, user=world.manager, channel="form")

    first = publish_article(article, user=world.manager)
    second = publish_article(article, user=world.manager)

    assert first.status == ArticleStatus.PUBLISHED
    assert (second.published_at, second.published_by) == (first.published_at, world.manager)
    updates = [a for a in audits(article) if a.action == "update"]
    assert len(updates) == 1
    assert (updates[0].old["status"], updates[0].new["status"]) == ("draft", "published")
    assert list(public_articles(world.commune)) == [article]


def test_withdrawing_takes_it_off_the_public_list_at_once_and_twice_is_once(world):
    article = draft_article(world.meeting, user=world.manager, channel="form")
    publish_article(article, user=world.manager)

    withdraw_article(article, user=world.manager)

    assert list(public_articles(world.commune)) == []
    withdraw_article(article, user=world.manager)
    statuses = [(a.old["status"], a.new["status"]) for a in audits(article)[1:]]
    assert statuses == [("draft", "published"), ("published", "withdrawn")]


def test_withdrawing_a_draft_changes_nothing(world):
    article = draft_article(world.meeting, user=world.manager, channel="form")

    assert withdraw_article(article, user=world.manager).status == ArticleStatus.DRAFT
    assert len(audits(article)) == 1


# ---- over HTTP ------------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_writing_from_the_meeting_page_then_editing_then_publishing(world):
    client = client_for(world.manager)
    meeting_page = client.get(f"/meetings/{world.meeting.pk}/").content.decode()
    assert f'href="/meetings/{world.meeting.pk}/article/"' in meeting_page

    page = client.get(f"/meetings/{world.meeting.pk}/article/")
    assert page.status_code == 200
    assert "Đồng chí Trần Văn Bình" in page.content.decode()
    once = page.context["form"]["once"].value()
    sent = client.post(f"/meetings/{world.meeting.pk}/article/", {"once": once})
    again = client.post(f"/meetings/{world.meeting.pk}/article/", {"once": once})

    article = Article.objects.get()
    assert sent.status_code == again.status_code == 302
    assert sent.url == again.url == f"/articles/{article.pk}/"

    form = {"title": "", "body": "Đoạn *mới*", "author": "Hà", "source": "", "version": "1"}
    refused = client.post(f"/articles/{article.pk}/", form | {"action": "save"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Tiêu đề: không được để trống." in body
    assert "Đoạn *mới*</textarea>" in body  # what was typed comes back
    assert "<p>Đoạn <em>mới</em></p>" in body  # and its preview

    preview = client.post(f"/articles/{article.pk}/", form | {"title": "T", "action": "preview"})
    assert preview.status_code == 200
    assert "<p>Đoạn <em>mới</em></p>" in preview.content.decode()  # the typed text, rendered
    assert Article.objects.get().version == 1  # a preview saves nothing

    saved = client.post(f"/articles/{article.pk}/", form | {"title": "Tin mới", "action": "save"})
    assert saved.status_code == 302
    stale = client.post(f"/articles/{article.pk}/", form | {"title": "Tin cũ", "action": "save"})
    assert stale.status_code == 409
    text = stale.content.decode()
    assert "người khác sửa" in text and 'value="Tin cũ"' in text
    assert 'name="version" value="2"' in text  # sending it again now keeps this text

    assert client.post(f"/articles/{article.pk}/publish/").status_code == 302
    assert Article.objects.get().status == ArticleStatus.PUBLISHED
    listing = client.get(f"/units/{world.commune.code}/articles/").content.decode()
    assert "Tin mới" in listing and "Đã đăng" in listing
    assert client.post(f"/articles/{article.pk}/withdraw/").status_code == 302
    assert Article.objects.get().status == ArticleStatus.WITHDRAWN


def test_readers_see_articles_but_no_form_others_see_nothing(world):
    article = draft_article(world.meeting, user=world.manager, channel="form")

    viewer = client_for(world.viewer)
    page = viewer.get(f"/articles/{article.pk}/")
    assert page.status_code == 200
    assert "<textarea" not in page.content.decode()
    assert viewer.get(f"/meetings/{world.meeting.pk}/article/").status_code == 403
    form = {"title": "X", "body": "Y", "version": "1", "action": "save"}
    assert viewer.post(f"/articles/{article.pk}/", form).status_code == 403
    assert viewer.post(f"/articles/{article.pk}/publish/").status_code == 403

    outsider = client_for(world.outsider)
    assert outsider.get(f"/articles/{article.pk}/").status_code == 404
    assert outsider.get(f"/meetings/{world.meeting.pk}/article/").status_code == 404
    assert outsider.get(f"/units/{world.commune.code}/articles/").status_code == 403
    article.refresh_from_db()
    assert (article.title, article.status) != ("X", ArticleStatus.PUBLISHED)
