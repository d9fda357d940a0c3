"""No silent overwrites, no doubles: a sheet carries what its user saw; a value changed since
is not overwritten but shown beside the user's; the same value sent twice is stored once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.factories import make_commune_tree, make_indicator, make_user
from tests.forms import parse_form
from xaso.figures.models import Result, ResultChange
from xaso.figures.services import Seen, StaleWrite, enter_unit_figures, record_result
from xaso.org.models import Role

NOV = "2022-11"


@pytest.fixture
def sheet(db):
    _, _, commune, villages = make_commune_tree()
    trees = make_indicator("cay", name="Cây bóng mát", unit="cay")
    fence = make_indicator("rao", name="Hàng rào xanh", unit="m", position=1)
    return commune, villages[0], trees, fence


def value_of(unit, indicator):
    row = Result.objects.filter(unit=unit, indicator=indicator, period=NOV).first()
    return None if row is None else row.value


def test_a_value_left_as_shown_is_not_written_even_if_it_changed_since(sheet):
    commune, village, trees, fence = sheet
    record_result(unit=village, indicator=trees, period=NOV, value="15")
    shown = Seen(Decimal("15"), "final")
    record_result(unit=village, indicator=trees, period=NOV, value="23")  # the officer's change

    changed = enter_unit_figures(
        unit=village,
        period=NOV,
        entries={trees: ("15", "final"), fence: ("120", "final")},
        seen={trees: shown, fence: Seen(None)},
    )

    assert (changed.saved, changed.deleted) == (1, 0)
    assert value_of(village, trees) == Decimal(23)
    assert value_of(village, fence) == Decimal(120)


def test_a_value_both_users_changed_is_refused_with_both_values_and_nothing_is_saved(sheet):
    commune, village, trees, fence = sheet
    record_result(unit=village, indicator=trees, period=NOV, value="10")
    record_result(unit=village, indicator=trees, period=NOV, value="23")  # since it was shown

    with pytest.raises(StaleWrite) as raised:
        enter_unit_figures(
            unit=village,
            period=NOV,
            entries={trees: ("12", "final"), fence: ("120", "final")},
            seen={trees: Seen(Decimal(10), "final"), fence: Seen(None)},
        )

    [clash] = raised.value.clashes
    assert (clash.indicator, clash.seen.value, clash.current.value, clash.yours) == (
        trees,
        Decimal(10),
        Decimal(23),
        Decimal(12),
    )
    assert value_of(village, trees) == Decimal(23)
    assert value_of(village, fence) is None  # the sheet is all or nothing


def test_emptying_a_value_someone_changed_since_is_a_clash_too(sheet):
    commune, village, trees, fence = sheet
    record_result(unit=village, indicator=trees, period=NOV, value="23")

    with pytest.raises(StaleWrite):
        enter_unit_figures(
            unit=village,
            period=NOV,
            entries={trees: ("", "final")},
            seen={trees: Seen(Decimal(10), "final")},
        )
    assert value_of(village, trees) == Decimal(23)


def test_the_same_value_sent_twice_is_stored_once_and_audited_once(sheet):
    commune, village, trees, fence = sheet
    for _ in range(2):
        changed = enter_unit_figures(
            unit=village,
            period=NOV,
            entries={trees: ("12", "final")},
            seen={trees: Seen(None)},
        )

    assert (changed.saved, changed.deleted) == (0, 0)  # the second time: already stored
    assert Result.objects.filter(unit=village, indicator=trees).count() == 1
    assert ResultChange.objects.filter(unit=village, indicator=trees).count() == 1


# --- over HTTP ------------------------------------------------------------------------------


def open_sheet(client, unit) -> dict:
    return open_sheet_from(client.get(f"/units/{unit.code}/entry/?period={NOV}").content.decode())


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_stale_sheet_does_not_put_back_an_old_value(sheet):
    commune, village, trees, fence = sheet
    record_result(unit=village, indicator=trees, period=NOV, value="15")
    head = logged_in(make_user("head", unit=village))
    officer = logged_in(make_user("officer", unit=commune, role=Role.MANAGER))
    stale = open_sheet(head, village)
    edit = open_sheet(officer, village) | {"v_cay": "23"}
    assert officer.post(f"/units/{village.code}/entry/", edit).status_code == 302

    response = head.post(f"/units/{village.code}/entry/", stale | {"v_rao": "120"})

    assert response.status_code == 302
    assert (value_of(village, trees), value_of(village, fence)) == (Decimal(23), Decimal(120))


def test_a_clash_answers_409_with_both_values_and_sending_again_keeps_the_users_value(sheet):
    commune, village, trees, fence = sheet
    record_result(unit=village, indicator=trees, period=NOV, value="10")
    head = logged_in(make_user("head", unit=village))
    stale = open_sheet(head, village)
    record_result(unit=village, indicator=trees, period=NOV, value="23")

    response = head.post(f"/units/{village.code}/entry/", stale | {"v_cay": "12"})

    html = response.content.decode()
    assert response.status_code == 409
    assert "Bạn nhập: <strong>12</strong> · Hiện tại: <strong>23 (chính thức)</strong>" in html
    assert value_of(village, trees) == Decimal(23)
    again = open_sheet_from(html)
    assert again["was_cay"] == "23|final" and again["v_cay"] == "12"
    assert head.post(f"/units/{village.code}/entry/", again).status_code == 302
    assert value_of(village, trees) == Decimal(12)


def test_a_clash_says_who_entered_the_value_now_stored_and_when(sheet):
    commune, village, trees, fence = sheet
    record_result(unit=village, indicator=trees, period=NOV, value="10")
    head = logged_in(make_user("head", unit=village))
    stale = open_sheet(head, village)
    officer = make_user("officer", unit=commune, role=Role.MANAGER, first_name="Lan")
    record_result(unit=village, indicator=trees, period=NOV, value="23", user=officer)
    stored = Result.objects.get(unit=village, indicator=trees, period=NOV)

    html = head.post(f"/units/{village.code}/entry/", stale | {"v_cay": "12"}).content.decode()

    at = timezone.localtime(stored.entered_at).strftime("%H:%M %d/%m/%Y")
    assert f"do Lan nhập lúc {at}" in html


def open_sheet_from(html: str) -> dict:
    return parse_form(html, "period")


def test_a_value_with_three_decimals_is_shown_whole_and_an_untouched_box_changes_nothing(sheet):
    commune, village, trees, fence = sheet
    record_result(unit=village, indicator=fence, period=NOV, value="1.234,125")
    head = logged_in(make_user("head", unit=village))
    shown = open_sheet(head, village)

    response = head.post(f"/units/{village.code}/entry/", shown | {"v_cay": "5"})

    assert shown["v_rao"] == "1.234,125"
    assert response.status_code == 302
    assert value_of(village, fence) == Decimal("1234.125")
    assert ResultChange.objects.filter(indicator=fence).count() == 1


# --- at the same moment (PostgreSQL: SQLite has one writer at a time) ------------------------


def _race(unit, indicator, values: list[str]) -> list:
    """Each value written by its own connection, released together; what each got back."""
    barrier = threading.Barrier(len(values))
    answers = [None] * len(values)

    def write(index: int, value: str) -> None:
        try:
            barrier.wait()
            enter_unit_figures(
                unit=unit,
                period=NOV,
                entries={indicator: (value, "final")},
                seen={indicator: Seen(None)},
            )
            answers[index] = "saved"
        except StaleWrite:
            answers[index] = "clash"
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=item) for item in enumerate(values)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
@pytest.mark.parametrize(
    ("values", "answers", "stored"),
    [(["12"] * 4, ["saved"] * 4, Decimal(12)), (["12", "13"], None, None)],
)
def test_new_values_entered_at_the_same_moment_are_stored_once(values, answers, stored):
    _, _, commune, villages = make_commune_tree()
    trees = make_indicator("cay", unit="cay")

    got = _race(villages[0], trees, values)

    rows = list(Result.objects.filter(unit=villages[0], indicator=trees))
    assert len(rows) == 1
    assert ResultChange.objects.filter(unit=villages[0]).count() == 1
    if answers is not None:
        assert got == answers and rows[0].value == stored
    else:  # different values: one is saved, the other is shown the winner's
        assert sorted(got) == ["clash", "saved"]
        assert rows[0].value == Decimal(values[got.index("saved")])


def test_an_old_value_a_newer_rule_refuses_does_not_block_the_sheet_when_left_as_shown(sheet):
    commune, village, trees, fence = sheet
    record_result(unit=village, indicator=trees, period=NOV, value="2")
    record_result(unit=village, indicator=fence, period=NOV, value="10")
    # Stored before counts had to be whole: 1,5 trees.
    Result.objects.filter(indicator=trees).update(value=Decimal("1.5"))
    head = logged_in(make_user("head", unit=village))
    shown = open_sheet(head, village)

    response = head.post(f"/units/{village.code}/entry/", shown | {"v_rao": "120"})
    refused = head.post(
        f"/units/{village.code}/entry/", open_sheet(head, village) | {"v_cay": "2,5"}
    )

    assert shown["v_cay"] == "1,5"
    assert response.status_code == 302
    assert (value_of(village, trees), value_of(village, fence)) == (Decimal("1.5"), Decimal(120))
    assert refused.status_code == 400  # typed anew, the rule applies
