"""An office's own Word template: checked whole before it is kept, used for the unit and the
units below it, removed back to the shipped one; every change audited."""

import datetime as dt
import io
import zipfile

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.audit.models import AuditEntry
from xaso.figures.services import record_result
from xaso.org.models import Role
from xaso.periods import parse_period
from xaso.publishing.models import ReportTemplate
from xaso.publishing.report_templates import (
    MAX_BYTES,
    TemplateRefused,
    remove_report_template,
    set_report_template,
)
from xaso.publishing.reports import ReportError, write_report

pytestmark = pytest.mark.django_db

H1 = parse_period("2022-H1")


def word_file(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def world():
    _, district, commune, villages = make_commune_tree()
    thu = make_indicator("thu", name="Thu ngân sách", unit="trieu_dong")
    record_result(unit=commune, indicator=thu, period="2022-H1", value="3750")
    manager = make_user("manager", unit=commune, role=Role.MANAGER)
    return district, commune, villages, manager


def text_of(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def cells_of(content: bytes) -> str:
    tables = docx.Document(io.BytesIO(content)).tables
    return "\n".join(cell.text for t in tables for row in t.rows for cell in row.cells)


def test_an_office_template_is_used_for_its_reports_and_those_below(world):
    district, commune, villages, manager = world
    district_manager = make_user("district", unit=district, role=Role.MANAGER)
    own = word_file(
        "MẪU CỦA HUYỆN", "{{ place_date }}", "{% for s in results %}{{ s }}{% endfor %}"
    )
    set_report_template(
        unit=district, issuer="state", filename="mau.docx", content=own, user=district_manager
    )
    written = write_report(
        user=manager, unit=commune, period=H1, fmt="docx", day=dt.date(2022, 7, 10)
    )
    text = text_of(written.content)
    assert text.startswith("MẪU CỦA HUYỆN\nHà Linh, ngày 10 tháng 7 năm 2022\n")
    assert "Thu ngân sách 6 tháng đầu năm 2022 đạt 3.750 triệu đồng." in text
    # The party layout has no template of its own here: the shipped one.
    party = write_report(user=manager, unit=commune, period=H1, fmt="docx", issuer="party")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text_of(party.content) or "MẪU" not in text_of(party.content)


def test_a_misspelt_placeholder_is_refused_by_name_and_nothing_is_kept(world):
    _, commune, _, manager = world
    bad = word_file("{{ palce_date }} {{ title }}")
    with pytest.raises(TemplateRefused, match=r"\{\{ palce_date \}\}"):
        set_report_template(
            unit=commune, issuer="state", filename="mau.docx", content=bad, user=manager
        )
    assert (
        not ReportTemplate.objects.exists()
        and not AuditEntry.objects.filter(entity="report_template").exists()
    )


@pytest.mark.parametrize(
    ("filename", "content", "reason"),
    [
        ("mau.doc", b"old word", "chỉ nhận tệp Word .docx"),
        ("mau.docx", b"not a zip", "không đọc được tệp như một mẫu Word"),
        ("mau.docx", None, "không có chỗ giữ chỗ nào"),
        ("mau.docx", "syntax", "không đọc được tệp như một mẫu Word"),
    ],
)
def test_files_that_cannot_serve_are_refused(world, filename, content, reason):
    _, commune, _, manager = world
    if content is None:
        content = word_file("Chỉ có chữ, không có chỗ giữ chỗ.")
    elif content == "syntax":
        content = word_file("{% for s in results %}{{ s }}")  # the loop never closed
    with pytest.raises(TemplateRefused, match=reason):
        set_report_template(
            unit=commune, issuer="state", filename=filename, content=content, user=manager
        )


def padded(content: bytes, total: int) -> bytes:
    """The Word file grown to exactly `total` bytes by a stored (uncompressed) extra part."""

    def with_pad(size: int) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
            for item in source.infolist():
                target.writestr(item, source.read(item.filename))
            target.writestr("customXml/pad.bin", b"\0" * size, compress_type=zipfile.ZIP_STORED)
        return out.getvalue()

    grown = with_pad(total - len(with_pad(0)))
    assert len(grown) == total
    return grown


def test_the_size_limit_on_both_sides(world):
    _, commune, _, manager = world
    base = word_file("{{ title }}")
    at_limit = padded(base, MAX_BYTES)
    set_report_template(
        unit=commune, issuer="state", filename="mau.docx", content=at_limit, user=manager
    )
    with pytest.raises(TemplateRefused, match="lớn quá 2 MB"):
        set_report_template(
            unit=commune, issuer="state", filename="mau.docx",
            content=padded(base, MAX_BYTES + 1),
            user=manager,
        )  # fmt: skip


def test_only_a_manager_sets_or_removes_it(world):
    _, commune, villages, _ = world
    reporter = make_user("reporter", unit=commune, role=Role.REPORTER)
    with pytest.raises(PermissionDenied):
        set_report_template(
            unit=commune, issuer="state", filename="m.docx", content=word_file("{{ title }}"),
            user=reporter,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        remove_report_template(unit=commune, issuer="state", user=reporter)


def test_removing_goes_back_to_the_shipped_template_and_is_audited(world):
    _, commune, _, manager = world
    set_report_template(
        unit=commune, issuer="state", filename="m.docx", content=word_file("{{ title }}"),
        user=manager,
    )  # fmt: skip
    assert remove_report_template(unit=commune, issuer="state", user=manager)
    assert not remove_report_template(unit=commune, issuer="state", user=manager)
    actions = list(
        AuditEntry.objects.filter(entity="report_template").values_list("action", flat=True)
    )
    assert actions == ["create", "delete"]
    written = write_report(user=manager, unit=commune, period=H1, fmt="docx")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells_of(written.content)


def test_a_kept_template_that_no_longer_fills_is_a_clear_error(world):
    _, commune, _, manager = world
    ReportTemplate.objects.create(
        unit=commune, issuer="state", filename="hong.docx", content=b"broken"
    )
    with pytest.raises(ReportError, match=r"Mẫu Word «hong\.docx» của Xã Hà Linh"):
        write_report(user=manager, unit=commune, period=H1, fmt="docx")


def test_the_page_keeps_the_reason_and_the_choice(world):
    _, commune, _, manager = world
    client = Client()
    client.force_login(manager)
    url = reverse("reports:page", args=[commune.code])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("sai.docx", word_file("{{ palce_date }}"))
    answer = client.post(url, {"action": "upload", "issuer": "party", "file": upload})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Tệp «sai.docx»: mẫu dùng chỗ giữ chỗ mà xã số không điền: {{ palce_date }}" in html
    assert '<option value="party" selected>' in html
    good = SimpleUploadedFile("dung.docx", word_file("{{ title }}"))
    answer = client.post(url, {"action": "upload", "issuer": "party", "file": good})
    assert answer.status_code == 302
    assert ReportTemplate.objects.get().filename == "dung.docx"
