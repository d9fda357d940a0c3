"""Bulk loading of results: PostgreSQL COPY when available, batched inserts elsewhere.

For large loads (a synthetic country, a migration from another system). Rows go in without
refreshing any subtotal: call `figures.subtotals.rebuild()` once the load is done. Everyday
writes go through `figures.services.record_result`, which keeps subtotals live.
"""

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from psycopg.copy import QueuedLibpqWriter

from xaso.figures.models import EntryChannel, Result
from xaso.figures.partitions import on_every_partition
from xaso.periods import Period

COLUMNS = (
    "unit_id",
    "unit_path",
    "unit_depth",
    "indicator_id",
    "period",
    "period_kind",
    "period_start",
    "period_end",
    "value",
    "channel",
)  # status, entered_at and note take their database defaults (final, now, "")
BATCH = 20_000
COPY_LINES = 1_000


class ResultBatch:
    """Rows for one transaction, sent as they come: COPY streams them to PostgreSQL while
    Python makes the next ones (two cores at work); elsewhere they go in batched INSERTs."""

    def __init__(self, copy, channel: str):
        self._copy = copy
        self._tail = f"\t{channel}\n"
        self._channel = channel
        self._rows: list[tuple] = []
        self._lines: list[str] = []
        self._units: dict[int, str] = {}
        self._middles: dict[tuple[int, str], str] = {}
        self.count = 0

    def _line(self, unit_id: int, unit_path: str, indicator_id: int, period: Period) -> str:
        """The row's text up to its value: cached pieces, since a load repeats them a lot."""
        unit = self._units.get(unit_id)
        if unit is None:
            unit = self._units[unit_id] = f"{unit_id}\t{unit_path}\t{len(unit_path) // 4}\t"
        middle = self._middles.get((indicator_id, period.code))
        if middle is None:
            middle = self._middles[(indicator_id, period.code)] = (
                f"{indicator_id}\t{period.code}\t{period.kind}\t{period.start}\t{period.end}\t"
            )
        return unit + middle

    def add(self, unit_id: int, unit_path: str, indicator_id: int, period: Period, value) -> None:
        self.count += 1
        if self._copy is not None:
            # Lines go to COPY a thousand at a time: one write per row cost more than making
            # the row.
            self._lines.append(
                f"{self._line(unit_id, unit_path, indicator_id, period)}{value}{self._tail}"
            )
            if len(self._lines) >= COPY_LINES:
                self.flush()
            return
        self._rows.append(
            (
                unit_id,
                unit_path,
                len(unit_path) // 4,
                indicator_id,
                period.code,
                str(period.kind),
                period.start,
                period.end,
                value,
                self._channel,
            )
        )
        if len(self._rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self._lines:
            self._copy.write("".join(self._lines))
            self._lines.clear()
        if not self._rows:
            return
        marks = ", ".join(["%s"] * len(COLUMNS))
        sql = f"INSERT INTO {Result._meta.db_table} ({', '.join(COLUMNS)}) VALUES ({marks})"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.executemany(sql, [_portable(row) for row in self._rows])
        self._rows.clear()


@contextmanager
def result_batch(*, channel: str = EntryChannel.IMPORT) -> Iterator[ResultBatch]:
    """One transaction of bulk rows: `with result_batch() as batch: batch.add(...)`."""
    with transaction.atomic():
        if connection.vendor != "postgresql":
            batch = ResultBatch(None, channel)
            yield batch
            batch.flush()
            return
        # Errors of the raw cursor come out as Django's (IntegrityError, …), as elsewhere.
        with connection.cursor() as cursor, connection.wrap_database_errors:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            # A bulk load can be run again: losing its last commit in a crash is acceptable.
            raw.execute("SET LOCAL synchronous_commit = off")
            table = Result._meta.db_table
            statement = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
            # The rows reference units and indicators made by the same load. A writer thread
            # sends while this one makes the next rows: with the default writer, each send
            # waited for the server (374,000 against 550,000 rows/s). Its queue holds at
            # most 1,024 writes of COPY_LINES rows (about 80 MB).
            with (
                foreign_key_triggers_skipped(raw),
                raw.copy(statement, writer=QueuedLibpqWriter(raw)) as copy,
            ):
                batch = ResultBatch(copy, channel)
                yield batch
                batch.flush()


@dataclass
class IndexTiming:
    seconds: float = 0.0


@contextmanager
def indexes_built_after() -> Iterator[IndexTiming]:
    """Within the caller's transaction: if the results table is empty (PostgreSQL), drop its
    primary key and indexes now and build them once the rows are in.

    Building a B-tree from sorted rows is much cheaper than growing it row by row (at 1.2
    million rows: 7.6 s against 9–11 s in all). The table is locked for the transaction, so
    no other writer can slip a duplicate in while the unique index is away, and a failure
    rolls the drop back with the rows. A table that holds rows keeps its indexes.
    """
    timing = IndexTiming()
    if connection.vendor != "postgresql":
        yield timing
        return
    table = Result._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608 — our table
        if cursor.fetchone()[0]:
            yield timing
            return
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('p', 'u') ORDER BY contype",
            [table],
        )
        constraints = cursor.fetchall()  # the primary key first
        # Indexes that back no constraint (on PostgreSQL the results' figure key is the
        # primary key since migration 0012; other tables' unique INCLUDE keys are indexes).
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = %s::regclass AND indexrelid NOT IN "
            "(SELECT conindid FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        indexes = cursor.fetchall()
        for name, _ in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield timing
    started = time.perf_counter()
    # The server's own maintenance_work_mem (64 MB by default) is left alone: the rows come
    # in index order, so small sorted runs merge cheaply, and 1 GB made the unique index
    # twice as slow to build (10.2 million rows: 13.2 s against 6.4 s).
    with connection.cursor() as cursor:
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for _, definition in indexes:
            cursor.execute(on_every_partition(definition))
    timing.seconds = time.perf_counter() - started


@contextmanager
def foreign_key_triggers_skipped(cursor) -> Iterator[None]:
    """Rows written inside are not checked against the tables they reference, one trigger
    call each (Django's foreign keys are checked at commit: 13 s for the 2 million subtotal
    rows of scale L). Only for rows known to be sound. It needs a superuser
    (`session_replication_role`), so for anyone else the checks stay."""
    if connection.vendor != "postgresql" or not _is_superuser():
        yield
        return
    cursor.execute("SET LOCAL session_replication_role = replica")
    yield
    # The rest of an enclosing transaction is checked again.
    cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def _is_superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def _portable(row: tuple) -> tuple:
    """Values as the backend stores them (SQLite keeps dates, times, decimals as text)."""
    ops = connection.ops
    return tuple(
        ops.adapt_datetimefield_value(item)
        if isinstance(item, dt.datetime)
        else ops.adapt_datefield_value(item)
        if isinstance(item, dt.date)
        else str(item)
        if isinstance(item, Decimal)
        else item
        for item in row
    )
