"""The snapshot diff: make the stored KPI snapshots equal the computed cells.

New cells are inserted, changed ones updated, unchanged ones left alone, and those whose data has gone
(e.g. after an erasure) removed — so a run is idempotent and two overlapping runs agree. ``snapshots_write``
compares in Python (the generic path); ``snapshots_write_sql`` compares inside PostgreSQL with one hash join
and computes only the changed cells' values.
"""

from datetime import date

from django.db import connection
from django.utils import timezone

from metrics.kpis import PERIOD_KPIS, REGISTRY, Stats, compute
from metrics.models import Bucket, KpiSnapshot
from metrics.services.recompute_groups import BATCH, CELL_COLUMNS, SNAPSHOT_KEY, SNAPSHOT_VALUES, STAT_FIELDS
from metrics.services.recompute_sql import StatRow, affected_periods, cell_line, copy_lines, copy_value


def snapshots_write(cells: dict[tuple, Stats]) -> None:
    """Make the stored snapshots equal ``cells``: insert the new, update the changed, delete the stale.

    Unchanged snapshots are not written at all: a nightly run over a large data set changes few cells,
    and rewriting every row would cost more than computing them.
    """
    stored: dict[tuple, tuple] = {}
    rows = KpiSnapshot.objects.filter(kpi__in=list(REGISTRY)).order_by()
    for pk, *row in rows.values_list("pk", *SNAPSHOT_KEY, *SNAPSHOT_VALUES):
        stored[tuple(row[:5])] = (pk, tuple(row[5:]))
    computed_at = timezone.now()
    new, changed = [], []
    for key, stats in cells.items():
        result = compute(key[0], stats)
        values = (stats.n, stats.total, stats.total_sq, stats.count_a, stats.count_b, stats.count_c)
        values += (result.value, result.margin_of_error)
        pk, old = stored.pop(key, (None, None))
        if old != values:
            snapshot = KpiSnapshot(
                computed_at=computed_at,
                **dict(zip(SNAPSHOT_KEY, key, strict=True)),
                **dict(zip(SNAPSHOT_VALUES, values, strict=True)),
            )
            (new if pk is None else changed).append(snapshot)
    # Plain inserts for the new cells (no other run can have added them: runs hold the lock), an upsert
    # for the changed ones.
    KpiSnapshot.objects.bulk_create(new, batch_size=BATCH)
    for i in range(0, len(changed), BATCH):
        KpiSnapshot.objects.bulk_create(
            changed[i : i + BATCH],
            update_conflicts=True,
            unique_fields=list(SNAPSHOT_KEY),
            update_fields=[*SNAPSHOT_VALUES, "computed_at"],
        )
    # Cells that no longer have data (answers erased, survey moved) are stale.
    stale = [pk for pk, _values in stored.values()]
    for i in range(0, len(stale), BATCH):
        KpiSnapshot.objects.filter(pk__in=stale[i : i + BATCH]).delete()
    if connection.vendor == "postgresql" and len(new) + len(stale) > max(BATCH, len(cells) // 10):
        # A first run (or a large change) fills the table long before autovacuum notices; on stale
        # statistics the dashboards' queries scan whole index ranges (measured: 6× slower map badges).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {KpiSnapshot._meta.db_table}")  # noqa: S608 - our own table name


def snapshots_write_sql(*, cells: int, all_values: bool, days: list[date] | None = None) -> None:
    """``snapshots_write`` inside PostgreSQL: make the stored snapshots equal the cells of
    ``cx_recompute_cells``.

    One hash join finds the cells whose statistics differ from the stored ones (or that are new or gone).
    Only those cells' values are computed (in Python: Python's rounding is the definition) — a value is a
    function of the statistics and the formulas, so a cell whose statistics did not change keeps its value,
    unless ``all_values`` (the formulas changed since the last run): then every value is computed again.
    With ``days`` (an incremental run) only the stored snapshots those cells can replace are compared: the
    period KPIs', and the additive KPIs' of those days and of the periods holding them.
    """
    table = KpiSnapshot._meta.db_table
    stored, stored_params = "kpi = ANY(%s)", [[str(kpi) for kpi in REGISTRY]]
    if days is not None:
        periods = affected_periods(days)
        stored = (
            "kpi = ANY(%s) OR (bucket = %s AND period_start = ANY(%s::date[])) "
            "OR (bucket, period_start) IN (SELECT * FROM unnest(%s::text[], %s::date[]))"
        )
        stored_params = [
            [str(kpi) for kpi in PERIOD_KPIS],
            str(Bucket.DAY),
            days,
            [b for b, _s in periods],
            [s for _b, s in periods],
        ]
    key = " AND ".join(f"s.{c} = c.{c}" for c in SNAPSHOT_KEY)
    compared = ", ".join(f"s.{c}" for c in STAT_FIELDS), ", ".join(f"c.{c}" for c in STAT_FIELDS)
    changed = "TRUE" if all_values else f"({compared[0]}) IS DISTINCT FROM ({compared[1]})"
    with connection.cursor() as cursor:
        # A merge join sorts both sides by text first: twice as slow as one hash join.
        cursor.execute("SELECT current_setting('enable_mergejoin')")
        (mergejoin,) = cursor.fetchone()
        cursor.execute("SELECT set_config('enable_mergejoin', 'off', true)")
        cursor.execute("DROP TABLE IF EXISTS cx_recompute_diff, cx_recompute_values")
        cursor.execute(
            "CREATE TEMPORARY TABLE cx_recompute_diff ON COMMIT DROP AS "  # noqa: S608 - our own table and columns
            f"SELECT s.id, {', '.join(f'c.{c}' for c in (*SNAPSHOT_KEY, *STAT_FIELDS))} "
            f"FROM (SELECT * FROM {table} WHERE {stored}) AS s FULL JOIN cx_recompute_cells AS c ON {key} "
            f"WHERE s.id IS NULL OR c.kpi IS NULL OR {changed}",
            stored_params,
        )
        cursor.execute("SELECT set_config('enable_mergejoin', %s, true)", [mergejoin])
        cursor.execute(
            f"DELETE FROM {table} WHERE id IN (SELECT id FROM cx_recompute_diff WHERE kpi IS NULL)"  # noqa: S608
        )
        stale = cursor.rowcount
        cursor.execute(f"SELECT id, {CELL_COLUMNS} FROM cx_recompute_diff WHERE kpi IS NOT NULL")  # noqa: S608
        rows = cursor.fetchall()
        lines = []
        for pk, *key_values, n, total, total_sq, count_a, count_b, count_c in rows:
            stats = StatRow(n, total, total_sq, count_a, count_b, count_c)
            result = compute(key_values[0], stats)
            lines.append(
                f"{copy_value(pk)}\t{cell_line(key_values, stats)}\t"
                f"{copy_value(result.value)}\t{copy_value(result.margin_of_error)}"
            )
        cursor.execute(
            f"CREATE TEMPORARY TABLE cx_recompute_values ON COMMIT DROP AS SELECT id, {CELL_COLUMNS}, "  # noqa: S608
            f"value, margin_of_error FROM {table} WITH NO DATA"
        )
        listed = ", ".join((*SNAPSHOT_KEY, *SNAPSHOT_VALUES))
        copy_lines(cursor, "cx_recompute_values", f"id, {listed}", lines)
        computed_at = timezone.now()
        cursor.execute(
            f"UPDATE {table} AS s SET ({', '.join(SNAPSHOT_VALUES)}, computed_at) = "  # noqa: S608
            f"({', '.join(f'v.{c}' for c in SNAPSHOT_VALUES)}, %s) FROM cx_recompute_values AS v "
            "WHERE s.id = v.id",
            [computed_at],
        )
        cursor.execute(
            f"INSERT INTO {table} ({listed}, computed_at) SELECT {listed}, %s "  # noqa: S608
            "FROM cx_recompute_values WHERE id IS NULL",
            [computed_at],
        )
        new = cursor.rowcount
        cursor.execute("DROP TABLE cx_recompute_cells, cx_recompute_diff, cx_recompute_values")
        if new + stale > max(BATCH, cells // 10):
            # As in snapshots_write: fresh statistics for the dashboards after a large change.
            cursor.execute(f"ANALYZE {table}")  # noqa: S608 - our own table name
