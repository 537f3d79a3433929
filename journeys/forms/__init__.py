"""Forms of the journeys UI, by topic."""

from journeys.forms.maps import (
    CellForm,
    JourneyMapEditForm,
    JourneyMapForm,
    LaneForm,
    LaneRenameForm,
    OpportunityForm,
    PainPointForm,
    StageForm,
    TouchpointEditForm,
    TouchpointForm,
    TouchpointMoveForm,
)

__all__ = [
    "CellForm",
    "JourneyMapEditForm",
    "JourneyMapForm",
    "LaneForm",
    "LaneRenameForm",
    "OpportunityForm",
    "PainPointForm",
    "StageForm",
    "TouchpointEditForm",
    "TouchpointForm",
    "TouchpointMoveForm",
]
