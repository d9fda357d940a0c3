"""A criteria pack read and checked: YAML text (or the same shape from a spreadsheet) → `Pack`.

Pure: no Django. The format is `docs/criteria-packs.md`. Everything is checked before anything
is returned, and the first problem is raised as a `PackError` that names the file, the line
and the field, in Vietnamese, so an officer who typed the pack can find and fix it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

from xaso.vn.numbers import NumberError, parse_number
from xaso.vn.text import nfc
from xaso.vn.units import UNITS

FORMAT = 1
MAX_BYTES = 5 * 1024 * 1024  # a pack file, YAML or spreadsheet: a few hundred rows at most
FAMILIES = ("ntm", "ntm_advanced", "ntm_model", "urban", "model_area", "model_garden", "other")
SCOPES = ("national", "province")
# The unit kinds a set may apply to (org.models.UnitKind values; a test keeps them in step).
UNIT_KINDS = ("commune", "ward", "township", "village", "residential_group", "garden")
TESTS = ("reached", "at_least", "at_most", "equals")
NUMERIC_TESTS = ("at_least", "at_most", "equals")
CONFIDENCES = ("read", "summary", "unverified")
ALL_GROUPS = "all"

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_INDICATOR = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

_PACK_KEYS = {
    "format": True, "code": True, "version": True, "name": True, "short_name": False,
    "family": True, "decision": True, "scope": True, "applies_to": True, "years": True,
    "requires": False, "grouping": False, "confidence": True, "sources": False, "note": False,
    "criteria": True,
}  # fmt: skip
_GROUPING_KEYS = {"label": True, "groups": True}
_GROUP_KEYS = {"code": True, "name": True}
_CRITERION_KEYS = {
    "number": True, "name": True, "group": False, "confidence": False, "source": False,
    "note": False, "requirements": False,
}  # fmt: skip
_REQUIREMENT_KEYS = {
    "code": True, "name": True, "test": True, "unit": False, "threshold": False,
    "indicator": False, "confidence": False, "source": False, "note": False,
}  # fmt: skip


class PackError(ValueError):
    """A pack that cannot be loaded; `str()` is the Vietnamese message with its place."""

    def __init__(self, message: str, *, file: str = "", line: int | None = None, field=""):
        self.message, self.file, self.line, self.field = message, file, line, field
        where = [part for part in (file, f"dòng {line}" if line else "") if part]
        if field:
            where.append(f"trường {field}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


@dataclass(frozen=True)
class Requirement:
    code: str
    name: str
    test: str
    unit: str
    # group code (or "all") -> value; None: no threshold needed (reached) or none given;
    # a value None: "chưa có ngưỡng" for that group.
    thresholds: dict[str, Decimal | None] | None
    indicator: str
    confidence: str
    source: str
    note: str

    def threshold_for(self, group: str) -> Decimal | None:
        """The value for a unit in this group: its own, else the one for all groups."""
        if not self.thresholds:
            return None
        if group and group in self.thresholds:
            return self.thresholds[group]
        return self.thresholds.get(ALL_GROUPS)


@dataclass(frozen=True)
class Criterion:
    number: str
    name: str
    group: str
    confidence: str
    source: str
    note: str
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class Pack:
    code: str
    version: str
    name: str
    short_name: str
    family: str
    decision: str
    scope: str
    applies_to: tuple[str, ...]
    first_year: int | None
    last_year: int | None
    requires: str
    grouping_label: str
    groups: tuple[tuple[str, str], ...]  # (code, name)
    confidence: str
    sources: tuple[str, ...]
    note: str
    criteria: tuple[Criterion, ...]
    file: str = ""


# --- reading ---------------------------------------------------------------------------------


def read_pack_file(path: str | Path) -> Pack:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PackError("tệp không phải văn bản UTF-8.", file=path.name) from None
    return read_pack_text(text, file=path.name)


def read_pack_text(text: str, *, file: str = "") -> Pack:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise PackError("tệp YAML viết sai cú pháp.", file=file, line=line) from None
    lines: dict[tuple, int] = {}
    if root is not None:
        _index_lines(root, (), lines, file)
    return read_pack_data(data, file=file, lines=lines)


def _index_lines(node, path: tuple, lines: dict, file: str) -> None:
    """Record the line of every key and item, and refuse a key given twice."""
    lines.setdefault(path, node.start_mark.line + 1)  # a key's own line, not its block's
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            name = key.value
            if name in seen:
                raise PackError(
                    "khóa này có hai lần.",
                    file=file,
                    line=key.start_mark.line + 1,
                    field=_field((*path, name)),
                )
            seen.add(name)
            lines[(*path, name)] = key.start_mark.line + 1
            _index_lines(value, (*path, name), lines, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*path, index), lines, file)


def _field(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass
class _Reader:
    file: str
    lines: dict

    def fail(self, path: tuple, message: str):
        line = None
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                line = self.lines[path[:end]]
                break
        raise PackError(message, file=self.file, line=line, field=_field(path))

    def mapping(self, value, path: tuple, keys: dict) -> dict:
        if not isinstance(value, dict):
            self.fail(path, "phải là một bảng khóa: giá trị.")
        for key in value:
            if not isinstance(key, str) or key not in keys:
                known = ", ".join(keys)
                self.fail((*path, key), f"khóa không có trong định dạng (các khóa: {known}).")
        for key, required in keys.items():
            if required and key not in value:
                self.fail(path, f"thiếu khóa bắt buộc «{key}».")
        return value

    def text(self, value, path: tuple, *, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if isinstance(value, bool) or value is None or isinstance(value, list | dict):
            self.fail(path, "phải là một chuỗi chữ.")
        if isinstance(value, dt.date):
            value = value.isoformat()
        text = nfc(str(value)).strip()
        if required and not text:
            self.fail(path, "không được để trống.")
        return text

    def choice(self, value, path: tuple, choices: tuple, *, default: str = "") -> str:
        if value is None and default:
            return default
        if value not in choices:
            self.fail(path, f"phải là một trong: {', '.join(choices)}.")
        return value

    def listing(self, value, path: tuple) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, "phải là một danh sách.")
        return value

    def number(self, value, path: tuple) -> Decimal | None:
        """A threshold: a YAML number, or text written the Vietnamese way ("85,5", "1.000")."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(path, "phải là một số (hoặc null nếu chưa có ngưỡng).")
        if isinstance(value, str):
            try:
                return parse_number(value).value
            except NumberError as error:
                self.fail(path, f"{error.message.rstrip('.')} (hoặc null nếu chưa có ngưỡng).")
        amount = Decimal(str(value))
        if amount < 0:
            self.fail(path, "ngưỡng không được âm.")
        return amount


