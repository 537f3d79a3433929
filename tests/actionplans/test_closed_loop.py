"""Closed loop: a detractor answer (or a missed KPI target) opens exactly one follow-up action."""

from datetime import date, datetime, timedelta
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actionplans import tasks
from actionplans.models import Action, ActionEvent, FollowUpRule, TouchpointOwnership, UnroutedFollowUp
from actionplans.selectors.closed_loop import response_comment
from actionplans.services import closed_loop
from metrics import tasks as metrics_tasks
from metrics.models import TargetCrossing
from metrics.services import targets
from surveys.models import Campaign, Question, Response
from surveys.services import response_submit
from tests.actionplans.factories import ActionFactory
from tests.journeys.factories import CustomerFactory, TouchpointFactory
from tests.surveys.factories import QuestionFactory, SurveyFactory

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def follow_up_survey(db):
    survey = SurveyFactory(touchpoint=TouchpointFactory(name="Delivery", is_moment_of_truth=False))
    QuestionFactory(survey=survey, kind=Question.Kind.NPS, position=1)
    QuestionFactory(survey=survey, kind=Question.Kind.LONG_TEXT, text="Why?", position=2, required=False)
    return survey


def answer(survey, score, comment=""):
    nps, why = survey.questions.order_by("position")
    answers = [{"question": nps.pk, "value": score}]
    if comment:
        answers.append({"question": why.pk, "text": comment})
    return response_submit(survey=survey, answers=answers, customer=CustomerFactory(name="Erika"))


@pytest.fixture
def rule(follow_up_survey, service):
    return FollowUpRule.objects.create(touchpoint=follow_up_survey.touchpoint, department=service, due_in_days=5)


