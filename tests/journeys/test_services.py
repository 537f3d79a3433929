"""Journey services: maps, stages and touchpoints keep their order and refuse bad rows whole."""

import pytest
from django.core.exceptions import ValidationError

from journeys import services
from journeys.models import JourneyMap, Stage, Touchpoint
from tests.journeys.factories import JourneyMapFactory, StageFactory

pytestmark = pytest.mark.django_db


def test_stages_are_appended_in_the_order_they_are_added():
    journey_map = JourneyMapFactory()

    first = services.stage_create(journey_map=journey_map, name="Awareness")
    second = services.stage_create(journey_map=journey_map, name="Purchase")
    third = services.stage_create(journey_map=journey_map, name="Advocacy")

    assert [first.position, second.position, third.position] == [0, 1, 2]
    assert list(journey_map.stages.values_list("name", flat=True)) == ["Awareness", "Purchase", "Advocacy"]


def test_stage_positions_are_counted_per_map():
    one, other = JourneyMapFactory(), JourneyMapFactory()
    services.stage_create(journey_map=one, name="A")
    services.stage_create(journey_map=one, name="B")

    assert services.stage_create(journey_map=other, name="First elsewhere").position == 0


def test_map_created_with_stage_names_has_them_in_that_order():
    journey_map = services.journey_map_create(name="B2B", stage_names=["Need", "Offer", "Decision"])

    assert list(journey_map.stages.order_by("position").values_list("name", "position")) == [
        ("Need", 0),
        ("Offer", 1),
        ("Decision", 2),
    ]


def test_map_without_a_name_is_refused_and_not_stored():
    with pytest.raises(ValidationError) as exc:
        services.journey_map_create(name="", stage_names=["Stage"])
    assert "name" in exc.value.message_dict
    assert JourneyMap.objects.count() == 0
    assert Stage.objects.count() == 0


def test_touchpoints_are_appended_within_their_stage():
    stage = StageFactory()

    first = services.touchpoint_create(stage=stage, name="Website", channel="website")
    second = services.touchpoint_create(stage=stage, name="Call", channel="phone", emotion_score=-2)

    assert (first.position, second.position) == (0, 1)
    assert list(stage.touchpoints.values_list("name", flat=True)) == ["Website", "Call"]
    assert Touchpoint.objects.get(pk=second.pk).emotion_score == -2


@pytest.mark.parametrize("score", [7, -4, 4])
def test_emotion_score_outside_minus_3_to_3_is_refused_and_nothing_stored(score):
    stage = StageFactory()

    with pytest.raises(ValidationError) as exc:
        services.touchpoint_create(stage=stage, name="Hotline", channel="phone", emotion_score=score)

    assert "emotion_score" in exc.value.message_dict
    assert Touchpoint.objects.count() == 0


@pytest.mark.parametrize("score", [-3, 0, 3])
def test_emotion_scores_at_the_ends_of_the_scale_are_accepted(score):
    touchpoint = services.touchpoint_create(stage=StageFactory(), name="Edge", channel="chat", emotion_score=score)
    assert Touchpoint.objects.get(pk=touchpoint.pk).emotion_score == score


def test_unknown_channel_is_refused():
    with pytest.raises(ValidationError) as exc:
        services.touchpoint_create(stage=StageFactory(), name="Pigeon", channel="carrier_pigeon")
    assert "channel" in exc.value.message_dict
    assert Touchpoint.objects.count() == 0
