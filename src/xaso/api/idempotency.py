"""Writes that happen once: the `Idempotency-Key` header.

A write sent with a key is done inside one transaction that first inserts the key's row
(user, key). The same key sent again — a retry after a lost answer — finds the row and gets
the stored answer; nothing is written twice. Two identical requests at the same moment: the
second insert waits on the unique index until the first commits, then fails and reads the
first's answer. A failed write rolls its key back with everything else, so a retry runs
again. The same key with another method, path or body is refused (422, code "conflict").

A key is kept for KEEP (24 hours, as payment APIs do): a retry comes within minutes, and a
user's expired keys are removed at their next keyed write, so the table stays the size of a
day's writes.
"""

import datetime as dt
import hashlib
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from ninja import Status

from xaso.api.errors import ApiError
from xaso.api.models import IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY = 200
KEEP = dt.timedelta(hours=24)


def once(request, write: Callable[[], tuple[int, dict]]) -> Status:
    """Run `write` (returning status and JSON body) at most once per user and key."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        with transaction.atomic():
            return Status(*write())
    if len(key) > MAX_KEY:
        message = f"Idempotency-Key dài tối đa {MAX_KEY} ký tự."
        raise ApiError(422, message, field=HEADER, code="validation")
    user = request.auth
    fingerprint = (request.method, request.path, hashlib.sha256(request.body).hexdigest())
    with transaction.atomic():
        expired = timezone.now() - KEEP
        IdempotentRequest.objects.filter(user=user, created_at__lt=expired).delete()
        try:
            with transaction.atomic():
                row = IdempotentRequest.objects.create(
                    user=user,
                    key=key,
                    method=fingerprint[0],
                    path=fingerprint[1][:500],
                    body_hash=fingerprint[2],
                )
        except IntegrityError:
            row = IdempotentRequest.objects.get(user=user, key=key)
            if (row.method, row.path, row.body_hash) != (
                fingerprint[0],
                fingerprint[1][:500],
                fingerprint[2],
            ):
                message = (
                    "Idempotency-Key này đã được dùng cho một yêu cầu khác; "
                    "mỗi yêu cầu mới cần một khóa mới."
                )
                raise ApiError(422, message, field=HEADER, code="conflict") from None
            return Status(row.status_code, row.response_body)
        status, payload = write()
        row.status_code, row.response_body = status, payload
        row.save(update_fields=["status_code", "response_body"])
        return Status(status, payload)