class TestDetractorFollowUp:
    def test_follow_up_is_written_in_the_site_language(self, rule, follow_up_survey, settings):
        """A German company (LANGUAGE_CODE=de) gets German follow-up actions, whoever's task opens them."""
        settings.LANGUAGE_CODE = "de"
        response = answer(follow_up_survey, 3, "Paket kam beschädigt an")

        action = closed_loop.follow_up_for_response(response.pk)

        assert action.title == "Kritiker nachfassen (NPS 3) bei Delivery"
        assert "mit NPS 3 beantwortet" in action.description

    def test_detractor_opens_one_action_linked_to_the_response(self, rule, follow_up_survey, service):
        response = answer(follow_up_survey, 3, "Parcel arrived broken")

        action = closed_loop.follow_up_for_response(response.pk)

        assert action.title == "Follow up detractor (NPS 3) at Delivery"
        assert action.department == service
        assert action.touchpoint == follow_up_survey.touchpoint and action.source_response == response
        assert (action.kpi, action.scope_type, action.scope_key) == (
            "nps",
            "touchpoint",
            str(follow_up_survey.touchpoint.pk),
        )
        assert "NPS 3" in action.description
        assert "Parcel arrived broken" not in action.description  # shown live from the response, not copied
        assert response_comment(action.source_response) == "Parcel arrived broken"
        verbs = set(ActionEvent.objects.filter(action=action).values_list("verb", flat=True))
        assert verbs == {ActionEvent.Verb.CREATED, ActionEvent.Verb.UPDATED}

    def test_running_twice_still_gives_one_action(self, rule, follow_up_survey):
        response = answer(follow_up_survey, 0)
        first = closed_loop.follow_up_for_response(response.pk)
        second = tasks.detractor_follow_up.delay(response.pk).get()
        assert second == first.pk
        assert Action.objects.filter(source_response=response).count() == 1

    def test_the_database_refuses_a_second_action_for_one_response(self, rule, follow_up_survey):
        from django.db import IntegrityError, transaction

        response = answer(follow_up_survey, 0)
        closed_loop.follow_up_for_response(response.pk)
        with pytest.raises(IntegrityError), transaction.atomic():
            ActionFactory(source_response=response)

    @pytest.mark.parametrize("score", [7, 8, 9, 10])
    def test_passives_and_promoters_open_nothing(self, rule, follow_up_survey, score):
        assert closed_loop.follow_up_for_response(answer(follow_up_survey, score).pk) is None
        assert not Action.objects.exists()

    def test_stricter_threshold(self, rule, follow_up_survey):
        rule.threshold = 4
        rule.save()
        assert closed_loop.follow_up_for_response(answer(follow_up_survey, 5).pk) is None
        assert closed_loop.follow_up_for_response(answer(follow_up_survey, 4).pk) is not None

    def test_an_imported_old_detractor_opens_nothing_but_a_recent_one_does(self, rule, follow_up_survey, settings):
        settings.CX_FOLLOW_UP_MAX_AGE_DAYS = 7
        nps = follow_up_survey.questions.get(kind=Question.Kind.NPS)

        def imported(days_ago):
            return response_submit(
                survey=follow_up_survey,
                answers=[{"question": nps.pk, "value": 1}],
                submitted_at=timezone.now() - timedelta(days=days_ago),
                source=Response.Source.IMPORT,
            )

        assert closed_loop.follow_up_for_response(imported(30).pk) is None
        assert closed_loop.follow_up_for_response(imported(6).pk) is not None
        assert Action.objects.count() == 1

    def test_rule_off_opens_nothing(self, rule, follow_up_survey):
        rule.enabled = False
        rule.save()
        assert closed_loop.follow_up_for_response(answer(follow_up_survey, 2).pk) is None
        assert not Action.objects.exists()

    def test_touchpoint_without_rule_that_is_no_moment_of_truth_opens_nothing(self, follow_up_survey, service):
        TouchpointOwnership.objects.create(touchpoint=follow_up_survey.touchpoint, department=service)
        assert closed_loop.follow_up_for_response(answer(follow_up_survey, 2).pk) is None

    def test_moment_of_truth_is_on_by_default_for_the_owning_department(self, follow_up_survey, service):
        follow_up_survey.touchpoint.is_moment_of_truth = True
        follow_up_survey.touchpoint.save()
        TouchpointOwnership.objects.create(touchpoint=follow_up_survey.touchpoint, department=service)

        action = closed_loop.follow_up_for_response(answer(follow_up_survey, 6).pk)

        assert action.department == service
        assert action.due_date == date.today() + timedelta(days=FollowUpRule.DEFAULT_DUE_IN_DAYS)  # noqa: DTZ011

    def test_moment_of_truth_without_a_department_waits_in_the_queue_and_is_logged(self, follow_up_survey, caplog):
        # Before: skipped with only a log line. Now the detractor waits for a CX manager (follow_up_queue).
        follow_up_survey.touchpoint.is_moment_of_truth = True
        follow_up_survey.touchpoint.save()
        response = answer(follow_up_survey, 1)
        assert closed_loop.follow_up_for_response(response.pk) is None
        assert "has no rule department and no owner" in caplog.text
        assert UnroutedFollowUp.objects.get().response == response

    def test_due_date_is_counted_in_berlin(self, rule, follow_up_survey):
        # 23:30 UTC on 31 Dec is already 1 Jan in Berlin: due 5 days after 1 Jan.
        with mock.patch(
            "django.utils.timezone.now", return_value=datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
        ):
            response = answer(follow_up_survey, 2)
            action = closed_loop.follow_up_for_response(response.pk)
        assert action.due_date == date(2027, 1, 6)

    def test_erasing_the_response_removes_the_comment_from_the_action_page(
        self, client, manager, rule, follow_up_survey
    ):
        from surveys.services.privacy import customer_erase
        from tests.journeys.factories import CustomerFactory

        customer = CustomerFactory()
        response = answer(follow_up_survey, 2, "Call me at 0170 1234567")
        Response.objects.filter(pk=response.pk).update(customer=customer)
        action = closed_loop.follow_up_for_response(response.pk)
        client.force_login(manager)
        url = reverse("actionplans:action_detail", args=[action.pk])
        assert "0170 1234567" in client.get(url).content.decode()

        customer_erase(customer=customer, mode="anonymise", by=manager)

        assert "0170 1234567" not in client.get(url).content.decode()

    def test_description_is_escaped_on_the_action_page(self, client, manager, rule, follow_up_survey):
        action = closed_loop.follow_up_for_response(answer(follow_up_survey, 2, "<script>alert(1)</script>").pk)
        client.force_login(manager)
        html = client.get(reverse("actionplans:action_detail", args=[action.pk])).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


