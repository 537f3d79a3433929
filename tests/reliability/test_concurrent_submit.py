"""Twenty people (or one impatient person) submit the same invitation link at once, on PostgreSQL: one response
is stored, the other nineteen get the "already used" page."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from surveys.models import Answer, Invitation, Response
from surveys.services import distribution, survey_create_nps
from tests.journeys.factories import CustomerFactory, TouchpointFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SUBMITTERS = 20


def test_twenty_concurrent_submits_of_one_invitation_store_exactly_one_response(postgresql_url):
    survey = survey_create_nps(title="Concurrency", touchpoint=TouchpointFactory())
    CustomerFactory()
    distribution.campaign_schedule(survey=survey, name="Race")
    distribution.campaigns_dispatch_due()
    invitation = Invitation.objects.get()
    url = reverse("respondent:invitation", args=[invitation.token])
    nps = survey.questions.get(kind="nps")

    barrier = threading.Barrier(SUBMITTERS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def submit(score: int) -> None:
        try:
            client = Client()
            barrier.wait(timeout=30)
            statuses.append(client.post(url, {f"q{nps.pk}": str(score)}).status_code)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    # Scores 7-10: no detractor, so no follow-up task is sent to the broker.
    threads = [threading.Thread(target=submit, args=(7 + i % 4,)) for i in range(SUBMITTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(statuses) == [302] + [404] * (SUBMITTERS - 1)  # one thanks redirect, the rest "already used"
    assert Response.objects.filter(invitation=invitation).count() == 1
    assert Answer.objects.filter(response__invitation=invitation, question=nps).count() == 1
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.RESPONDED
