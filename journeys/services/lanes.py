"""Writes of a map's lanes (its rows) and of the text cells of its text lanes."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cxportal.services import model_update
from journeys.models import JourneyMap, Lane, LaneCell, MapChange, Stage
from journeys.services.history import diff, map_change_record
from journeys.services.maps import _lock_map, _renumber, ids_with_moved, rows_reorder


@transaction.atomic
def lane_create(*, journey_map: JourneyMap, kind: str, name: str = "", hidden: bool = False, by=None) -> Lane:
    """Append a lane at the bottom of the map; without a name it is named after its kind."""
    _lock_map(journey_map)
    if kind not in Lane.Kind.values:
        raise ValidationError({"kind": _("Unknown lane kind “%(kind)s”.") % {"kind": kind}})
    name = (name or "").strip() or Lane.Kind(kind).label.split(" (")[0]
    last = journey_map.lanes.aggregate(m=Max("position"))["m"]
    lane = Lane(journey_map=journey_map, kind=kind, name=name, hidden=hidden, position=0 if last is None else last + 1)
    lane.full_clean()
    lane.save()
    map_change_record(
        journey_map=journey_map,
        user=by,
        action=MapChange.Action.CREATED,
        obj=lane,
        summary=f"Added the lane “{lane.name}”",
    )
    return lane


@transaction.atomic
def lane_update(*, lane: Lane, data: dict, by=None) -> Lane:
    """Rename a lane or hide/show it (its kind stays: the content depends on it)."""
    fields = ["name", "hidden"]
    if "name" in data:
        data = {**data, "name": (data["name"] or "").strip()}
    changes = diff(lane, data, fields)
    model_update(instance=lane, data=data, fields=fields)
    if changes:
        if set(changes) == {"hidden"}:
            summary = f"{'Hid' if lane.hidden else 'Showed'} the lane “{lane.name}”"
        else:
            summary = f"Changed the lane “{lane.name}”"
        map_change_record(
            journey_map=lane.journey_map,
            user=by,
            action=MapChange.Action.UPDATED,
            obj=lane,
            summary=summary,
            changes=changes,
        )
    return lane


@transaction.atomic
def lane_delete(*, lane: Lane, by=None) -> None:
    """Delete a lane and its cells (records shown in a record lane stay; only the row goes)."""
    journey_map = lane.journey_map
    _lock_map(journey_map)
    map_change_record(
        journey_map=journey_map,
        user=by,
        action=MapChange.Action.DELETED,
        obj=lane,
        summary=f"Deleted the lane “{lane.name}”",
    )
    lane.delete()
    _renumber(list(journey_map.lanes.order_by("position", "id")), Lane)


@transaction.atomic
def lane_reorder(*, journey_map: JourneyMap, lane_ids: Sequence[int], by=None) -> list[Lane]:
    """Put the map's lanes in the order of ``lane_ids``, which must name each lane of the map once."""
    _lock_map(journey_map)
    return rows_reorder(
        journey_map=journey_map, rows=list(journey_map.lanes.all()), given_ids=lane_ids, noun="lanes", by=by
    )


@transaction.atomic
def lane_move(*, lane: Lane, offset: int, by=None) -> list[Lane]:
    """Move a lane ``offset`` rows up (negative) or down; at the edge nothing changes."""
    ids = list(lane.journey_map.lanes.order_by("position", "id").values_list("pk", flat=True))
    return lane_reorder(journey_map=lane.journey_map, lane_ids=ids_with_moved(ids, lane.pk, offset), by=by)


@transaction.atomic
def cell_set(*, lane: Lane, stage: Stage, text: str, by=None) -> LaneCell | None:
    """Set the text of a text lane under a stage; empty text removes the cell (returns None then)."""
    if lane.kind in Lane.RECORD_KINDS:
        raise ValidationError(
            {"lane": f"“{lane.name}” shows {lane.get_kind_display().lower()} records; it has no text cells."}
        )
    if stage.journey_map_id != lane.journey_map_id:
        raise ValidationError({"stage": _("The stage belongs to another map.")})
    text = (text or "").strip()
    cell = LaneCell.objects.select_for_update().filter(lane=lane, stage=stage).first()
    old = cell.text if cell else ""
    if old == text:
        return cell
    if not text:
        cell.delete()
        cell = None
    elif cell is None:
        cell = LaneCell(lane=lane, stage=stage, text=text)
        cell.full_clean()
        cell.save()
    else:
        cell.text = text
        cell.full_clean()
        cell.save(update_fields=["text"])
    map_change_record(
        journey_map=lane.journey_map,
        user=by,
        action=MapChange.Action.UPDATED,
        obj=cell or LaneCell(lane=lane, stage=stage),
        summary=f"Changed “{lane.name}” in the stage “{stage.name}”",
        changes={"text": (old, text)},
    )
    return cell
