"""SQL compiled once per shape of a read, and sent again with new values.

Building a roll-up's UNION ALL queries with the ORM and compiling them costs about 4.5 ms
for a province's month (docs/scale.md, "The province month profiled"), more than
PostgreSQL takes to run them. Two questions of the same *shape* — the same scopes with
other paths, as many periods, indicators and picked ones — compile to the same SQL with
other parameters. `Slots` stands for a question's values: each int or str becomes a
placeholder value of its own, the rest is the shape. `compiled` builds and compiles the
queries once per shape with the placeholders, and each question's parameters are the
compiled ones with its own values put in their place.

A shape is cached only if every placeholder came out as a parameter of its own, in no
other form; otherwise each question is compiled with its own values, as before.
"""

import re
from collections.abc import Callable, Iterable

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet

# Placeholder ints, within a small integer column's range (Django refuses a lookup past
# it before compiling). Only the placeholders and the query's own constants are among the
# compiled parameters, never a question's values: a constant of the query in this range
# would be taken for a placeholder (the roll-up's are 0 and 1).
_FIRST_INT = 20_000
_MOST_SLOTS = 12_000
_STR_MARK = "\x1fslot:"  # a control character no path, code or period has
_STR_SLOT = re.compile(re.escape(_STR_MARK) + "([0-9]+)")
_CACHED_SHAPES = 512

_compiled: dict[tuple, list | None] = {}
_UNSEEN = object()


class Unshaped(Exception):
    """A question with more values than placeholders, or a value that cannot be part of a
    shape's key (a set): it is compiled with its own values."""


class Slots:
    """A question's values, each replaced by a placeholder; `shape` is what remains."""

    def __init__(self) -> None:
        self.values: list = []
        self.shape: list = []

    def one(self, value):
        if type(value) is int:
            placeholder = _FIRST_INT + len(self.values)
        elif type(value) is str:
            placeholder = f"{_STR_MARK}{len(self.values)}"
        else:  # a value of another kind stays in the SQL's parameters as it is: shape
            try:
                hash(value)
            except TypeError:
                raise Unshaped from None
            self.shape.append(("value", type(value), value))
            return value
        if len(self.values) >= _MOST_SLOTS:
            raise Unshaped
        self.shape.append(type(value))
        self.values.append(value)
        return placeholder

    def many(self, values: Iterable) -> list:
        values = list(values)
        self.shape.append(("list", len(values)))
        return [self.one(value) for value in values]

    def q(self, condition: Q) -> Q:
        """`condition` with its values replaced (lists item by item), nested Q included."""
        self.shape.append(("q", condition.connector, condition.negated, len(condition.children)))
        children = []
        for child in condition.children:
            if isinstance(child, Q):
                children.append(self.q(child))
                continue
            lookup, value = child
            self.shape.append(lookup)
            if isinstance(value, list | tuple):
                children.append((lookup, self.many(value)))
            else:
                children.append((lookup, self.one(value)))
        return Q(*children, _connector=condition.connector, _negated=condition.negated)


def compiled(
    name: str, slots: Slots, build: Callable[[], list[tuple[QuerySet, object]]]
) -> list[tuple[str, list, object]] | None:
    """The (SQL, parameters, tag) of each (query, tag) that `build` makes of the
    placeholders `slots` gave, compiled once per shape and filled with `slots`' values;
    a query with nothing to read (an empty list of ids) is left out. `build` must make its
    queries of the placeholders alone. None when this shape cannot be cached: the caller
    compiles the question with its own values."""
    key = (name, connection.vendor, tuple(slots.shape))
    templates = _compiled.get(key, _UNSEEN)  # one read: another thread may clear meanwhile
    if templates is _UNSEEN:
        templates = _templates(build(), len(slots.values))
        if len(_compiled) >= _CACHED_SHAPES:
            _compiled.clear()
        _compiled[key] = templates
    if templates is None:
        return None
    values = slots.values
    return [
        (
            sql,
            [constant if i is None else _as(kind, values[i]) for i, kind, constant in params],
            tag,
        )
        for sql, params, tag in templates
    ]


def _as(kind: type, value):
    """A question's value as its placeholder was passed: Django's PostgreSQL backend wraps
    an int for a typed column in psycopg's `Int2`, `Int4`…, which say the type to send."""
    return value if kind is int or kind is str else kind(value)


def _templates(queries: list[tuple[QuerySet, object]], count: int) -> list | None:
    """Each query's SQL and parameters as (index of the question's value and the type it
    was passed as, or None, None and a constant); None when a placeholder did not come out
    as one parameter of its own."""
    templates, seen = [], set()
    for query, tag in queries:
        try:
            sql, params = query.query.sql_with_params()
        except EmptyResultSet:
            continue
        made = []
        for param in params:
            index = _slot_index(param)
            if index is not None and not 0 <= index < count:
                return None
            seen.add(index)
            made.append((None, None, param) if index is None else (index, type(param), None))
        templates.append((sql, made, tag))
    if any(_STR_MARK in sql for sql, _, _ in templates):
        return None  # a placeholder written into the SQL itself, not a parameter
    if not set(range(count)) <= seen:
        return None
    return templates


def _slot_index(param) -> int | None:
    if (
        isinstance(param, int)
        and not isinstance(param, bool)
        and _FIRST_INT <= param < _FIRST_INT + _MOST_SLOTS
    ):
        return param - _FIRST_INT
    if isinstance(param, str) and _STR_MARK in param:
        whole = _STR_SLOT.fullmatch(param)
        return int(whole[1]) if whole else -1  # -1: a placeholder inside a longer string
    return None
