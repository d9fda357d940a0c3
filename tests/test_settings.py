"""Settings from the environment: the HTTPS set, `check --deploy`, and logging of server errors."""

import json
import logging
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path


def run_python(code: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    """Run code in a fresh interpreter with the production settings and only this environment
    (plus PATH and, when the suite runs on PostgreSQL, its DATABASE_URL)."""
    base = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "xaso.settings",
        "XASO_DATA_DIR": str(tmp_path),
        "XASO_SECRET_KEY": secrets.token_urlsafe(50),
    }
    if os.environ.get("DATABASE_URL"):
        base["DATABASE_URL"] = os.environ["DATABASE_URL"]
    return subprocess.run(  # noqa: S603 — our own interpreter and code
        [sys.executable, "-c", code],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {"XASO_HTTPS": "1", "XASO_ALLOWED_HOSTS": "xaso.example.vn"}

CHECK_DEPLOY = "from xaso.cli import main; main(['manage', 'check', '--deploy'])"


def test_check_deploy_is_clean_with_the_production_environment(tmp_path):
    done = run_python(CHECK_DEPLOY, PRODUCTION, tmp_path)

    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout
    assert "WARNING" not in done.stdout + done.stderr


def test_check_deploy_warns_without_https(tmp_path):
    done = run_python(CHECK_DEPLOY, {"XASO_ALLOWED_HOSTS": "xaso.example.vn"}, tmp_path)

    issues = set(re.findall(r"security\.W\d+", done.stderr + done.stdout))
    assert issues == {"security.W004", "security.W008", "security.W012", "security.W016"}


SHOW = """
import json
import django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name, None) for name in [
    "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "CSRF_TRUSTED_ORIGINS", "SESSION_COOKIE_AGE", "PROXIES",
    "MAX_REQUEST_BYTES", "AXES_FAILURE_LIMIT", "ALLOWED_HOSTS", "DEBUG",
]} | {"COOLOFF": s.AXES_COOLOFF_TIME.total_seconds(),
      "CONN_MAX_AGE": s.DATABASES["default"]["CONN_MAX_AGE"],
      "CONN_HEALTH_CHECKS": s.DATABASES["default"]["CONN_HEALTH_CHECKS"]}))
"""


def settings_with(env: dict[str, str], tmp_path) -> dict:
    done = run_python(SHOW, env, tmp_path)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_without_https_nothing_insists_on_it(tmp_path):
    s = settings_with({}, tmp_path)

    assert s["SECURE_PROXY_SSL_HEADER"] is None
    assert (s["SESSION_COOKIE_SECURE"], s["CSRF_COOKIE_SECURE"]) == (False, False)
    assert (s["SECURE_SSL_REDIRECT"], s["SECURE_HSTS_SECONDS"]) == (False, 0)
    assert s["PROXIES"] == 0
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_AGE"] == 12 * 3600
    assert s["MAX_REQUEST_BYTES"] == 6 * 1024 * 1024
    assert (s["AXES_FAILURE_LIMIT"], s["COOLOFF"]) == (5, 15 * 60)
    assert (s["CONN_MAX_AGE"], s["CONN_HEALTH_CHECKS"]) == (60, True)


def test_https_turns_the_whole_set_on_behind_one_proxy(tmp_path):
    s = settings_with({"XASO_HTTPS": "1"}, tmp_path)

    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert (s["SESSION_COOKIE_SECURE"], s["CSRF_COOKIE_SECURE"]) == (True, True)
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert (s["SECURE_HSTS_INCLUDE_SUBDOMAINS"], s["SECURE_HSTS_PRELOAD"]) == (True, True)
    assert s["PROXIES"] == 1


def test_each_part_can_be_set_on_its_own(tmp_path):
    s = settings_with(
        {
            "XASO_HTTPS": "1",
            "XASO_HSTS_SECONDS": "3600",
            "XASO_HSTS_PRELOAD": "0",
            "XASO_SSL_REDIRECT": "0",
            "XASO_PROXIES": "2",
            "XASO_CSRF_TRUSTED_ORIGINS": "https://xaso.example.vn, https://xa.example.vn",
            "XASO_SESSION_HOURS": "8",
            "XASO_MAX_REQUEST_BYTES": "1048576",
            "XASO_LOGIN_FAILURE_LIMIT": "10",
            "XASO_LOGIN_COOLOFF_MINUTES": "30",
            "XASO_DB_CONN_MAX_AGE": "0",
            "XASO_ALLOWED_HOSTS": "xaso.example.vn,xa.example.vn",
        },
        tmp_path,
    )

    assert (s["SECURE_HSTS_SECONDS"], s["SECURE_HSTS_PRELOAD"]) == (3600, False)
    assert s["SECURE_SSL_REDIRECT"] is False
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["PROXIES"] == 2
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://xaso.example.vn", "https://xa.example.vn"]
    assert s["SESSION_COOKIE_AGE"] == 8 * 3600
    assert s["MAX_REQUEST_BYTES"] == 1048576
    assert (s["AXES_FAILURE_LIMIT"], s["COOLOFF"]) == (10, 30 * 60)
    assert s["CONN_MAX_AGE"] == 0
    assert s["ALLOWED_HOSTS"] == ["xaso.example.vn", "xa.example.vn"]


def test_a_mistyped_switch_stops_the_start(tmp_path):
    done = run_python(SHOW, {"XASO_HTTPS": "có"}, tmp_path)

    assert done.returncode != 0
    assert "XASO_HTTPS='có' không phải giá trị đúng/sai" in done.stderr


# --- logging -----------------------------------------------------------------------------


def broken_view(request):
    raise RuntimeError("hỏng giữa chừng")


def fine_view(request):
    return HttpResponse("ổn")


urlpatterns = [path("boom/", broken_view), path("fine/", fine_view)]


@pytest.mark.urls("tests.test_settings")
@pytest.mark.django_db
def test_a_server_error_is_logged_with_its_traceback_on_one_dated_line(caplog, settings):
    client = Client(raise_request_exception=False)
    client.force_login(_superuser())

    with caplog.at_level(logging.INFO):
        assert client.get("/fine/").status_code == 200
        assert client.get("/boom/").status_code == 500

    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelname == "ERROR"
    assert record.exc_info is not None
    line = settings.LOGGING["formatters"]["line"]
    text = logging.Formatter(line["format"], line["datefmt"]).format(record)
    first, *rest = text.splitlines()
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} ERROR django\.request: "
        r"Internal Server Error: /boom/",
        first,
    )
    assert rest[0] == "Traceback (most recent call last):"
    assert rest[-1] == "RuntimeError: hỏng giữa chừng"


EMIT = """
import logging
import django
django.setup()
logging.getLogger("xaso.demo").debug("not shown")
logging.getLogger("xaso.demo").info("đã nạp %d đơn vị", 12)
logging.getLogger("django.request").warning("Not Found: /x/")
try:
    raise RuntimeError("hỏng")
except RuntimeError:
    logging.getLogger("django.request").error("Internal Server Error: /boom/", exc_info=True)
"""


def test_the_production_logs_go_to_stderr_a_dated_line_per_record(tmp_path):
    done = run_python(EMIT, {}, tmp_path)

    assert done.returncode == 0
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}"
    assert re.fullmatch(stamp + r" INFO xaso\.demo: đã nạp 12 đơn vị", lines[0])
    assert re.fullmatch(stamp + r" ERROR django\.request: Internal Server Error: /boom/", lines[1])
    assert lines[2] == "Traceback (most recent call last):"
    assert lines[-1] == "RuntimeError: hỏng"
    assert "not shown" not in done.stderr
    assert "Not Found" not in done.stderr  # django.request logs errors only


def _superuser():
    from django.contrib.auth.models import User

    return User.objects.create_superuser("root", password="x")
