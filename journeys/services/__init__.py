"""Every write in journeys, by topic. Import from here: ``from journeys import services``."""

from journeys.services.history import diff, map_change_record
from journeys.services.maps import (
    DEFAULT_LANES,
    customer_create,
    journey_map_create,
    lanes_create_defaults,
    persona_create,
    stage_create,
    touchpoint_create,
)

__all__ = [
    "DEFAULT_LANES",
    "customer_create",
    "diff",
    "journey_map_create",
    "lanes_create_defaults",
    "map_change_record",
    "persona_create",
    "stage_create",
    "touchpoint_create",
]
