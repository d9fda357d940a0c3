"""An old report names a commune that has since become part of another (#22): the review
suggests the commune as it was on the meeting's day and says what it is now."""

import datetime as dt

import pytest

from tests.documents.review_kit import form_data, upload_seed
from tests.factories import make_unit
from xaso.org.models import Lineage, OrgUnit, UnitKind

pytestmark = pytest.mark.django_db


def test_seed_000s_ha_linh_is_the_former_commune_and_the_page_names_todays(
    client, officer, ha_linh, seeds_dir
):
    commune, _villages = ha_linh
    province = OrgUnit.objects.get(code="42")
    today = make_unit("Hà Linh", UnitKind.COMMUNE, province, code="18502")
    OrgUnit.objects.filter(pk=commune.pk).update(valid_to=dt.date(2025, 6, 30))
    OrgUnit.objects.filter(pk=today.pk).update(valid_from=dt.date(2025, 7, 1))
    Lineage.objects.create(
        predecessor=commune, successor=today, kind="merge", date=dt.date(2025, 7, 1)
    )
    document = upload_seed(client, seeds_dir, "000")

    page = client.get(f"/documents/{document.pk}/").content.decode()

    assert form_data(page)["host"] == "hl"  # the meeting of 30/11/2022: the former commune
    assert "nay là <strong>Xã Hà Linh</strong> (mã 18502)" in page


def test_without_a_reorganisation_nothing_is_said(client, officer, ha_linh, seeds_dir):
    document = upload_seed(client, seeds_dir, "000")
    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert form_data(page)["host"] == "hl" and "nay là" not in page
