"""Cursor pagination for long lists: `?limit=` (1–200, 50 by default) and an opaque `cursor`.

A list is ordered by one unique key; the cursor carries the last key of the page sent, so the
next page is one index range (`key > last`), however deep the client reads, and rows added
meanwhile neither repeat nor shift the pages. The answer's `next` is the URL of the next page,
null on the last one.
"""

import base64
import json
from collections.abc import Callable
from typing import Any

from ninja import Query

from xaso.api.errors import ApiError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def limit_query():
    return Query(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Số mục mỗi trang (1–{MAX_LIMIT})."
    )


def encode(value) -> str:
    return base64.urlsafe_b64encode(json.dumps([value]).encode()).decode().rstrip("=")


def decode(cursor: str):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        (value,) = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, UnicodeDecodeError):
        raise ApiError(
            422, "Con trỏ trang (cursor) không hợp lệ.", field="cursor", code="validation"
        ) from None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise ApiError(
            422, "Con trỏ trang (cursor) không hợp lệ.", field="cursor", code="validation"
        )
    return value


def page(
    request,
    queryset,
    *,
    key: str,
    limit: int,
    cursor: str | None,
    serialize: Callable[[Any], Any],
) -> dict:
    """One page of `queryset` ordered by the unique `key` ("path", or "-id" for newest first)."""
    field = key.lstrip("-")
    descending = key.startswith("-")
    queryset = queryset.order_by(key)
    if cursor:
        last = decode(cursor)
        queryset = queryset.filter(**{f"{field}__{'lt' if descending else 'gt'}": last})
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_url = None
    if more:
        query = request.GET.copy()
        query["cursor"] = encode(getattr(rows[-1], field))
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"items": [serialize(row) for row in rows], "next": next_url}
