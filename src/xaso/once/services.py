"""Claim a form's submission token inside the transaction that records the form."""

import secrets

from django.db import IntegrityError, transaction

from xaso.once.models import SubmitToken

KEY_LENGTH = 64


def new_key() -> str:
    return secrets.token_urlsafe(24)


def claim(*, user, key: str, kind: str) -> tuple[SubmitToken | None, int | None]:
    """(token, None) for the first submission of `key`; (None, object id) for a repeat of one
    that recorded something. No key or no user: (None, None), nothing to remember.

    Call it inside the recording transaction and set `token.object_id` before it commits: a
    submission that fails validation rolls its claim back, so the form can be sent again.
    """
    key = (key or "").strip()[:KEY_LENGTH]
    if not key or user is None or not user.is_authenticated:
        return None, None
    try:
        with transaction.atomic():
            return SubmitToken.objects.create(user=user, key=key, kind=kind), None
    except IntegrityError:
        earlier = SubmitToken.objects.get(user=user, key=key)
        return None, earlier.object_id


def settle(token: SubmitToken | None, object_id: int) -> None:
    """Remember what the first submission recorded, for its repeats."""
    if token is not None:
        token.object_id = object_id
        token.save(update_fields=["object_id"])
