"""Login throttling (django-axes) and password rules, over HTTP through the login page."""

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "đúng-mật-khẩu-dài"
LIMIT = 5


@pytest.fixture(autouse=True)
def throttling_on(settings):
    """The suite runs with django-axes off (settings_test); these tests run it as production."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT


@pytest.fixture
def officer():
    return User.objects.create_user("canbo", password=PASSWORD)


def attempt(client, username, password, address="203.0.113.7"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_production_settings_throttle_logins():
    from xaso import settings as production

    assert production.AXES_ENABLED is True
    assert production.AXES_FAILURE_LIMIT == 5
    assert production.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert production.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_wrong_passwords_below_the_limit_leave_the_right_one_working(officer):
    client = Client()
    for _ in range(LIMIT - 1):
        response = attempt(client, "canbo", "sai-mat-khau")
        assert response.status_code == 200
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()

    response = attempt(client, "canbo", PASSWORD)

    assert response.status_code == 302
    assert response.url == "/"


def test_the_nth_wrong_password_locks_the_account_out(officer):
    client = Client()
    for _ in range(LIMIT - 1):
        assert attempt(client, "canbo", "sai-mat-khau").status_code == 200

    response = attempt(client, "canbo", "sai-mat-khau")

    assert response.status_code == 429
    html = response.content.decode()
    assert "Đăng nhập sai quá 5 lần nên tạm thời bị khóa." in html
    assert "Vui lòng thử lại sau 15 phút" in html


def test_the_right_password_is_refused_while_locked_even_from_another_address(officer):
    client = Client()
    for _ in range(LIMIT):
        attempt(client, "canbo", "sai-mat-khau", address="203.0.113.7")

    response = attempt(Client(), "canbo", PASSWORD, address="198.51.100.9")

    assert response.status_code == 429
    assert "_auth_user_id" not in Client().session
    assert "tạm thời bị khóa" in response.content.decode()


def test_an_address_that_guessed_many_names_is_locked_for_every_name(officer):
    client = Client()
    for number in range(LIMIT):
        attempt(client, f"nguoi{number}", "sai-mat-khau", address="203.0.113.7")

    from_there = attempt(Client(), "canbo", PASSWORD, address="203.0.113.7")
    elsewhere = attempt(Client(), "canbo", PASSWORD, address="198.51.100.9")

    assert from_there.status_code == 429
    assert elsewhere.status_code == 302


def test_a_success_resets_the_count(officer):
    client = Client()
    for _ in range(LIMIT - 1):
        attempt(client, "canbo", "sai-mat-khau")
    assert attempt(Client(), "canbo", PASSWORD).status_code == 302

    for _ in range(LIMIT - 1):
        assert attempt(Client(), "canbo", "sai-mat-khau").status_code == 200
    assert attempt(Client(), "canbo", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("forwarded", "proxies", "counted"),
    [
        ("10.9.9.9, 203.0.113.7", 1, "203.0.113.7"),  # what the client wrote is not trusted
        ("203.0.113.7", 1, "203.0.113.7"),
        ("10.9.9.9, 203.0.113.7", 0, "127.0.0.1"),  # no proxy: the header is ignored
        ("", 1, "127.0.0.1"),
    ],
)
def test_the_address_counted_comes_from_our_proxies_only(settings, forwarded, proxies, counted):
    from django.test import RequestFactory

    from xaso.web.middleware import client_ip

    settings.PROXIES = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")

    assert client_ip(request) == counted


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("hl123456", "password_too_short"),  # under 10 characters
        ("1234567890123", "password_entirely_numeric"),
        ("password1234", "password_too_common"),
        ("canbo.xa.hl", "password_too_similar"),  # the user name itself
    ],
)
def test_weak_passwords_are_refused(password, code):
    user = User(username="canbo.xa.hl", email="canbo@xa.example")

    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)

    assert code in [error.code for error in caught.value.error_list]


def test_ten_characters_is_the_shortest_accepted():
    user = User(username="canbo.xa.hl")

    with pytest.raises(ValidationError):
        validate_password("ruộng-lúa", user)  # 9
    assert validate_password("ruộng-lúa!", user) is None  # 10


def test_a_long_uncommon_password_passes():
    user = User(username="canbo.xa.hl")

    assert validate_password("ruộng-lúa-Hà-Linh-2022", user) is None
