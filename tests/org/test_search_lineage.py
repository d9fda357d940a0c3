"""Searches widened to predecessors (issue 22): an old unit's name finds the old unit, which
says what it is now ("nay thuộc Xã Hà Linh, từ 01/07/2025") with a link to it — on the web
search, in the API's list of units, and in the CLI's lookup and `xaso show`."""

import datetime as dt
import html as html_lib
import re

import pytest
from django.test import Client

from tests.api.conftest import Api
from tests.factories import make_unit, make_user
from xaso.api.tokens import create_token
from xaso.org.models import Lineage, OrgUnit, Role, UnitKind

pytestmark = pytest.mark.django_db

ENDED = dt.date(2025, 6, 30)
BEGAN = dt.date(2025, 7, 1)


def _link(old, new, kind="merge", share=1, date=BEGAN):
    Lineage.objects.create(predecessor=old, successor=new, kind=kind, date=date, share=share)


@pytest.fixture
def reform():
    """Hà Tĩnh (42): the old district Hương Khê (hk) with Hà Linh (a), Điền Mỹ (b), Thị trấn
    Hương Khê (t) and Hương Bình (s, divided 60/40), ended 30/06/2025; today's Xã Hà Linh (n,
    from a and b and 40 % of s) and Xã Hương Khê (k, from t and 60 % of s), from 01/07/2025;
    the district ended without a successor. And Phú Mỹ (p), merged into Điền Mỹ in 2020."""
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="42")
    district = make_unit("Hương Khê", UnitKind.DISTRICT, province, code="hk")
    old = {
        "a": make_unit("Hà Linh", UnitKind.COMMUNE, district, code="a"),
        "b": make_unit("Điền Mỹ", UnitKind.COMMUNE, district, code="b"),
        "t": make_unit("Hương Khê", UnitKind.TOWNSHIP, district, code="t"),
        "s": make_unit("Hương Bình", UnitKind.COMMUNE, district, code="s"),
        "p": make_unit("Phú Mỹ", UnitKind.COMMUNE, district, code="p"),
    }
    new = make_unit("Hà Linh", UnitKind.COMMUNE, province, code="n")
    other = make_unit("Hương Khê", UnitKind.COMMUNE, province, code="k")
    OrgUnit.objects.filter(code__in=["hk", "a", "b", "t", "s"]).update(valid_to=ENDED)
    OrgUnit.objects.filter(code="p").update(valid_to=dt.date(2019, 12, 31))
    OrgUnit.objects.filter(code__in=["n", "k"]).update(valid_from=BEGAN)
    for code in ("a", "b"):
        _link(old[code], new)
    _link(old["t"], other)
    _link(old["s"], other, kind="split", share="0.6")
    _link(old["s"], new, kind="split", share="0.4")
    _link(old["p"], old["b"], date=dt.date(2020, 1, 1))
    Lineage.objects.create(predecessor=district, successor=None, kind="end", date=BEGAN)
    return {code: OrgUnit.objects.get(code=code) for code in ("42", "n", "k", "a", "b")}


def _text(response) -> str:
    """The page as read: tags dropped, spaces collapsed."""
    body = html_lib.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))
    return re.sub(r"\s+", " ", body)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the web search -------------------------------------------------------------------------


def test_an_officer_of_the_new_commune_finds_an_old_one_and_what_it_is_now(reform):
    officer = _client(make_user("xem", unit=reform["n"], role=Role.VIEWER))

    response = officer.get("/units/?q=Điền Mỹ")

    text = _text(response)
    assert "Xã Điền Mỹ b đơn vị cũ, đến 30/06/2025 — nay thuộc Xã Hà Linh, từ 01/07/2025" in text
    page = response.content.decode()
    assert 'href="/units/b/"' in page and 'href="/units/n/"' in page
    assert "Không tìm thấy" not in text


def test_a_name_both_had_finds_today_s_unit_and_the_former_one(reform):
    officer = _client(make_user("xem", unit=reform["n"], role=Role.VIEWER))

    text = _text(officer.get("/units/?q=ha linh"))

    assert "Xã Hà Linh n từ 01/07/2025" in text
    assert "Xã Hà Linh a đơn vị cũ, đến 30/06/2025 — nay thuộc Xã Hà Linh, từ 01/07/2025" in text


