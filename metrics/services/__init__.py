"""Every write of metrics, one module per topic.

- ``recompute``: the recompute engine (``snapshots_recompute``, ``snapshots_recompute_if_changed``), its
  lock and change markers;
- ``recompute_groups``: the fine-grain groups it reads and the generic (SQLite) roll-up into cells;
- ``recompute_sql``: the PostgreSQL fast path of the roll-up, the incremental minutely run;
- ``snapshot_diff``: making the stored snapshots equal the computed cells (generic and in SQL);
- ``targets``: KPI targets (create, update, delete), their evaluation and alerts, and
  ``targets_after_recompute`` — the steps every recompute is followed by;
- ``ingestion``: touchpoint events and revenue transactions in (bulk API and CSV);
- ``imports``: the staged CSV import of events and transactions (upload, preview, confirm, cancel);
- ``erasure``: what metrics erases of a customer.

Reads are in ``metrics.selectors``; the KPI registry and formulas in ``metrics.kpis``.
"""

from metrics.services.recompute import snapshots_recompute, snapshots_recompute_if_changed

__all__ = ["snapshots_recompute", "snapshots_recompute_if_changed"]
