"""Writes of maps, stages and touchpoints (personas and customers too, until they get their own module)."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max

from journeys.models import Customer, JourneyMap, Lane, MapChange, Persona, Stage, Touchpoint
from journeys.services.history import map_change_record


def _full_clean_save(obj, *, update_fields: list[str] | None = None):
    obj.full_clean()
    obj.save(update_fields=update_fields)
    return obj


@transaction.atomic
def persona_create(
    *,
    name: str,
    role: str = "",
    description: str = "",
    goals: str = "",
    challenges: str = "",
    quote: str = "",
    segment_rule: dict | None = None,
) -> Persona:
    persona = Persona(
        name=name,
        role=role,
        description=description,
        goals=goals,
        challenges=challenges,
        quote=quote,
        segment_rule=segment_rule or {},
    )
    return _full_clean_save(persona)


@transaction.atomic
def customer_create(*, external_id: str, **fields) -> Customer:
    customer = Customer(external_id=external_id, **fields)
    return _full_clean_save(customer)


@transaction.atomic
def journey_map_create(
    *,
    name: str,
    kind: str = JourneyMap.Kind.CURRENT_STATE,
    goal: str = "",
    scope: str = "",
    personas: Iterable[Persona] = (),
    owner=None,
    stage_names: list[str] | None = None,
    review_cadence_days: int | None = None,
) -> JourneyMap:
    """Create a map, optionally with its stages in the given order, and its default lanes."""
    journey_map = _full_clean_save(
        JourneyMap(name=name, kind=kind, goal=goal, scope=scope, owner=owner, review_cadence_days=review_cadence_days)
    )
    journey_map.personas.set(personas)
    lanes_create_defaults(journey_map=journey_map)
    for name_ in stage_names or []:
        stage_create(journey_map=journey_map, name=name_)
    map_change_record(
        journey_map=journey_map,
        user=owner,
        action=MapChange.Action.CREATED,
        obj=journey_map,
        summary=f"Created the map “{journey_map.name}”",
    )
    return journey_map


DEFAULT_LANES = [
    Lane.Kind.TOUCHPOINTS,
    Lane.Kind.CUSTOMER_ACTIONS,
    Lane.Kind.THOUGHTS,
    Lane.Kind.EMOTIONS,
    Lane.Kind.PAIN_POINTS,
    Lane.Kind.OPPORTUNITIES,
]
BLUEPRINT_LANES = [Lane.Kind.FRONTSTAGE, Lane.Kind.BACKSTAGE, Lane.Kind.SUPPORT]


def lanes_create_defaults(*, journey_map: JourneyMap) -> list[Lane]:
    """The standard rows of a map; a service blueprint also gets frontstage, backstage and support."""
    kinds = list(DEFAULT_LANES)
    if journey_map.kind == JourneyMap.Kind.SERVICE_BLUEPRINT:
        kinds += BLUEPRINT_LANES
    kinds.append(Lane.Kind.NOTES)
    return Lane.objects.bulk_create(
        Lane(journey_map=journey_map, kind=kind, name=Lane.Kind(kind).label.split(" (")[0], position=position)
        for position, kind in enumerate(kinds)
    )


@transaction.atomic
def stage_create(*, journey_map: JourneyMap, name: str, description: str = "") -> Stage:
    """Append a stage at the end of the map."""
    # Lock the map row so two concurrent appends do not take the same position.
    JourneyMap.objects.select_for_update().filter(pk=journey_map.pk).first()
    last = journey_map.stages.aggregate(m=Max("position"))["m"]
    stage = Stage(journey_map=journey_map, name=name, description=description, position=0 if last is None else last + 1)
    return _full_clean_save(stage)


@transaction.atomic
def touchpoint_create(
    *,
    stage: Stage,
    name: str,
    channel: str,
    description: str = "",
    customer_action: str = "",
    thoughts: str = "",
    emotion_score: int | None = None,
    is_moment_of_truth: bool = False,
) -> Touchpoint:
    """Append a touchpoint at the end of its stage."""
    Stage.objects.select_for_update().filter(pk=stage.pk).first()
    last = stage.touchpoints.aggregate(m=Max("position"))["m"]
    touchpoint = Touchpoint(
        stage=stage,
        name=name,
        channel=channel,
        description=description,
        customer_action=customer_action,
        thoughts=thoughts,
        emotion_score=emotion_score,
        is_moment_of_truth=is_moment_of_truth,
        position=0 if last is None else last + 1,
    )
    return _full_clean_save(touchpoint)
