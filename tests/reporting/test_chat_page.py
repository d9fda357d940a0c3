"""A report pasted as a chat message on a form's sheet ("Đọc tin nhắn"): the values read
are shown in the boxes for checking and nothing is saved; saving the sheet then stores them.

Plain POSTs, as a browser without JavaScript sends them.
"""

from decimal import Decimal

from tests.reporting.test_pages import SHEET, box, client_for, hidden, text_of
from xaso.audit.models import AuditEntry
from xaso.figures.models import Result
from xaso.figures.services import record_result
from xaso.once.models import SubmitToken
from xaso.reporting.models import Submission

MESSAGE = (
    "Thôn Cẩm Trang tuần 3: trồng mới 320 m hàng rào xanh, 5 hộ chỉnh trang vườn, "
    "2 nhà vệ sinh tự hoại."
)
CODES = ("hang-rao-xanh", "nha-tieu-tu-hoai", "so-ho")


def posted(html: str, action: str, chat: str = "", **boxes) -> dict:
    """What the browser sends back from the page `html`: its hidden fields, its boxes as
    shown (or as typed in `boxes`), the textarea and the button pressed."""
    data = {"action": action, "chat": chat}
    for name in ("version", "once", "confirmed"):
        data[name] = hidden(html, name)
    for code in CODES:
        data[f"was_{code}"] = hidden(html, f"was_{code}")
        data[f"ok_{code}"] = hidden(html, f"ok_{code}")
        data[f"v_{code}"] = box(html, code)
        data[f"s_{code}"] = "final"
    for key, value in boxes.items():
        data[f"v_{key.replace('_', '-')}"] = value
    return data


def counts() -> tuple:
    return (
        Result.objects.count(),
        AuditEntry.objects.count(),
        Submission.objects.count(),
        SubmitToken.objects.count(),
    )


def textarea(html: str) -> str:
    """The textarea's text as a browser reads it (without the newline after the tag)."""
    start = html.index('name="chat"')
    inside = html[html.index(">", start) + 1 : html.index("</textarea>", start)]
    return inside.removeprefix("\n").replace("&quot;", '"').replace("&amp;", "&")


def test_a_pasted_message_fills_the_boxes_saves_nothing_then_saving_stores_it(cycle):
    village = cycle.villages[0]
    record_result(unit=village, indicator=cycle.households, period="2022-W15", value="118")
    reporter = client_for(cycle.reporter)
    opened = reporter.get(SHEET).content.decode()
    assert "Đọc tin nhắn" in opened and 'name="chat"' in opened
    before = counts()

    read = reporter.post(SHEET, posted(opened, "read_chat", MESSAGE))

    assert read.status_code == 200
    assert counts() == before  # no Result, AuditEntry, Submission or token written
    html = read.content.decode()
    assert (box(html, "hang-rao-xanh"), box(html, "nha-tieu-tu-hoai")) == ("320", "2")
    assert box(html, "so-ho") == "118"  # not in the message: the box keeps what it showed
    # Carried unchanged from when the sheet was opened.
    for name in ("version", "once", "was_hang-rao-xanh", "was_so-ho"):
        assert hidden(html, name) == hidden(opened, name), name
    assert textarea(html) == MESSAGE  # the pasted text stays
    text = text_of(read)
    assert html.count(">đọc từ tin nhắn</span>") == 2  # beside the two boxes read
    assert "“320 m hàng rào xanh”" in text and "“2 nhà vệ sinh tự hoại”" in text
    assert "Thôn Cẩm Trang, tuần 3" in text
    assert "Chưa lấy “5 hộ chỉnh trang vườn”: Không khớp chỉ tiêu nào của biểu mẫu." in text
    assert "Chưa lưu" in text

    saved = reporter.post(SHEET, posted(html, "save", MESSAGE))

    assert saved.status_code == 302
    values = dict(
        Result.objects.filter(unit=village, period="2022-W15").values_list(
            "indicator__code", "value"
        )
    )
    assert values == {
        "hang-rao-xanh": Decimal(320),
        "nha-tieu-tu-hoai": Decimal(2),
        "so-ho": Decimal(118),
    }
    assert Submission.objects.get(unit=village).status == "draft"
    assert AuditEntry.objects.count() > before[1]


