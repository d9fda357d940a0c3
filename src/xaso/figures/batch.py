"""Writing many results at once, set-based, with every guarantee of `record_result`.

A data-entry sheet, an import, an API batch: `write_results(writes)` takes figures already
read and checked (`services.to_indicator_unit`: number, unit of measure, bounds; a valid
status) and, in the caller's transaction and in a handful of statements whatever their
number — a figure of a unit for a period it did not exist in refused first, before a
statement (`figures.validity`: today's communes began on 01/07/2025) —

1. locks the figures that exist (`SELECT … FOR UPDATE`, in index order, so two batches
   lock in the same order and cannot deadlock on rows);
2. inserts the new ones (`INSERT … ON CONFLICT (period, unit_depth, unit_path, indicator)
   DO NOTHING RETURNING`): a figure someone else inserted meanwhile is not inserted twice but
   read and locked, and then treated as an existing one;
3. compares each with what is stored: the value already stored (a repeated submit) is not
   written and not audited; with `seen`, a figure someone else changed since is a `Clash`
   (StaleWrite, nothing saved); an approved figure changes only as a `correction`
   (ValidationError naming each, nothing saved);
4. updates the changed ones (`UPDATE … FROM unnest(…)`), writes exactly one `ResultChange`
   per changed figure (`bulk_create`), and registers them with `subtotals.deferred()`, which
   refreshes the subtotals above them once, set-based for a large batch, before the commit.

PostgreSQL gets arrays (`unnest`); SQLite (one writer at a time, and no unique index: Django
leaves out a constraint with INCLUDE there) gets multi-row VALUES and `executemany`.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from xaso.catalog.models import Indicator
from xaso.figures import partitions, subtotals, validity
from xaso.figures.models import EntryChannel, Result, ResultChange, ResultStatus
from xaso.figures.services import Clash, Seen, StaleWrite, figure_key
from xaso.org.models import OrgUnit
from xaso.periods import Period
from xaso.vn.text import nfc

_CHUNK = 5_000  # rows per statement (PostgreSQL arrays)
_ANALYSED_FROM = 10_000  # keys from which a batch checks its partitions' statistics
_SQLITE_CHUNK = 400  # rows per multi-row VALUES (15 parameters each)


@dataclass(frozen=True, slots=True)
class Write:
    """One figure to record: its value already read in the indicator's unit and checked."""

    unit: OrgUnit
    indicator: Indicator
    period: Period
    amount: Decimal
    status: str
    written_as: str = ""  # as typed ("1.234,5 triệu đồng"), for the audit entry
    seen: Seen | None = None  # what the writer saw; None: no check (last writer wins, audited)
    note: str = ""
    label: str = ""  # how an error names it (a row of a file); default the indicator's code

    @property
    def key(self) -> tuple[str, int, str, int]:
        # `.id`, not `.pk`: Django's pk property costs 0.1 s per 100,000 figures.
        return (self.period.code, self.unit.depth, self.unit.path, self.indicator.id)


@dataclass(frozen=True)
class BatchSaved:
    saved: int  # figures written (new or changed), one audit entry each
    unchanged: int  # the value already stored: nothing written


def written_as(value) -> str:
    return "" if isinstance(value, Decimal) else nfc(str(value)).strip()[:100]


def write_results(
    writes: list[Write],
    *,
    user=None,
    channel: str = EntryChannel.FORM,
    correction: str = "",
) -> BatchSaved:
    """Record the figures, all or none (see the module's docstring). Callers acting for a
    user check `policy.can_record` for each unit first."""
    # A year's partition is made before its first rows when it can be (figures.partitions).
    partitions.for_writing({int(w.period.code[:4]) for w in writes})  # a code starts with its year
    return _written(writes, user=user, channel=channel, correction=correction)


