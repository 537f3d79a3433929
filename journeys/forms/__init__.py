"""Forms of the journeys UI, by topic."""

from journeys.forms.maps import JourneyMapForm, StageForm, TouchpointForm

__all__ = ["JourneyMapForm", "StageForm", "TouchpointForm"]
