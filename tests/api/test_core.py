"""The API's frame: schema and docs, tokens, the error shape, pages of a list."""

import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from xaso.api.models import ApiToken
from xaso.api.tokens import create_token, revoke_token

UNAUTHORIZED = {
    "message": "Cần khóa API hợp lệ: gửi tiêu đề Authorization: Bearer <khóa>. "
    "Khóa được tạo ở trang Khóa API của bạn.",
    "field": "Authorization",
    "code": "unauthorized",
}


def test_the_openapi_schema_is_public_and_names_the_api(db):
    schema = Client().get("/api/openapi.json").json()
    assert schema["info"]["title"] == "xaso API"
    assert schema["info"]["version"] == "1.0"
    assert "/api/units/{code}/figures" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_the_docs_page_loads_everything_from_this_server(db):
    response = Client().get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in sources
    assert "/static/ninja/swagger-ui.css" in sources
    assert [s for s in sources if "//" in s] == []  # no CDN, no other host
    assert "cdn" not in html.lower()


def test_without_a_token_the_answer_is_401_json(world):
    response = Client().get("/api/units/")
    assert response.status_code == 401
    assert response.json() == {"error": UNAUTHORIZED}
    assert response["WWW-Authenticate"] == 'Bearer realm="xaso"'


def test_an_unknown_a_revoked_and_a_malformed_token_are_401(world, api):
    for headers in (
        {"HTTP_AUTHORIZATION": "Bearer xs_not-a-token-of-anyone"},
        {"HTTP_AUTHORIZATION": f"Bearer {world.tokens['revoked']}"},
        {"HTTP_AUTHORIZATION": f"Basic {world.tokens['village']}"},
        {"HTTP_AUTHORIZATION": world.tokens["village"]},
    ):
        response = Client().get("/api/units/", **headers)
        assert (response.status_code, response.json()["error"]["code"]) == (401, "unauthorized")
    assert api("village").get("/api/units/").status_code == 200


def test_a_token_is_stored_as_its_hash_only(world):
    token, secret = create_token(user=world.users["village"], name="Bảng tính")
    token.refresh_from_db()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith("xs_") and len(secret) == 3 + 40
    assert token.prefix == secret[:10]
    stored = " ".join(str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values())
    assert secret not in stored


def test_a_token_use_is_remembered(world, api):
    token = ApiToken.objects.get(user=world.users["commune"])
    assert token.last_used_at is None
    api("commune").get("/api/units/")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_deactivated_user_token_is_refused(world, api):
    world.users["commune"].is_active = False
    world.users["commune"].save()
    assert api("commune").get("/api/units/").status_code == 401


# --- the token page ------------------------------------------------------------------------


