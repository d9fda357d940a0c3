"""Error pages: Vietnamese, in the site's layout, saying why and with a way back."""

import pytest

from tests.factories import make_user
from tests.web.test_access_sweep import build_world, client_for

pytestmark = pytest.mark.django_db


def test_a_refusal_says_why_in_vietnamese():
    world = build_world()
    client = client_for(world.personas["village1"])

    refused = client.get("/units/c1/")
    missing = client.get(f"/meetings/{world.meetings['d1'].pk}/")

    assert refused.status_code == 403
    assert "Bạn không có quyền xem số liệu của Xã Sweep Xã Một." in refused.content.decode()
    assert missing.status_code == 404
    assert "Không tìm thấy" in missing.content.decode()


def test_a_server_error_answers_a_vietnamese_page(client, monkeypatch):
    from xaso.org import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "search_units", broken)
    client.raise_request_exception = False
    client.force_login(make_user("officer", is_superuser=True))

    response = client.get("/units/?q=x")

    assert response.status_code == 500
    assert "Có lỗi ở máy chủ" in response.content.decode()


def test_a_malformed_request_answers_a_vietnamese_page(client):
    client.force_login(make_user("officer", is_superuser=True))

    response = client.post("/units/", {f"f{n}": "x" for n in range(1500)})  # too many fields

    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
