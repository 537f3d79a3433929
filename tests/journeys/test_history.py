"""A map's history page: who changed what and when, newest first, paginated, in a constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journeys import services
from journeys.models import MapChange
from tests.journeys.factories import JourneyMapFactory, TouchpointFactory
from tests.journeys.rich_map import rich_map

pytestmark = pytest.mark.django_db


def _record(journey_map, user, summary, changes=None, *, minutes_ago=0):
    entry = services.map_change_record(
        journey_map=journey_map, user=user, action="updated", obj=journey_map, summary=summary, changes=changes
    )
    MapChange.objects.filter(pk=entry.pk).update(at=timezone.now() - timedelta(minutes=minutes_ago))
    return entry


def test_history_lists_who_changed_what_with_old_and_new_values_newest_first(client, manager):
    journey_map = JourneyMapFactory()
    tp = TouchpointFactory(stage__journey_map=journey_map)
    _record(journey_map, manager, "Renamed the map", {"name": ("Old name", "New name")}, minutes_ago=10)
    services.map_change_record(
        journey_map=journey_map,
        user=None,
        action="updated",
        obj=tp,
        summary="Changed touchpoint “Quote call”",
        changes={"emotion_score": (-2, 1), "is_moment_of_truth": (False, True)},
    )
    client.force_login(manager)

    page = client.get(reverse("journeys:map_history", args=[journey_map.pk])).content.decode()

    assert page.index("Changed touchpoint “Quote call”") < page.index("Renamed the map")
    assert "Old name → New name" in page
    assert "-2 → +1" in page
    assert "no → yes" in page
    assert "manager" in page and "API / system" in page


def test_department_member_reads_the_history(client, sales_member):
    journey_map = JourneyMapFactory()
    _record(journey_map, None, "Created the map")
    client.force_login(sales_member)

    response = client.get(reverse("journeys:map_history", args=[journey_map.pk]))

    assert response.status_code == 200
    assert "Created the map" in response.content.decode()


def test_history_needs_a_role(client, django_user_model):
    journey_map = JourneyMapFactory()
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))

    assert client.get(reverse("journeys:map_history", args=[journey_map.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("journeys:map_history", args=[journey_map.pk])).status_code == 302


def test_history_is_paginated_25_per_page(client, manager):
    journey_map = JourneyMapFactory()
    for i in range(30):
        _record(journey_map, manager, f"Change number {i:02d}", minutes_ago=100 - i)
    client.force_login(manager)

    first = client.get(reverse("journeys:map_history", args=[journey_map.pk])).content.decode()
    second = client.get(reverse("journeys:map_history", args=[journey_map.pk]) + "?page=2").content.decode()

    assert "Change number 29" in first and "Change number 05" in first and "Change number 04" not in first
    assert "Change number 04" in second and "Change number 00" in second
    assert "Page 2 of 2" in second


def test_history_page_queries_do_not_grow_with_the_entries(client, manager, django_user_model):
    few, many = JourneyMapFactory(), JourneyMapFactory()
    _record(few, manager, "One change", {"name": ("a", "b")})
    people = [django_user_model.objects.create_user(f"editor{i}") for i in range(25)]
    for i, person in enumerate(people):
        _record(many, person, f"Change {i}", {"name": (str(i), str(i + 1)), "goal": ("x", "y")})
    client.force_login(manager)

    with CaptureQueriesContext(connection) as few_queries:
        client.get(reverse("journeys:map_history", args=[few.pk]))
    with CaptureQueriesContext(connection) as many_queries:
        response = client.get(reverse("journeys:map_history", args=[many.pk]))

    assert "editor24" in response.content.decode()
    assert len(many_queries) == len(few_queries)


def test_history_escapes_html_in_summaries_and_values(client, manager):
    journey_map = JourneyMapFactory(name="<b>bold map</b>")
    _record(journey_map, manager, "Renamed <script>alert(1)</script>", {"name": ("x", "<img src=x onerror=alert(2)>")})
    client.force_login(manager)

    page = client.get(reverse("journeys:map_history", args=[journey_map.pk])).content.decode()

    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<b>bold map</b>" not in page


def test_derivation_entry_shows_its_fields_but_not_the_id_lists(client, manager):
    source = rich_map()
    future = services.journey_map_derive_future_state(journey_map=source, by=manager)
    client.force_login(manager)

    page = client.get(reverse("journeys:map_history", args=[future.pk])).content.decode()

    assert "Derived from the current-state map “Machine purchase”" in page
    assert "Derived from:" in page and "Current state → Future state" in page
    assert "touchpoint_ids" not in page and "stage_ids" not in page


def test_history_names_reordered_things_and_says_fields_in_words(client, manager):
    from tests.journeys.factories import StageFactory

    journey_map = JourneyMapFactory()
    first = StageFactory(journey_map=journey_map, name="Awareness", position=0)
    second = StageFactory(journey_map=journey_map, name="Purchase", position=1)
    services.stage_reorder(journey_map=journey_map, stage_ids=[second.pk, first.pk], by=manager)
    tp = TouchpointFactory(stage=first, name="Trade fair stand")
    services.map_change_record(
        journey_map=journey_map,
        user=None,
        action="updated",
        obj=tp,
        summary="Changed touchpoint",
        changes={"emotion_score": (-2, 1)},
    )
    client.force_login(manager)

    page = client.get(reverse("journeys:map_history", args=[journey_map.pk])).content.decode()

    assert "Awareness, Purchase → Purchase, Awareness" in page
    assert f"[{first.pk}, {second.pk}]" not in page
    assert "emotion_score" not in page
