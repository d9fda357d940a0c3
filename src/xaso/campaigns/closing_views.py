"""The closing review's page and files: the final ranking with praise and reminders, the
draft decision (DOCX) and the scores (XLSX) — all three from one `closing_review`, so they
say the same — and the host's managers' "Kết thúc phong trào" (`services.close_campaign`).

Readers of the host see the page and download the files; only its managers close.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xaso.campaigns.closing import PRAISE_FROM, REMIND_BELOW, closing_review, read_thresholds
from xaso.campaigns.decision import decision_docx
from xaso.campaigns.models import CampaignStatus
from xaso.campaigns.scores import scores_xlsx
from xaso.campaigns.services import close_campaign
from xaso.campaigns.views import readable_campaign
from xaso.org import policy
from xaso.vn.numbers import format_number

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _review(request, campaign):
    """The review with the thresholds asked (?bieu-duong=100&nhac-nho=50), or the defaults
    and the errors when they cannot be read."""
    typed = {
        "praise": request.GET.get("bieu-duong", ""),
        "remind": request.GET.get("nhac-nho", ""),
    }
    errors = {}
    try:
        praise, remind = read_thresholds(typed["praise"], typed["remind"])
    except ValidationError as error:
        errors = {key: " ".join(value) for key, value in error.message_dict.items()}
        praise, remind = PRAISE_FROM, REMIND_BELOW
    closing = closing_review(campaign, praise_from=praise, remind_below=remind)
    return closing, typed, errors


def _query(closing) -> str:
    """The thresholds for the download links, written as they are read back ("75,5")."""
    return urlencode(
        {
            "bieu-duong": format_number(closing.praise_from),
            "nhac-nho": format_number(closing.remind_below),
        }
    )


def closing_page(request, code: str):
    campaign = readable_campaign(request, code)
    closing, typed, errors = _review(request, campaign)
    return render(
        request,
        "campaigns/closing.html",
        {
            "campaign": campaign,
            "unit": campaign.host,
            "trail": policy.trail(request.user, campaign.host),
            "closing": closing,
            "typed": typed,
            "errors": errors,
            "thresholds": _query(closing),
            "may_close": campaign.status == CampaignStatus.LAUNCHED
            and policy.can_manage(request.user, campaign.host),
        },
    )


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def decision_file(request, code: str):
    campaign = readable_campaign(request, code)
    closing, _, _ = _review(request, campaign)
    day = timezone.localdate()
    data = decision_docx(closing, day)
    return _download(data, DOCX, f"du-thao-quyet-dinh-khen-thuong-{campaign.code}.docx")


def scores_file(request, code: str):
    campaign = readable_campaign(request, code)
    closing, _, _ = _review(request, campaign)
    return _download(scores_xlsx(closing), XLSX, f"bang-diem-{campaign.code}.xlsx")


@require_POST
def close(request, code: str):
    campaign = readable_campaign(request, code)
    policy.require_manage(request.user, campaign.host, what="kết thúc phong trào thi đua")
    try:
        close_campaign(campaign, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Đã kết thúc phong trào; bảng xếp hạng dưới đây là kết quả.")
    return redirect("campaigns:closing", code=campaign.code)
