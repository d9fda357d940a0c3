"""Make the synthetic country less tidy before it is measured (issue 20).

`xaso synth` loads every village, every indicator, every month, and yearly targets on the
communes only. Real reporting has gaps, late figures and communes that record their own
value. This pass, deterministic for a seed (PostgreSQL's `hashtext` of the row's key and
the seed), changes the loaded rows in set-based SQL:

- sparse: MISSING_PERCENT of the village indicator-months are deleted (never reported);
- late: LATE_PERCENT of the rest become estimates ("ước đạt"), as a late figure is entered;
- override: OVERRIDE_PERCENT of the commune indicator-months get the commune's own value,
  which the roll-up must take instead of its villages' sum;
- targets at every level for the year: each village a share of its commune's target, each
  province the sum of its communes' targets (the synthetic country has no district level).

The caller rebuilds the subtotals afterwards (the pass writes results without them).
"""

MISSING_PERCENT, LATE_PERCENT, OVERRIDE_PERCENT = 15, 5, 3


def _draw(key_sql: str, salt: str, seed: int) -> str:
    """A deterministic number 0–99 for a row's key: the same rows for the same seed."""
    return f"(abs(hashtext({key_sql} || ':{salt}:{int(seed)}')) % 100)"


_RESULT_KEY = "unit_path || ':' || indicator_id || ':' || period"


def roughen(cursor, step: int, seed: int = 1) -> dict:
    """Apply the pass with a Django cursor (`step`: characters per level of a unit's path);
    returns how many rows it changed of each kind."""
    changed = {}
    cursor.execute(
        "DELETE FROM figures_result WHERE unit_depth = 3 "
        f"AND {_draw(_RESULT_KEY, 'missing', seed)} < {MISSING_PERCENT}"
    )
    changed["missing"] = cursor.rowcount
    cursor.execute(
        "UPDATE figures_result SET status = 'estimated', channel = 'form' WHERE unit_depth = 3 "
        f"AND {_draw(_RESULT_KEY, 'late', seed)} < {LATE_PERCENT}"
    )
    changed["late"] = cursor.rowcount
    changed["overrides"] = _commune_overrides(cursor, step, seed)
    changed["targets"] = _targets_at_every_level(cursor, step, seed)
    return changed


def _commune_overrides(cursor, step: int, seed: int) -> int:
    """The commune's own value: its villages' sum moved by up to ±20 %, or a fresh value
    where none of its villages reported (the commune entered what it knew)."""
    key = "u.path || ':' || i.id || ':' || p.period"
    cursor.execute(
        f"""
        WITH below AS (
            SELECT substr(unit_path, 1, {2 * step}) AS commune, indicator_id, period,
                sum(value) AS total
            FROM figures_result WHERE unit_depth = 3 GROUP BY 1, 2, 3
        )
        INSERT INTO figures_result (unit_id, unit_path, unit_depth, indicator_id, value,
            status, channel, note, approved, entered_at,
            period, period_kind, period_start, period_end)
        SELECT u.id, u.path, u.depth, i.id,
            round(coalesce(b.total, 100) * (80 + {_draw(key, "amount", seed)} * 0.4) / 100),
            'final', 'form', '', false, now(),
            p.period, p.period_kind, p.period_start, p.period_end
        FROM org_orgunit u
        CROSS JOIN catalog_indicator i
        CROSS JOIN (SELECT DISTINCT period, period_kind, period_start, period_end
                    FROM figures_result WHERE unit_depth = 3) p
        LEFT JOIN below b
            ON b.commune = u.path AND b.indicator_id = i.id AND b.period = p.period
        WHERE u.code LIKE 'S%%' AND u.depth = 2 AND i.code LIKE 'syn-%%'
          AND {_draw(key, "override", seed)} < {OVERRIDE_PERCENT}
        """
    )
    return cursor.rowcount


def _targets_at_every_level(cursor, step: int, seed: int) -> int:
    """Villages: a share of the commune's yearly target (equal share ±10 %); provinces: the
    sum of their communes'. Same period and source as the communes' targets."""
    columns = (
        "unit_id, indicator_id, source, value, note, set_at, "
        "period, period_kind, period_start, period_end"
    )
    village_key = "v.path || ':' || t.indicator_id || ':' || t.period"
    cursor.execute(
        f"""
        INSERT INTO figures_target ({columns})
        SELECT v.id, t.indicator_id, t.source,
            round(t.value / c.numchild * (90 + {_draw(village_key, "share", seed)} * 0.2) / 100),
            '', now(), t.period, t.period_kind, t.period_start, t.period_end
        FROM figures_target t
        JOIN org_orgunit c ON c.id = t.unit_id AND c.depth = 2 AND c.code LIKE 'S%%'
        JOIN org_orgunit v ON v.depth = 3 AND substr(v.path, 1, {2 * step}) = c.path
        """
    )
    villages = cursor.rowcount
    cursor.execute(
        f"""
        INSERT INTO figures_target ({columns})
        SELECT p.id, t.indicator_id, t.source, sum(t.value), '', now(),
            t.period, t.period_kind, t.period_start, t.period_end
        FROM figures_target t
        JOIN org_orgunit c ON c.id = t.unit_id AND c.depth = 2 AND c.code LIKE 'S%%'
        JOIN org_orgunit p ON p.depth = 1 AND p.path = substr(c.path, 1, {step})
        GROUP BY p.id, t.indicator_id, t.source, t.period, t.period_kind, t.period_start,
            t.period_end
        """
    )
    return villages + cursor.rowcount
