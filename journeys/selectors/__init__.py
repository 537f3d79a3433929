"""Reads in journeys shared by views and the API. Import from here: ``from journeys import selectors``.

- ``maps``: journey maps (list, detail, the whole map for the workbench and print), touchpoints, pain points,
  opportunities.
- ``people``: personas, their segments' customers, customers.
- ``comparison``: a map compared with its counterpart (current vs. future state).
- ``history``: a map's history, page by page.
"""

from journeys.selectors.comparison import (
    COMPARED_TOUCHPOINT_FIELDS,
    DERIVATION_ID_KEYS,
    FieldChange,
    MapComparison,
    StageRow,
    TouchpointDiff,
    journey_map_compare,
    journey_map_compare_choices,
)
from journeys.selectors.history import HISTORY_PAGE_SIZE, journey_map_history
from journeys.selectors.maps import (
    journey_map_detail,
    journey_map_full,
    journey_map_full_queryset,
    journey_map_list,
    journey_maps_full,
    opportunity_list,
    pain_point_list,
    touchpoint_choices,
    touchpoint_detail,
)
from journeys.selectors.people import (
    customer_detail,
    customer_list,
    persona_detail,
    persona_list,
    persona_segment_counts,
    persona_segment_customers,
)

__all__ = [
    "COMPARED_TOUCHPOINT_FIELDS",
    "DERIVATION_ID_KEYS",
    "HISTORY_PAGE_SIZE",
    "FieldChange",
    "MapComparison",
    "StageRow",
    "TouchpointDiff",
    "customer_detail",
    "customer_list",
    "journey_map_compare",
    "journey_map_compare_choices",
    "journey_map_detail",
    "journey_map_full",
    "journey_map_full_queryset",
    "journey_map_history",
    "journey_map_list",
    "journey_maps_full",
    "opportunity_list",
    "pain_point_list",
    "persona_detail",
    "persona_list",
    "persona_segment_counts",
    "persona_segment_customers",
    "touchpoint_choices",
    "touchpoint_detail",
]