def read_pack_data(data, *, file: str = "", lines: dict | None = None) -> Pack:
    """Check a pack given as plain data (parsed YAML, or a spreadsheet's rows)."""
    r = _Reader(file, lines or {})
    r.mapping(data, (), _PACK_KEYS)
    if data["format"] != FORMAT:
        r.fail(("format",), f"xaso chỉ đọc định dạng {FORMAT}.")
    code = r.text(data["code"], ("code",))
    if not _SLUG.match(code):
        r.fail(
            ("code",), "chỉ gồm chữ thường không dấu, chữ số và dấu gạch nối (ví dụ ntm-xa-2026)."
        )
    requires = r.text(data.get("requires"), ("requires",), required=False)
    if requires and not _SLUG.match(requires):
        r.fail(("requires",), "phải là mã của một bộ tiêu chí.")
    if requires == code:
        r.fail(("requires",), "một bộ tiêu chí không thể đòi chính nó.")
    confidence = r.choice(data["confidence"], ("confidence",), CONFIDENCES)
    label, groups = _grouping(r, data.get("grouping"))
    applies = r.listing(data["applies_to"], ("applies_to",))
    if not applies:
        r.fail(("applies_to",), "cần ít nhất một loại đơn vị.")
    kinds = tuple(r.choice(kind, ("applies_to", i), UNIT_KINDS) for i, kind in enumerate(applies))
    first, last = _years(r, data["years"])
    sources = tuple(
        r.text(s, ("sources", i))
        for i, s in enumerate(r.listing(data.get("sources"), ("sources",)))
    )
    criteria = _criteria(r, data["criteria"], {g for g, _ in groups}, confidence)
    return Pack(
        code=code,
        version=r.text(data["version"], ("version",)),
        name=r.text(data["name"], ("name",)),
        short_name=r.text(data.get("short_name"), ("short_name",), required=False),
        family=r.choice(data["family"], ("family",), FAMILIES),
        decision=r.text(data["decision"], ("decision",)),
        scope=r.choice(data["scope"], ("scope",), SCOPES),
        applies_to=kinds,
        first_year=first,
        last_year=last,
        requires=requires,
        grouping_label=label,
        groups=groups,
        confidence=confidence,
        sources=sources,
        note=r.text(data.get("note"), ("note",), required=False),
        criteria=criteria,
        file=file,
    )


def _grouping(r: _Reader, value) -> tuple[str, tuple[tuple[str, str], ...]]:
    if value is None:
        return "", ()
    path = ("grouping",)
    r.mapping(value, path, _GROUPING_KEYS)
    groups, seen = [], set()
    items = r.listing(value["groups"], (*path, "groups"))
    if not items:
        r.fail((*path, "groups"), "cần ít nhất một nhóm.")
    for i, item in enumerate(items):
        here = (*path, "groups", i)
        r.mapping(item, here, _GROUP_KEYS)
        code = r.text(item["code"], (*here, "code"))
        if code == ALL_GROUPS:
            r.fail((*here, "code"), f"«{ALL_GROUPS}» là từ dành riêng cho ngưỡng chung.")
        if code in seen:
            r.fail((*here, "code"), f"mã nhóm «{code}» trùng.")
        seen.add(code)
        groups.append((code, r.text(item["name"], (*here, "name"))))
    return r.text(value["label"], (*path, "label")), tuple(groups)


