"""The journey maps with their stages and touchpoints, what the team found on them, and the service blueprint."""

from cxportal.services import model_update
from journeys.models import JourneyMap, Lane, Touchpoint
from journeys.services import (
    cell_set,
    journey_map_create,
    opportunity_create,
    pain_point_create,
    stage_create,
    touchpoint_create,
)


def load_journey_maps(data, personas, owner, counts) -> dict[str, Touchpoint]:
    """Create the missing maps with their stages and touchpoints; returns every demo touchpoint by key."""
    touchpoints: dict[str, Touchpoint] = {}
    for map_name, (persona, goal, scope, stages) in data.maps.items():
        journey_map = JourneyMap.objects.filter(name=map_name).order_by("id").first()
        if journey_map is not None:
            by_name = {
                (tp.stage.name, tp.name): tp
                for tp in Touchpoint.objects.filter(stage__journey_map=journey_map).select_related("stage")
            }
            for stage_name, _description, specs in stages:
                for spec in specs:
                    if (stage_name, spec.name) in by_name:
                        touchpoints[spec.key] = by_name[(stage_name, spec.name)]
            continue
        journey_map = journey_map_create(
            name=map_name,
            kind=JourneyMap.Kind.CURRENT_STATE,
            goal=goal,
            scope=scope,
            personas=[personas[persona]],
            owner=owner,
        )
        model_update(instance=journey_map, data={"status": JourneyMap.Status.FINAL}, fields=["status"])
        _name_lanes(data, journey_map)
        counts["journey_maps"] += 1
        for stage_name, description, specs in stages:
            stage = stage_create(journey_map=journey_map, name=stage_name, description=description)
            counts["stages"] += 1
            for spec in specs:
                touchpoints[spec.key] = touchpoint_create(
                    stage=stage,
                    name=spec.name,
                    channel=spec.channel,
                    customer_action=spec.customer_action,
                    thoughts=spec.thoughts,
                    emotion_score=spec.emotion_score,
                    is_moment_of_truth=spec.is_moment_of_truth,
                    **_types(data.touchpoint_types[spec.key]),
                )
                counts["touchpoints"] += 1
    return touchpoints


def load_findings(data, touchpoints, owner, counts) -> None:
    """Pain points, opportunities and notes on the two demo maps, unless the map has some already."""
    for key, title, severity, description, evidence, source in data.pain_points:
        tp = touchpoints.get(key)
        if tp is None or tp.pain_points.filter(title=title).exists():
            continue
        pain_point_create(
            journey_map=tp.stage.journey_map,
            touchpoint=tp,
            title=title,
            severity=severity,
            description=description,
            evidence=evidence,
            source=source,
            by=owner,
        )
        counts["pain_points"] += 1
    for key, title, impact, effort, description in data.opportunities:
        tp = touchpoints.get(key)
        if tp is None or tp.opportunities.filter(title=title).exists():
            continue
        opportunity_create(
            journey_map=tp.stage.journey_map,
            touchpoint=tp,
            title=title,
            impact=impact,
            effort=effort,
            description=description,
            by=owner,
        )
        counts["opportunities"] += 1
    for map_name, notes in data.notes.items():
        journey_map = JourneyMap.objects.filter(name=map_name).first()
        lane = journey_map and journey_map.lanes.filter(kind=Lane.Kind.NOTES).first()
        if lane is None:
            continue
        stages = {st.name: st for st in journey_map.stages.all()}
        for stage_name, text in notes:
            if stage_name in stages and not lane.cells.filter(stage=stages[stage_name]).exists():
                cell_set(lane=lane, stage=stages[stage_name], text=text, by=owner)
                counts["lane_cells"] += 1


def load_blueprint(data, personas, owner, counts) -> dict[str, Touchpoint]:
    """A service blueprint of the after-sales breakdown: frontstage above, backstage below the line."""
    if JourneyMap.objects.filter(name=data.blueprint_map).exists():
        return {}
    journey_map = journey_map_create(
        name=data.blueprint_map,
        kind=JourneyMap.Kind.SERVICE_BLUEPRINT,
        goal=data.blueprint_goal,
        scope=data.blueprint_scope,
        personas=[personas[data.head_of_production]],
        owner=owner,
        review_cadence_days=90,
    )
    _name_lanes(data, journey_map)
    counts["journey_maps"] += 1
    lanes = {lane.kind: lane for lane in journey_map.lanes.all()}
    created = {}
    for position, (stage_name, (tp_name, channel, emotion, action), front, back, support) in enumerate(data.blueprint):
        stage = stage_create(journey_map=journey_map, name=stage_name)
        counts["stages"] += 1
        created[f"bp_{position}"] = touchpoint_create(
            stage=stage,
            name=tp_name,
            channel=channel,
            emotion_score=emotion,
            customer_action=action,
            is_moment_of_truth=position == 0,
            **_types(data.blueprint_types[position]),
        )
        counts["touchpoints"] += 1
        for kind, text in ((Lane.Kind.FRONTSTAGE, front), (Lane.Kind.BACKSTAGE, back), (Lane.Kind.SUPPORT, support)):
            cell_set(lane=lanes[kind], stage=stage, text=text, by=owner)
            counts["lane_cells"] += 1
    return created


def _name_lanes(data, journey_map) -> None:
    """The demo's names for the map's default lanes (the German demo names them in German)."""
    for lane in journey_map.lanes.all():
        name = data.lane_names.get(lane.kind)
        if name and name != lane.name:
            model_update(instance=lane, data={"name": name}, fields=["name"])


def _types(flags: tuple[bool, bool, bool]) -> dict[str, bool]:
    direct, two_way, digital = flags
    return {"is_direct": direct, "is_two_way": two_way, "is_digital": digital}
