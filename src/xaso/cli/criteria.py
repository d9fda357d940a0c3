"""`xaso criteria` (where a unit stands on a criteria set), `xaso criteria-sets` (the sets
loaded, and the shipped packs not yet loaded) and `xaso criteria-import` (load a pack).

JSON shapes are a contract:
  criteria      → {"unit": {"code", "name"}, "set", "date", "group", "achieved", "total",
                   "missing": [{"number", "name"}],
                   "flags": [{"number", "name", "recorded", "computed"}], "kept"}
                   (group: the unit's group code in the set or null; kept: null when the unit
                   is not recognised on the date, else whether it kept the standard since)
  criteria-sets → {"sets": [{"code", "name", "short_name", "version", "family", "years",
                   "applies_to", "criteria", "scope", "owner", "loaded", "file",
                   "shipped_version"}]} — the loaded sets, then the shipped packs not loaded
                   ("loaded": false); a shipped file that cannot be read: {"file", "loaded",
                   "error"}
"""

import json
from pathlib import Path

from xaso.cli.common import CommandError, setup_django
from xaso.cli.units import acting_user, add_as_option, resolve_readable_unit, resolve_unit

OUTCOMES = {"created": "đã nạp", "updated": "đã cập nhật", "unchanged": "không đổi"}


def _print_json(shape: dict) -> None:
    print(json.dumps(shape, ensure_ascii=False, indent=2))


def _day(text: str | None):
    from django.utils import timezone

    from xaso.criteria.wording import read_day

    if not text:
        return timezone.localdate()
    try:
        return read_day(text)
    except ValueError as error:
        raise CommandError(f"--date: {error}") from None


def _find_set(code: str, unit, user):
    from xaso.criteria.selectors import sets_for, visible_sets

    sets = visible_sets(user)
    found = next((s for s in sets if s.code == code), None)
    if found is None:
        codes = ", ".join(s.code for s in sets) or "chưa có (nạp: xaso criteria-import --shipped)"
        raise CommandError(f"Không có bộ tiêu chí ‘{code}’. Các bộ tiêu chí: {codes}.")
    applying = [s for s in sets_for(unit) if s in sets]
    if found not in applying:
        codes = ", ".join(s.code for s in applying) or "không có bộ nào"
        raise CommandError(
            f"Bộ tiêu chí {found.label} ({found.code}) không áp dụng cho {unit.full_name}. "
            f"Các bộ áp dụng: {codes}."
        )
    return found


def cmd_criteria(args) -> int:
    setup_django()
    from xaso.criteria.selectors import keeping, standing

    day = _day(args.date)
    unit = resolve_readable_unit(args.unit, args.as_user)
    criteria_set = _find_set(args.set, unit, acting_user(args.as_user))
    found = standing(unit, criteria_set, day)
    kept = keeping(unit, criteria_set, day)
    if args.json:
        _print_json(
            {
                "unit": {"code": unit.code, "name": unit.full_name},
                "set": criteria_set.code,
                "date": day.isoformat(),
                "group": found.group or None,
                "achieved": found.achieved,
                "total": found.total,
                "missing": [
                    {"number": row.criterion.number, "name": row.criterion.name}
                    for row in found.missing
                ],
                "flags": [
                    {
                        "number": row.criterion.number,
                        "name": row.criterion.name,
                        "recorded": row.recorded.status,
                        "computed": row.computed,
                    }
                    for row in found.flags
                ],
                "kept": None if kept.recognition is None else kept.kept,
            }
        )
        return 0
    print(_standing_text(found, kept))
    return 0


def _standing_text(found, kept) -> str:
    from xaso.criteria import wording

    s = found.criteria_set
    lines = [
        f"{found.unit.full_name} — {s.label} ngày {found.on:%d/%m/%Y}: "
        f"{found.achieved}/{found.total} tiêu chí"
    ]
    if found.group:
        lines.append(f"{(s.grouping_label or 'nhóm').capitalize()}: {s.group_name(found.group)}")
    if kept.recognition is not None:
        r = kept.recognition
        decision = f" ({r.decision})" if r.decision else ""
        state = "giữ vững" if kept.kept else "chưa giữ vững"
        lines.append(f"Công nhận đạt chuẩn ngày {r.decided_on:%d/%m/%Y}{decision}: {state}.")
        for loss in kept.losses:
            again = f", đạt lại ngày {loss.regained_on:%d/%m/%Y}" if loss.regained_on else ""
            lost = f"chưa đạt từ ngày {loss.lost_on:%d/%m/%Y}{again}"
            lines.append(f"  Tiêu chí {loss.criterion.number} {lost}")
    # As the page says it: what failed (or is being appraised) apart from what nobody has
    # assessed and the figures cannot decide.
    if found.lacking:
        lines.append(f"Chưa đạt ({len(found.lacking)}):")
        for row in found.lacking:
            lines.append(f"  {row.criterion}: {wording.status(row.status).lower()}{_from(row)}")
    if found.unassessed:
        lines.append(f"Chưa đánh giá ({len(found.unassessed)}):")
        for row in found.unassessed:
            lines.append(f"  {row.criterion}{_from(row)}")
    if found.reached:
        lines.append("Đạt đủ các tiêu chí.")
    if found.flags:
        lines.append(f"Ghi nhận khác số liệu ({len(found.flags)}):")
        for row in found.flags:
            lines.append(
                f"  {row.criterion}: ghi nhận {wording.status(row.recorded.status).lower()}, "
                f"số liệu cho thấy {wording.status(row.computed).lower()}"
            )
            for check in row.requirements:
                if check.value is None:
                    continue
                r = check.requirement
                limit = wording.threshold(r.test, check.threshold, r.unit)
                lines.append(
                    f"    {r.code} {r.name}: {wording.amount(check.value, r.unit)} "
                    f"(kỳ {check.period}), ngưỡng {limit}"
                )
    return "\n".join(lines)


