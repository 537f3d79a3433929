"""The screens of metrics, one module per page or area (URLs in ``metrics.urls``).

- ``overview``: a card per KPI; ``trends``: KPIs over time; ``breakdown``: a KPI per scope and the heatmap;
- ``dashboard``: one KPI for the company with its trend and touchpoints (the older page);
- ``maps``: KPIs on the journey map and the persona page; ``surveys``: a survey's KPIs (htmx fragments);
- ``targets``: targets and notifications; ``imports``: the CSV import of events and transactions;
- ``links``: where a number leads (answers, trend, breakdown).
"""
