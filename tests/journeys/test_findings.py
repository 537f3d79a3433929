"""Pain points and opportunities: services with their placement rules and history, forms, the map and the list."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from journeys import services
from journeys.models import MapChange, Opportunity, PainPoint
from tests.journeys.factories import StageFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey_map():
    journey_map = services.journey_map_create(name="Machine purchase", stage_names=["Need", "Offer"])
    need, offer = journey_map.stages.order_by("position")
    services.touchpoint_create(stage=need, name="Trade article", channel="press")
    services.touchpoint_create(stage=offer, name="Quote by e-mail", channel="email")
    return journey_map


def _stage(journey_map, name):
    return journey_map.stages.get(name=name)


def _touchpoint(journey_map, name):
    return journey_map.stages.get(touchpoints__name=name).touchpoints.get(name=name)


def test_pain_point_create_update_delete_write_history(journey_map, manager):
    offer = _stage(journey_map, "Offer")

    pain = services.pain_point_create(
        journey_map=journey_map,
        title="Quote hard to compare",
        severity=4,
        stage=offer,
        evidence="“Apples and pears”",
        by=manager,
    )
    services.pain_point_update(pain_point=pain, data={"severity": 5, "title": "Quotes not comparable"}, by=manager)
    pain.refresh_from_db()
    assert (pain.severity, pain.title, pain.stage) == (5, "Quotes not comparable", offer)

    services.pain_point_delete(pain_point=pain, by=manager)
    assert PainPoint.objects.count() == 0
    actions = list(journey_map.changes.filter(object_type="painpoint").order_by("id").values_list("action", "user"))
    assert actions == [
        (MapChange.Action.CREATED, manager.pk),
        (MapChange.Action.UPDATED, manager.pk),
        (MapChange.Action.DELETED, manager.pk),
    ]


def test_opportunity_create_update_delete_write_history(journey_map, manager):
    opportunity = services.opportunity_create(
        journey_map=journey_map, title="Spec sheet download", impact=4, effort=2, by=manager
    )
    services.opportunity_update(opportunity=opportunity, data={"effort": 1}, by=manager)
    opportunity.refresh_from_db()
    assert (opportunity.impact, opportunity.effort, opportunity.stage) == (4, 1, None)
    services.opportunity_delete(opportunity=opportunity, by=manager)
    assert Opportunity.objects.count() == 0
    assert journey_map.changes.filter(object_type="opportunity").count() == 3


@pytest.mark.parametrize("severity", [0, 6])
def test_severity_outside_1_to_5_is_refused(journey_map, severity):
    with pytest.raises(ValidationError) as exc:
        services.pain_point_create(journey_map=journey_map, title="Bad", severity=severity)
    assert "severity" in exc.value.message_dict
    assert PainPoint.objects.count() == 0


@pytest.mark.parametrize("field", ["impact", "effort"])
@pytest.mark.parametrize("value", [0, 6])
def test_impact_and_effort_outside_1_to_5_are_refused(journey_map, field, value):
    with pytest.raises(ValidationError):
        services.opportunity_create(journey_map=journey_map, title="Bad", **{field: value})
    assert Opportunity.objects.count() == 0


def test_severity_update_to_6_is_refused_and_nothing_changes(journey_map):
    pain = services.pain_point_create(journey_map=journey_map, title="Slow", severity=2)
    with pytest.raises(ValidationError):
        services.pain_point_update(pain_point=pain, data={"severity": 6}, by=None)
    pain.refresh_from_db()
    assert pain.severity == 2


def test_pain_point_with_a_touchpoint_of_another_map_is_refused(journey_map):
    with pytest.raises(ValidationError) as exc:
        services.pain_point_create(journey_map=journey_map, title="Elsewhere", touchpoint=TouchpointFactory())
    assert "touchpoint" in exc.value.message_dict
    assert PainPoint.objects.count() == 0


def test_finding_with_a_stage_of_another_map_is_refused(journey_map):
    with pytest.raises(ValidationError) as exc:
        services.opportunity_create(journey_map=journey_map, title="Elsewhere", stage=StageFactory())
    assert "stage" in exc.value.message_dict


def test_touchpoint_in_another_stage_than_the_given_stage_is_refused(journey_map):
    with pytest.raises(ValidationError) as exc:
        services.pain_point_create(
            journey_map=journey_map,
            title="Mismatch",
            stage=_stage(journey_map, "Need"),
            touchpoint=_touchpoint(journey_map, "Quote by e-mail"),
        )
    assert "touchpoint" in exc.value.message_dict


def test_touchpoint_alone_places_the_finding_in_its_stage(journey_map):
    pain = services.pain_point_create(
        journey_map=journey_map, title="Late", touchpoint=_touchpoint(journey_map, "Quote by e-mail")
    )
    assert pain.stage == _stage(journey_map, "Offer")


def test_changing_the_touchpoint_moves_the_finding_to_its_stage(journey_map):
    pain = services.pain_point_create(journey_map=journey_map, title="Late", stage=_stage(journey_map, "Need"))
    services.pain_point_update(
        pain_point=pain, data={"touchpoint": _touchpoint(journey_map, "Quote by e-mail")}, by=None
    )
    pain.refresh_from_db()
    assert pain.stage == _stage(journey_map, "Offer")


def test_pain_point_form_on_the_map_adds_it_under_its_stage(client, manager, journey_map):
    offer = _stage(journey_map, "Offer")
    client.force_login(manager)
    url = reverse("journeys:pain_point_create", args=[journey_map.pk])

    form = client.get(url + f"?stage={offer.pk}", headers={"HX-Request": "true"})
    assert form.context["form"].initial["stage"] == offer.pk
    response = client.post(
        url, {"title": "Quote late", "severity": "4", "stage": offer.pk}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#map-board"
    assert "Quote late" in response.content.decode()
    assert PainPoint.objects.get().stage == offer


@pytest.mark.parametrize("severity", ["0", "6"])
def test_pain_point_form_with_severity_outside_1_to_5_re_renders_with_an_error(client, manager, journey_map, severity):
    client.force_login(manager)
    response = client.post(
        reverse("journeys:pain_point_create", args=[journey_map.pk]), {"title": "Bad", "severity": severity}
    )
    assert response.status_code == 200
    assert "severity" in response.context["form"].errors
    assert PainPoint.objects.count() == 0


def test_pain_point_form_with_a_touchpoint_not_in_the_chosen_stage_says_why(client, manager, journey_map):
    client.force_login(manager)
    response = client.post(
        reverse("journeys:pain_point_create", args=[journey_map.pk]),
        {
            "title": "Mismatch",
            "severity": "3",
            "stage": _stage(journey_map, "Need").pk,
            "touchpoint": _touchpoint(journey_map, "Quote by e-mail").pk,
        },
    )
    assert response.status_code == 200
    assert "is not in the stage" in response.content.decode()
    assert PainPoint.objects.count() == 0


def test_opportunity_edit_and_delete_pages(client, manager, journey_map):
    opportunity = services.opportunity_create(journey_map=journey_map, title="Spec sheet", impact=3, effort=3)
    client.force_login(manager)

    client.post(
        reverse("journeys:opportunity_edit", args=[opportunity.pk]),
        {"title": "Spec sheet download", "impact": "5", "effort": "1"},
    )
    opportunity.refresh_from_db()
    assert (opportunity.title, opportunity.impact, opportunity.effort) == ("Spec sheet download", 5, 1)

    assert (
        "Delete the opportunity"
        in client.get(reverse("journeys:opportunity_delete", args=[opportunity.pk])).content.decode()
    )
    client.post(reverse("journeys:opportunity_delete", args=[opportunity.pk]))
    assert Opportunity.objects.count() == 0


def test_findings_show_in_their_lanes_with_severity_as_number_and_whole_map_ones_apart(client, manager, journey_map):
    services.pain_point_create(
        journey_map=journey_map, title="Quote late", severity=4, stage=_stage(journey_map, "Offer")
    )
    services.pain_point_create(journey_map=journey_map, title="No single contact", severity=2)
    services.opportunity_create(journey_map=journey_map, title="Spec sheet", impact=4, effort=2)
    client.force_login(manager)

    page = client.get(reverse("journeys:map_detail", args=[journey_map.pk])).content.decode()

    assert "Quote late" in page
    assert "4/5" in page
    assert "Pain points: whole map" in page
    assert "Opportunities: whole map" in page
    assert "quick win" in page


def test_findings_page_lists_pain_points_by_severity_and_opportunities_by_impact_then_effort(
    client, sales_member, journey_map
):
    services.pain_point_create(journey_map=journey_map, title="Minor", severity=1)
    services.pain_point_create(journey_map=journey_map, title="Critical", severity=5)
    services.pain_point_create(journey_map=journey_map, title="Medium", severity=3)
    services.opportunity_create(journey_map=journey_map, title="Big but hard", impact=5, effort=5)
    services.opportunity_create(journey_map=journey_map, title="Big and easy", impact=5, effort=1)
    services.opportunity_create(journey_map=journey_map, title="Small", impact=2, effort=1)
    client.force_login(sales_member)

    page = client.get(reverse("journeys:map_findings", args=[journey_map.pk])).content.decode()

    assert page.index("Critical") < page.index("Medium") < page.index("Minor")
    assert page.index("Big and easy") < page.index("Big but hard") < page.index("Small")
    assert "/edit/" not in page
