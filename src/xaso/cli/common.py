"""What every command shares: the error it prints, the data directory, Django set up, migrations."""

import os
import secrets
from pathlib import Path


class CommandError(Exception):
    """An error to print for the user (in Vietnamese) before exiting non-zero."""


def typed_period(text: str):
    """The period an officer typed ("tháng 11/2022", "2022-11"), or the Vietnamese error."""
    from xaso.periods import PeriodError, read_period

    try:
        return read_period(text)
    except PeriodError as error:
        raise CommandError(str(error)) from None


def data_dir() -> Path:
    return Path(os.environ.get("XASO_DATA_DIR", "var")).resolve()


def ensure_secret_key() -> None:
    """Write a random secret key into the data directory once; production sets its own."""
    if os.environ.get("XASO_SECRET_KEY"):
        return
    directory = data_dir()
    key_file = directory / "secret_key"
    if not key_file.exists():
        directory.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xaso.settings")
    if os.environ["DJANGO_SETTINGS_MODULE"] == "xaso.settings":
        data_dir().mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.conf import settings

    if settings.STATIC_ROOT:  # WhiteNoise warns about a missing one, even when finding files
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