# A savepoint of its own inside a caller's transaction: a refused batch leaves nothing.
@transaction.atomic
def _written(writes: list[Write], *, user, channel: str, correction: str) -> BatchSaved:
    if not writes:
        return BatchSaved(0, 0)
    statuses = set(ResultStatus.values)  # a list made anew at every use
    wrong = {w.label or w.indicator.code: f"Tình trạng ‘{w.status}’ không hợp lệ." for w in writes
             if w.status not in statuses}  # fmt: skip
    if wrong:
        raise ValidationError(wrong)
    _check_existed(writes)
    keyed = sorted(((w.key, w) for w in writes), key=lambda pair: pair[0])
    keys = [key for key, _ in keyed]
    if len(set(keys)) != len(keys):
        raise ValueError("write_results: a figure given twice")
    now = timezone.now()
    _planned_on_statistics(keys)
    current = _lock_current(keys)
    fresh = [(key, w) for key, w in keyed if key not in current]
    inserted = _insert([w for _, w in fresh], user, now, channel) if fresh else set()
    lost = [key for key, _ in fresh if key not in inserted]
    if lost:  # inserted by another transaction since our read: now committed, compare
        current.update(_lock_current(lost))
        if any(key not in current for key in lost):  # inserted and removed meanwhile
            raise IntegrityError("Ghi số liệu không thành: có số liệu vừa bị xoá, hãy gửi lại.")

    updates, changes, clashes, refused = [], [], [], {}
    for key, w in keyed:
        if key in inserted:
            if w.seen is not None and not w.seen.matches(None, ""):
                clashes.append(Clash(w.indicator, w.seen, None, w.amount, w.status))
            changes.append((w, None, ""))
            continue
        row_id, value, status, approved = current[key]
        if value == w.amount and status == w.status:
            continue  # already stored: a repeated submit
        if w.seen is not None and not w.seen.matches(value, status):
            # The whole row, locked above, for the message: who entered it and when.
            stored = Result.objects.get(figure_key(w.unit, w.indicator, w.period))
            clashes.append(Clash(w.indicator, w.seen, stored, w.amount, w.status))
            continue
        if approved and not correction.strip():
            refused[w.label or w.indicator.code] = (
                f"{w.indicator.name} {w.period.label} đã được duyệt: "
                "muốn sửa phải ghi lý do điều chỉnh."
            )
            continue
        updates.append((row_id, w))
        changes.append((w, value, status))
    if clashes:
        raise StaleWrite(clashes)
    if refused:
        raise ValidationError(refused)
    if updates:
        _update(updates, user, now, channel)
    _audit(changes, nfc(correction)[:300], user, now, channel)
    changed: dict[tuple[str, str, bool], set[int]] = defaultdict(set)
    for w, _, _ in changes:  # per unit and period: its ancestors are walked once
        changed[(w.unit.path, w.period.code, not w.unit.numchild)].add(w.indicator.id)
    with subtotals.deferred() as pending:
        for (path, period, leaf), indicator_ids in changed.items():
            pending.add(path, period, indicator_ids, leaf=leaf)
    return BatchSaved(len(changes), len(writes) - len(changes))


def _check_existed(writes: list[Write]) -> None:
    """Refuse, naming each, the figures of a unit for a period it did not exist in (before
    its `valid_from`, after its `valid_to`): figures of then belong to its predecessors or
    successors (`figures.validity`). Read from the units given, no query unless refused."""
    outside: dict[str, str] = {}
    told: dict[tuple[int, str], str | None] = {}
    for w in writes:
        if validity.existed_in(w.unit, w.period):
            continue
        key = (w.unit.pk, w.period.code)
        if key not in told:
            told[key] = validity.refusal(w.unit, w.period)
        if told[key]:
            outside[w.label or "period"] = told[key]
    if outside:
        raise ValidationError(outside)


_AUDIT_COLUMNS = (
    "unit_id, indicator_id, period, old_value, new_value, old_status, new_status, written_as, "
    "reason, changed_by_id, changed_at, channel"
)


def _audit(changes: list[tuple], reason: str, user, now, channel) -> None:
    """One ResultChange per changed figure: on PostgreSQL one INSERT from arrays per chunk
    (the ORM's bulk_create costs more than the statement; COPY's per-row Python more than
    the arrays' join)."""
    if not changes:
        return
    if _pg():
        sql = f"""
            INSERT INTO figures_resultchange ({_AUDIT_COLUMNS})
            SELECT k.unit, k.indicator, k.period, k.old_value, k.new_value, k.old_status,
                   k.new_status, k.written_as, %s, %s, %s, %s
            FROM unnest(%s::bigint[], %s::bigint[], %s::varchar[], %s::numeric[],
                        %s::numeric[], %s::varchar[], %s::varchar[], %s::varchar[])
                 WITH ORDINALITY AS k(unit, indicator, period, old_value, new_value,
                                      old_status, new_status, written_as, n)
            ORDER BY k.n
        """  # noqa: S608 (the column list is a constant)
        with _cursor(len(changes)) as cursor:
            for part in _chunks(changes, _CHUNK):
                rows = [
                    (w.unit.id, w.indicator.id, w.period.code, old_value, w.amount,
                     old_status, w.status, w.written_as)
                    for w, old_value, old_status in part
                ]  # fmt: skip
                cursor.execute(
                    sql,
                    [
                        reason, None if user is None else user.pk, now, channel,
                        *map(_array, zip(*rows, strict=True)),
                    ],
                )  # fmt: skip
        return
    ResultChange.objects.bulk_create(
        [
            ResultChange(
                unit_id=w.unit.pk,
                indicator_id=w.indicator.pk,
                period=w.period.code,
                old_value=old_value,
                new_value=w.amount,
                old_status=old_status,
                new_status=w.status,
                written_as=w.written_as,
                reason=reason,
                changed_by=user,
                changed_at=now,
                channel=channel,
            )
            for w, old_value, old_status in changes
        ],
        batch_size=_CHUNK,
    )


