from django.shortcuts import redirect

from xaso.org.models import Membership


def home(request):
    """Send an officer of one unit to that unit; everyone else to the organisation tree."""
    memberships = list(
        Membership.objects.filter(user=request.user).select_related("unit").order_by("pk")[:2]
    )
    if len(memberships) == 1:
        return redirect("figures:unit", code=memberships[0].unit.code)
    return redirect("org:tree")