def _from(row) -> str:
    """Where a criterion's status comes from, or why there is none."""
    from xaso.criteria.verdict import LABELS, MET

    if row.recorded is not None:
        return f" (ghi nhận ngày {row.recorded.assessed_on:%d/%m/%Y})"
    if row.computed:
        return " (tính từ số liệu)"
    if not row.requirements:
        return " (chưa có đánh giá)"
    why = [
        f"{c.requirement.code}: {LABELS[c.verdict].lower()}"
        for c in row.requirements
        if c.verdict != MET
    ]
    return f" ({'; '.join(why)})"


# --- the sets -------------------------------------------------------------------------------


def _years(first, last) -> str:
    return f"{first}–{last or ''}" if last != first else str(first)


def _shipped() -> list[tuple]:
    """Each shipped pack file as (path, pack or None, error text)."""
    from xaso.criteria.loading import shipped_pack_files
    from xaso.criteria.pack import PackError, read_pack_file

    out = []
    for path in shipped_pack_files():
        try:
            out.append((path, read_pack_file(path), ""))
        except PackError as error:
            out.append((path, None, str(error)))
    return out


def cmd_criteria_sets(args) -> int:
    setup_django()
    from django.db.models import Count

    from xaso.criteria.loading import digest
    from xaso.criteria.models import CriteriaSet, Criterion
    from xaso.criteria.selectors import visible_sets

    sets = visible_sets(acting_user(args.as_user))
    counts = dict(
        Criterion.objects.values_list("criteria_set")
        .annotate(n=Count("id"))
        .values_list("criteria_set", "n")
    )
    loaded_codes = set(CriteriaSet.objects.values_list("code", flat=True))
    shipped = _shipped()
    newer = {
        pack.code: pack.version
        for _, pack, _ in shipped
        if pack and pack.code in loaded_codes and digest(pack) != _digest_of(pack.code, sets)
    }
    rows = [_set_json(s, counts.get(s.pk, 0), newer.get(s.code)) for s in sets]
    for path, pack, error in shipped:
        if pack is None:
            rows.append({"file": path.name, "loaded": False, "error": error})
        elif pack.code not in loaded_codes:
            rows.append(_pack_json(pack, path.name))
    if args.json:
        _print_json({"sets": rows})
        return 0
    print(_sets_text(rows, sets))
    return 0


def _digest_of(code: str, sets) -> str | None:
    return next((s.digest for s in sets if s.code == code), None)


def _set_json(s, criteria: int, shipped_version: str | None) -> dict:
    owner = {"code": s.owner.code, "name": s.owner.full_name} if s.owner else None
    return {
        "code": s.code,
        "name": s.name,
        "short_name": s.short_name,
        "version": s.version,
        "family": s.family,
        "years": [s.first_year, s.last_year],
        "applies_to": list(s.applies_to),
        "criteria": criteria,
        "scope": s.scope,
        "owner": owner,
        "loaded": True,
        "file": s.pack_file,
        "shipped_version": shipped_version,
    }


def _pack_json(pack, file: str) -> dict:
    return {
        "code": pack.code,
        "name": pack.name,
        "short_name": pack.short_name,
        "version": pack.version,
        "family": pack.family,
        "years": [pack.first_year, pack.last_year],
        "applies_to": list(pack.applies_to),
        "criteria": len(pack.criteria),
        "scope": pack.scope,
        "owner": None,
        "loaded": False,
        "file": file,
        "shipped_version": None,
    }


