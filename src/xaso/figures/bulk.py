"""Bulk loading of results: PostgreSQL COPY when available, batched inserts elsewhere.

For large loads (a synthetic country, a migration from another system). Rows go in without
refreshing any subtotal: call `figures.subtotals.rebuild()` once the load is done. Everyday
writes go through `figures.services.record_result`, which keeps subtotals live.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.db import connection, transaction

from xaso.figures.models import EntryChannel, Result
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


class ResultBatch:
    """Rows for one transaction, sent as they come: COPY streams them to PostgreSQL while
    Python makes the next ones (two cores at work); elsewhere they go in batched INSERTs."""

    def __init__(self, copy, channel: str):
        self._copy = copy
        self._tail = f"\t{channel}\n"
        self._channel = channel
        self._rows: list[tuple] = []
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
            self._copy.write(
                f"{self._line(unit_id, unit_path, indicator_id, period)}{value}{self._tail}"
            )
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
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            # A bulk load can be run again: losing its last commit in a crash is acceptable.
            raw.execute("SET LOCAL synchronous_commit = off")
            if _is_superuser():
                # The rows reference units and indicators made by the same load; skipping
                # the per-row foreign-key triggers needs a superuser, so it is optional.
                raw.execute("SET LOCAL session_replication_role = replica")
            table = Result._meta.db_table
            with raw.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                yield ResultBatch(copy, channel)


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
