"""Writes of maps, stages and touchpoints."""

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxportal.services import model_update
from journeys.models import TOUCHPOINT_CONTENT_FIELDS, JourneyMap, Lane, MapChange, Persona, Stage, Touchpoint
from journeys.services.history import diff, map_change_record


def _full_clean_save(obj, *, update_fields: list[str] | None = None):
    obj.full_clean()
    obj.save(update_fields=update_fields)
    return obj


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
    status: str = JourneyMap.Status.DRAFT,
    reviewed_at: datetime | None = None,
) -> JourneyMap:
    """Create a map, optionally with its stages in the given order, and its default lanes."""
    journey_map = _full_clean_save(
        JourneyMap(
            name=name,
            kind=kind,
            goal=goal,
            scope=scope,
            owner=owner,
            review_cadence_days=review_cadence_days,
            status=status,
            reviewed_at=reviewed_at,
        )
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
def stage_create(*, journey_map: JourneyMap, name: str, description: str = "", by=None) -> Stage:
    """Append a stage at the end of the map."""
    # Lock the map row so two concurrent appends do not take the same position.
    JourneyMap.objects.select_for_update().filter(pk=journey_map.pk).first()
    last = journey_map.stages.aggregate(m=Max("position"))["m"]
    stage = Stage(journey_map=journey_map, name=name, description=description, position=0 if last is None else last + 1)
    _full_clean_save(stage)
    map_change_record(
        journey_map=journey_map,
        user=by,
        action=MapChange.Action.CREATED,
        obj=stage,
        summary=f"Added the stage “{stage.name}”",
    )
    return stage


TOUCHPOINT_FIELDS = list(TOUCHPOINT_CONTENT_FIELDS)


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
    emotion_note: str = "",
    is_moment_of_truth: bool = False,
    is_direct: bool = True,
    is_two_way: bool = True,
    is_digital: bool = True,
    by=None,
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
        emotion_note=emotion_note,
        is_moment_of_truth=is_moment_of_truth,
        is_direct=is_direct,
        is_two_way=is_two_way,
        is_digital=is_digital,
        position=0 if last is None else last + 1,
    )
    _full_clean_save(touchpoint)
    map_change_record(
        journey_map=stage.journey_map,
        user=by,
        action=MapChange.Action.CREATED,
        obj=touchpoint,
        summary=f"Added the touchpoint “{touchpoint.name}” to “{stage.name}”",
    )
    return touchpoint


# ---------------------------------------------------------------- the map itself

JOURNEY_MAP_FIELDS = ["name", "kind", "goal", "scope", "status", "review_cadence_days", "reviewed_at"]


@transaction.atomic
def journey_map_update(*, journey_map: JourneyMap, data: dict, by=None) -> JourneyMap:
    """Change the map's own fields (and its personas when ``data`` has ``personas``)."""
    changes = diff(journey_map, data, JOURNEY_MAP_FIELDS)
    model_update(instance=journey_map, data=data, fields=JOURNEY_MAP_FIELDS)
    if "personas" in data:
        before = sorted(p.pk for p in journey_map.personas.all())
        after = sorted(p.pk for p in data["personas"])
        if before != after:
            journey_map.personas.set(data["personas"])
            changes["personas"] = (before, after)
    if changes:
        map_change_record(
            journey_map=journey_map,
            user=by,
            action=MapChange.Action.UPDATED,
            obj=journey_map,
            summary=f"Changed the map ({', '.join(sorted(changes))})",
            changes=changes,
        )
    return journey_map


@transaction.atomic
def journey_map_mark_reviewed(*, journey_map: JourneyMap, by=None) -> JourneyMap:
    """Record that the team reviewed the map now; "review due" starts counting again."""
    old = journey_map.reviewed_at
    journey_map.reviewed_at = timezone.now()
    journey_map.save(update_fields=["reviewed_at", "updated_at"])
    map_change_record(
        journey_map=journey_map,
        user=by,
        action=MapChange.Action.UPDATED,
        obj=journey_map,
        summary="Marked the map as reviewed",
        changes={"reviewed_at": (old, journey_map.reviewed_at)},
    )
    return journey_map


# ---------------------------------------------------------------- stages


def _lock_map(journey_map: JourneyMap) -> None:
    JourneyMap.objects.select_for_update().filter(pk=journey_map.pk).first()


def _renumber(objects: Sequence, model) -> None:
    """Give ``objects`` the positions 0, 1, 2 … in their list order (saving only those that moved)."""
    moved = []
    for position, obj in enumerate(objects):
        if obj.position != position:
            obj.position = position
            moved.append(obj)
    if moved:
        model.objects.bulk_update(moved, ["position"])