def _array(values) -> str:
    """A PostgreSQL array literal of one column's values — numbers, dates, text; None as
    NULL — for a parameter cast to an array type. psycopg dumps a list element by element
    in Python (0.37 s for 100,000 numbers); a join takes 0.05 s."""
    values = list(values)
    if not values:
        return "{}"
    if None in values:
        return "{" + ",".join(map(_element, values)) + "}"
    if isinstance(values[0], str):
        if any(mark in "".join(values) for mark in _ESCAPED):
            values = [_escaped(value) for value in values]
        return '{"' + '","'.join(values) + '"}'  # quoted: commas, braces, spaces are text
    return "{" + ",".join(map(str, values)) + "}"  # integers, Decimals, dates (ISO)


_ESCAPED = ("\\", '"')


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _element(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return '"' + _escaped(value) + '"'
    return str(value)


def _pg() -> bool:
    return connection.vendor == "postgresql"


# From this many rows on, PostgreSQL statements bind their arrays on the server instead of
# Django's client-side quoting (which copies the literal into the statement); those
# statements bypass Django's cursor wrapper, so they are not in its query log. A sheet
# stays below it.
_LARGE = 1_000


def _cursor(rows: int):
    if _pg() and rows >= _LARGE:
        import psycopg

        connection.ensure_connection()
        return psycopg.Cursor(connection.connection)
    return connection.cursor()


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _planned_on_statistics(keys) -> None:
    """A large batch's partitions analysed first where PostgreSQL's count of their rows is
    off by a tenth of the batch or more (`partitions.statistics_refreshed`): before the
    lock, for the rows there (a partition counted empty since its index was built, holding
    a few hundred rows, made each key's probe a scan of them all: 100,000 keys, 3.5 s), and
    after the insert, for the rows it added (the next batch's plans)."""
    if len(keys) < _ANALYSED_FROM or not _pg():
        return
    with connection.cursor() as cursor:
        if partitions.is_partitioned(cursor):
            partitions.statistics_refreshed(cursor, Counter(int(key[0][:4]) for key in keys))


def _lock_current(keys: list[tuple]) -> dict[tuple, tuple]:
    """{key: (id, value, status, approved)} of the stored figures among `keys`, locked."""
    found = {}
    if _pg():
        # The keys drive: one index probe each, locked in key order. As a join, the planner
        # chose by the month's statistics, taken before the month filled (autovacuum
        # analyses a year's partition after a tenth of it changed), and scanned the whole
        # month for a sheet's ten keys (31 ms with 2,930 values in it, then growing).
        sql = """
            SELECT l.* FROM (
                SELECT * FROM unnest(%s::varchar[], %s::smallint[], %s::varchar[], %s::bigint[])
                    AS k(period, depth, path, indicator)
                ORDER BY 1, 2, 3, 4
            ) AS k
            CROSS JOIN LATERAL (
                SELECT r.period, r.unit_depth, r.unit_path, r.indicator_id,
                       r.id, r.value, r.status, r.approved
                FROM figures_result r
                WHERE r.period = k.period AND r.unit_depth = k.depth
                  AND r.unit_path = k.path AND r.indicator_id = k.indicator
                  AND r.period = ANY(%s::varchar[])
                FOR UPDATE
            ) AS l
        """
        with _cursor(len(keys)) as cursor:
            for part in _chunks(keys, _CHUNK):
                columns = list(zip(*part, strict=True))
                periods = _array(sorted(set(columns[0])))
                cursor.execute(sql, [*map(_array, columns), periods])
                for period, depth, path, indicator_id, *rest in cursor.fetchall():
                    found[(period, depth, path, indicator_id)] = tuple(rest)
        return found
    # SQLite: one writer at a time; read by period, the paths and indicators asked for.
    wanted = set(keys)
    by_period: dict[str, tuple[set, set]] = {}
    for period, _, path, indicator_id in keys:
        paths, ids = by_period.setdefault(period, (set(), set()))
        paths.add(path)
        ids.add(indicator_id)
    for period, (paths, ids) in by_period.items():
        for part in _chunks(sorted(paths), 500):
            rows = Result.objects.filter(
                period=period, unit_path__in=part, indicator_id__in=ids
            ).values_list("unit_depth", "unit_path", "indicator_id", "id", "value", "status",
                          "approved")  # fmt: skip
            for depth, path, indicator_id, *rest in rows:
                key = (period, depth, path, indicator_id)
                if key in wanted:
                    found[key] = tuple(rest)
    return found


_INSERT_COLUMNS = (
    "period, period_kind, period_start, period_end, unit_id, unit_path, unit_depth, "
    "indicator_id, value, status, note, entered_by_id, entered_at, channel, approved"
)


def _insert(writes: list[Write], user, now, channel) -> set[tuple]:
    """Insert the new figures; the keys inserted (not those someone else inserted first)."""
    user_id = None if user is None else user.pk
    inserted = set()
    with _cursor(len(writes)) as cursor:
        if _pg():
            sql = f"""
                INSERT INTO figures_result ({_INSERT_COLUMNS})
                SELECT k.period, k.kind, k.start_, k.end_, k.unit, k.path, k.depth,
                       k.indicator, k.value, k.status, k.note, %s, %s, %s, false
                FROM unnest(%s::varchar[], %s::varchar[], %s::date[], %s::date[],
                            %s::bigint[], %s::varchar[], %s::smallint[], %s::bigint[],
                            %s::numeric[], %s::varchar[], %s::varchar[])
                     AS k(period, kind, start_, end_, unit, path, depth, indicator, value,
                          status, note)
                ON CONFLICT (period, unit_depth, unit_path, indicator_id) DO NOTHING
                RETURNING period, unit_depth, unit_path, indicator_id
            """  # noqa: S608 (the column list is a constant)
            for part in _chunks(writes, _CHUNK):
                columns = zip(*(_insert_row(w) for w in part), strict=True)
                cursor.execute(sql, [user_id, now, channel, *map(_array, columns)])
                inserted.update(map(tuple, cursor.fetchall()))
            _planned_on_statistics(inserted)
            return inserted
        ops = connection.ops
        at = ops.adapt_datetimefield_value(now)
        for part in _chunks(writes, _SQLITE_CHUNK):
            params = []
            for w in part:
                period, kind, start, end, *rest = _insert_row(w)
                rest[4] = ops.adapt_decimalfield_value(rest[4])
                start, end = ops.adapt_datefield_value(start), ops.adapt_datefield_value(end)
                params += [period, kind, start, end, *rest, user_id, at, channel, False]
            values = ", ".join(["(" + ", ".join(["%s"] * 15) + ")"] * len(part))
            # No unique index on SQLite (Django leaves out a constraint with INCLUDE), and
            # no second writer: the write lock is ours until the commit.
            sql = f"INSERT INTO figures_result ({_INSERT_COLUMNS}) VALUES {values}"  # noqa: S608
            cursor.execute(sql, params)
            inserted.update(w.key for w in part)
    return inserted


def _insert_row(w: Write) -> list:
    p = w.period
    return [
        p.code, str(p.kind), p.start, p.end, w.unit.id, w.unit.path, w.unit.depth,
        w.indicator.id, w.amount, w.status, nfc(w.note)[:300],
    ]  # fmt: skip


def _update(updates: list[tuple[int, Write]], user, now, channel) -> None:
    """The changed figures' new values, who and when; a note only where one is given."""
    user_id = None if user is None else user.pk
    with _cursor(len(updates)) as cursor:
        if _pg():
            sql = """
                UPDATE figures_result r
                SET value = k.value, status = k.status, entered_by_id = %s,
                    entered_at = %s, channel = %s,
                    note = CASE WHEN k.note = '' THEN r.note ELSE k.note END
                FROM unnest(%s::varchar[], %s::smallint[], %s::varchar[], %s::bigint[],
                            %s::numeric[], %s::varchar[], %s::varchar[])
                     AS k(period, depth, path, indicator, value, status, note)
                WHERE r.period = k.period AND r.unit_depth = k.depth
                  AND r.unit_path = k.path AND r.indicator_id = k.indicator
                  AND r.period = ANY(%s::varchar[])
            """  # by the figure's key, the primary key (migration 0012); the periods listed
            # too, so that only their partitions are planned (figures.partitions)
            for part in _chunks(updates, _CHUNK):
                keys = list(zip(*(w.key for _, w in part), strict=True))
                cursor.execute(
                    sql,
                    [
                        user_id, now, channel,
                        *map(_array, keys),
                        _array(w.amount for _, w in part),
                        _array(w.status for _, w in part),
                        _array(nfc(w.note)[:300] for _, w in part),
                        _array(sorted({w.period.code for _, w in part})),
                    ],
                )  # fmt: skip
            return
        ops = connection.ops
        at = ops.adapt_datetimefield_value(now)
        cursor.executemany(
            "UPDATE figures_result SET value = %s, status = %s, entered_by_id = %s, "
            "entered_at = %s, channel = %s, note = CASE WHEN %s = '' THEN note ELSE %s END "
            "WHERE id = %s",
            [
                (
                    ops.adapt_decimalfield_value(w.amount),
                    w.status,
                    user_id,
                    at,
                    channel,
                    nfc(w.note)[:300],
                    nfc(w.note)[:300],
                    row_id,
                )
                for row_id, w in updates
            ],
        )
