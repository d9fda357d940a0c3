"""Loading a province's own criteria set from an uploaded YAML or XLSX file (the sets page).

Bounded (`MAX_BYTES`); read and checked whole before anything is written; a refusal names the
file, the line (or sheet row) and the field, and the form keeps the chosen province.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied

from xaso.criteria.forms import PackUploadForm
from xaso.criteria.loading import load_pack
from xaso.criteria.pack import MAX_BYTES, PackError, read_pack_text

OUTCOMES = {
    "created": "Đã nạp",
    "updated": "Đã cập nhật",
    "unchanged": "Không đổi (đã có đúng nội dung này)",
}


def read_upload(upload):
    """The pack in an uploaded file; PackError when it is not one."""
    name = upload.name or "tệp tải lên"
    if upload.size > MAX_BYTES:
        raise PackError("tệp lớn quá 5 MB.", file=name)
    lowered = name.lower()
    if lowered.endswith((".yaml", ".yml")):
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise PackError("tệp không phải văn bản UTF-8.", file=name) from None
        return read_pack_text(text, file=name)
    if lowered.endswith(".xlsx"):
        from xaso.criteria.spreadsheet import read_pack_xlsx

        return read_pack_xlsx(upload, file=name)
    raise PackError("chỉ nhận tệp .yaml, .yml hoặc .xlsx.", file=name)


def upload_pack(request, owners):
    """(None, 302) when loaded; else (the form, its status)."""
    if request.method != "POST":
        return PackUploadForm(owners=owners), 200
    form = PackUploadForm(request.POST, request.FILES, owners=owners)
    if not form.is_valid():
        return form, 400
    owner = next(u for u in owners if u.code == form.cleaned_data["owner"])
    try:
        pack = read_upload(form.cleaned_data["file"])
        if pack.scope != "province":
            raise PackError(
                "bộ tiêu chí của tỉnh cần ghi «scope: province».", file=pack.file, field="scope"
            )
        loaded = load_pack(pack, user=request.user, owner=owner, channel="import")
    except PackError as error:
        form.add_error("file", str(error))
        return form, 400
    except PermissionDenied as error:
        form.add_error("owner", str(error))
        return form, 403
    s = loaded.criteria_set
    messages.success(request, f"{OUTCOMES[loaded.outcome]}: {s.name} (phiên bản {s.version}).")
    return None, 302
