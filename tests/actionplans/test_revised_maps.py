"""Revised maps: open actions whose touchpoint, stage or pain point was deleted are flagged for review
(mark obsolete or relink) instead of silently losing their link."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from actionplans import services
from actionplans.models import Action, ActionEvent
from actionplans.selectors import revisions as review
from actionplans.services import revisions
from journeys.services import pain_point_create, pain_point_delete, stage_delete, touchpoint_delete
from tests.journeys.factories import JourneyMapFactory, StageFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(sales, service, manager):
    journey_map = JourneyMapFactory(name="Onboarding")
    first, second = StageFactory(journey_map=journey_map, name="Aware"), StageFactory(journey_map=journey_map)
    quote, visit = TouchpointFactory(stage=first, name="Quote call"), TouchpointFactory(stage=first, name="Visit")
    later = TouchpointFactory(stage=second, name="Invoice")
    pain = pain_point_create(journey_map=journey_map, stage=first, touchpoint=quote, title="Slow quote")
    due = timezone.localdate() + timedelta(days=10)

    def action(title, *, department=sales, **links):
        return services.action_create(title=title, department=department, due_date=due, by=manager, **links)

    return {
        "map": journey_map,
        "stages": (first, second),
        "quote": quote,
        "visit": visit,
        "later": later,
        "pain": pain,
        "action": action,
    }


def _review_ids(user=None) -> list[int]:
    return list(review.actions_needing_review(user=user).values_list("pk", flat=True))


class TestDetection:
    def test_deleting_a_touchpoint_flags_its_open_actions_only(self, board, manager):
        open_action = board["action"]("Call back faster", touchpoint=board["quote"])
        done = board["action"]("Old fix", touchpoint=board["quote"])
        services.action_update(action=done, data={"status": Action.Status.DONE}, by=manager)
        elsewhere = board["action"]("Elsewhere", touchpoint=board["visit"])
        board["action"]("No link")

        touchpoint_delete(touchpoint=board["quote"], by=manager)

        assert _review_ids() == [open_action.pk]
        open_action.refresh_from_db()
        assert open_action.touchpoint is None
        assert review.review_reasons(open_action) == ["touchpoint “Quote call” was removed from the map"]
        assert elsewhere.pk not in _review_ids()

    def test_deleting_a_stage_flags_the_actions_on_its_touchpoints_and_pain_points(self, board, manager):
        on_pain = board["action"]("Fix the quote form", pain_point=board["pain"])
        on_later = board["action"]("Invoice", touchpoint=board["later"])

        stage_delete(stage=board["stages"][0], by=manager)

        assert _review_ids() == [on_pain.pk]
        on_pain.refresh_from_db()
        assert set(review.review_reasons(on_pain)) == {
            "touchpoint “Quote call” was removed from the map",
            "pain point “Slow quote” was removed from the map",
        }
        assert on_later.pk not in _review_ids()

    def test_deleting_a_pain_point_flags_its_actions(self, board, manager):
        action = board["action"]("Fix the quote form", pain_point=board["pain"])
        pain_point_delete(pain_point=board["pain"], by=manager)
        assert _review_ids() == [action.pk]

    def test_unlinking_through_the_service_does_not_flag(self, board, manager):
        action = board["action"]("Call back faster", touchpoint=board["quote"])
        services.action_update(action=action, data={"touchpoint": None}, by=manager)
        touchpoint_delete(touchpoint=board["quote"], by=manager)
        assert _review_ids() == []

    def test_relinking_through_the_service_follows_the_new_link(self, board, manager):
        action = board["action"]("Call back faster", touchpoint=board["quote"])
        services.action_update(action=action, data={"touchpoint": board["visit"]}, by=manager)
        touchpoint_delete(touchpoint=board["quote"], by=manager)
        assert _review_ids() == []
        touchpoint_delete(touchpoint=board["visit"], by=manager)
        assert _review_ids() == [action.pk]

    def test_members_see_only_their_departments_actions_for_review(self, board, manager, service, sales_member):
        ours = board["action"]("Ours", touchpoint=board["quote"])
        board["action"]("Theirs", touchpoint=board["quote"], department=service)
        touchpoint_delete(touchpoint=board["quote"], by=manager)
        assert _review_ids(sales_member) == [ours.pk]


class TestResolution:
    def test_mark_obsolete_closes_the_action_with_history(self, board, manager):
        action = board["action"]("Call back faster", touchpoint=board["quote"])
        touchpoint_delete(touchpoint=board["quote"], by=manager)

        revisions.action_review_mark_obsolete(action=action, by=manager)

        action.refresh_from_db()
        assert action.status == Action.Status.OBSOLETE
        assert ActionEvent.objects.filter(action=action, changes__status=["open", "obsolete"]).exists()
        assert _review_ids() == []

    def test_relink_to_a_touchpoint_of_the_same_map(self, board, manager):
        action = board["action"]("Fix the quote form", pain_point=board["pain"])
        stage_delete(stage=board["stages"][0], by=manager)
        action.refresh_from_db()
        items = review.review_items(user=manager)
        assert [tp.name for tp in items[0]["touchpoints"]] == ["Invoice"]

        revisions.action_review_relink(action=action, touchpoint=board["later"], by=manager)

        action.refresh_from_db()
        assert action.touchpoint == board["later"]
        assert (action.touchpoint_label, action.pain_point_label) == ("Invoice", "")
        assert _review_ids() == []

    def test_relink_to_another_map_is_refused(self, board, manager):
        action = board["action"]("Call back faster", touchpoint=board["quote"])
        touchpoint_delete(touchpoint=board["quote"], by=manager)
        action.refresh_from_db()
        with pytest.raises(ValidationError):
            revisions.action_review_relink(action=action, touchpoint=TouchpointFactory(), by=manager)
        assert _review_ids() == [action.pk]

    def test_members_cannot_relink(self, board, manager, sales_member):
        action = board["action"]("Call back faster", touchpoint=board["quote"])
        touchpoint_delete(touchpoint=board["quote"], by=manager)
        action.refresh_from_db()
        with pytest.raises(PermissionDenied):
            revisions.action_review_relink(action=action, touchpoint=board["visit"], by=sales_member)


class TestViews:
    def test_actions_page_loads_the_review_list(self, client, manager):
        client.force_login(manager)
        page = client.get(reverse("actionplans:action_list")).content.decode()
        assert f'hx-get="{reverse("actionplans:review_list")}"' in page

    def test_review_list_shows_and_escapes(self, client, board, manager):
        action = board["action"]("<script>x</script>", touchpoint=board["quote"])
        touchpoint_delete(touchpoint=board["quote"], by=manager)
        client.force_login(manager)
        for kwargs in ({}, {"HTTP_HX_REQUEST": "true"}):
            page = client.get(reverse("actionplans:review_list"), **kwargs).content.decode()
            assert f'id="review-{action.pk}"' in page
            assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
            assert "Quote call" in page and "Visit" in page  # reason and relink choice

    def test_buttons_mark_obsolete_and_relink(self, client, board, manager):
        first = board["action"]("First", touchpoint=board["quote"])
        second = board["action"]("Second", touchpoint=board["quote"])
        touchpoint_delete(touchpoint=board["quote"], by=manager)
        client.force_login(manager)

        response = client.post(reverse("actionplans:review_mark_obsolete", args=[first.pk]))
        assert response.status_code == 302
        response = client.post(
            reverse("actionplans:review_relink", args=[second.pk]), {"touchpoint": board["visit"].pk}
        )
        assert response.status_code == 302

        first.refresh_from_db()
        second.refresh_from_db()
        assert first.status == Action.Status.OBSOLETE
        assert second.touchpoint == board["visit"]
        # Resolved actions are no longer under review: a second click is a 404.
        assert client.post(reverse("actionplans:review_mark_obsolete", args=[first.pk])).status_code == 404

    def test_relink_without_touchpoint_reports_and_changes_nothing(self, client, board, manager):
        action = board["action"]("First", touchpoint=board["quote"])
        touchpoint_delete(touchpoint=board["quote"], by=manager)
        client.force_login(manager)
        response = client.post(reverse("actionplans:review_relink", args=[action.pk]), {"touchpoint": ""}, follow=True)
        assert "Choose a touchpoint" in response.content.decode()
        assert _review_ids() == [action.pk]

    def test_members_may_mark_their_actions_obsolete_but_not_others_or_relink(
        self, client, board, manager, service, sales_member
    ):
        ours = board["action"]("Ours", touchpoint=board["quote"])
        theirs = board["action"]("Theirs", touchpoint=board["quote"], department=service)
        touchpoint_delete(touchpoint=board["quote"], by=manager)
        client.force_login(sales_member)

        assert client.post(reverse("actionplans:review_mark_obsolete", args=[theirs.pk])).status_code == 404
        relink = client.post(reverse("actionplans:review_relink", args=[ours.pk]), {"touchpoint": board["visit"].pk})
        assert relink.status_code == 403
        assert client.post(reverse("actionplans:review_mark_obsolete", args=[ours.pk])).status_code == 302
        ours.refresh_from_db()
        theirs.refresh_from_db()
        assert (ours.status, theirs.status) == (Action.Status.OBSOLETE, Action.Status.OPEN)
        page = client.get(reverse("actionplans:review_list")).content.decode()
        assert "Theirs" not in page