def test_a_township_searched_with_its_kind_word_names_its_successor(reform):
    admin = _client(make_user("admin", is_superuser=True))

    response = admin.get("/units/?q=Thị trấn Hương Khê")

    text = _text(response)
    assert (
        "Thị trấn Hương Khê t đơn vị cũ, đến 30/06/2025 — nay thuộc Xã Hương Khê, từ 01/07/2025"
        in text
    )
    # Only the township: not the district nor today's commune of the same name.
    assert "Huyện Hương Khê" not in text and "Xã Hương Khê k" not in text
    assert 'href="/units/k/"' in response.content.decode()


def test_a_divided_commune_names_each_successor_the_larger_part_first(reform):
    admin = _client(make_user("admin", is_superuser=True))

    text = _text(admin.get("/units/?q=huong binh"))

    assert "nay thuộc Xã Hương Khê, Xã Hà Linh, từ 01/07/2025" in text


def test_an_ended_district_says_it_is_no_more(reform):
    admin = _client(make_user("admin", is_superuser=True))

    text = _text(admin.get("/units/?q=Huyện Hương Khê"))

    assert "Huyện Hương Khê hk đơn vị cũ, đến 30/06/2025 — không còn từ 01/07/2025" in text


def test_a_commune_merged_in_2020_is_followed_to_today_s_unit(reform):
    admin = _client(make_user("admin", is_superuser=True))

    text = _text(admin.get("/units/?q=Phú Mỹ"))

    assert (
        "Xã Phú Mỹ p đơn vị cũ, đến 31/12/2019 — nay thuộc Xã Hà Linh, từ 01/07/2025 "
        "(qua Xã Điền Mỹ)" in text
    )


def test_the_search_is_not_widened_beyond_what_the_user_reads(reform):
    # An officer of today's Xã Hương Khê reads the township and Hương Bình (its
    # predecessors), not Điền Mỹ, which went into Hà Linh.
    officer = _client(make_user("xem", unit=reform["k"], role=Role.VIEWER))

    assert "Không tìm thấy đơn vị nào." in _text(officer.get("/units/?q=Điền Mỹ"))
    text = _text(officer.get("/units/?q=Hương Bình"))
    # The successor the officer may not open is named, not linked.
    assert "nay thuộc Xã Hương Khê, Xã Hà Linh, từ 01/07/2025" in text
    page = officer.get("/units/?q=Hương Bình").content.decode()
    assert 'href="/units/k/"' in page and 'href="/units/n/"' not in page


def test_a_cycle_in_the_links_ends(reform):
    # A mistake in the data: Điền Mỹ's successor recorded as its predecessor as well.
    a, b = reform["a"], reform["b"]
    _link(a, b, date=dt.date(2024, 1, 1))
    _link(b, a, date=dt.date(2024, 6, 1))
    admin = _client(make_user("admin", is_superuser=True))

    text = _text(admin.get("/units/?q=Điền Mỹ"))

    assert "Xã Điền Mỹ b đơn vị cũ, đến 30/06/2025 — nay thuộc Xã Hà Linh, từ 01/07/2025" in text


# --- the API --------------------------------------------------------------------------------


def _api(user) -> Api:
    _, secret = create_token(user=user, name="bảng tính")
    return Api(secret)


def test_the_api_list_finds_the_old_unit_and_says_what_it_is_now(reform):
    api = _api(make_user("xem", unit=reform["n"], role=Role.VIEWER))

    items = api.get("/api/units/?q=dien my").json()["items"]

    assert [(u["code"], u["valid_to"], u["now"], u["now_units"]) for u in items] == [
        ("b", "2025-06-30", "nay thuộc Xã Hà Linh, từ 01/07/2025", ["n"])
    ]
    listed = {u["code"] for u in api.get("/api/units/?limit=200").json()["items"]}
    # Its own, its three predecessors, and Phú Mỹ, merged into Điền Mỹ in 2020.
    assert listed == {"n", "a", "b", "s", "p"}
    one = api.get("/api/units/n").json()
    assert (one["valid_from"], one["valid_to"], one["now"], one["now_units"]) == (
        "2025-07-01",
        None,
        None,
        [],
    )


# --- the CLI --------------------------------------------------------------------------------