def test_the_token_page_makes_a_token_shown_once_and_revokes_it(world):
    client = Client()
    client.force_login(world.users["village"])
    made = client.post("/api/tokens/", {"name": "Bảng tính của thôn"})
    secret = re.search(r'<code class="secret">(xs_[^<]+)</code>', made.content.decode()).group(1)
    assert made["Cache-Control"] == "no-store"
    again = client.get("/api/tokens/").content.decode()
    assert secret not in again and secret[:10] in again and "Bảng tính của thôn" in again

    assert Client().get("/api/units/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    token = ApiToken.objects.get(name="Bảng tính của thôn")
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    assert Client().get("/api/units/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_a_token_needs_a_name_and_nothing_is_made_without_one(world):
    client = Client()
    client.force_login(world.users["village"])
    before = ApiToken.objects.count()
    response = client.post("/api/tokens/", {"name": "   "})
    assert response.status_code == 422
    assert "Hãy đặt tên cho khóa" in response.content.decode()
    assert ApiToken.objects.count() == before


def test_another_users_token_cannot_be_revoked(world):
    theirs = ApiToken.objects.get(user=world.users["commune"])
    client = Client()
    client.force_login(world.users["village"])
    assert client.post(f"/api/tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_token_page_needs_a_login(db):
    response = Client().get("/api/tokens/")
    assert response.status_code == 302 and response.url.startswith("/login/")


# --- errors ---------------------------------------------------------------------------------


def test_errors_have_one_shape(world, api):
    village = api("village")
    unknown = village.get("/api/units/nowhere")
    assert (unknown.status_code, unknown.json()) == (
        404,
        {"error": {"message": "Không tìm thấy.", "field": None, "code": "not_found"}},
    )
    other = village.get("/api/units/d1")
    assert other.status_code == 403
    assert other.json() == {
        "error": {
            "message": "Bạn không có quyền xem số liệu của Xã Xã Hai.",
            "field": None,
            "code": "forbidden",
        }
    }
    bad = village.post("/api/results", {"unit": "hl-1", "indicator": "road", "period": "2022-11"})
    assert bad.status_code == 422
    assert bad.json() == {
        "error": {"message": "Thiếu trường bắt buộc.", "field": "value", "code": "validation"}
    }
    period = village.post(
        "/api/results", {"unit": "hl-1", "indicator": "road", "period": "2022-13", "value": "5"}
    )
    assert period.status_code == 422
    assert period.json()["error"]["field"] == "period"
    assert period.json()["error"]["code"] == "validation"
    not_json = village.client.post(
        "/api/results", "{nope", content_type="application/json", **village.headers
    )
    assert (not_json.status_code, not_json.json()) == (
        400,
        {
            "error": {
                "message": "Nội dung gửi lên không đọc được: cần JSON hợp lệ, mã hóa UTF-8.",
                "field": "body",
                "code": "validation",
            }
        },
    )


# --- pages ----------------------------------------------------------------------------------


def test_a_list_comes_in_pages_linked_by_next(world, api):
    commune = api("commune")  # reads hl and its three villages
    first = commune.get("/api/units/", limit=3).json()
    assert [u["code"] for u in first["items"]] == ["hl", "hl-1", "hl-2"]
    assert first["next"].startswith("http://testserver/api/units/?limit=3&cursor=")
    second = commune.client.get(first["next"], **commune.headers).json()
    assert [u["code"] for u in second["items"]] == ["hl-3"]
    assert second["next"] is None
    exact = commune.get("/api/units/", limit=4).json()
    assert len(exact["items"]) == 4 and exact["next"] is None


def test_the_limit_is_between_1_and_200(world, api):
    commune = api("commune")
    for limit, status in ((0, 422), (1, 200), (200, 200), (201, 422)):
        response = commune.get("/api/units/", limit=limit)
        assert response.status_code == status, limit
    assert commune.get("/api/units/", limit=201).json()["error"]["field"] == "limit"


def test_a_forged_cursor_is_a_validation_error(world, api):
    response = api("commune").get("/api/units/", cursor="!!!")
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "cursor"


def test_a_token_name_is_at_most_100_characters(world):
    user = world.users["province"]
    create_token(user=user, name="x" * 100)
    with pytest.raises(ValidationError) as error:
        create_token(user=user, name="x" * 101)
    assert error.value.message_dict == {"name": ["Tên khóa dài quá 100 ký tự."]}


def test_a_user_has_at_most_20_active_tokens(world):
    user = world.users["province"]  # has one already
    for n in range(19):
        create_token(user=user, name=f"khóa {n}")
    with pytest.raises(ValidationError) as error:
        create_token(user=user, name="khóa 21")
    assert error.value.message_dict["name"] == [
        "Mỗi người dùng có tối đa 20 khóa đang dùng; hãy thu hồi bớt."
    ]
    revoke_token(user=user, token_id=ApiToken.objects.filter(user=user).first().pk)
    create_token(user=user, name="khóa 21")  # room again
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 20


def test_staff_revoke_a_token_in_the_admin(world):
    staff = world.users["commune"]
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    token = ApiToken.objects.get(user=world.users["village"])
    listing = client.get("/admin/api/apitoken/").content.decode()
    assert token.prefix in listing and token.digest not in listing
    client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert (
        Client()
        .get("/api/units/", HTTP_AUTHORIZATION=f"Bearer {world.tokens['village']}")
        .status_code
        == 401
    )
