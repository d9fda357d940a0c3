"""Typed readers for settings taken from environment variables; they fail loudly."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Cần đặt biến môi trường {name}.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} không phải giá trị đúng/sai (dùng 1/0, true/false)."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} không phải số nguyên.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str, *, fallback_file: Path) -> str:
    """A secret from the environment, else from a file the operator (or `xaso demo`) wrote.

    There is deliberately no default value: a server must never run on a guessable key.
    """
    value = os.environ.get(name)
    if value:
        return value
    if fallback_file.is_file():
        return fallback_file.read_text(encoding="utf-8").strip()
    raise ImproperlyConfigured(
        f"Chưa đặt {name} và chưa có tệp {fallback_file}. Hãy đặt biến này, hoặc chạy "
        "`xaso init` (hay `xaso demo`) để tạo khoá cho thư mục dữ liệu này."
    )
