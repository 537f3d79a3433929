"""Every read of metrics, one module per topic; always from snapshots, so a page's cost does not grow with
the answers stored.

- ``snapshots``: the one reader of a snapshot series (``snapshot_series``), a KPI over a period
  (``kpi_series``, used by the API), a KPI per scope (``kpi_by_scope``), the last recompute;
- ``dashboards``: the overview's cards, the trends page's series, the map's KPI badges and felt-vs-measured;
- ``breakdown``: a KPI per touchpoint / stage / persona / channel, the stage × KPI heatmap;
- ``surveys``: a survey's KPI summary and the survey list's scores;
- ``scopes``: scope names and the grouped scope picker;
- ``targets``: targets, their scope labels, the missed ones, notifications.
"""

from metrics.selectors.snapshots import kpi_by_scope, kpi_series, last_recompute, snapshot_series

__all__ = ["kpi_by_scope", "kpi_series", "last_recompute", "snapshot_series"]
