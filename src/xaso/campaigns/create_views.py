"""The page that creates a campaign ("Phát động phong trào") and the draft's "Phát động".

Only the host's managers. The page reads the campaign, its goals and its themed weeks
(`campaigns.forms`) and calls the same services as the demo and the tests:
`services.create_campaign`, then, with "Lưu và phát động", `services.launch_campaign`, in one
transaction — a refused launch keeps nothing. A service's errors are shown beside the field
they name, and the form comes back with everything typed. The submission token
(`xaso.once`) makes the same form sent twice create one campaign. No JavaScript: "Thêm dòng"
sends the form back with more empty rows, checking and saving nothing.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from xaso.campaigns.forms import CampaignForm, GoalFormSet, WeekFormSet, candidates
from xaso.campaigns.models import Campaign, CampaignStatus
from xaso.campaigns.services import create_campaign, launch_campaign
from xaso.catalog.selectors import active_indicators
from xaso.formkit import show_service_errors, with_more_rows
from xaso.once import services as once_tokens
from xaso.org import policy
from xaso.org.selectors import unit_or_404

WHAT = "phát động phong trào thi đua"
LAUNCH = "launch"
MORE_ROWS, MAX_ROWS = 3, 60
PREFIXES = ("g", "w")  # goals, weeks
# Errors of the launch that are about handing a goal down (`figures.allocation`).
GOAL_KEYS = {"goals", "shares", "method", "base", "to_kind", "status"}


def _place(form, error: ValidationError) -> tuple[list[str], list[str]]:
    """The service's errors: the goals' and the weeks' beside their tables, the rest beside
    the campaign's fields (or on top)."""
    if not hasattr(error, "error_dict"):
        show_service_errors(form, error)
        return [], []
    found = error.message_dict
    goals = [m for key in GOAL_KEYS & found.keys() for m in found[key]]
    rest = {k: v for k, v in found.items() if k not in GOAL_KEYS and k != "weeks"}
    if rest:
        show_service_errors(form, ValidationError(rest))
    return goals, found.get("weeks", [])


def _create(request, host, form, goals, weeks) -> tuple[Campaign, bool]:
    """The campaign (launched if asked), or the one this same form already created."""
    data = form.cleaned_data
    with transaction.atomic():
        token, earlier = once_tokens.claim(user=request.user, key=data["once"], kind="campaign")
        if token is None and earlier is not None:
            return Campaign.objects.get(pk=earlier), True
        campaign = create_campaign(
            host=host, code=data["code"], name=data["name"].strip(), start=data["start"],
            end=data["end"], cadence=data["cadence"], purpose=data["purpose"].strip(),
            participants=data["participants"],
            goals=[f.to_input() for f in goals if f.has_changed()],
            weeks=[f.to_input() for f in weeks if f.has_changed()],
            user=request.user,
        )  # fmt: skip
        if request.POST.get("action") == LAUNCH:
            campaign = launch_campaign(campaign, user=request.user)
        once_tokens.settle(token, campaign.pk)
    return campaign, False


def campaign_new(request, code: str):
    host = unit_or_404(code)
    policy.require_manage(request.user, host, what=WHAT)
    data = request.POST if request.method == "POST" else None
    adding = data is not None and "more" in data
    if adding and data["more"] in PREFIXES:
        data = with_more_rows(data, data["more"], more=MORE_ROWS, most=MAX_ROWS)
    units = candidates(host)
    form = CampaignForm(data, units=units)
    goal_kwargs = {"units": units, "indicators": active_indicators()}
    goals = GoalFormSet(data, prefix="g", form_kwargs=goal_kwargs)
    weeks = WeekFormSet(data, prefix="w")
    goal_errors, week_errors = [], []
    checked = data is not None and not adding
    if checked and all(part.is_valid() for part in (form, goals, weeks)):
        try:
            campaign, repeated = _create(request, host, form, goals, weeks)
        except ValidationError as error:
            goal_errors, week_errors = _place(form, error)
        else:
            if repeated:
                messages.info(request, "Biểu mẫu này đã được gửi trước đó: không tạo lại.")
            elif campaign.status == CampaignStatus.LAUNCHED:
                messages.success(request, f"Đã phát động phong trào «{campaign.name}».")
            else:
                messages.success(request, f"Đã lưu phong trào «{campaign.name}» (chưa phát động).")
            return redirect("campaigns:campaign", code=campaign.code)
    context = {
        "unit": host,
        "trail": policy.trail(request.user, host),
        "form": form,
        "goals": goals,
        "weeks": weeks,
        "goal_errors": goal_errors,
        "week_errors": week_errors,
        "checked": checked,
        "max_rows": MAX_ROWS,
    }
    return render(request, "campaigns/create.html", context, status=400 if checked else 200)


@require_POST
def launch(request, code: str):
    """ "Phát động" on a draft campaign's page."""
    campaign = get_object_or_404(Campaign.objects.select_related("host"), code=code)
    policy.require_manage(request.user, campaign.host, what=WHAT)
    try:
        launch_campaign(campaign, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Đã phát động phong trào «{campaign.name}».")
    return redirect("campaigns:campaign", code=campaign.code)
