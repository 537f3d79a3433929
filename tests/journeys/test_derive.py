"""Future state: deriving a map from a current-state map, and comparing the two."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from journeys import selectors, services
from journeys.models import JourneyMap, LaneCell, MapChange, Opportunity, PainPoint, Stage, Touchpoint
from tests.journeys.factories import JourneyMapFactory, StageFactory, TouchpointFactory
from tests.journeys.rich_map import rich_map

pytestmark = pytest.mark.django_db


def _touchpoints(journey_map):
    return list(Touchpoint.objects.filter(stage__journey_map=journey_map).order_by("stage__position", "position"))


class TestDerive:
    def test_copies_stages_and_touchpoints_with_all_fields(self, manager):
        source = rich_map()

        future = services.journey_map_derive_future_state(journey_map=source, by=manager)

        fields = [
            "name",
            "channel",
            "description",
            "customer_action",
            "thoughts",
            "emotion_score",
            "emotion_note",
            "is_moment_of_truth",
            "is_direct",
            "is_two_way",
            "is_digital",
            "position",
        ]
        copies, originals = _touchpoints(future), _touchpoints(source)
        assert [[getattr(t, f) for f in fields] for t in copies] == [[getattr(t, f) for f in fields] for t in originals]
        assert {t.pk for t in copies}.isdisjoint({t.pk for t in originals})
        assert list(future.stages.values_list("name", "position")) == list(
            source.stages.values_list("name", "position")
        )
        assert all(t.stage.journey_map_id == future.pk for t in copies)

    def test_links_pain_points_opportunities_and_cells_to_the_copies(self, manager):
        source = rich_map()

        future = services.journey_map_derive_future_state(journey_map=source, by=manager)

        pain = PainPoint.objects.get(journey_map=future, title="Quote takes two weeks")
        assert pain.stage.journey_map_id == future.pk and pain.stage.name == "Überlegung & Angebot"
        assert pain.touchpoint.stage.journey_map_id == future.pk and pain.touchpoint.name == "Quote call"
        assert (pain.severity, pain.evidence, pain.source) == (5, "“We nearly went elsewhere.”", "Interview 3")
        demo = Opportunity.objects.get(journey_map=future, title="Live demo at the booth")
        assert demo.touchpoint.stage.journey_map_id == future.pk and (demo.impact, demo.effort) == (4, 2)
        assert Opportunity.objects.get(journey_map=future, title="One contact person").stage is None
        assert PainPoint.objects.filter(journey_map=future).count() == 2
        cell = LaneCell.objects.get(lane__journey_map=future)
        assert (cell.lane.kind, cell.stage.journey_map_id, cell.text) == (
            "backstage",
            future.pk,
            "Sales engineer prepares the quote",
        )
        assert list(future.lanes.values_list("kind", "name", "hidden")) == list(
            source.lanes.values_list("kind", "name", "hidden")
        )

    def test_new_map_is_a_draft_future_state_linked_to_its_source_with_the_same_personas(self, manager):
        source = rich_map()

        future = services.journey_map_derive_future_state(journey_map=source, by=manager)

        future.refresh_from_db()
        assert future.kind == JourneyMap.Kind.FUTURE_STATE
        assert future.status == JourneyMap.Status.DRAFT
        assert future.derived_from == source
        assert future.name == "Machine purchase — future state"
        assert (future.goal, future.scope, future.owner) == (source.goal, source.scope, manager)
        assert list(future.personas.all()) == list(source.personas.all())

    def test_source_map_is_left_unchanged(self, manager):
        source = rich_map()
        before = services.journey_map_export(journey_map=selectors.journey_map_full(map_id=source.pk))

        services.journey_map_derive_future_state(journey_map=source, by=manager, name="To-be")

        after = services.journey_map_export(journey_map=selectors.journey_map_full(map_id=source.pk))
        assert {**after, "exported_at": None} == {**before, "exported_at": None}

    def test_records_history_on_both_maps(self, manager):
        source = rich_map()

        future = services.journey_map_derive_future_state(journey_map=source, by=manager)

        on_future = MapChange.objects.get(journey_map=future)
        on_source = MapChange.objects.get(journey_map=source)
        assert (on_future.action, on_future.user, on_future.object_id) == ("derived", manager, source.pk)
        assert on_future.changes["kind"] == ["current_state", "future_state"]
        assert (on_source.action, on_source.object_id) == ("derived", future.pk)
        assert "future-state map" in on_source.summary

    @pytest.mark.parametrize("kind", ["future_state", "service_blueprint", "experience_map"])
    def test_refuses_a_map_that_is_not_current_state(self, manager, kind):
        source = JourneyMapFactory(kind=kind)
        StageFactory(journey_map=source)

        with pytest.raises(ValidationError, match="Only a current-state map"):
            services.journey_map_derive_future_state(journey_map=source, by=manager)

        assert JourneyMap.objects.count() == 1
        assert Stage.objects.count() == 1


class TestComparison:
    def _derive(self, manager):
        source = rich_map()
        return source, services.journey_map_derive_future_state(journey_map=source, by=manager)

    def test_a_fresh_derivation_has_no_differences(self, manager):
        source, future = self._derive(manager)

        comparison = selectors.journey_map_compare(map_id=future.pk)

        assert (comparison.current, comparison.future) == (source, future)
        assert comparison.matched_by == "derivation"
        assert (comparison.added, comparison.removed, comparison.changed) == ([], [], [])
        assert [d.status for row in comparison.rows for d in row.touchpoints] == ["unchanged"] * 3
        assert comparison.resolved_pain_points == comparison.new_opportunities == []

    def test_reports_added_removed_and_changed_touchpoints_with_the_changed_fields(self, manager):
        source, future = self._derive(manager)
        call = Touchpoint.objects.get(stage__journey_map=future, name="Quote call")
        call.name, call.channel, call.emotion_score = "Instant online quote", "website", 1
        call.save()
        Touchpoint.objects.get(stage__journey_map=future, name="Review portal").delete()
        offer = future.stages.get(position=1)
        TouchpointFactory(stage=offer, name="Configurator", channel="app", emotion_score=2, position=5)

        comparison = selectors.journey_map_compare(map_id=source.pk)

        assert (comparison.current, comparison.future) == (source, future)
        [changed] = comparison.changed
        assert (changed.current.name, changed.future.name) == ("Quote call", "Instant online quote")
        assert changed.changed_fields == ["name", "channel", "emotion_score"]
        assert changed.emotion_delta == 3  # −2 → +1
        assert [(c.old, c.new) for c in changed.changes] == [
            ("Quote call", "Instant online quote"),
            ("Phone", "Website"),
            ("-2", "+1"),
        ]
        assert [d.current.name for d in comparison.removed] == ["Review portal"]
        assert [d.future.name for d in comparison.added] == ["Configurator"]
        assert comparison.added[0].emotion_delta is None
        assert comparison.emotion_mean_current == -0.5 and comparison.emotion_mean_future == 1.3

    def test_a_touchpoint_moved_to_another_stage_is_changed_not_removed_and_added(self, manager):
        source, future = self._derive(manager)
        fair = Touchpoint.objects.get(stage__journey_map=future, name="Trade fair")
        fair.stage = future.stages.get(position=1)
        fair.save()

        comparison = selectors.journey_map_compare(map_id=future.pk)

        [moved] = comparison.changed
        assert moved.changed_fields == ["stage"]
        assert (moved.changes[0].old, moved.changes[0].new) == ("Need recognition", "Überlegung & Angebot")
        assert comparison.added == comparison.removed == []

    def test_stages_are_side_by_side_with_removed_stages_in_place(self, manager):
        source, future = self._derive(manager)
        future.stages.get(position=0).delete()
        StageFactory(journey_map=future, name="Onboarding", position=7)

        comparison = selectors.journey_map_compare(map_id=future.pk)

        assert [(r.status, r.current and r.current.name, r.future and r.future.name) for r in comparison.rows] == [
            ("removed", "Need recognition", None),
            ("kept", "Überlegung & Angebot", "Überlegung & Angebot"),
            ("added", None, "Onboarding"),
        ]
        assert sorted(d.current.name for d in comparison.rows[0].touchpoints) == ["Review portal", "Trade fair"]
        assert {d.status for d in comparison.rows[0].touchpoints} == {"removed"}

    def test_lists_resolved_pain_points_and_new_opportunities(self, manager):
        source, future = self._derive(manager)
        PainPoint.objects.get(journey_map=future, title="Quote takes two weeks").delete()
        Opportunity.objects.create(journey_map=future, title="Quote configurator", impact=5, effort=3)

        comparison = selectors.journey_map_compare(map_id=future.pk)

        assert [p.title for p in comparison.resolved_pain_points] == ["Quote takes two weeks"]
        assert comparison.resolved_pain_points[0].journey_map_id == source.pk
        assert [o.title for o in comparison.new_opportunities] == ["Quote configurator"]

    def test_maps_without_a_derivation_are_matched_by_stage_and_touchpoint_name(self):
        current = JourneyMapFactory(kind="current_state")
        future = JourneyMapFactory(kind="future_state")
        for journey_map, score in [(current, -1), (future, 2)]:
            stage = StageFactory(journey_map=journey_map, name="Offer")
            TouchpointFactory(stage=stage, name="Quote", emotion_score=score)
        TouchpointFactory(stage=future.stages.get(), name="Chatbot")

        comparison = selectors.journey_map_compare(map_id=future.pk, other_id=current.pk)

        assert (comparison.current, comparison.future, comparison.matched_by) == (current, future, "names")
        [changed] = comparison.changed
        assert changed.emotion_delta == 3
        assert [d.future.name for d in comparison.added] == ["Chatbot"]

    def test_a_map_without_counterpart_has_no_comparison(self):
        journey_map = JourneyMapFactory()
        assert selectors.journey_map_compare(map_id=journey_map.pk) is None


class TestDerivePages:
    def test_manager_derives_from_the_map_page_and_lands_on_the_new_map(self, client, manager):
        source = rich_map()
        client.force_login(manager)

        response = client.post(reverse("journeys:map_derive", args=[source.pk]))

        future = JourneyMap.objects.get(derived_from=source)
        assert response.status_code == 302
        assert response["Location"] == reverse("journeys:map_detail", args=[future.pk])

    def test_deriving_a_future_state_map_shows_the_reason_and_creates_nothing(self, client, manager):
        journey_map = JourneyMapFactory(kind="future_state")
        client.force_login(manager)

        response = client.post(reverse("journeys:map_derive", args=[journey_map.pk]), follow=True)

        assert "Only a current-state map" in response.content.decode()
        assert JourneyMap.objects.count() == 1

    def test_department_member_may_not_derive(self, client, sales_member):
        source = rich_map()
        client.force_login(sales_member)

        response = client.post(reverse("journeys:map_derive", args=[source.pk]))

        assert response.status_code == 403
        assert JourneyMap.objects.count() == 1

    def test_department_member_reads_the_comparison(self, client, manager, sales_member):
        _, future = TestComparison()._derive(manager)
        client.force_login(sales_member)

        response = client.get(reverse("journeys:map_compare", args=[future.pk]))

        assert response.status_code == 200
        assert "Überlegung &amp; Angebot" in response.content.decode()

    def test_comparison_page_shows_changes_and_emotion_delta(self, client, manager):
        source, future = TestComparison()._derive(manager)
        Touchpoint.objects.filter(stage__journey_map=future, name="Quote call").update(emotion_score=1)
        client.force_login(manager)

        page = client.get(reverse("journeys:map_compare", args=[source.pk])).content.decode()

        assert "± changed" in page
        assert "emotion Δ +3" in page

    def test_comparison_page_escapes_html_in_map_texts(self, client, manager):
        source, future = TestComparison()._derive(manager)
        Touchpoint.objects.filter(stage__journey_map=future, name="Quote call").update(name="<script>alert(1)</script>")
        Opportunity.objects.create(journey_map=future, title="<img src=x onerror=alert(2)>")
        client.force_login(manager)

        page = client.get(reverse("journeys:map_compare", args=[future.pk])).content.decode()

        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
        assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page

    def test_comparison_page_queries_do_not_grow_with_the_map(self, client, manager, django_assert_max_num_queries):
        client.force_login(manager)

        def build(stages, touchpoints):
            source = JourneyMapFactory(kind="current_state")
            for s in range(stages):
                stage = StageFactory(journey_map=source, position=s)
                for t in range(touchpoints):
                    TouchpointFactory(stage=stage, emotion_score=t % 3, position=t)
            future = services.journey_map_derive_future_state(journey_map=source, by=manager)
            Touchpoint.objects.filter(stage__journey_map=future).update(emotion_score=3)
            return future

        small, large = build(2, 2), build(8, 6)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small_queries:
            assert client.get(reverse("journeys:map_compare", args=[small.pk])).status_code == 200
        with django_assert_max_num_queries(len(small_queries)):
            client.get(reverse("journeys:map_compare", args=[large.pk]))

    def test_compare_page_without_counterpart_offers_a_choice(self, client, manager):
        journey_map = JourneyMapFactory(name="Lonely map")
        JourneyMapFactory(name="Other map")
        client.force_login(manager)

        page = client.get(reverse("journeys:map_compare", args=[journey_map.pk])).content.decode()

        assert "no counterpart" in page
        assert '<label class="form-label" for="compare-with">' in page
        assert "Other map" in page


class TestDeriveApi:
    def test_integrator_derives_a_future_state(self, api_client):
        source = rich_map()

        response = api_client.post(
            f"/api/v1/journey-maps/{source.pk}/derive-future-state/", {"name": "To-be"}, format="json"
        )

        assert response.status_code == 201
        assert response.json()["kind"] == "future_state"
        assert response.json()["derived_from"] == source.pk
        assert JourneyMap.objects.get(pk=response.json()["id"]).name == "To-be"

    def test_deriving_a_non_current_state_map_is_a_400(self, api_client):
        journey_map = JourneyMapFactory(kind="emotional")

        response = api_client.post(f"/api/v1/journey-maps/{journey_map.pk}/derive-future-state/", {}, format="json")

        assert response.status_code == 400
        assert "Only a current-state map" in response.json()["detail"]

    def test_read_only_key_may_not_derive(self, api_client_for):
        source = rich_map()

        response = api_client_for(["journeys:read"]).post(f"/api/v1/journey-maps/{source.pk}/derive-future-state/")

        assert response.status_code == 403
        assert JourneyMap.objects.count() == 1
