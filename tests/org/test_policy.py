"""xaso.org.policy, decision by decision: each role on each side of its subtree, the superuser,
the inactive and anonymous users, the filters, the messages. Expected values are written out
by hand from docs/access.md, not computed with the policy.

Written against the mutants `make mutants` found alive in the policy (docs/testing.md,
"Mutation testing"), among them the superuser branch removed.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from tests.factories import make_unit, make_user
from xaso.org import policy
from xaso.org.models import Membership, OrgUnit, Role, UnitKind
from xaso.org.services import membership_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """Tỉnh A > Huyện B > (Xã C > Thôn 1, Thôn 2; Xã D); Tỉnh E."""
    a = make_unit("A", UnitKind.PROVINCE, code="a")
    b = make_unit("B", UnitKind.DISTRICT, a, code="b")
    c = make_unit("C", UnitKind.COMMUNE, b, code="c")
    v1 = make_unit("1", UnitKind.VILLAGE, c, code="c1")
    v2 = make_unit("2", UnitKind.VILLAGE, c, code="c2")
    d = make_unit("D", UnitKind.COMMUNE, b, code="d")
    e = make_unit("E", UnitKind.PROVINCE, code="e")
    return {"a": a, "b": b, "c": c, "v1": v1, "v2": v2, "d": d, "e": e}


def names(units) -> set[str]:
    return {unit.name for unit in units}


def readable(user) -> set[str]:
    return names(OrgUnit.objects.filter(policy.scope_q(user)))


def test_the_paths_are_treebeards(tree):
    assert [tree[k].path for k in ("a", "b", "c", "v1", "v2", "d", "e")] == [
        "0001",
        "00010001",
        "000100010001",
        "0001000100010001",
        "0001000100010002",
        "000100010002",
        "0002",
    ]


# ---- the superuser -----------------------------------------------------------------------


def test_a_superuser_may_do_everything_without_any_role(tree):
    root = make_user("root", is_superuser=True)
    assert policy.grants(root) == ()
    assert policy.is_everyone(root) is True
    for unit in tree.values():
        assert policy.can_read(root, unit)
        assert policy.can_record(root, unit)
        assert policy.can_manage(root, unit)
        policy.require_read(root, unit)
        policy.require_record(root, unit)
        policy.require_manage(root, unit)
    assert policy.can_record_all(root, list(tree.values()))
    policy.require_record_all(root, list(tree.values()), what="nhập")
    assert policy.can_write_anywhere(root) is True
    assert policy.managed_paths(root) is None
    assert policy.readable_paths(root) is None
    assert policy.scope_q(root) == Q()
    assert names(policy.readable_units(root)) == {"A", "B", "C", "1", "2", "D", "E"}
    assert [u.readable for u in policy.trail(root, tree["v1"])] == [True, True, True]


def test_an_inactive_superuser_may_do_nothing(tree):
    root = make_user("root", is_superuser=True, is_active=False, unit=tree["a"], role=Role.MANAGER)
    assert policy.is_everyone(root) is False
    assert policy.grants(root) == ()
    assert not policy.can_read(root, tree["a"])
    assert not policy.can_write_anywhere(root)
    assert policy.readable_paths(root) == []
    assert readable(root) == set()


def test_anonymous_and_no_user_may_do_nothing(tree):
    for nobody in (AnonymousUser(), None):
        assert policy.is_everyone(nobody) is False
        assert policy.grants(nobody) == ()
        assert not policy.can_read(nobody, tree["a"])
        assert not policy.can_record(nobody, tree["c"])
        assert not policy.can_write_anywhere(nobody)
        assert policy.managed_paths(nobody) == []
        assert readable(nobody) == set()
    policy.forget(None)  # nothing to forget


def test_a_staff_member_is_no_superuser(tree):
    staff = make_user("staff", is_staff=True)
    assert policy.is_everyone(staff) is False
    assert not policy.can_read(staff, tree["a"])


# ---- roles and subtrees ------------------------------------------------------------------


def test_a_viewer_reads_the_subtree_and_writes_nothing(tree):
    viewer = make_user("viewer", unit=tree["c"], role=Role.VIEWER)
    assert {k for k, u in tree.items() if policy.can_read(viewer, u)} == {"c", "v1", "v2"}
    assert not any(policy.can_record(viewer, u) for u in tree.values())
    assert not any(policy.can_manage(viewer, u) for u in tree.values())
    assert policy.can_write_anywhere(viewer) is False
    assert policy.readable_paths(viewer) == ["000100010001"]
    assert policy.managed_paths(viewer) == []
    assert readable(viewer) == {"C", "1", "2"}
    assert names(policy.readable_units(viewer)) == {"C", "1", "2"}


def test_a_reporter_records_in_the_subtree_only(tree):
    reporter = make_user("reporter", unit=tree["c"], role=Role.REPORTER)
    assert {k for k, u in tree.items() if policy.can_record(reporter, u)} == {"c", "v1", "v2"}
    assert {k for k, u in tree.items() if policy.can_read(reporter, u)} == {"c", "v1", "v2"}
    assert not any(policy.can_manage(reporter, u) for u in tree.values())
    assert policy.can_write_anywhere(reporter) is True
    assert policy.can_record(reporter, tree["b"], tree["v1"]) is True  # any of them
    assert policy.can_record(reporter, tree["b"], tree["d"]) is False
    assert policy.can_record(reporter) is False  # no unit at all
    assert policy.can_record_all(reporter, [tree["c"], tree["v2"]]) is True
    assert policy.can_record_all(reporter, [tree["c"], tree["d"]]) is False
    assert policy.can_record_all(reporter, []) is True


def test_a_manager_manages_the_subtree_only(tree):
    manager = make_user("manager", unit=tree["b"], role=Role.MANAGER)
    managed = {k for k, u in tree.items() if policy.can_manage(manager, u)}
    assert managed == {"b", "c", "v1", "v2", "d"}
    assert {k for k, u in tree.items() if policy.can_record(manager, u)} == managed
    assert {k for k, u in tree.items() if policy.can_read(manager, u)} == managed
    assert policy.can_write_anywhere(manager) is True
    assert policy.managed_paths(manager) == ["00010001"]


def test_the_roots_of_several_grants(tree):
    user = make_user("many")
    membership_grant(user=user, unit=tree["e"], role=Role.VIEWER)
    membership_grant(user=user, unit=tree["c"], role=Role.MANAGER)
    membership_grant(user=user, unit=tree["v1"], role=Role.MANAGER)  # inside C
    membership_grant(user=user, unit=tree["d"], role=Role.REPORTER)
    policy.forget(user)
    assert policy.readable_paths(user) == ["000100010001", "000100010002", "0002"]
    assert policy.managed_paths(user) == ["000100010001"]
    assert readable(user) == {"C", "1", "2", "D", "E"}
    assert policy.can_manage(user, tree["v2"]) and not policy.can_manage(user, tree["d"])
    assert policy.can_record(user, tree["d"]) and not policy.can_record(user, tree["e"])


def test_the_roots_of_sibling_managers_are_both_kept(tree):
    user = make_user("siblings")
    membership_grant(user=user, unit=tree["v2"], role=Role.MANAGER)
    membership_grant(user=user, unit=tree["v1"], role=Role.MANAGER)
    policy.forget(user)
    assert policy.managed_paths(user) == ["0001000100010001", "0001000100010002"]


# ---- the cache -----------------------------------------------------------------------------


def test_roles_are_read_once_per_user_object_until_forgotten(tree, django_assert_num_queries):
    user = make_user("cached", unit=tree["c"], role=Role.VIEWER)
    policy.forget(user)
    with django_assert_num_queries(1):
        assert policy.grants(user) == (policy.Grant("000100010001", "viewer"),)
        assert policy.can_read(user, tree["v1"])
        assert not policy.can_read(user, tree["d"])
    Membership.objects.create(user=user, unit=tree["d"], role=Role.VIEWER)
    assert not policy.can_read(user, tree["d"])  # still the cached roles
    policy.forget(user)
    policy.forget(user)  # twice is fine
    assert policy.can_read(user, tree["d"])


# ---- filters -------------------------------------------------------------------------------


def test_subtree_filters():
    assert policy.subtree_q(None) == Q()
    assert policy.subtree_q(["0001"]) == Q(path__gte="0001", path__lt="0002")
    assert policy.subtree_q(["00010009"], "unit__path") == Q(
        unit__path__gte="00010009", unit__path__lt="0001000A"
    )
    # the last possible step has no upper bound: a prefix match instead
    assert policy.subtree_q(["ZZZZ"]) == Q(path__startswith="ZZZZ")
    both = policy.subtree_q(["0001", "0003"])
    assert both == Q(path__gte="0001", path__lt="0002") | Q(path__gte="0003", path__lt="0004")


def test_an_empty_list_of_paths_selects_nothing(tree):
    assert not OrgUnit.objects.filter(policy.subtree_q([])).exists()
    assert names(OrgUnit.objects.filter(policy.subtree_q(["00010001"]))) == {
        "B",
        "C",
        "1",
        "2",
        "D",
    }


def test_scope_on_another_field(tree):
    viewer = make_user("viewer", unit=tree["d"], role=Role.VIEWER)
    make_user("other", unit=tree["c"], role=Role.VIEWER)
    memberships = Membership.objects.filter(policy.scope_q(viewer, "unit__path"))
    assert sorted(m.user.username for m in memberships) == ["viewer"]


def test_the_trail_marks_what_the_user_may_open(tree):
    viewer = make_user("viewer", unit=tree["c"], role=Role.VIEWER)
    trail = policy.trail(viewer, tree["v1"])
    assert [(u.name, u.readable) for u in trail] == [("A", False), ("B", False), ("C", True)]
    assert policy.trail(viewer, tree["a"]) == []


# ---- refusals and their messages -----------------------------------------------------------


def refusal(call, *args, **kwargs) -> str:
    with pytest.raises(PermissionDenied) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def test_the_refusals_name_the_units(tree):
    viewer = make_user("viewer", unit=tree["c"], role=Role.VIEWER)
    assert refusal(policy.require_read, viewer, tree["d"]) == (
        "Bạn không có quyền xem số liệu của Xã D."
    )
    policy.require_read(viewer, tree["v1"])
    assert refusal(policy.require_record, viewer, tree["c"], tree["d"]) == (
        "Bạn không có quyền ghi số liệu cho Xã C, Xã D."
    )
    assert refusal(policy.require_record, viewer, tree["c"], what="nhập số liệu") == (
        "Bạn không có quyền nhập số liệu cho Xã C."
    )
    assert refusal(policy.require_manage, viewer, tree["c"]) == (
        "Chỉ người quản lý Xã C hoặc đơn vị cấp trên mới được đặt chỉ tiêu."
    )
    assert refusal(policy.require_manage, viewer, tree["v1"], what="xoá chỉ tiêu") == (
        "Chỉ người quản lý Thôn 1 hoặc đơn vị cấp trên mới được xoá chỉ tiêu."
    )


def test_record_all_names_only_the_units_outside(tree):
    reporter = make_user("reporter", unit=tree["c"], role=Role.REPORTER)
    policy.require_record_all(reporter, [tree["c"], tree["v1"]], what="nhập")
    assert refusal(
        policy.require_record_all, reporter, [tree["v1"], tree["d"], tree["b"]], what="nhập"
    ) == ("Bạn không có quyền nhập cho Xã D, Huyện B.")
    policy.require_record(reporter, tree["d"], tree["v2"])  # one of them is enough
    manager = make_user("manager", unit=tree["c"], role=Role.MANAGER)
    policy.require_manage(manager, tree["v2"])
