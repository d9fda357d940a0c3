"""API tokens: made and revoked by their owner, checked on every API request.

A secret is `xs_` and 40 random URL-safe characters; only its SHA-256 is stored, so a copy of
the database gives no working token. The first characters are kept as the prefix shown in
the list.
"""

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xaso.api.models import ApiToken
from xaso.vn.text import nfc

SCHEME = "xs_"
PREFIX_LENGTH = 10  # "xs_" and 7 characters of the secret
MAX_ACTIVE = 20  # per user
# last_used_at is written at most this often per token (not one UPDATE per request).
TOUCH_EVERY = dt.timedelta(minutes=1)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for the user, and its secret (shown once, never stored)."""
    name = nfc(name or "").strip()
    if not name:
        raise ValidationError({"name": "Hãy đặt tên cho khóa (ví dụ: Bảng tính của thôn)."})
    if len(name) > 100:
        raise ValidationError({"name": "Tên khóa dài quá 100 ký tự."})
    active = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    if active.count() >= MAX_ACTIVE:
        raise ValidationError(
            {"name": f"Mỗi người dùng có tối đa {MAX_ACTIVE} khóa đang dùng; hãy thu hồi bớt."}
        )
    secret = SCHEME + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:PREFIX_LENGTH], digest=digest(secret)
    )
    return token, secret


def revoke_token(*, user, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False when the user has no such active token."""
    changed = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return bool(changed)


def user_for(secret: str):
    """The active user a secret belongs to, or None (unknown, revoked, inactive user)."""
    if not secret or not secret.startswith(SCHEME) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
