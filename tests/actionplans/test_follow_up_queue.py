"""The closed loop cannot fail silently: detractors no department receives wait in the CX managers' queue, the
home page and the map say so, and a response page leads to its follow-up action or creates one."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans.models import Action, FollowUpRule, UnroutedFollowUp
from actionplans.services import closed_loop, follow_up_queue
from actionplans.services.ownership import touchpoint_owner_set
from metrics.models import KpiTarget
from metrics.services.targets import target_create
from surveys.services.privacy import customer_erase
from tests.actionplans.factories import ActionFactory
from tests.actionplans.test_closed_loop import answer
from tests.journeys.factories import JourneyMapFactory, StageFactory, TouchpointFactory
from tests.surveys.factories import QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db
QUEUE = reverse("actionplans:follow_up_queue")
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def hotline(db):
    """A moment of truth on map "Spare parts" that no department owns: follow-ups on by default, no receiver."""
    stage = StageFactory(journey_map=JourneyMapFactory(name="Spare parts"), name="Support")
    survey = SurveyFactory(touchpoint=TouchpointFactory(stage=stage, name="Hotline", is_moment_of_truth=True))
    QuestionFactory(survey=survey, kind="nps", position=1)
    QuestionFactory(survey=survey, kind="long_text", text="Why?", position=2, required=False)
    return survey


def queued(survey, score=2, comment="Nobody called back"):
    response = answer(survey, score, comment)
    closed_loop.follow_up_for_response(response.pk)
    return response


class TestQueue:
    def test_a_detractor_at_an_unowned_moment_of_truth_creates_exactly_one_entry(self, hotline):
        response = queued(hotline)
        closed_loop.follow_up_for_response(response.pk)  # the task delivered twice

        entry = UnroutedFollowUp.objects.get()
        assert (entry.response, entry.touchpoint, entry.score, entry.status) == (
            response,
            hotline.touchpoint,
            2,
            UnroutedFollowUp.Status.OPEN,
        )
        assert not Action.objects.exists()

    def test_promoters_and_owned_touchpoints_queue_nothing(self, hotline, sales, manager):
        queued(hotline, 9)
        touchpoint_owner_set(touchpoint=hotline.touchpoint, department=sales, by=manager)
        queued(hotline, 2)
        assert not UnroutedFollowUp.objects.exists()
        assert Action.objects.get().department == sales

    def test_the_queue_page_lists_each_waiting_detractor_and_the_touchpoint(self, client, manager, hotline):
        first, second = queued(hotline), queued(hotline, 0)
        client.force_login(manager)

        html = client.get(QUEUE).content.decode()

        assert len(re.findall(r'<tr id="unrouted-\d+">', html)) == 2
        assert f"/surveys/responses/{first.pk}/" in html and f"/surveys/responses/{second.pk}/" in html
        assert "Spare parts › Support › Hotline" in html and "2 detractors waiting" in html

    def test_routing_opens_the_follow_up_action_and_can_fix_the_rule(self, client, manager, hotline, service):
        response = queued(hotline)
        entry = UnroutedFollowUp.objects.get()
        client.force_login(manager)

        page = client.post(
            reverse("actionplans:follow_up_queue_route", args=[entry.pk]),
            {"department": service.pk, "route_future": "on"},
            follow=True,
        )

        action = Action.objects.get()
        assert (action.department, action.source_response, action.touchpoint) == (service, response, hotline.touchpoint)
        entry.refresh_from_db()
        assert (entry.status, entry.action, entry.resolved_by) == ("routed", action, manager)
        assert "Follow-up action" in page.content.decode()
        assert FollowUpRule.objects.get(touchpoint=hotline.touchpoint).department == service
        # The next detractor goes straight to the department.
        queued(hotline, 1)
        assert Action.objects.count() == 2 and UnroutedFollowUp.objects.count() == 1

    def test_a_routed_or_dismissed_entry_cannot_be_routed_again(self, client, manager, hotline, service):
        queued(hotline)
        entry = UnroutedFollowUp.objects.get()
        follow_up_queue.unrouted_dismiss(entry=entry, by=manager)
        client.force_login(manager)

        page = client.post(reverse("actionplans:follow_up_queue_route", args=[entry.pk]), {"department": service.pk})

        assert page.status_code == 404
        assert not Action.objects.exists()
        assert "No detractor is waiting" in client.get(QUEUE).content.decode()

    def test_members_cannot_see_or_route_the_queue(self, client, sales_member, hotline, sales):
        queued(hotline)
        entry = UnroutedFollowUp.objects.get()
        client.force_login(sales_member)

        assert client.get(QUEUE).status_code == 403
        assert client.post(reverse("actionplans:follow_up_queue_route", args=[entry.pk]), {"department": sales.pk})
        assert not Action.objects.exists()

    def test_erasing_the_customer_removes_the_entry(self, hotline, manager):
        response = queued(hotline)
        customer_erase(customer=response.customer, mode="delete", by=manager)
        assert not UnroutedFollowUp.objects.exists()


class TestMap:
    def test_managers_see_touchpoints_whose_follow_ups_reach_no_department(self, client, manager, hotline):
        queued(hotline)
        client.force_login(manager)
        map_id = hotline.touchpoint.stage.journey_map_id

        html = client.get(reverse("actionplans:map_actions", args=[map_id]), **HX).content.decode()

        card = html.split(f'<div id="tp-actions-{hotline.touchpoint.pk}"')[1].split("<div id=")[0]
        assert "1 detractor waits for a department" in card and QUEUE in card
        assert 'id="map-unrouted-summary"' in html

    def test_members_see_no_queue_on_the_map(self, client, sales_member, hotline):
        queued(hotline)
        client.force_login(sales_member)
        map_id = hotline.touchpoint.stage.journey_map_id

        html = client.get(reverse("actionplans:map_actions", args=[map_id]), **HX).content.decode()

        assert "tp-unrouted" not in html and QUEUE not in html


class TestResponsePage:
    def fragment(self, client, response):
        return client.get(reverse("actionplans:response_follow_up", args=[response.pk]), **HX)

    def test_the_response_page_loads_the_follow_up_fragment(self, client, manager, hotline):
        response = queued(hotline)
        client.force_login(manager)
        html = client.get(reverse("surveys:response_detail", args=[response.pk])).content.decode()
        assert reverse("actionplans:response_follow_up", args=[response.pk]) in html

    def test_links_to_its_follow_up_action(self, client, manager, hotline, service, sales_member):
        FollowUpRule.objects.create(touchpoint=hotline.touchpoint, department=service)
        response = queued(hotline)
        action = Action.objects.get()
        client.force_login(manager)

        html = self.fragment(client, response).content.decode()

        assert f'href="/actions/{action.pk}/"' in html and 'id="follow-up-action"' in html

    def test_a_waiting_detractor_says_so_and_offers_create_action(self, client, manager, hotline):
        response = queued(hotline)
        client.force_login(manager)

        html = self.fragment(client, response).content.decode()

        assert 'id="follow-up-waiting"' in html
        assert f'href="/actions/new/?response={response.pk}"' in html

    def test_create_action_is_prefilled_and_becomes_the_follow_up(self, client, manager, hotline, sales):
        response = queued(hotline)
        client.force_login(manager)
        url = reverse("actionplans:action_create") + f"?response={response.pk}"

        form = client.get(url).context["form"]
        assert form.initial["touchpoint"] == hotline.touchpoint_id and form.initial["kpi"] == "nps"
        assert f"/surveys/responses/{response.pk}/" in form.initial["description"]
        page = client.post(
            url,
            {
                **{
                    k: form.initial[k] for k in ("title", "description", "touchpoint", "kpi", "scope_type", "scope_key")
                },
                "department": sales.pk,
                "due_date": (timezone.localdate() + timedelta(days=7)).isoformat(),
                "impact": 3,
                "effort": 2,
            },
        )

        assert page.status_code == 302
        action = Action.objects.get()
        assert action.source_response == response
        assert UnroutedFollowUp.objects.get().status == "routed"

    def test_members_get_no_create_button_and_others_responses_are_not_found(
        self, client, sales_member, sales, manager, hotline
    ):
        other = queued(hotline)
        touchpoint_owner_set(touchpoint=hotline.touchpoint, department=sales, by=manager)
        ours = queued(hotline)
        UnroutedFollowUp.objects.filter(response=other).delete()
        touchpoint_owner_set(touchpoint=TouchpointFactory(), department=sales, by=manager)
        client.force_login(sales_member)

        html = self.fragment(client, ours).content.decode()
        assert 'id="follow-up-action"' in html and "create-action" not in html

        hidden = SurveyFactory(touchpoint=TouchpointFactory())
        QuestionFactory(survey=hidden, kind="nps", position=1)
        QuestionFactory(survey=hidden, kind="long_text", text="Why?", position=2, required=False)
        assert self.fragment(client, answer(hidden, 3)).status_code == 404


class TestHome:
    def test_home_lists_what_needs_attention(self, client, manager, hotline, sales):
        queued(hotline)
        late = ActionFactory(department=sales, title="Call back the hotline detractors")
        Action.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=3))
        target = target_create(kpi="nps", value=30, scope_type="touchpoint", scope_key=str(hotline.touchpoint_id))
        KpiTarget.objects.filter(pk=target.pk).update(
            status="missed", status_value=-12.5, status_period=timezone.localdate().replace(day=1)
        )
        client.force_login(manager)

        html = client.get("/").content.decode()

        overdue = re.search(r'id="attention-overdue".*?</div></div></div>', html, re.S).group(0)
        assert "Call back the hotline detractors" in overdue
        follow_ups = re.search(r'id="attention-follow-ups".*?</div></div></div>', html, re.S).group(0)
        assert "1 detractor waits for a department." in follow_ups
        assert "1 touchpoint has follow-ups on but no receiving department." in follow_ups and QUEUE in follow_ups
        targets = re.search(r'id="attention-targets".*?</div></div></div>', html, re.S).group(0)
        assert "Support › Hotline" in targets and "-12.5" in targets
        assert 'id="attention-reviews"' in html
        assert "NPS, last 365 days" in html

    def test_members_see_their_departments_overdue_actions_only(self, client, sales_member, sales, service, hotline):
        queued(hotline)
        ours = ActionFactory(department=sales, title="Ours is late")
        theirs = ActionFactory(department=service, title="Theirs is late")
        Action.objects.filter(pk__in=[ours.pk, theirs.pk]).update(due_date=timezone.localdate() - timedelta(days=1))
        client.force_login(sales_member)

        page = client.get("/")

        html = page.content.decode()
        assert page.status_code == 200
        assert "Ours is late" in html and "Theirs is late" not in html
        assert 'id="attention-follow-ups"' not in html and 'id="attention-targets"' not in html

    def test_home_queries_do_not_grow_with_the_data(
        self, client, manager, hotline, sales, django_assert_max_num_queries
    ):
        def add(count):
            for i in range(count):
                action = ActionFactory(department=sales, title=f"Late {i}")
                Action.objects.filter(pk=action.pk).update(due_date=timezone.localdate() - timedelta(days=i + 1))
                queued(hotline)
                scope_key = str(TouchpointFactory().pk)
                target = target_create(kpi="nps", value=30, scope_type="touchpoint", scope_key=scope_key)
                KpiTarget.objects.filter(pk=target.pk).update(status="missed", status_value=1.0)

        client.force_login(manager)
        add(5)
        with django_assert_max_num_queries(40) as few:
            client.get("/")
        add(10)
        with django_assert_max_num_queries(len(few.captured_queries)):
            html = client.get("/").content.decode()
        assert "15 detractors wait for a department." in html
