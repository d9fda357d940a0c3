"""The user's own page of API tokens (Khóa API): make one (its secret shown once), revoke one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from xaso.api.models import ApiToken
from xaso.api.tokens import create_token, revoke_token


@require_http_methods(["GET", "POST"])
def tokens(request):
    """GET lists the user's tokens; POST makes one and shows its secret on this answer only
    (not stored, not put in a message or the session)."""
    context = {"secret": None, "error": None, "name": ""}
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            token, secret = create_token(user=request.user, name=name)
            context["secret"], context["made"] = secret, token
        except ValidationError as error:
            context["error"], context["name"] = error.message_dict["name"][0], name
    context["tokens"] = ApiToken.objects.filter(user=request.user)
    response = render(request, "api/tokens.html", context, status=422 if context["error"] else 200)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def revoke(request, token_id: int):
    """Revoke one of the user's own tokens; another user's id answers 404 (tells nothing)."""
    revoked = revoke_token(user=request.user, token_id=token_id)
    if not revoked and not ApiToken.objects.filter(pk=token_id, user=request.user).exists():
        raise Http404
    messages.success(request, "Đã thu hồi khóa. Các chương trình dùng khóa này sẽ bị từ chối.")
    return redirect("api:tokens")