class TestScheduling:
    def test_response_submit_sends_the_task_by_name_after_commit(
        self, follow_up_survey, django_capture_on_commit_callbacks
    ):
        with mock.patch("surveys.services.responses.task_queue") as send_task:
            with django_capture_on_commit_callbacks(execute=True):
                response = answer(follow_up_survey, 4)
                assert not send_task.called  # not before the commit
        send_task.assert_called_once_with("actionplans.detractor_follow_up", args=[response.pk])

    def test_no_task_for_a_promoter(self, follow_up_survey, django_capture_on_commit_callbacks):
        with mock.patch("surveys.services.responses.task_queue") as send_task:
            with django_capture_on_commit_callbacks(execute=True):
                answer(follow_up_survey, 9)
        assert not send_task.called

    def test_broker_outage_does_not_fail_the_submit(self, follow_up_survey, django_capture_on_commit_callbacks, caplog):
        with mock.patch("surveys.services.responses.task_queue", side_effect=ConnectionError("down")):
            with django_capture_on_commit_callbacks(execute=True):
                response = answer(follow_up_survey, 4)
        assert response.pk and "Could not queue the detractor follow-up" in caplog.text


@pytest.fixture
def missed_target(follow_up_survey, service, django_capture_on_commit_callbacks):
    """An NPS target at the survey's touchpoint that asks for an action, crossed into "missed"."""
    from metrics.services import snapshots_recompute

    target = targets.target_create(
        kpi="nps", value=30, scope_type="touchpoint", scope_key=str(follow_up_survey.touchpoint.pk), open_action=True
    )
    nps = follow_up_survey.questions.get(kind=Question.Kind.NPS)
    noon = timezone.now() - timedelta(seconds=5)
    for value in [10] * 10:
        response_submit(survey=follow_up_survey, answers=[{"question": nps.pk, "value": value}], submitted_at=noon)
    snapshots_recompute()
    targets.targets_evaluate()
    for value in [0] * 10:
        response_submit(survey=follow_up_survey, answers=[{"question": nps.pk, "value": value}], submitted_at=noon)
    return target


class TestTargetAlerts:
    def test_recompute_sends_missed_crossings_that_ask_for_an_action(self, missed_target):
        with mock.patch("metrics.services.targets.task_queue") as send_task:
            metrics_tasks.recompute_all.delay().get()
        crossing = TargetCrossing.objects.get(target=missed_target, direction="missed")
        send_task.assert_called_once_with("actionplans.target_crossing_follow_up", args=[[crossing.pk]])

    def test_recompute_command_sends_them_too(self, missed_target):
        """The management command runs the same post-recompute steps as the beat task."""
        with mock.patch("metrics.services.targets.task_queue") as send_task:
            call_command("recompute_metrics", stdout=StringIO())
        crossing = TargetCrossing.objects.get(target=missed_target, direction="missed")
        send_task.assert_called_once_with("actionplans.target_crossing_follow_up", args=[[crossing.pk]])

    def test_crossing_opens_one_action_for_the_touchpoint_department(self, missed_target, rule, service):
        with mock.patch("metrics.services.targets.task_queue"):
            metrics_tasks.recompute_all.delay().get()
        crossing = TargetCrossing.objects.get(target=missed_target, direction="missed")

        assert tasks.target_crossing_follow_up.delay([crossing.pk, crossing.pk]).get()
        action = Action.objects.get(source_crossing=crossing)
        assert action.department == service and action.kpi == "nps" and float(action.target_value) == 30
        assert action.title.startswith("NPS target missed at touchpoint")
        assert closed_loop.follow_up_for_crossing(crossing.pk) == action

    def test_target_without_open_action_or_department_opens_nothing(self, missed_target, caplog):
        with mock.patch("metrics.services.targets.task_queue"):
            metrics_tasks.recompute_all.delay().get()
        crossing = TargetCrossing.objects.get(target=missed_target, direction="missed")
        assert closed_loop.follow_up_for_crossing(crossing.pk) is None  # no rule, no owner
        assert "skipped: no department" in caplog.text
        missed_target.open_action = False
        missed_target.save()
        assert closed_loop.follow_up_for_crossing(crossing.pk) is None
        assert not Action.objects.exists()