def test_the_cli_lookup_says_what_each_namesake_is(reform, capsys):
    from xaso.cli import main

    assert main(["show", "Hà Linh", "--period", "2022-11"]) == 2

    err = capsys.readouterr().err
    assert "  a\tXã Hà Linh (đến 30/06/2025; nay thuộc Xã Hà Linh, từ 01/07/2025)" in err
    assert "  n\tXã Hà Linh (từ 01/07/2025)" in err


def test_xaso_show_of_an_old_unit_says_where_it_is_now(reform, capsys):
    from xaso.cli import main

    assert main(["show", "Điền Mỹ", "--period", "2022-11"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "Đơn vị cũ, đến 30/06/2025; nay thuộc Xã Hà Linh, từ 01/07/2025 (mã n)."
    assert main(["show", "n", "--period", "2025-08"]) == 0
    assert "Đơn vị cũ" not in capsys.readouterr().out


def test_a_renamed_unit_is_what_it_became(reform):
    from xaso.org.succession import now_of

    province = reform["42"]
    old = make_unit("Hương Trà", UnitKind.COMMUNE, province, code="ht")
    new = make_unit("Hương Trà Mới", UnitKind.COMMUNE, province, code="htm")
    OrgUnit.objects.filter(code="ht").update(valid_to=ENDED)
    old.refresh_from_db()
    _link(old, new, kind="rename")

    assert now_of([old])[old.pk].text == "nay là Xã Hương Trà Mới, từ 01/07/2025"
    assert now_of([new]) == {}  # still in existence: nothing to say


# --- the tree's branch ----------------------------------------------------------------------


def test_a_new_unit_s_branch_names_what_it_was_formed_from(reform):
    officer = _client(make_user("xem", unit=reform["n"], role=Role.VIEWER))

    response = officer.get("/units/?root=n")

    assert (
        "Thành lập từ 01/07/2025, từ Xã Hà Linh (đơn vị cũ, đến 30/06/2025), Xã Điền Mỹ (đơn "
        "vị cũ, đến 30/06/2025), Xã Hương Bình (đơn vị cũ, đến 30/06/2025)."
    ) in _text(response)
    assert 'href="?root=b"' in response.content.decode()


def test_an_old_unit_s_branch_says_what_it_is_now_and_lists_its_ended_villages(reform):
    make_unit("3", UnitKind.VILLAGE, reform["b"], code="b-3")
    OrgUnit.objects.filter(code="b-3").update(valid_to=ENDED)
    officer = _client(make_user("xem", unit=reform["n"], role=Role.VIEWER))

    response = officer.get("/units/?root=b")

    text = _text(response)
    assert "Đơn vị cũ, đến 30/06/2025 — nay thuộc Xã Hà Linh, từ 01/07/2025." in text
    assert "Thôn 3 đến 30/06/2025" in text
    assert 'href="?root=n"' in response.content.decode()


# --- an old unit's own page -----------------------------------------------------------------


def test_an_old_unit_s_page_says_what_it_is_now_and_links_to_it(reform):
    officer = _client(make_user("xem", unit=reform["n"], role=Role.VIEWER))

    response = officer.get("/units/b/?period=2022-11")

    assert response.status_code == 200
    text = _text(response)
    assert "Đơn vị cũ — nay thuộc Xã Hà Linh, từ 01/07/2025." in text
    assert 'href="/units/n/?period=2022-11' in response.content.decode()
    # Today's unit has not ended: no such line on its page.
    assert "Đơn vị cũ —" not in _text(officer.get("/units/n/?period=2026-01"))


def test_an_old_unit_s_page_names_a_successor_the_user_cannot_open_without_a_link(reform):
    # A viewer of Xã Hương Khê reads the divided Hương Bình (it took 60 % of it), not Xã Hà
    # Linh, which took the rest.
    officer = _client(make_user("xem", unit=OrgUnit.objects.get(code="k"), role=Role.VIEWER))

    response = officer.get("/units/s/?period=2022-11")

    assert response.status_code == 200
    assert "Đơn vị cũ — nay thuộc Xã Hương Khê, Xã Hà Linh, từ 01/07/2025." in _text(response)
    page = response.content.decode()
    assert 'href="/units/k/' in page and 'href="/units/n/' not in page