# The reorder errors per kind of row, as whole sentences (German nouns differ in gender).
_ORDER_ERRORS = {
    "stages": {
        "not_ids": gettext_lazy("Give the stages as a list of ids."),
        "twice": gettext_lazy("Each stage may appear only once."),
        "foreign": gettext_lazy("Not stages of this map: %(ids)s."),
        "missing": gettext_lazy("Give every stage of this map exactly once."),
    },
    "lanes": {
        "not_ids": gettext_lazy("Give the lanes as a list of ids."),
        "twice": gettext_lazy("Each lane may appear only once."),
        "foreign": gettext_lazy("Not lanes of this map: %(ids)s."),
        "missing": gettext_lazy("Give every lane of this map exactly once."),
    },
    "touchpoints": {
        "not_ids": gettext_lazy("Give the touchpoints as a list of ids."),
        "twice": gettext_lazy("Each touchpoint may appear only once."),
        "foreign": gettext_lazy("Not touchpoints of this map: %(ids)s."),
        "missing": gettext_lazy("Give every touchpoint of this map exactly once."),
    },
}


def ordered_ids_check(*, given: Sequence, expected: Iterable[int], field: str, noun: str) -> list[int]:
    """``given`` as ints, exactly a permutation of ``expected``; otherwise a ValidationError on ``field``."""
    texts = _ORDER_ERRORS[noun]
    try:
        ids = [int(i) for i in given]
    except (TypeError, ValueError):
        raise ValidationError({field: str(texts["not_ids"])}) from None
    expected = list(expected)
    if len(ids) != len(set(ids)):
        raise ValidationError({field: str(texts["twice"])})
    if set(ids) != set(expected):
        foreign = sorted(set(ids) - set(expected))
        if foreign:
            message = texts["foreign"] % {"ids": ", ".join(map(str, foreign))}
        else:
            message = str(texts["missing"])
        raise ValidationError({field: message})
    return ids


@transaction.atomic
def stage_update(*, stage: Stage, data: dict, by=None) -> Stage:
    """Rename or describe a stage."""
    fields = ["name", "description"]
    changes = diff(stage, data, fields)
    model_update(instance=stage, data=data, fields=fields)
    if changes:
        map_change_record(
            journey_map=stage.journey_map,
            user=by,
            action=MapChange.Action.UPDATED,
            obj=stage,
            summary=f"Changed the stage “{stage.name}”",
            changes=changes,
        )
    return stage


@transaction.atomic
def stage_delete(*, stage: Stage, by=None) -> None:
    """Delete a stage with its touchpoints, cells and the pain points/opportunities placed on it."""
    journey_map = stage.journey_map
    _lock_map(journey_map)
    touchpoint_count = stage.touchpoints.count()
    map_change_record(
        journey_map=journey_map,
        user=by,
        action=MapChange.Action.DELETED,
        obj=stage,
        summary=f"Deleted the stage “{stage.name}” and its {touchpoint_count} touchpoint(s)",
    )
    stage.delete()
    _renumber(list(journey_map.stages.order_by("position", "id")), Stage)


def rows_reorder(*, journey_map: JourneyMap, rows: Sequence, given_ids: Sequence, noun: str, by=None) -> list:
    """Put the map's ``rows`` (its stages or lanes) in the order of ``given_ids``: each row exactly once.

    Refuses any other list with a ValidationError (nothing changes); records the new order in the history.
    """
    by_id = {row.pk: row for row in rows}
    ids = ordered_ids_check(given=given_ids, expected=by_id, field=noun, noun=noun)
    before = [row.pk for row in sorted(by_id.values(), key=lambda row: (row.position, row.pk))]
    ordered = [by_id[i] for i in ids]
    _renumber(ordered, type(ordered[0]) if ordered else Stage)
    if before != ids:
        map_change_record(
            journey_map=journey_map,
            user=by,
            action=MapChange.Action.REORDERED,
            obj=journey_map,
            summary=f"Reordered the {noun}",
            changes={noun: (before, ids)},
        )
    return ordered


def ids_with_moved(ids: list[int], pk: int, offset: int) -> list[int]:
    """``ids`` with ``pk`` moved ``offset`` places (negative: earlier), stopping at either end."""
    ids = list(ids)
    index = ids.index(pk)
    ids.insert(max(0, min(len(ids) - 1, index + offset)), ids.pop(index))
    return ids


@transaction.atomic
def stage_reorder(*, journey_map: JourneyMap, stage_ids: Sequence[int], by=None) -> list[Stage]:
    """Put the map's stages in the order of ``stage_ids``, which must name each stage of the map once."""
    _lock_map(journey_map)
    return rows_reorder(
        journey_map=journey_map, rows=list(journey_map.stages.all()), given_ids=stage_ids, noun="stages", by=by
    )


@transaction.atomic
def stage_move(*, stage: Stage, offset: int, by=None) -> list[Stage]:
    """Move a stage ``offset`` places left (negative) or right; at the edge nothing changes."""
    ids = list(stage.journey_map.stages.order_by("position", "id").values_list("pk", flat=True))
    return stage_reorder(journey_map=stage.journey_map, stage_ids=ids_with_moved(ids, stage.pk, offset), by=by)


# ---------------------------------------------------------------- touchpoints


