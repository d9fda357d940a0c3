"""The organisation tree: administrative units, villages, groups, party cells, mass organisations.

The tree is a materialized path (django-treebeard's MP_Node): every unit's `path` starts with
its ancestors' paths, so "all descendants of X" is one indexed prefix query, and a unit's
`depth` says how far down it is. Units are never moved: a reorganisation closes a unit
(`valid_to`) and opens new ones, so history keeps its place in the tree.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from treebeard.mp_tree import MP_Node


class UnitKind(models.TextChoices):
    PROVINCE = "province", "Tỉnh"
    CITY = "city", "Thành phố trực thuộc TW"
    DISTRICT = "district", "Huyện"
    # District-level units before 1 July 2025 other than rural districts (huyện).
    URBAN_DISTRICT = "urban_district", "Quận"
    DISTRICT_TOWN = "district_town", "Thị xã"
    DISTRICT_CITY = "district_city", "Thành phố"
    COMMUNE = "commune", "Xã"
    WARD = "ward", "Phường"
    TOWNSHIP = "township", "Thị trấn"
    SPECIAL_ZONE = "special_zone", "Đặc khu"
    VILLAGE = "village", "Thôn"
    RESIDENTIAL_GROUP = "residential_group", "Tổ dân phố"
    HOUSEHOLD_GROUP = "household_group", "Tổ liên gia"
    # A household's garden: what a model-garden criteria set (vườn mẫu) is assessed on.
    GARDEN = "garden", "Vườn hộ"
    PARTY_COMMITTEE = "party_committee", "Đảng bộ"
    PARTY_CELL = "party_cell", "Chi bộ"
    FATHERLAND_FRONT = "fatherland_front", "Mặt trận Tổ quốc"
    YOUTH_UNION = "youth_union", "Đoàn Thanh niên"
    FARMERS_UNION = "farmers_union", "Hội Nông dân"
    WOMENS_UNION = "womens_union", "Hội Phụ nữ"
    VETERANS_ASSOCIATION = "veterans_association", "Hội Cựu chiến binh"


code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    "Mã đơn vị chỉ gồm chữ không dấu, chữ số và các dấu . _ -",
)


class OrgUnit(MP_Node):
    name = models.CharField("tên", max_length=200)
    kind = models.CharField("loại", max_length=32, choices=UnitKind.choices)
    code = models.CharField("mã", max_length=64, unique=True, validators=[code_validator])
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    # Normalised, diacritic-free name for lookups ("Xã Hà Linh" and "ha linh" both find it).
    search_name = models.CharField(max_length=200, db_index=True, editable=False)

    node_order_by = []

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """The name as officers write it: "Xã Hà Linh", "Thôn Cẩm Trang", "Chi bộ 1 Bồng Giang"."""
        return f"{self.get_kind_display()} {self.name}"


class Role(models.TextChoices):
    VIEWER = "viewer", "Xem"
    REPORTER = "reporter", "Báo cáo số liệu"
    MANAGER = "manager", "Quản lý"


class Membership(models.Model):
    """A user's role on a unit; it applies to the unit's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("vai trò", max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="membership_one_role_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class GroupKind(models.TextChoices):
    CLUSTER = "cluster", "Cụm"
    EMULATION_BLOC = "emulation_bloc", "Khối thi đua"
    EMULATION_CLUSTER = "emulation_cluster", "Cụm thi đua"
    OTHER = "other", "Nhóm đơn vị"


class GroupSet(models.Model):
    """Groups that split the owner's units of one kind between them, each unit in exactly one
    ("every commune in one emulation bloc"): `groups.partition` checks it and names who is
    missing or in two groups."""

    code = models.CharField("mã", max_length=64, unique=True, validators=[code_validator])
    name = models.CharField("tên", max_length=200)
    owner = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="group_sets")
    member_kinds = models.JSONField(
        "loại đơn vị phải chia hết", default=list, help_text="UnitKind codes, e.g. commune"
    )

    class Meta:
        verbose_name = "bộ nhóm đơn vị"
        verbose_name_plural = "bộ nhóm đơn vị"

    def __str__(self) -> str:
        return self.name


