"""`Authorization: Bearer <token>` → the token's user; anything else is 401 (errors.py)."""

from ninja.security import HttpBearer

from xaso.api.tokens import user_for


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        user = user_for(token.strip())
        if user is not None:
            request.user = user  # the services and the policy see the token's owner
        return user