def _years(r: _Reader, value) -> tuple[int | None, int | None]:
    path = ("years",)
    if not isinstance(value, list) or len(value) != 2:
        r.fail(path, "phải là [năm đầu, năm cuối], năm cuối có thể là null.")
    first, last = value
    for i, year in enumerate(value):
        if year is not None and (
            isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100
        ):
            r.fail((*path, i), f"«{year}» không phải là một năm.")
    if first is None:
        r.fail((*path, 0), "cần năm bắt đầu hiệu lực.")
    if last is not None and first > last:
        r.fail(path, f"năm đầu {first} sau năm cuối {last}.")
    return first, last


def _criteria(r: _Reader, value, groups: set, confidence: str) -> tuple[Criterion, ...]:
    items = r.listing(value, ("criteria",))
    if not items:
        r.fail(("criteria",), "bộ tiêu chí cần ít nhất một tiêu chí.")
    criteria, numbers, codes = [], set(), set()
    for i, item in enumerate(items):
        here = ("criteria", i)
        r.mapping(item, here, _CRITERION_KEYS)
        number = r.text(item["number"], (*here, "number"))
        if number in numbers:
            r.fail((*here, "number"), f"tiêu chí số {number} trùng.")
        numbers.add(number)
        own = r.choice(
            item.get("confidence"), (*here, "confidence"), CONFIDENCES, default=confidence
        )
        requirements = []
        for j, spec in enumerate(r.listing(item.get("requirements"), (*here, "requirements"))):
            requirement = _requirement(r, spec, (*here, "requirements", j), groups, own)
            if requirement.code in codes:
                r.fail(
                    (*here, "requirements", j, "code"), f"mã chỉ tiêu «{requirement.code}» trùng."
                )
            codes.add(requirement.code)
            requirements.append(requirement)
        criteria.append(
            Criterion(
                number=number,
                name=r.text(item["name"], (*here, "name")),
                group=r.text(item.get("group"), (*here, "group"), required=False),
                confidence=own,
                source=r.text(item.get("source"), (*here, "source"), required=False),
                note=r.text(item.get("note"), (*here, "note"), required=False),
                requirements=tuple(requirements),
            )
        )
    return tuple(criteria)


def _requirement(r: _Reader, spec, path: tuple, groups: set, confidence: str) -> Requirement:
    r.mapping(spec, path, _REQUIREMENT_KEYS)
    test = r.choice(spec["test"], (*path, "test"), TESTS)
    unit = r.text(spec.get("unit"), (*path, "unit"), required=False)
    thresholds = None
    if test == "reached":
        if spec.get("threshold") is not None:
            r.fail(
                (*path, "threshold"), "chỉ tiêu loại «reached» (đạt/không đạt) không có ngưỡng số."
            )
        if unit and unit not in UNITS:
            r.fail((*path, "unit"), f"đơn vị «{unit}» không có trong danh mục đơn vị.")
    else:
        if not unit:
            r.fail(path, f"chỉ tiêu so sánh «{test}» cần khóa «unit».")
        if unit not in UNITS:
            r.fail((*path, "unit"), f"đơn vị «{unit}» không có trong danh mục đơn vị.")
        if "threshold" not in spec:
            r.fail(path, "cần khóa «threshold» (ghi null nếu chưa biết ngưỡng).")
        thresholds = _thresholds(r, spec["threshold"], (*path, "threshold"), groups)
    indicator = r.text(spec.get("indicator"), (*path, "indicator"), required=False)
    if indicator and test == "reached" and not unit:
        r.fail(path, "chỉ tiêu «reached» gắn với chỉ tiêu xaso cần «unit» (số đếm, đạt khi ≥ 1).")
    if indicator and not _INDICATOR.match(indicator):
        r.fail((*path, "indicator"), "mã chỉ tiêu xaso chỉ gồm chữ thường, chữ số, - và _.")
    if indicator and test != "reached" and not thresholds:
        r.fail((*path, "indicator"), "chỉ gắn chỉ tiêu xaso khi đã có ngưỡng để so.")
    return Requirement(
        code=r.text(spec["code"], (*path, "code")),
        name=r.text(spec["name"], (*path, "name")),
        test=test,
        unit=unit,
        thresholds=thresholds,
        indicator=indicator,
        confidence=r.choice(
            spec.get("confidence"), (*path, "confidence"), CONFIDENCES, default=confidence
        ),
        source=r.text(spec.get("source"), (*path, "source"), required=False),
        note=r.text(spec.get("note"), (*path, "note"), required=False),
    )


def _thresholds(r: _Reader, value, path: tuple, groups: set) -> dict[str, Decimal | None] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not value:
        r.fail(path, "phải là bảng nhóm: giá trị, ví dụ {all: 85, BTB: 90}.")
    out = {}
    for key, amount in value.items():
        key = str(key)
        if key != ALL_GROUPS and key not in groups:
            allowed = ", ".join([ALL_GROUPS, *sorted(groups)])
            r.fail((*path, key), f"nhóm «{key}» không có trong bộ tiêu chí (các nhóm: {allowed}).")
        out[key] = r.number(amount, (*path, key))
    if all(amount is None for amount in out.values()):
        return None
    return out