class UnitGroup(models.Model):
    """A named set of units that cuts across the tree: a cluster of communes (cụm), an
    emulation bloc (khối thi đua), any set a district or province defines (DHIS2's
    organisation unit group). Its members need not be siblings. Visible to whoever may read
    its owner; managed by the owner's managers."""

    code = models.CharField("mã", max_length=64, unique=True, validators=[code_validator])
    name = models.CharField("tên", max_length=200)
    kind = models.CharField("loại", max_length=32, choices=GroupKind.choices)
    owner = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="groups_owned")
    group_set = models.ForeignKey(
        GroupSet, null=True, blank=True, on_delete=models.PROTECT, related_name="groups"
    )
    first_year = models.PositiveSmallIntegerField("từ năm", null=True, blank=True)
    last_year = models.PositiveSmallIntegerField("đến năm", null=True, blank=True)
    members = models.ManyToManyField(OrgUnit, through="GroupMember", related_name="unit_groups")
    note = models.CharField("ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "nhóm đơn vị"
        verbose_name_plural = "nhóm đơn vị"
        ordering = ["owner", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_year__isnull=True)
                | models.Q(first_year__isnull=True)
                | models.Q(last_year__gte=models.F("first_year")),
                name="unitgroup_valid_years",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def valid_in(self, year: int) -> bool:
        return (self.first_year or year) <= year <= (self.last_year or year)


class GroupMember(models.Model):
    group = models.ForeignKey(UnitGroup, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="group_memberships")

    class Meta:
        verbose_name = "thành viên nhóm"
        verbose_name_plural = "thành viên nhóm"
        constraints = [
            models.UniqueConstraint(fields=["group", "unit"], name="groupmember_once_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.group} — {self.unit}"


class LineageKind(models.TextChoices):
    MERGE = "merge", "Sáp nhập"
    SPLIT = "split", "Chia tách"
    RENAME = "rename", "Đổi tên, chuyển tiếp"
    MOVE = "move", "Chuyển sang đơn vị khác"
    END = "end", "Kết thúc hoạt động"


class Lineage(models.Model):
    """One link of the tree through time: `predecessor` ended (its `valid_to`) and all of it,
    or the `share` of it, became `successor` on `date` (the successor's first day). Nothing
    is deleted or moved: a reorganisation creates units and links them. A predecessor divided
    among several successors (split) has one link each, their shares adding up to 1; an `end`
    link has no successor (the districts on 1 July 2025)."""

    predecessor = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="successions")
    successor = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="predecessions"
    )
    kind = models.CharField("loại", max_length=8, choices=LineageKind.choices)
    date = models.DateField("từ ngày")
    share = models.DecimalField("phần", max_digits=7, decimal_places=6, default=1)
    # For a split: the successor that takes the predecessor when nothing else says which.
    default = models.BooleanField("đơn vị kế thừa mặc định", default=False)
    basis = models.CharField("cách tính phần", max_length=200, blank=True)
    source = models.CharField("nguồn", max_length=300, blank=True)

    class Meta:
        verbose_name = "lịch sử đơn vị"
        verbose_name_plural = "lịch sử đơn vị"
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "date"], name="lineage_one_link"
            ),
            models.CheckConstraint(
                condition=models.Q(share__gt=0) & models.Q(share__lte=1), name="lineage_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor or '—'} ({self.get_kind_display()})"


class LineageShare(models.Model):
    """The share of a divided predecessor one successor took for one indicator, set by the
    province in place of the link's own share (which is by area): the households, the budget,
    the road of a commune need not have gone where its land went. For a predecessor and an
    indicator, the shares over all its successors add up to 1; `org.lineage_shares` sets them
    together and checks it. A share may be 0 (none of that indicator's value went there).

    The indicator is named by a lazy reference: org imports nothing from catalog."""

    lineage = models.ForeignKey(Lineage, on_delete=models.PROTECT, related_name="indicator_shares")
    indicator = models.ForeignKey(
        "catalog.Indicator", on_delete=models.PROTECT, related_name="+", verbose_name="chỉ tiêu"
    )
    share = models.DecimalField("phần", max_digits=7, decimal_places=6)
    basis = models.CharField("cách tính phần", max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người đặt",
    )
    set_at = models.DateTimeField("lúc đặt", auto_now=True)

    class Meta:
        verbose_name = "phần chia theo chỉ tiêu"
        verbose_name_plural = "phần chia theo chỉ tiêu"
        constraints = [
            models.UniqueConstraint(
                fields=["lineage", "indicator"], name="lineage_share_one_per_indicator"
            ),
            models.CheckConstraint(
                condition=models.Q(share__gte=0) & models.Q(share__lte=1),
                name="lineage_share_indicator_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lineage}: {self.indicator_id} {self.share}"
