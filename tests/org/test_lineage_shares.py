"""The shares of a divided commune that a province sets per indicator (issue 22): every
successor named, each between 0 and 1, adding up to exactly 1 — else a Vietnamese error on the
`share` field and nothing saved; set from the command line as the province's manager."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import make_indicator, make_unit, make_user
from xaso import cli
from xaso.org.lineage_shares import clear_indicator_shares, set_indicator_shares
from xaso.org.models import Lineage, LineageShare, OrgUnit, Role, UnitKind

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)


@pytest.fixture
def divided():
    """Old Phúc Đồng (c) divided: a quarter to today's Hà Linh (n), three quarters to
    today's Hương Bình (m), by area; old Điền Mỹ (b) merged whole into n."""
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="42")
    district = make_unit("Hương Khê", UnitKind.DISTRICT, province, code="hk")
    c = make_unit("Phúc Đồng", UnitKind.COMMUNE, district, code="c")
    b = make_unit("Điền Mỹ", UnitKind.COMMUNE, district, code="b")
    n = make_unit("Hà Linh", UnitKind.COMMUNE, province, code="n")
    m = make_unit("Hương Bình", UnitKind.COMMUNE, province, code="m")
    for old, new, kind, share in [(c, n, "split", "0.25"), (c, m, "split", "0.75"),
                                  (b, n, "merge", "1")]:  # fmt: skip
        Lineage.objects.create(
            predecessor=old, successor=new, kind=kind, date=DAY, share=Decimal(share)
        )
    revenue = make_indicator("thu-ngan-sach", name="Thu ngân sách", unit="trieu_dong")
    return {"c": c, "b": b, "n": n, "m": m, "province": province, "revenue": revenue}


def _saved():
    return sorted(
        (row.lineage.successor.code, row.share)
        for row in LineageShare.objects.select_related("lineage__successor")
    )


def test_shares_adding_up_to_one_are_saved_for_every_successor(divided):
    d = divided
    set_indicator_shares(
        predecessor=d["c"],
        indicator=d["revenue"],
        shares={d["n"]: "0.6", d["m"]: Decimal("0.4")},
        basis="theo số hộ",
    )
    assert _saved() == [("m", Decimal("0.4")), ("n", Decimal("0.6"))]
    assert set(LineageShare.objects.values_list("basis", flat=True)) == {"theo số hộ"}
    # Setting again replaces them (0 is allowed: none of the revenue went to Hương Bình).
    set_indicator_shares(
        predecessor=d["c"], indicator=d["revenue"], shares={d["n"]: "1", d["m"]: "0"}
    )
    assert _saved() == [("m", Decimal(0)), ("n", Decimal(1))]
    # The links' own shares (by area) are untouched.
    assert sorted(Lineage.objects.filter(predecessor=d["c"]).values_list("share", flat=True)) == [
        Decimal("0.25"),
        Decimal("0.75"),
    ]


@pytest.mark.parametrize(
    ("shares", "words"),
    [
        ({"n": "0.6", "m": "0.3"}, "cộng lại là 0,9, phải bằng đúng 1"),
        ({"n": "0.6", "m": "0.400001"}, "cộng lại là 1,000001, phải bằng đúng 1"),
        ({"n": "0.6"}, "Thiếu phần chia cho Xã Hương Bình"),
        ({"n": "1.2", "m": "-0.2"}, "Phần chia cho Xã Hà Linh là 1,2: phải từ 0 đến 1."),
        ({"n": "0.6000001", "m": "0.3999999"}, "có quá 6 chữ số thập phân"),
        ({"n": "nửa", "m": "0.5"}, "(‘nửa’) không phải là số"),
    ],
)
def test_shares_that_do_not_add_up_to_one_are_refused_and_nothing_is_saved(divided, shares, words):
    d = divided
    set_indicator_shares(
        predecessor=d["c"], indicator=d["revenue"], shares={d["n"]: "0.5", d["m"]: "0.5"}
    )
    before = _saved()
    with pytest.raises(ValidationError) as caught:
        set_indicator_shares(
            predecessor=d["c"],
            indicator=d["revenue"],
            shares={d[code]: value for code, value in shares.items()},
        )
    assert list(caught.value.message_dict) == ["share"]
    [message] = caught.value.message_dict["share"]
    assert words in message
    assert _saved() == before  # the shares set before stand, none half-replaced


