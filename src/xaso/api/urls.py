"""The REST API under /api/ (docs/api.md), and the page where a user makes API tokens.

The API authenticates each request by its token, not by the session, so its views are
exempt from the site's login redirect (an API client gets a 401 JSON answer instead).
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from xaso.api import views
from xaso.api.main import api

app_name = "api"


def _public(patterns):
    for pattern in patterns:
        pattern.callback = login_not_required(pattern.callback)
    return patterns


api_patterns, _, _ = api.urls
urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke, name="revoke_token"),
    *_public(api_patterns),
]