class TestRulesPage:
    def test_manager_sees_rules_and_mot_default(self, client, manager, follow_up_survey, service):
        mot = TouchpointFactory(name="Checkout", is_moment_of_truth=True)
        TouchpointOwnership.objects.create(touchpoint=mot, department=service)
        client.force_login(manager)
        html = client.get(reverse("actionplans:follow_up_rules")).content.decode()
        assert "Checkout" in html and "on (default)" in html and "Customer Service" in html

    def test_manager_sets_a_rule(self, client, manager, follow_up_survey, service):
        client.force_login(manager)
        url = reverse("actionplans:follow_up_rule_edit", args=[follow_up_survey.touchpoint.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"enabled": "on", "department": service.pk, "due_in_days": 3, "threshold": 6})
        assert response.status_code == 302
        rule = FollowUpRule.objects.get(touchpoint=follow_up_survey.touchpoint)
        assert (rule.enabled, rule.department, rule.due_in_days) == (True, service, 3)

    def test_enabled_rule_needs_a_department(self, client, manager, follow_up_survey):
        client.force_login(manager)
        url = reverse("actionplans:follow_up_rule_edit", args=[follow_up_survey.touchpoint.pk])
        response = client.post(url, {"enabled": "on", "due_in_days": 3, "threshold": 6})
        assert response.status_code == 200 and "No department owns this touchpoint" in response.content.decode()
        assert not FollowUpRule.objects.exists()

    def test_service_refuses_members(self, follow_up_survey, sales_member, sales):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            closed_loop.follow_up_rule_set(
                touchpoint=follow_up_survey.touchpoint, enabled=True, department=sales, by=sales_member
            )
        with pytest.raises(ValidationError):
            closed_loop.follow_up_rule_set(
                touchpoint=follow_up_survey.touchpoint, enabled=True, department=sales, threshold=8, by=None
            )

    def test_members_get_403(self, client, sales_member, follow_up_survey):
        client.force_login(sales_member)
        assert client.get(reverse("actionplans:follow_up_rules")).status_code == 403
        url = reverse("actionplans:follow_up_rule_edit", args=[follow_up_survey.touchpoint.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"enabled": "on", "due_in_days": 3, "threshold": 6}).status_code == 403
        assert not FollowUpRule.objects.exists()


