"""Deriving a future-state map from a current-state map.

The copy keeps a stable link to its originals without any model field: the "derived" history entry of
the new map stores the ids of the originals and of their copies, position by position, under
``stage_ids``, ``touchpoint_ids``, ``pain_point_ids`` and ``opportunity_ids`` (``[old ids, new ids]``,
the history's ``{field: [old, new]}`` shape). ``selectors.journey_map_compare`` reads it, so a touchpoint
renamed or moved to another stage in the future state is still recognised as the same touchpoint.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from cxportal.actor import acting_person
from journeys.models import (
    TOUCHPOINT_CONTENT_FIELDS,
    JourneyMap,
    Lane,
    LaneCell,
    MapChange,
    Opportunity,
    PainPoint,
    Stage,
    Touchpoint,
)
from journeys.services.history import map_change_record

_TOUCHPOINT_COPY_FIELDS = [*TOUCHPOINT_CONTENT_FIELDS, "position"]
_FINDING_COPY_FIELDS = ["title", "description", "evidence", "source"]


def _copy(obj, fields: list[str], **extra):
    return type(obj)(**{f: getattr(obj, f) for f in fields}, **extra)


@transaction.atomic
def journey_map_derive_future_state(*, journey_map: JourneyMap, by, name: str | None = None) -> JourneyMap:
    """Copy a current-state map into a new draft future-state map linked by ``derived_from``.

    Stages, touchpoints (all fields), lanes with their cells, pain points, opportunities and personas
    are copied; links between them point to the copies. History is recorded on both maps.
    """
    source = (
        JourneyMap.objects.select_for_update()
        .prefetch_related(
            "personas",
            Prefetch("stages", queryset=Stage.objects.order_by("position", "id")),
            Prefetch("lanes", queryset=Lane.objects.prefetch_related("cells").order_by("position", "id")),
        )
        .get(pk=journey_map.pk)
    )
    if source.kind != JourneyMap.Kind.CURRENT_STATE:
        raise ValidationError(
            _("Only a current-state map can be the base of a future state; “%(name)s” is %(kind)s.")
            % {"name": source.name, "kind": source.get_kind_display().lower()}
        )
    user = acting_person(by)
    future = JourneyMap(
        name=(name or f"{source.name} — future state")[:200],
        kind=JourneyMap.Kind.FUTURE_STATE,
        goal=source.goal,
        scope=source.scope,
        status=JourneyMap.Status.DRAFT,
        owner=user or source.owner,
        review_cadence_days=source.review_cadence_days,
        derived_from=source,
    )
    future.full_clean()
    future.save()
    future.personas.set(source.personas.all())

    old_stages = list(source.stages.all())
    new_stages = Stage.objects.bulk_create(
        _copy(s, ["name", "description", "position"], journey_map=future) for s in old_stages
    )
    stage_of = {old.pk: new for old, new in zip(old_stages, new_stages, strict=True)}

    old_touchpoints = list(Touchpoint.objects.filter(stage__journey_map=source).order_by("stage_id", "position", "id"))
    new_touchpoints = Touchpoint.objects.bulk_create(
        _copy(tp, _TOUCHPOINT_COPY_FIELDS, stage=stage_of[tp.stage_id]) for tp in old_touchpoints
    )
    touchpoint_of = {old.pk: new for old, new in zip(old_touchpoints, new_touchpoints, strict=True)}

    old_lanes = list(source.lanes.all())
    new_lanes = Lane.objects.bulk_create(
        _copy(lane, ["kind", "name", "position", "hidden"], journey_map=future) for lane in old_lanes
    )
    LaneCell.objects.bulk_create(
        LaneCell(lane=new_lane, stage=stage_of[cell.stage_id], text=cell.text)
        for old_lane, new_lane in zip(old_lanes, new_lanes, strict=True)
        for cell in old_lane.cells.all()
        if cell.stage_id in stage_of
    )

    def copy_findings(model, extra_fields: list[str]):
        old = list(model.objects.filter(journey_map=source).order_by("id"))
        new = model.objects.bulk_create(
            _copy(
                f,
                _FINDING_COPY_FIELDS + extra_fields,
                journey_map=future,
                stage=stage_of.get(f.stage_id),
                touchpoint=touchpoint_of.get(f.touchpoint_id),
            )
            for f in old
        )
        return [f.pk for f in old], [f.pk for f in new]

    pain_point_ids = copy_findings(PainPoint, ["severity"])
    opportunity_ids = copy_findings(Opportunity, ["impact", "effort"])

    map_change_record(
        journey_map=future,
        user=by,
        action=MapChange.Action.DERIVED,
        obj=source,
        summary=f"Derived from the current-state map “{source.name}”",
        changes={
            "kind": (source.kind, future.kind),
            "derived_from": (None, source.name),
            "stage_ids": ([s.pk for s in old_stages], [s.pk for s in new_stages]),
            "touchpoint_ids": ([t.pk for t in old_touchpoints], [t.pk for t in new_touchpoints]),
            "pain_point_ids": pain_point_ids,
            "opportunity_ids": opportunity_ids,
        },
    )
    map_change_record(
        journey_map=source,
        user=by,
        action=MapChange.Action.DERIVED,
        obj=future,
        summary=f"Derived the future-state map “{future.name}”",
    )
    return future
