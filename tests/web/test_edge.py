"""Bad input at the HTTP edge (xaso.web.middleware): NUL characters and oversized bodies."""

import io

import pytest
from django.test import Client

from tests.factories import make_commune_tree, make_user
from xaso.org.models import Role

pytestmark = pytest.mark.django_db

BAD_INPUT = "Yêu cầu có ký tự không hợp lệ (ký tự NUL)."
TOO_LARGE = "Dữ liệu gửi lên quá lớn"


@pytest.fixture
def client():
    _, _, commune, _ = make_commune_tree()
    client = Client()
    client.force_login(make_user("officer", unit=commune, role=Role.MANAGER))
    return client


def refused_as_bad_input(response) -> bool:
    return response.status_code == 400 and BAD_INPUT in response.content.decode()


@pytest.mark.parametrize(
    ("nul", "clean"),
    [
        ("/units/?q=%00", "/units/?q=hl"),
        ("/units/?q=H%C3%A0%00Linh", "/units/?q=H%C3%A0Linh"),
        ("/units/%00/", "/units/hl/"),
        ("/units/hl%00/", "/units/hl/"),
        ("/units/hl/meetings/?kind=%00", "/units/hl/meetings/?kind="),
        ("/units/hl/?period=2022-11%00", "/units/hl/?period=2022-11"),
        ("/units/hl/tasks/?%00=1", "/units/hl/tasks/?x=1"),
    ],
)
def test_a_nul_in_the_path_or_the_query_is_a_bad_request(client, nul, clean):
    refused = client.get(nul)
    served = client.get(clean)

    assert refused_as_bad_input(refused)
    assert refused["Content-Type"] == "text/plain; charset=utf-8"
    assert served.status_code == 200


def test_a_nul_in_a_form_value_is_a_bad_request(client):
    refused = client.post("/units/hl/meetings/new/", {"title": "Hội nghị\x00", "date": "x"})
    served = client.post("/units/hl/meetings/new/", {"title": "Hội nghị", "date": "x"})

    assert refused_as_bad_input(refused)
    # Without the NUL the form itself answers, with its own errors.
    assert served.status_code == 400
    assert served["Content-Type"] == "text/html; charset=utf-8"
    assert "Hội nghị" in served.content.decode()


def test_a_nul_in_a_cookie_is_a_bad_request(client):
    # A quoted cookie value may spell a NUL as an octal escape.
    refused = client.get("/units/", HTTP_COOKIE='sessionid="abcdefgh\\000ijkl"')
    served = client.get("/units/", HTTP_COOKIE='sessionid="abcdefgh\\101ijkl"')

    assert refused_as_bad_input(refused)
    assert served.status_code == 302  # an unknown session: to the login page


def test_an_uploaded_file_may_hold_nul_bytes(client):
    upload = io.BytesIO(b"B\xc3\xa1o c\xc3\xa1o\x00\x00 nh\xe1\xbb\x8b ph\xc3\xa2n")
    upload.name = "baocao.txt"

    response = client.post("/documents/", {"file": upload, "unit": "hl"})

    # The reader answers (whatever it makes of the file), not the edge.
    assert response.status_code in (200, 302, 400)
    assert not refused_as_bad_input(response)
    assert response["Content-Type"] == "text/html; charset=utf-8"


# --- the body's size ---------------------------------------------------------------------


@pytest.fixture
def small_limit(settings):
    settings.MAX_REQUEST_BYTES = 1000
    return 1000


def form_body(size: int) -> bytes:
    body = b"username=nobody&password=x&pad="
    return body + b"a" * (size - len(body))


def test_a_body_over_the_limit_is_refused_before_it_is_read(small_limit):
    body = io.BytesIO(form_body(small_limit + 1))

    response = Client().generic(
        "POST",
        "/login/",
        b"",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(small_limit + 1),
        **{"wsgi.input": body},
    )

    assert response.status_code == 413
    assert response.content.decode().startswith(TOO_LARGE)
    assert body.tell() == 0  # not a byte read


def test_a_body_at_the_limit_goes_through(small_limit):
    response = Client().post(
        "/login/", form_body(small_limit), content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_the_default_limit_leaves_room_for_a_5_mb_upload():
    from django.conf import settings

    assert settings.MAX_REQUEST_BYTES == 6 * 1024 * 1024


def test_the_limit_message_names_the_limit():
    response = Client().generic("POST", "/login/", b"", CONTENT_LENGTH=str(6 * 1024 * 1024 + 1))

    assert response.status_code == 413
    assert "(tối đa 6 MB)" in response.content.decode()


def chunked(payload: bytes):
    """A body sent without Content-Length (Transfer-Encoding: chunked, already de-chunked by
    the server, as gunicorn hands it over)."""
    stream = io.BytesIO(payload)
    extra = {
        "CONTENT_LENGTH": "",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "wsgi.input": stream,
    }
    return stream, extra


def test_a_chunked_body_over_the_limit_is_refused_after_limit_plus_one_bytes(small_limit):
    stream, extra = chunked(form_body(50 * small_limit))

    response = Client().generic("POST", "/login/", b"", **extra)

    assert response.status_code == 413
    assert stream.tell() == small_limit + 1


def test_a_chunked_body_within_the_limit_is_read_as_the_form(small_limit):
    make_user("canbo")  # password pw-12345
    _, extra = chunked(b"username=canbo&password=pw-12345")

    response = Client().generic("POST", "/login/", b"", **extra)

    assert response.status_code == 302
    assert response.url == "/"


@pytest.mark.parametrize("length", ["lots", "-1"])
def test_a_broken_content_length_is_a_bad_request(length):
    response = Client().generic("POST", "/login/", b"", CONTENT_LENGTH=length)

    assert response.status_code == 400
    assert response.content.decode() == "Độ dài nội dung (Content-Length) không hợp lệ."
