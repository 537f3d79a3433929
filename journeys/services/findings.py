"""Writes of pain points and opportunities: findings placed on a map, a stage or a touchpoint."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cxportal.services import model_update
from journeys.models import JourneyMap, MapChange, Opportunity, PainPoint, Stage, Touchpoint
from journeys.services.history import diff, map_change_record

FINDING_FIELDS = ["stage", "touchpoint", "title", "description", "evidence", "source"]
PAIN_POINT_FIELDS = [*FINDING_FIELDS, "severity"]
OPPORTUNITY_FIELDS = [*FINDING_FIELDS, "impact", "effort"]


def _placement(*, journey_map: JourneyMap, stage: Stage | None, touchpoint: Touchpoint | None) -> Stage | None:
    """The stage a finding sits under; refuses a stage or touchpoint of another map or a mismatch.

    A touchpoint without a stage places the finding under the touchpoint's stage.
    """
    errors = {}
    if stage is not None and stage.journey_map_id != journey_map.pk:
        errors["stage"] = _("The stage belongs to another map.")
    if touchpoint is not None:
        if touchpoint.stage.journey_map_id != journey_map.pk:
            errors["touchpoint"] = _("The touchpoint belongs to another map.")
        elif stage is not None and touchpoint.stage_id != stage.pk:
            errors["touchpoint"] = _("The touchpoint is not in the stage “%(stage)s”.") % {"stage": stage.name}
    if errors:
        raise ValidationError(errors)
    if stage is None and touchpoint is not None:
        return touchpoint.stage
    return stage


def _create(model, *, journey_map: JourneyMap, by, noun: str, **fields):
    fields["stage"] = _placement(
        journey_map=journey_map, stage=fields.get("stage"), touchpoint=fields.get("touchpoint")
    )
    finding = model(journey_map=journey_map, **fields)
    finding.full_clean()
    finding.save()
    map_change_record(
        journey_map=journey_map,
        user=by,
        action=MapChange.Action.CREATED,
        obj=finding,
        summary=f"Added the {noun} “{finding.title}”",
    )
    return finding


def _update(finding, *, data: dict, fields: list[str], by, noun: str):
    data = dict(data)
    if "stage" in data or "touchpoint" in data:
        if "stage" in data:
            stage = data["stage"]
        elif data["touchpoint"] is not None:
            stage = None  # follows the new touchpoint
        else:
            stage = finding.stage
        data["stage"] = _placement(
            journey_map=finding.journey_map,
            stage=stage,
            touchpoint=data["touchpoint"] if "touchpoint" in data else finding.touchpoint,
        )
    changes = diff(finding, data, fields)
    model_update(instance=finding, data=data, fields=fields)
    if changes:
        map_change_record(
            journey_map=finding.journey_map,
            user=by,
            action=MapChange.Action.UPDATED,
            obj=finding,
            summary=f"Changed the {noun} “{finding.title}”",
            changes=changes,
        )
    return finding


def _delete(finding, *, by, noun: str) -> None:
    map_change_record(
        journey_map=finding.journey_map,
        user=by,
        action=MapChange.Action.DELETED,
        obj=finding,
        summary=f"Deleted the {noun} “{finding.title}”",
    )
    finding.delete()


@transaction.atomic
def pain_point_create(
    *,
    journey_map: JourneyMap,
    title: str,
    severity: int = 3,
    stage: Stage | None = None,
    touchpoint: Touchpoint | None = None,
    description: str = "",
    evidence: str = "",
    source: str = "",
    by=None,
) -> PainPoint:
    """Record a pain point on the map (severity 1 minor … 5 critical)."""
    return _create(
        PainPoint,
        journey_map=journey_map,
        by=by,
        noun="pain point",
        title=title,
        severity=severity,
        stage=stage,
        touchpoint=touchpoint,
        description=description,
        evidence=evidence,
        source=source,
    )


@transaction.atomic
def pain_point_update(*, pain_point: PainPoint, data: dict, by=None) -> PainPoint:
    return _update(pain_point, data=data, fields=PAIN_POINT_FIELDS, by=by, noun="pain point")


@transaction.atomic
def pain_point_delete(*, pain_point: PainPoint, by=None) -> None:
    _delete(pain_point, by=by, noun="pain point")


@transaction.atomic
def opportunity_create(
    *,
    journey_map: JourneyMap,
    title: str,
    impact: int = 3,
    effort: int = 3,
    stage: Stage | None = None,
    touchpoint: Touchpoint | None = None,
    description: str = "",
    evidence: str = "",
    source: str = "",
    by=None,
) -> Opportunity:
    """Record an opportunity on the map (impact and effort each 1 … 5)."""
    return _create(
        Opportunity,
        journey_map=journey_map,
        by=by,
        noun="opportunity",
        title=title,
        impact=impact,
        effort=effort,
        stage=stage,
        touchpoint=touchpoint,
        description=description,
        evidence=evidence,
        source=source,
    )


@transaction.atomic
def opportunity_update(*, opportunity: Opportunity, data: dict, by=None) -> Opportunity:
    return _update(opportunity, data=data, fields=OPPORTUNITY_FIELDS, by=by, noun="opportunity")


@transaction.atomic
def opportunity_delete(*, opportunity: Opportunity, by=None) -> None:
    _delete(opportunity, by=by, noun="opportunity")
