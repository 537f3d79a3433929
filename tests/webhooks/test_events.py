"""Every event type is emitted from its real flow, with the data integrators need and nothing secret."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans import services as action_services
from cxportal.webhooks.models import WebhookDelivery
from metrics.services import snapshots_recompute, targets
from surveys.services import distribution, response_submit
from tests.actionplans.factories import ActionFactory
from tests.journeys.factories import CustomerFactory, TouchpointFactory
from tests.metrics.test_dashboard import add_answers, nps_question_at
from tests.webhooks.conftest import PUBLIC_URL

pytestmark = pytest.mark.django_db


def events_of(subscription) -> list[tuple[str, dict]]:
    return [(d.event_type, d.payload["data"]) for d in subscription.deliveries.order_by("id")]


class TestResponses:
    def test_api_submit_of_a_detractor_emits_created_and_detractor(self, api_client, subscribe, survey):
        subscription = subscribe(PUBLIC_URL, events=["response.created", "response.detractor"])
        customer = CustomerFactory(external_id="C-42", email="anna@example.com")
        nps, reason = survey.questions.order_by("position")

        answer = api_client.post(
            "/api/v1/responses/",
            {
                "survey": survey.pk,
                "customer": customer.pk,
                "answers": [{"question": nps.pk, "value": 3}, {"question": reason.pk, "text": "Slow delivery"}],
            },
            format="json",
        )

        assert answer.status_code == 201, answer.content
        (created, created_data), (detractor, detractor_data) = events_of(subscription)
        assert (created, detractor) == ("response.created", "response.detractor")
        assert created_data == detractor_data
        assert created_data["response"] == answer.json()["id"]
        assert (created_data["survey"], created_data["customer_external_id"]) == (survey.pk, "C-42")
        assert (created_data["score"], created_data["comment"]) == (3, "Slow delivery")
        assert {"question": nps.pk, "kind": "nps", "value": 3} in created_data["answers"]
        assert "anna@example.com" not in str(created_data)

    def test_a_promoter_is_no_detractor_event(self, subscribe, survey):
        subscription = subscribe(PUBLIC_URL, events=["response.created", "response.detractor"])
        nps = survey.questions.get(kind="nps")

        response_submit(survey=survey, answers=[{"question": nps.pk, "value": 9}])

        assert [e for e, _ in events_of(subscription)] == ["response.created"]

    def test_respondent_page_submit_emits_too_and_a_refused_submit_emits_nothing(self, client, subscribe, survey):
        subscription = subscribe(PUBLIC_URL, events=["response.detractor"])
        nps = survey.questions.get(kind="nps")
        url = reverse("respondent:survey", args=[survey.public_token])

        assert client.post(url, {f"q{nps.pk}": "42"}).status_code == 400  # out of range: nothing is stored
        assert events_of(subscription) == []
        assert client.post(url, {f"q{nps.pk}": "2"}).status_code == 302
        assert [e for e, _ in events_of(subscription)] == ["response.detractor"]


class TestCampaigns:
    def test_campaign_completed_is_emitted_once_when_the_initial_sending_is_done(self, subscribe, survey):
        subscription = subscribe(PUBLIC_URL, events=["campaign.completed"])
        CustomerFactory.create_batch(3)
        CustomerFactory(unsubscribed_at=timezone.now())

        campaign = distribution.campaign_schedule(survey=survey, name="Pulse", reminder_after_days=1, max_reminders=1)
        distribution.campaigns_dispatch_due()  # invitations are created and sent (eager Celery)
        distribution.campaigns_dispatch_due()  # nothing is left: the campaign is complete
        distribution.campaigns_dispatch_due(now=timezone.now() + timedelta(days=2))  # reminders reopen it
        distribution.campaigns_dispatch_due(now=timezone.now() + timedelta(days=2))  # and close it again

        ((event, data),) = events_of(subscription)
        assert event == "campaign.completed"
        assert (data["campaign"], data["name"], data["survey"]) == (campaign.pk, "Pulse", survey.pk)
        assert data["invitations"]["sent"] == 3 and data["invitations"]["suppressed"] == 1


class TestTargets:
    def test_a_target_crossing_is_emitted_once(self, subscribe):
        subscription = subscribe(PUBLIC_URL, events=["kpi.target_crossed"])
        touchpoint = TouchpointFactory(name="After-sales service")
        question = nps_question_at(touchpoint)
        target = targets.target_create(kpi="nps", value=30, scope_type="touchpoint", scope_key=str(touchpoint.pk))
        may = date(2026, 5, 20)

        add_answers(question, [10] * 10, date(2026, 5, 2))
        snapshots_recompute()
        targets.targets_evaluate(today=may)  # the baseline: no crossing
        assert events_of(subscription) == []
        add_answers(question, [0] * 10, date(2026, 5, 3))
        snapshots_recompute()
        targets.targets_evaluate(today=may)
        targets.targets_evaluate(today=may)

        ((event, data),) = events_of(subscription)
        assert event == "kpi.target_crossed"
        assert (data["target"], data["kpi"], data["direction"], data["value"], data["n"]) == (
            target.pk,
            "nps",
            "missed",
            0.0,
            20,
        )
        assert data["period_start"] == "2026-05-01" and "After-sales service" in data["scope_label"]


class TestActions:
    def test_action_created_and_done_are_emitted_from_the_services(self, subscribe, manager, sales):
        subscription = subscribe(PUBLIC_URL, events=["action.created", "action.done"])
        action = action_services.action_create(
            title="Call back detractors", department=sales, due_date=date(2026, 12, 1), by=manager
        )
        action_services.action_update(action=action, data={"progress": 50}, by=manager)
        action_services.action_update(action=action, data={"status": "done"}, by=manager)
        action_services.action_update(action=action, data={"title": "Called back"}, by=manager)

        (created, created_data), (done, done_data) = events_of(subscription)
        assert (created, done) == ("action.created", "action.done")
        assert created_data["title"] == "Call back detractors" and created_data["status"] == "open"
        assert (created_data["department"], created_data["department_name"]) == (sales.pk, "Sales")
        assert created_data["due_date"] == "2026-12-01"
        assert created_data["url"].endswith(f"/actions/{action.pk}/")
        assert (done_data["status"], done_data["progress"]) == ("done", 100)

    def test_action_overdue_is_emitted_once_per_due_date(self, subscribe, sales):
        subscription = subscribe(PUBLIC_URL, events=["action.overdue"])
        today = date(2026, 6, 10)
        late = ActionFactory(title="Fix the FAQ", department=sales, due_date=date(2026, 6, 1))
        ActionFactory(department=sales, due_date=date(2026, 6, 30))  # not due yet
        ActionFactory(department=sales, due_date=date(2026, 6, 1), status="done")  # closed

        action_services.reminders_send_daily_digest(today=today)
        action_services.reminders_send_daily_digest(today=today + timedelta(days=1))
        assert [(e, d["action"], d["days_overdue"]) for e, d in events_of(subscription)] == [
            ("action.overdue", late.pk, 9)
        ]

        late.due_date = date(2026, 6, 12)  # a new deadline, missed again
        late.save(update_fields=["due_date"])
        action_services.reminders_send_daily_digest(today=date(2026, 6, 15))
        assert [d["due_date"] for _, d in events_of(subscription)] == ["2026-06-01", "2026-06-12"]

    def test_nothing_is_emitted_without_subscribers(self, manager, sales):
        action_services.action_create(title="Quiet", department=sales, due_date=date(2026, 12, 1), by=manager)
        assert not WebhookDelivery.objects.exists()
