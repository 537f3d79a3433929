"""Maps with content for journeys tests: ``rich_map`` (small, every kind of content; exchange, derive, history)
and ``full_map`` (as large as asked, for query counts)."""

from journeys import services
from journeys.models import JourneyMap, Lane, LaneCell, Opportunity, PainPoint, Stage, Touchpoint
from tests.journeys.factories import PersonaFactory


def rich_map(*, name: str = "Machine purchase", persona_name: str = "Head of production") -> JourneyMap:
    persona = PersonaFactory(name=persona_name)
    journey_map = JourneyMap.objects.create(
        name=name,
        kind=JourneyMap.Kind.CURRENT_STATE,
        goal="Fewer drop-outs between offer and purchase",
        scope="Packaging machines",
        status=JourneyMap.Status.FINAL,
        review_cadence_days=90,
    )
    journey_map.personas.add(persona)
    services.lanes_create_defaults(journey_map=journey_map)
    backstage = Lane.objects.create(journey_map=journey_map, kind=Lane.Kind.BACKSTAGE, name="Backstage", position=20)
    Lane.objects.create(journey_map=journey_map, kind=Lane.Kind.NOTES, name="Hidden notes", position=21, hidden=True)
    need = Stage.objects.create(journey_map=journey_map, name="Need recognition", position=0)
    offer = Stage.objects.create(journey_map=journey_map, name="Überlegung & Angebot", position=1)
    fair = Touchpoint.objects.create(
        stage=need,
        name="Trade fair",
        channel="event",
        customer_action="Visits the booth",
        thoughts="Can it keep up with our line?",
        emotion_score=1,
        emotion_note="curious",
        is_moment_of_truth=False,
        is_direct=True,
        is_two_way=True,
        is_digital=False,
        position=0,
    )
    Touchpoint.objects.create(stage=need, name="Review portal", channel="review_portal", is_direct=False, position=1)
    call = Touchpoint.objects.create(
        stage=offer,
        name="Quote call",
        channel="phone",
        customer_action="Asks for a quote",
        thoughts="Why does this take two weeks?",
        emotion_score=-2,
        emotion_note="annoyed",
        is_moment_of_truth=True,
        is_two_way=True,
        position=0,
    )
    LaneCell.objects.create(lane=backstage, stage=offer, text="Sales engineer prepares the quote")
    PainPoint.objects.create(
        journey_map=journey_map,
        stage=offer,
        touchpoint=call,
        title="Quote takes two weeks",
        severity=5,
        evidence="“We nearly went elsewhere.”",
        source="Interview 3",
    )
    PainPoint.objects.create(journey_map=journey_map, stage=need, title="Hard to compare vendors", severity=3)
    Opportunity.objects.create(
        journey_map=journey_map, stage=need, touchpoint=fair, title="Live demo at the booth", impact=4, effort=2
    )
    Opportunity.objects.create(journey_map=journey_map, title="One contact person", impact=3, effort=3)
    return journey_map


def full_map(stage_count: int, touchpoints_per_stage: int) -> JourneyMap:
    """A service blueprint with text cells, pain points and opportunities on every stage."""
    journey_map = services.journey_map_create(
        name=f"Big {stage_count}", kind="service_blueprint", stage_names=[f"S{i}" for i in range(stage_count)]
    )
    journey_map.personas.add(PersonaFactory())
    backstage = journey_map.lanes.get(kind=Lane.Kind.BACKSTAGE)
    for stage in journey_map.stages.all():
        Touchpoint.objects.bulk_create(
            Touchpoint(
                stage=stage, name=f"TP {i}", channel="website", emotion_score=i % 7 - 3, thoughts="Hm?", position=i
            )
            for i in range(touchpoints_per_stage)
        )
        LaneCell.objects.create(lane=backstage, stage=stage, text="ERP")
        PainPoint.objects.create(journey_map=journey_map, stage=stage, title="Slow", severity=3)
        Opportunity.objects.create(journey_map=journey_map, stage=stage, title="Faster", impact=4, effort=2)
    PainPoint.objects.create(journey_map=journey_map, title="Whole map", severity=2)
    return journey_map