class TestPulseSurvey:
    def test_button_schedules_a_campaign_and_records_it(self, client, manager, follow_up_survey, service):
        action = ActionFactory(
            department=service,
            touchpoint=follow_up_survey.touchpoint,
            status="done",
            kpi="nps",
            scope_type="touchpoint",
            scope_key=str(follow_up_survey.touchpoint.pk),
        )
        client.force_login(manager)
        page = client.get(reverse("actionplans:action_detail", args=[action.pk])).content.decode()
        assert "Schedule pulse survey" in page

        response = client.post(reverse("actionplans:action_pulse_survey", args=[action.pk]), {"in_days": 30})

        assert response.status_code == 302
        campaign = Campaign.objects.get(survey=follow_up_survey)
        assert campaign.status == "scheduled"
        assert (campaign.send_at.date() - date.today()).days in (29, 30, 31)  # noqa: DTZ011
        assert ActionEvent.objects.filter(action=action, changes__has_key="pulse survey").exists()

    def test_not_for_an_open_action_nor_for_members(self, client, manager, sales_member, follow_up_survey, sales):
        action = ActionFactory(department=sales, touchpoint=follow_up_survey.touchpoint)
        client.force_login(manager)
        assert (
            "Schedule pulse survey"
            not in client.get(reverse("actionplans:action_detail", args=[action.pk])).content.decode()
        )
        client.post(reverse("actionplans:action_pulse_survey", args=[action.pk]), {"in_days": 30})
        assert not Campaign.objects.exists()
        action.status = "done"
        action.save()
        client.force_login(sales_member)
        url = reverse("actionplans:action_pulse_survey", args=[action.pk])
        assert client.post(url, {"in_days": 30}).status_code == 403
        assert not Campaign.objects.exists()

    @pytest.fixture
    def done_action(self, follow_up_survey, service):
        return ActionFactory(
            department=service, touchpoint=follow_up_survey.touchpoint, status="done", title="Faster delivery"
        )

    def test_a_second_submit_schedules_nothing_and_links_to_the_first_campaign(self, client, manager, done_action):
        client.force_login(manager)
        url = reverse("actionplans:action_pulse_survey", args=[done_action.pk])

        first = client.post(url, {"in_days": 30}, follow=True)
        second = client.post(url, {"in_days": 14}, follow=True)

        campaign = Campaign.objects.get()
        assert (timezone.localdate(campaign.send_at) - timezone.localdate()).days == 30
        assert "Pulse survey scheduled" in first.content.decode()
        page = second.content.decode()
        assert "already scheduled" in page
        assert f'href="{reverse("surveys:campaign_detail", kwargs={"campaign_id": campaign.pk})}"' in page
        assert "Pulse survey scheduled" not in page
        done_action.refresh_from_db()
        assert done_action.pulse_campaign == campaign
        assert ActionEvent.objects.filter(action=done_action, changes__has_key="pulse survey").count() == 1

    def test_the_action_page_shows_the_scheduled_pulse_instead_of_the_button(self, client, manager, done_action):
        client.force_login(manager)
        detail = reverse("actionplans:action_detail", args=[done_action.pk])
        assert "Schedule pulse survey" in client.get(detail).content.decode()

        campaign = closed_loop.pulse_survey_schedule(action=done_action, by=manager)

        page = client.get(detail).content.decode()
        assert "Schedule pulse survey" not in page
        assert "Customers are re-asked on" in page
        assert f'href="{reverse("surveys:campaign_detail", kwargs={"campaign_id": campaign.pk})}"' in page
        Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CANCELLED)
        assert "Schedule pulse survey" in client.get(detail).content.decode()

    def test_the_service_refuses_a_second_pulse_naming_the_first(self, manager, done_action):
        first = closed_loop.pulse_survey_schedule(action=done_action, by=manager)

        with pytest.raises(closed_loop.PulseSurveyAlreadyScheduled) as refused:
            closed_loop.pulse_survey_schedule(action=done_action, by=manager, in_days=7)

        assert refused.value.campaign == first
        assert f"campaign #{first.pk}" in refused.value.message
        assert Campaign.objects.count() == 1

    def test_a_cancelled_pulse_survey_can_be_scheduled_again(self, manager, done_action):
        first = closed_loop.pulse_survey_schedule(action=done_action, by=manager)
        Campaign.objects.filter(pk=first.pk).update(status=Campaign.Status.CANCELLED)

        second = closed_loop.pulse_survey_schedule(action=done_action, by=manager)

        assert second != first
        done_action.refresh_from_db()
        assert done_action.pulse_campaign == second


def test_in_eager_mode_a_detractor_answer_runs_the_follow_up_instead_of_filling_a_queue(
    follow_up_survey, rule, django_capture_on_commit_callbacks
):
    with mock.patch("celery.app.base.Celery.send_task") as send_task:
        with django_capture_on_commit_callbacks(execute=True):
            response = answer(follow_up_survey, 2)

    assert not send_task.called
    assert Action.objects.filter(source_response=response).count() == 1
