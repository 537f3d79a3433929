"""Several managers (or one double click) schedule the pulse survey of one action at once, on PostgreSQL:
one campaign is scheduled, every other request is told it exists already."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from actionplans.models import Action
from surveys.models import Campaign, Question
from tests.actionplans.factories import ActionFactory
from tests.journeys.factories import TouchpointFactory
from tests.surveys.factories import QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db(transaction=True)

SUBMITTERS = 8


def test_concurrent_pulse_survey_submits_schedule_one_campaign(manager, service):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises the requests, so there is no race to test")
    survey = SurveyFactory(touchpoint=TouchpointFactory(name="Delivery"))
    QuestionFactory(survey=survey, kind=Question.Kind.NPS, position=1)
    action = ActionFactory(department=service, touchpoint=survey.touchpoint, status="done")
    url = reverse("actionplans:action_pulse_survey", args=[action.pk])
    barrier = threading.Barrier(SUBMITTERS)
    pages: list[str] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            client = Client()
            client.force_login(manager)
            barrier.wait(timeout=30)
            pages.append(client.post(url, {"in_days": 30}, follow=True).content.decode())
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(SUBMITTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    campaign = Campaign.objects.get(survey=survey)
    assert Action.objects.get(pk=action.pk).pulse_campaign == campaign
    assert sum("Pulse survey scheduled" in page for page in pages) == 1
    assert sum("already scheduled" in page for page in pages) == SUBMITTERS - 1