@transaction.atomic
def touchpoint_update(*, touchpoint: Touchpoint, data: dict, by=None) -> Touchpoint:
    """Change a touchpoint's fields; a different ``stage`` in ``data`` moves it (same map only)."""
    changes = diff(touchpoint, data, TOUCHPOINT_FIELDS)
    model_update(instance=touchpoint, data=data, fields=TOUCHPOINT_FIELDS)
    if changes:
        map_change_record(
            journey_map=touchpoint.stage.journey_map,
            user=by,
            action=MapChange.Action.UPDATED,
            obj=touchpoint,
            summary=f"Changed the touchpoint “{touchpoint.name}”",
            changes=changes,
        )
    new_stage = data.get("stage")
    if new_stage is not None and new_stage.pk != touchpoint.stage_id:
        touchpoint_move(touchpoint=touchpoint, stage=new_stage, by=by)
    return touchpoint


@transaction.atomic
def touchpoint_delete(*, touchpoint: Touchpoint, by=None) -> None:
    stage = touchpoint.stage
    map_change_record(
        journey_map=stage.journey_map,
        user=by,
        action=MapChange.Action.DELETED,
        obj=touchpoint,
        summary=f"Deleted the touchpoint “{touchpoint.name}” from “{stage.name}”",
    )
    touchpoint.delete()
    _renumber(list(stage.touchpoints.order_by("position", "id")), Touchpoint)


@transaction.atomic
def touchpoint_move(
    *, touchpoint: Touchpoint, stage: Stage | None = None, offset: int = 0, position: int | None = None, by=None
) -> Touchpoint:
    """Move a touchpoint within its stage or into another ``stage`` of its map.

    ``position`` is the 0-based place in the target stage (its other touchpoints counted); without it the
    touchpoint goes ``offset`` places up (negative) or down its own stage, or to the end of another stage.
    A position or offset outside the stage, an offset together with a position or another stage, or a stage
    of another map is refused with a ValidationError and nothing changes. Pain points and opportunities placed
    on the touchpoint follow it to its new stage.
    """
    journey_map = touchpoint.stage.journey_map
    _lock_map(journey_map)
    # Read the touchpoint's place again under the lock: a concurrent move may have changed it.
    touchpoint.refresh_from_db(fields=["stage", "position"])
    old_stage = touchpoint.stage
    target_stage = old_stage if stage is None else stage
    if target_stage.journey_map_id != journey_map.pk:
        raise ValidationError({"stage": _("The touchpoint can only move to a stage of the same map.")})
    if offset and (position is not None or target_stage.pk != old_stage.pk):
        raise ValidationError({"offset": _("Give either an offset within the stage or a stage and a position.")})
    old_siblings = list(old_stage.touchpoints.order_by("position", "id"))
    old_index = next(i for i, t in enumerate(old_siblings) if t.pk == touchpoint.pk)
    if target_stage.pk == old_stage.pk:
        others = [t for t in old_siblings if t.pk != touchpoint.pk]
    else:
        others = list(target_stage.touchpoints.order_by("position", "id"))
    if position is None:
        position = old_index + offset if target_stage.pk == old_stage.pk else len(others)
        if not 0 <= position <= len(others):
            direction = "up" if offset < 0 else "down"
            raise ValidationError(
                {
                    "offset": f"“{touchpoint.name}” is number {old_index + 1} of {len(old_siblings)} in "
                    f"“{old_stage.name}” and cannot move {abs(offset)} place(s) {direction}."
                }
            )
    elif not 0 <= position <= len(others):
        raise ValidationError(
            {
                "position": _("Give a position from 0 to %(last)d in “%(stage)s”.")
                % {"last": len(others), "stage": target_stage.name}
            }
        )

    if target_stage.pk == old_stage.pk:
        if position == old_index:
            return touchpoint
        direction = "up" if position < old_index else "down"
        summary = f"Moved the touchpoint “{touchpoint.name}” {direction} in “{old_stage.name}”"
        summary += f" (place {position + 1} of {len(others) + 1})"
        changes = {"position": (old_index, position)}
    else:
        touchpoint.stage = target_stage
        touchpoint.position = position
        # A real save (not bulk_update): metrics recompute stage KPIs when a touchpoint changes stage.
        touchpoint.save(update_fields=["stage", "position"])
        for related in (touchpoint.pain_points, touchpoint.opportunities):
            related.update(stage=target_stage)
        _renumber([t for t in old_siblings if t.pk != touchpoint.pk], Touchpoint)
        summary = f"Moved the touchpoint “{touchpoint.name}” from “{old_stage.name}” to “{target_stage.name}”"
        summary += f" (place {position + 1} of {len(others) + 1})"
        changes = {"stage": (old_stage.name, target_stage.name), "position": (old_index, position)}
    others.insert(position, touchpoint)
    _renumber(others, Touchpoint)
    map_change_record(
        journey_map=journey_map,
        user=by,
        action=MapChange.Action.REORDERED,
        obj=touchpoint,
        summary=summary,
        changes=changes,
    )
    return touchpoint
