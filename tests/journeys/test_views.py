"""The journey-mapping pages: creating maps and touchpoints, who may do it, and escaping of user text."""

import pytest
from django.urls import reverse

from journeys.models import JourneyMap, Stage, Touchpoint
from tests.journeys.factories import JourneyMapFactory, StageFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


def test_map_created_from_a_stage_template_has_its_stages_in_order(client, manager):
    client.force_login(manager)

    response = client.post(
        reverse("journeys:map_create"),
        {"name": "Machine purchase", "kind": "current_state", "stage_template": "b2b_purchase"},
    )

    journey_map = JourneyMap.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("journeys:map_detail", args=[journey_map.pk])
    assert journey_map.owner == manager
    assert list(journey_map.stages.order_by("position").values_list("name", flat=True)) == [
        "Need recognition",
        "Information search",
        "Vendor contact",
        "Offer",
        "Evaluation",
        "Negotiation",
        "Purchase decision",
        "Implementation",
        "After-sales service",
    ]
    page = client.get(response["Location"]).content.decode()
    assert page.index("1. Need recognition") < page.index("9. After-sales service")


def test_blank_template_creates_a_map_without_stages(client, manager):
    client.force_login(manager)
    client.post(reverse("journeys:map_create"), {"name": "Empty", "kind": "emotional", "stage_template": "blank"})
    assert JourneyMap.objects.get().stages.count() == 0


def test_map_form_without_a_name_re_renders_with_an_error(client, manager):
    client.force_login(manager)

    response = client.post(
        reverse("journeys:map_create"), {"name": "", "kind": "current_state", "stage_template": "classic"}
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert JourneyMap.objects.count() == 0
    assert Stage.objects.count() == 0


def test_touchpoint_form_with_empty_name_re_renders_with_an_error_and_stores_nothing(client, manager):
    stage = StageFactory()
    client.force_login(manager)

    response = client.post(reverse("journeys:touchpoint_create", args=[stage.pk]), {"name": "", "channel": "website"})

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["This field is required."]
    assert "This field is required." in response.content.decode()
    assert Touchpoint.objects.count() == 0


def test_touchpoint_form_with_emotion_7_re_renders_with_an_error_and_stores_nothing(client, manager):
    stage = StageFactory()
    client.force_login(manager)

    response = client.post(
        reverse("journeys:touchpoint_create", args=[stage.pk]),
        {"name": "Hotline", "channel": "phone", "emotion_score": "7"},
    )

    assert response.status_code == 200
    assert "emotion_score" in response.context["form"].errors
    assert Touchpoint.objects.count() == 0


def test_touchpoint_form_adds_the_touchpoint_and_shows_it_on_the_map(client, manager):
    stage = StageFactory(name="Purchase")
    client.force_login(manager)

    response = client.post(
        reverse("journeys:touchpoint_create", args=[stage.pk]),
        {"name": "Order portal", "channel": "website", "emotion_score": "-2", "thoughts": "Where is my quote?"},
        follow=True,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Order portal" in page
    assert "Where is my quote?" in page
    assert Touchpoint.objects.get().emotion_score == -2


def test_department_member_sees_the_map_page_but_may_not_create(client, sales_member):
    journey_map = JourneyMapFactory(name="Service journey")
    stage = StageFactory(journey_map=journey_map)
    client.force_login(sales_member)

    assert client.get(reverse("journeys:map_list")).status_code == 200
    page = client.get(reverse("journeys:map_detail", args=[journey_map.pk]))
    assert page.status_code == 200
    assert "Service journey" in page.content.decode()

    assert client.get(reverse("journeys:map_create")).status_code == 403
    refused = client.post(
        reverse("journeys:map_create"), {"name": "Mine now", "kind": "current_state", "stage_template": "blank"}
    )
    assert refused.status_code == 403
    assert client.post(reverse("journeys:stage_create", args=[journey_map.pk]), {"name": "X"}).status_code == 403
    assert (
        client.post(
            reverse("journeys:touchpoint_create", args=[stage.pk]), {"name": "X", "channel": "website"}
        ).status_code
        == 403
    )
    assert JourneyMap.objects.count() == 1
    assert Stage.objects.count() == 1
    assert Touchpoint.objects.count() == 0


def test_user_without_a_role_cannot_see_maps(client, django_user_model):
    journey_map = JourneyMapFactory()
    client.force_login(django_user_model.objects.create_user(username="guest", password="pw-guest"))
    assert client.get(reverse("journeys:map_detail", args=[journey_map.pk])).status_code == 403


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    journey_map = JourneyMapFactory()
    response = client.get(reverse("journeys:map_detail", args=[journey_map.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_html_in_a_touchpoint_name_is_escaped_on_the_map_page(client, manager):
    touchpoint = TouchpointFactory(name='<script>alert("tp")</script>', emotion_score=-1)
    client.force_login(manager)

    page = client.get(reverse("journeys:map_detail", args=[touchpoint.stage.journey_map_id])).content.decode()

    assert '<script>alert("tp")</script>' not in page
    assert "&lt;script&gt;alert(&quot;tp&quot;)&lt;/script&gt;" in page


def test_stage_form_adds_a_stage_at_the_end(client, manager):
    journey_map = JourneyMapFactory()
    StageFactory(journey_map=journey_map, name="First", position=0)
    client.force_login(manager)

    response = client.post(reverse("journeys:stage_create", args=[journey_map.pk]), {"name": "Second"})

    assert response.status_code == 302
    assert list(journey_map.stages.order_by("position").values_list("name", flat=True)) == ["First", "Second"]


def test_stage_form_without_a_name_adds_nothing_and_says_why(client, manager):
    journey_map = JourneyMapFactory()
    client.force_login(manager)

    response = client.post(reverse("journeys:stage_create", args=[journey_map.pk]), {"name": ""}, follow=True)

    assert "The stage was not added" in response.content.decode()
    assert Stage.objects.count() == 0
