from django.shortcuts import redirect, render
from django.utils import timezone

from xaso.web.homes import home_of


def home(request):
    """An officer whose units report on or review a form sees what is due, waiting and
    missing (`web.homes`). Anyone else goes where they work: an officer of one unit to that
    unit, everyone else to the organisation tree."""
    found = home_of(request.user, timezone.now())
    if found.has_forms:
        return render(request, "web/home.html", {"home": found, "now": timezone.now()})
    if len(found.memberships) == 1:
        return redirect("figures:unit", code=found.memberships[0].unit.code)
    return redirect("org:tree")