def test_a_unit_not_divided_or_not_a_successor_is_refused(divided):
    d = divided
    with pytest.raises(ValidationError) as caught:
        set_indicator_shares(predecessor=d["b"], indicator=d["revenue"], shares={d["n"]: "1"})
    assert "không được chia cho nhiều đơn vị kế thừa" in caught.value.message_dict["lineage"][0]
    with pytest.raises(ValidationError) as caught:
        set_indicator_shares(
            predecessor=d["c"],
            indicator=d["revenue"],
            shares={d["n"]: "0.5", d["m"]: "0.25", d["b"]: "0.25"},
        )
    assert caught.value.message_dict["share"] == [
        "Xã Điền Mỹ không phải đơn vị kế thừa của Xã Phúc Đồng."
    ]
    assert LineageShare.objects.count() == 0


def test_only_a_manager_of_every_successor_sets_them(divided):
    d = divided
    officer = make_user("xa-n", unit=d["n"], role=Role.MANAGER)
    with pytest.raises(PermissionDenied):
        set_indicator_shares(
            predecessor=d["c"], indicator=d["revenue"], shares={d["n"]: "1", d["m"]: "0"},
            by=officer,
        )  # fmt: skip
    province = make_user("tinh", unit=d["province"], role=Role.MANAGER)
    set_indicator_shares(
        predecessor=d["c"], indicator=d["revenue"], shares={d["n"]: "1", d["m"]: "0"},
        by=province,
    )  # fmt: skip
    assert set(LineageShare.objects.values_list("set_by__username", flat=True)) == {"tinh"}
    assert clear_indicator_shares(predecessor=d["c"], indicator=d["revenue"], by=province) == 2
    assert LineageShare.objects.count() == 0


def test_xaso_lineage_share_sets_shows_and_clears(divided, capsys):
    d = divided
    make_user("tinh", unit=d["province"], role=Role.MANAGER)
    code = cli.main(["lineage-share", "c", "--indicator", "thu-ngan-sach", "--to", "n=60%",
                     "--to", "m=0,4", "--basis", "theo số hộ", "--as", "tinh"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines() == [
        "Đã đặt phần chia của Xã Phúc Đồng cho chỉ tiêu ‘Thu ngân sách’:",
        "  Xã Hà Linh: 60,0%",
        "  Xã Hương Bình: 40,0%",
    ]
    assert cli.main(["lineage", "c"]) == 0
    shown = capsys.readouterr().out
    assert "    Thu ngân sách: 60,0% (tỉnh đặt: theo số hộ)" in shown
    assert "    Thu ngân sách: 40,0% (tỉnh đặt: theo số hộ)" in shown
    assert cli.main(["lineage", "c", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(s["code"], s["share"], s["indicator_shares"]) for s in data["successors"]] == [
        ("n", 0.25, {"thu-ngan-sach": 0.6}),
        ("m", 0.75, {"thu-ngan-sach": 0.4}),
    ]

    code = cli.main(["lineage-share", "c", "--indicator", "thu-ngan-sach", "--to", "n=0,6",
                     "--to", "m=0,3"])  # fmt: skip
    assert code == 2
    assert "cộng lại là 0,9, phải bằng đúng 1" in capsys.readouterr().err
    assert _saved() == [("m", Decimal("0.4")), ("n", Decimal("0.6"))]

    assert cli.main(["lineage-share", "c", "--indicator", "thu-ngan-sach", "--clear"]) == 0
    assert LineageShare.objects.count() == 0
    assert OrgUnit.objects.filter(code="c").exists()


def test_the_admin_shows_the_links_and_their_shares_and_edits_nothing(divided, client):
    from django.contrib.auth import get_user_model

    d = divided
    set_indicator_shares(
        predecessor=d["c"], indicator=d["revenue"], shares={d["n"]: "0.6", d["m"]: "0.4"},
        basis="theo số hộ",
    )  # fmt: skip
    client.force_login(get_user_model().objects.create_superuser("root", "r@x.vn", "pw-12345"))
    listing = client.get("/admin/org/lineage/")
    assert listing.status_code == 200
    assert listing.content.decode().count("Xã Phúc Đồng") == 2  # its two links
    link = Lineage.objects.get(predecessor=d["c"], successor=d["n"])
    page = client.get(f"/admin/org/lineage/{link.pk}/change/").content.decode()
    assert "Thu ngân sách" in page and "theo số hộ" in page
    assert client.get("/admin/org/lineage/add/").status_code == 403
    assert client.post(f"/admin/org/lineage/{link.pk}/delete/", {"post": "yes"}).status_code == 403
    assert LineageShare.objects.count() == 2
