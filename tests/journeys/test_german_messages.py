"""Bad input in German gets German messages: a persona form on the page, a reorder through the API
(``Accept-Language: de``), while identifiers (field names, keys) stay English."""

import pytest
from django.urls import reverse

from journeys import services
from journeys.models import JourneyMap, Persona
from tests.journeys.factories import StageFactory

pytestmark = pytest.mark.django_db


def test_a_persona_form_with_a_bad_attribute_line_answers_in_german_and_stores_nothing(manager_client):
    response = manager_client.post(
        reverse("journeys:persona_create"),
        {"name": "Einkaufsleiterin", "attributes": "Firmengröße 200–500"},
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Zeile 1: Schreiben Sie „Name: Wert“." in page
    assert "Eigene Attribute" in page  # the field's label
    assert "Rolle / Position" in page  # a model field's verbose name, as the form label
    assert "write “name: value”" not in page
    assert not Persona.objects.exists()


def test_the_same_form_answers_in_english_for_an_english_browser(manager_client):
    response = manager_client.post(
        reverse("journeys:persona_create"), {"name": "Buyer", "attributes": "size"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "Line 1: write “name: value”." in response.content.decode()


def test_the_api_refuses_a_foreign_stage_in_german_with_the_field_name_unchanged(api_client):
    journey_map = services.journey_map_create(name="Maschinenkauf", stage_names=["Bedarf", "Suche"])
    own = list(journey_map.stages.values_list("pk", flat=True))
    foreign = StageFactory()

    response = api_client.post(
        f"/api/v1/journey-maps/{journey_map.pk}/reorder-stages/",
        {"stages": [*own, foreign.pk]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert response.status_code == 400
    assert response.json() == {"stages": [f"Keine Phasen dieser Map: {foreign.pk}."]}


def test_a_map_started_in_german_gets_german_stage_names(manager_client):
    response = manager_client.post(
        reverse("journeys:map_create"),
        {"name": "Serviceeinsatz", "kind": "current_state", "stage_template": "classic"},
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert response.status_code == 302
    journey_map = JourneyMap.objects.get(name="Serviceeinsatz")
    assert list(journey_map.stages.order_by("position").values_list("name", flat=True)) == [
        "Bewusstsein",
        "Überlegung",
        "Kauf",
        "Bindung",
        "Advocacy",
    ]
    assert journey_map.kind == "current_state"  # the identifier, whatever the language
