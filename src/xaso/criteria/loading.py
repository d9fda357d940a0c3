"""Loading a checked pack into the database: one transaction, all or nothing.

The shipped packs (`criteria/packs/*.yaml`) are loaded by the operator (`xaso criteria-import
--shipped`, `xaso demo`); a province's own set by a manager of the province, from YAML or a
spreadsheet (`criteria.spreadsheet`). Loading the same content again changes nothing; a new
version replaces the set's criteria and requirements but keeps every assessment, and refuses
to drop a criterion that has been assessed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction

from xaso.audit.models import Action, Entity
from xaso.audit.services import audit_record
from xaso.catalog.models import Direction, Indicator, Rollup
from xaso.catalog.services import indicator_upsert
from xaso.criteria.models import CriteriaSet, Criterion, Requirement
from xaso.criteria.pack import Criterion as PackCriterion
from xaso.criteria.pack import Pack, PackError, read_pack_file
from xaso.criteria.pack import Requirement as PackRequirement
from xaso.org import policy
from xaso.org.models import OrgUnit, UnitKind
from xaso.vn.units import UnitError, convert, get_unit

PACKS_DIR = Path(__file__).parent / "packs"
OWNER_KINDS = (UnitKind.PROVINCE, UnitKind.CITY)


@dataclass(frozen=True)
class Loaded:
    criteria_set: CriteriaSet
    outcome: str  # "created", "updated", "unchanged"


def shipped_pack_files() -> list[Path]:
    return sorted(PACKS_DIR.glob("*.yaml"))


def digest(pack: Pack) -> str:
    content = asdict(pack)
    content.pop("file")
    text = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def load_shipped(*, user=None, owner: OrgUnit | None = None) -> list[Loaded]:
    """The shipped national packs; with `owner`, the shipped province examples (model areas,
    model gardens, a province's own sets) as that province's. Sets another requires go first;
    all or none of them."""
    scope = "national" if owner is None else "province"
    packs = [read_pack_file(path) for path in shipped_pack_files()]
    packs = [pack for pack in packs if pack.scope == scope]
    loaded, done = [], set(CriteriaSet.objects.values_list("code", flat=True))
    while packs:
        ready = [p for p in packs if not p.requires or p.requires in done]
        if not ready:
            names = ", ".join(p.file for p in packs)
            raise PackError(f"các gói đòi một bộ tiêu chí chưa nạp: {names}.")
        for pack in ready:
            loaded.append(load_pack(pack, user=user, owner=owner))
            done.add(pack.code)
            packs.remove(pack)
    return loaded


def _check_owner(pack: Pack, owner: OrgUnit | None, user) -> None:
    if pack.scope == "national" or owner is None:
        if user is not None and not policy.is_everyone(user):
            raise PermissionDenied("Chỉ quản trị hệ thống mới được nạp bộ tiêu chí trung ương.")
        return
    if owner.kind not in OWNER_KINDS:
        raise PackError(f"bộ tiêu chí địa phương thuộc về một tỉnh, không phải {owner.full_name}.")
    if user is not None:
        policy.require_manage(user, owner, what="nạp bộ tiêu chí")


@transaction.atomic
def load_pack(pack: Pack, *, user=None, owner: OrgUnit | None = None, channel="cli") -> Loaded:
    """Write the pack's set, criteria and requirements (and the indicators it names)."""
    _check_owner(pack, owner, user)
    existing = CriteriaSet.objects.select_for_update().filter(code=pack.code).first()
    if existing is not None and existing.owner_id != (owner.pk if owner else None):
        raise PackError(
            f"mã «{pack.code}» đã là của một bộ tiêu chí khác; hãy đặt mã khác.",
            file=pack.file,
            field="code",
        )
    fingerprint = digest(pack)
    if existing is not None and existing.digest == fingerprint:
        return Loaded(existing, "unchanged")
    requires = None
    if pack.requires:
        requires = CriteriaSet.objects.filter(code=pack.requires).first()
        if requires is None:
            raise PackError(
                f"cần nạp bộ tiêu chí «{pack.requires}» trước.", file=pack.file, field="requires"
            )
    fields = dict(
        version=pack.version,
        name=pack.name,
        short_name=pack.short_name,
        family=pack.family,
        decision=pack.decision,
        scope=pack.scope,
        owner=owner,
        applies_to=list(pack.applies_to),
        first_year=pack.first_year,
        last_year=pack.last_year,
        requires=requires,
        grouping_label=pack.grouping_label,
        groups=[list(group) for group in pack.groups],
        confidence=pack.confidence,
        sources=list(pack.sources),
        note=pack.note,
        pack_file=pack.file,
        digest=fingerprint,
        loaded_by=user,
    )
    old = None
    if existing is None:
        criteria_set = CriteriaSet.objects.create(code=pack.code, **fields)
    else:
        old = {"version": existing.version, "digest": existing.digest}
        criteria_set = existing
        for name, value in fields.items():
            setattr(criteria_set, name, value)
        criteria_set.save()
    _write_criteria(criteria_set, pack)
    audit_record(
        entity=Entity.CRITERIA_SET,
        object_id=criteria_set.pk,
        unit=owner,
        action=Action.CREATE if old is None else Action.UPDATE,
        old=old,
        new={"code": pack.code, "version": pack.version, "digest": fingerprint},
        user=user,
        channel=channel,
    )
    return Loaded(criteria_set, "created" if old is None else "updated")


def _write_criteria(criteria_set: CriteriaSet, pack: Pack) -> None:
    current = {c.number: c for c in criteria_set.criteria.all()}
    wanted = {c.number for c in pack.criteria}
    dropped = [c for number, c in current.items() if number not in wanted]
    assessed = [c for c in dropped if c.assessments.exists()]
    if assessed:
        numbers = ", ".join(c.number for c in assessed)
        raise PackError(
            f"phiên bản mới bỏ tiêu chí số {numbers}, nhưng tiêu chí này đã có kết quả đánh giá; "
            "hãy giữ số tiêu chí hoặc nạp thành một bộ tiêu chí mới (mã khác).",
            file=pack.file,
            field="criteria",
        )
    Criterion.objects.filter(pk__in=[c.pk for c in dropped]).delete()
    Requirement.objects.filter(criterion__criteria_set=criteria_set).delete()
    for position, spec in enumerate(pack.criteria):
        criterion = current.get(spec.number) or Criterion(
            criteria_set=criteria_set, number=spec.number
        )
        criterion.position = position
        criterion.name = spec.name
        criterion.group = spec.group
        criterion.confidence = spec.confidence
        criterion.source = spec.source
        criterion.note = spec.note
        criterion.save()
        Requirement.objects.bulk_create(
            [
                _requirement(criterion, index, requirement, pack)
                for index, requirement in enumerate(spec.requirements)
            ]
        )


def _requirement(criterion: Criterion, position: int, spec, pack: Pack) -> Requirement:
    indicator = _indicator(spec, pack) if spec.indicator else None
    thresholds = None
    if spec.thresholds is not None:
        thresholds = {}
        for group, value in spec.thresholds.items():
            if value is not None and indicator is not None and spec.unit != indicator.unit:
                value = convert(value, spec.unit, indicator.unit)
            thresholds[group] = None if value is None else format(value.normalize(), "f")
    return Requirement(
        criterion=criterion,
        code=spec.code,
        position=position,
        name=spec.name,
        test=spec.test,
        unit=indicator.unit if indicator else spec.unit,
        thresholds=thresholds,
        indicator=indicator,
        confidence=spec.confidence,
        source=spec.source,
        note=spec.note,
    )


def _indicator(spec, pack: Pack) -> Indicator:
    """The catalog indicator that measures a requirement: the one with its code, or a new one
    in the requirement's unit (never rolled up: a criterion measure is a unit's own)."""
    indicator = Indicator.objects.filter(code=spec.indicator).first()
    if indicator is None:
        return indicator_upsert(
            code=spec.indicator,
            name=spec.name[:300],
            unit=spec.unit,
            rollup=Rollup.NONE,
            # A limit from above (poverty, stunting at most x%) means lower is better.
            direction=Direction.LOWER_IS_BETTER
            if spec.test == "at_most"
            else Direction.HIGHER_IS_BETTER,
            group=f"Tiêu chí {pack.short_name or pack.code}"[:100],
        )
    if spec.unit:
        try:
            convert(1, spec.unit, indicator.unit)
        except UnitError:
            raise PackError(
                f"chỉ tiêu «{spec.indicator}» tính bằng {get_unit(indicator.unit).name}, "
                f"không đổi được sang {get_unit(spec.unit).name}.",
                file=pack.file,
                field=f"requirement {spec.code}.indicator",
            ) from None
    return indicator


def pack_of(criteria_set: CriteriaSet) -> Pack:
    """A loaded set back as a pack (to download as a spreadsheet, edit and load again)."""
    criteria = []
    for criterion in criteria_set.criteria.order_by("position").prefetch_related(
        "requirements__indicator"
    ):
        requirements = tuple(
            PackRequirement(
                code=r.code,
                name=r.name,
                test=r.test,
                unit=r.unit,
                thresholds=None
                if r.thresholds is None
                else {g: None if v is None else Decimal(v) for g, v in r.thresholds.items()},
                indicator=r.indicator.code if r.indicator_id else "",
                confidence=r.confidence,
                source=r.source,
                note=r.note,
            )
            for r in criterion.requirements.order_by("position")
        )
        criteria.append(
            PackCriterion(
                number=criterion.number,
                name=criterion.name,
                group=criterion.group,
                confidence=criterion.confidence,
                source=criterion.source,
                note=criterion.note,
                requirements=requirements,
            )
        )
    return Pack(
        code=criteria_set.code,
        version=criteria_set.version,
        name=criteria_set.name,
        short_name=criteria_set.short_name,
        family=criteria_set.family,
        decision=criteria_set.decision,
        scope=criteria_set.scope,
        applies_to=tuple(criteria_set.applies_to),
        first_year=criteria_set.first_year,
        last_year=criteria_set.last_year,
        requires=criteria_set.requires.code if criteria_set.requires_id else "",
        grouping_label=criteria_set.grouping_label,
        groups=tuple((code, name) for code, name in criteria_set.groups),
        confidence=criteria_set.confidence,
        sources=tuple(criteria_set.sources),
        note=criteria_set.note,
        criteria=tuple(criteria),
        file=criteria_set.pack_file,
    )