def test_boxes_typed_before_pasting_are_kept_and_a_box_read_is_overwritten(cycle):
    reporter = client_for(cycle.reporter)
    opened = reporter.get(SHEET).content.decode()

    read = reporter.post(
        SHEET, posted(opened, "read_chat", MESSAGE, hang_rao_xanh="300", so_ho="120")
    )

    html = read.content.decode()
    assert (box(html, "hang-rao-xanh"), box(html, "so-ho")) == ("320", "120")
    assert not Result.objects.exists()


def test_a_message_naming_another_village_warns(cycle):
    reporter = client_for(cycle.reporter)
    opened = reporter.get(SHEET).content.decode()

    read = reporter.post(
        SHEET, posted(opened, "read_chat", "Thôn Đông Giang tuần 3: 20 m hàng rào xanh")
    )

    assert read.status_code == 200
    assert (
        "Tin nhắn báo cáo cho “Thôn Đông Giang”, còn trang này nhập cho Thôn Cẩm Trang: "
        "hãy kiểm tra lại." in text_of(read)
    )
    assert box(read.content.decode(), "hang-rao-xanh") == "20"
    assert not Result.objects.exists()


def test_a_message_of_another_week_warns(cycle):
    reporter = client_for(cycle.reporter)
    opened = reporter.get(SHEET).content.decode()

    read = reporter.post(
        SHEET, posted(opened, "read_chat", "Thôn Cẩm Trang tuần 16/2022: 20 m hàng rào xanh")
    )

    assert "Tin nhắn ghi kỳ “tuần 16/2022”, còn trang này nhập cho tuần 15/2022" in text_of(read)


def test_an_over_long_message_is_refused_with_the_boxes_kept(cycle):
    reporter = client_for(cycle.reporter)
    opened = reporter.get(SHEET).content.decode()
    long = "hàng rào xanh 5m. " * 400
    before = counts()

    refused = reporter.post(SHEET, posted(opened, "read_chat", long, so_ho="120"))

    assert refused.status_code == 400
    assert counts() == before
    text = text_of(refused)
    assert "Tin nhắn dài quá 5.000 ký tự: hãy dán báo cáo của từng thôn một." in text
    html = refused.content.decode()
    assert box(html, "so-ho") == "120" and box(html, "hang-rao-xanh") == ""
    assert textarea(html) == long
    # The error is shown above the textarea.
    assert html.index("Tin nhắn dài quá") < html.index('name="chat"')


def test_an_empty_paste_asks_for_the_message(cycle):
    reporter = client_for(cycle.reporter)
    opened = reporter.get(SHEET).content.decode()

    empty = reporter.post(SHEET, posted(opened, "read_chat", "   "))

    assert empty.status_code == 400
    assert "Hãy dán tin nhắn báo cáo vào ô" in text_of(empty)
    assert not Result.objects.exists()


def test_a_reporter_of_another_unit_cannot_paste(cycle):
    stranger = client_for(cycle.stranger_reporter)
    before = counts()

    refused = stranger.post(SHEET, {"action": "read_chat", "chat": MESSAGE, "version": "0"})

    assert refused.status_code == 403
    assert counts() == before


def test_enter_in_a_box_still_saves_a_draft(cycle):
    """The form's first submit button (its default, for Enter in a box) saves: the chat
    box above the boxes does not take Enter over."""
    html = client_for(cycle.reporter).get(SHEET).content.decode()
    form = html[html.index('<form method="post" class="entry"') :]
    first = form[form.index("<button") : form.index("</button>")]
    assert 'value="save"' in first