def _sets_text(rows: list[dict], sets) -> str:
    from xaso.criteria.models import Family, Scope
    from xaso.org.models import UnitKind

    def describe(row: dict) -> str:
        kinds = ", ".join(UnitKind(k).label.lower() for k in row["applies_to"])
        scope = Scope(row["scope"]).label.lower()
        if row["owner"]:
            scope += f": {row['owner']['name']}"
        return (
            f"    {Family(row['family']).label}, {_years(*row['years'])}, áp dụng cho {kinds}; "
            f"{row['criteria']} tiêu chí; {scope}"
        )

    loaded = [row for row in rows if row["loaded"]]
    waiting = [row for row in rows if not row["loaded"]]
    lines = ["Bộ tiêu chí đã nạp:" if loaded else "Chưa nạp bộ tiêu chí nào."]
    for row in loaded:
        lines.append(
            f"{row['code']}\t{row['short_name'] or row['name']} — phiên bản {row['version']}"
        )
        lines.append(describe(row))
        if row["shipped_version"]:
            lines.append(f"    gói có sẵn đã khác (phiên bản {row['shipped_version']}): nạp lại")
    if waiting:
        lines.append("Gói có sẵn chưa nạp (xaso criteria-import --shipped):")
    for row in waiting:
        if "error" in row:
            lines.append(f"{row['file']}\tkhông đọc được — {row['error']}")
            continue
        lines.append(
            f"{row['code']}\t{row['short_name'] or row['name']} — phiên bản {row['version']} "
            f"({row['file']}, chưa nạp)"
        )
        lines.append(describe(row))
    return "\n".join(lines)


# --- loading --------------------------------------------------------------------------------


def _read(path_text: str):
    """The pack in a YAML or XLSX file, read (bounded) as an upload of the sets page is."""
    from django.core.files import File

    from xaso.criteria.upload import read_upload

    path = Path(path_text)
    if not path.is_file():
        raise CommandError(f"Không có tệp ‘{path_text}’.")
    with path.open("rb") as handle:
        return read_upload(File(handle, name=path.name))


def cmd_criteria_import(args) -> int:
    setup_django()
    from django.core.exceptions import PermissionDenied

    from xaso.criteria.loading import load_pack, load_shipped
    from xaso.criteria.pack import PackError

    if bool(args.file) == bool(args.shipped):
        raise CommandError("Cần đúng một trong hai: một tệp (.yaml, .xlsx) hoặc --shipped.")
    user = acting_user(args.as_user)
    owner = resolve_unit(args.owner) if args.owner else None
    try:
        if args.shipped:
            loaded = load_shipped(user=user, owner=owner)
        else:
            pack = _read(args.file)
            if owner is not None and pack.scope != "province":
                raise PackError(
                    "bộ tiêu chí của tỉnh (--owner) cần ghi «scope: province».",
                    file=pack.file,
                    field="scope",
                )
            if owner is None and pack.scope == "province":
                raise CommandError(
                    f"{pack.file}: bộ tiêu chí của tỉnh (scope: province) cần --owner TỈNH."
                )
            loaded = [load_pack(pack, user=user, owner=owner, channel="cli")]
    except PackError as error:
        raise CommandError(f"Không nạp được: {error}") from None
    except PermissionDenied as error:
        raise CommandError(str(error)) from None
    if not loaded:
        print("Không có gói nào để nạp.")
    for item in loaded:
        s = item.criteria_set
        print(f"{OUTCOMES[item.outcome]}: {s.code} — {s.label} (phiên bản {s.version})")
    return 0


def add_criteria(sub) -> None:
    command = sub.add_parser("criteria", help="where a unit stands on a criteria set")
    command.add_argument("unit", help="code or name")
    command.add_argument("--set", required=True, help="the set's code (see `xaso criteria-sets`)")
    command.add_argument("--date", help="dd/mm/yyyy or yyyy-mm-dd (default: today)")
    command.add_argument("--json", action="store_true")
    add_as_option(command)
    command.set_defaults(func=cmd_criteria)


def add_criteria_sets(sub) -> None:
    command = sub.add_parser(
        "criteria-sets", help="the criteria sets loaded, and the shipped packs not yet loaded"
    )
    command.add_argument("--json", action="store_true")
    add_as_option(command)
    command.set_defaults(func=cmd_criteria_sets)


def add_criteria_import(sub) -> None:
    command = sub.add_parser(
        "criteria-import", help="load a criteria pack (.yaml or .xlsx), or the shipped ones"
    )
    command.add_argument("file", nargs="?", help="a pack file: .yaml, .yml or .xlsx")
    command.add_argument(
        "--shipped", action="store_true", help="the packs shipped with xaso (national ones)"
    )
    command.add_argument(
        "--owner",
        metavar="PROVINCE",
        help="the province whose own set it is (code or name); with --shipped: load the "
        "shipped province examples as its own",
    )
    command.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help="load as this user (a manager of --owner); without it, as the server's operator",
    )
    command.set_defaults(func=cmd_criteria_import)
