"""Every write in journeys, by topic. Import from here: ``from journeys import services``.

- ``maps``: journey maps, stages, touchpoints; ``lanes``: lanes and their cells; ``findings``: pain points and
  opportunities; ``derive``: a future-state map from a current one; ``exchange``: map export/import documents;
  ``history``: the map history every write records.
- ``personas``: personas and their segments; ``customers``: customer rows (validate, create, update, bulk
  upsert); ``customer_import``: the customers CSV import (upload → preview → confirm).
"""

from journeys.services.customer_import import (
    customer_import_cancel,
    customer_import_confirm,
    customer_import_preview,
    customer_import_stage,
)
from journeys.services.customers import (
    customer_create,
    customer_rows_validate,
    customer_update,
    customers_upsert,
)
from journeys.services.derive import journey_map_derive_future_state
from journeys.services.exchange import (
    MapImport,
    journey_map_csv_rows,
    journey_map_document_parse,
    journey_map_export,
    journey_map_import,
)
from journeys.services.findings import (
    opportunity_create,
    opportunity_delete,
    opportunity_update,
    pain_point_create,
    pain_point_delete,
    pain_point_update,
)
from journeys.services.history import diff, map_change_record
from journeys.services.lanes import cell_set, lane_create, lane_delete, lane_move, lane_reorder, lane_update
from journeys.services.maps import (
    DEFAULT_LANES,
    journey_map_create,
    journey_map_mark_reviewed,
    journey_map_update,
    lanes_create_defaults,
    stage_create,
    stage_delete,
    stage_move,
    stage_reorder,
    stage_update,
    touchpoint_create,
    touchpoint_delete,
    touchpoint_move,
    touchpoint_update,
)
from journeys.services.personas import (
    persona_assign_segment,
    persona_create,
    persona_delete,
    persona_photo_set,
    persona_update,
)

__all__ = [
    "persona_update",
    "persona_photo_set",
    "persona_delete",
    "persona_assign_segment",
    "customers_upsert",
    "customer_update",
    "customer_rows_validate",
    "customer_import_stage",
    "customer_import_preview",
    "customer_import_confirm",
    "customer_import_cancel",
    "MapImport",
    "DEFAULT_LANES",
    "cell_set",
    "customer_create",
    "diff",
    "journey_map_csv_rows",
    "journey_map_derive_future_state",
    "journey_map_document_parse",
    "journey_map_export",
    "journey_map_import",
    "journey_map_create",
    "journey_map_mark_reviewed",
    "journey_map_update",
    "lane_create",
    "lane_delete",
    "lane_move",
    "lane_reorder",
    "lane_update",
    "lanes_create_defaults",
    "map_change_record",
    "opportunity_create",
    "opportunity_delete",
    "opportunity_update",
    "pain_point_create",
    "pain_point_delete",
    "pain_point_update",
    "persona_create",
    "stage_create",
    "stage_delete",
    "stage_move",
    "stage_reorder",
    "stage_update",
    "touchpoint_create",
    "touchpoint_delete",
    "touchpoint_move",
    "touchpoint_update",
]
