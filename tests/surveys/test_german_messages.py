"""Surveys in German: the API's validation errors follow ``Accept-Language`` (identifiers stay English), and a
CSV export under German has German headers and machine-readable values (ISO dates, plain numbers)."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from surveys.models import Campaign
from surveys.services import response_submit
from tests.surveys.factories import nps_survey

pytestmark = pytest.mark.django_db


def test_scheduling_a_campaign_with_reminders_but_no_delay_is_refused_in_german(api_client):
    survey = nps_survey()

    response = api_client.post(
        "/api/v1/campaigns/",
        {"survey": survey.pk, "name": "Frühjahr", "max_reminders": 2},
        format="json",
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert response.status_code == 400
    assert response.json() == {"reminder_after_days": ["Geben Sie an, nach wie vielen Tagen erinnert werden soll."]}
    assert not Campaign.objects.exists()


def test_the_csv_export_has_german_headers_and_iso_values_under_german(client, manager):
    survey = nps_survey(title="Onboarding NPS")
    score = survey.questions.get(kind="nps")
    response_submit(
        survey=survey,
        answers=[{"question": score.pk, "value": 9}],
        submitted_at=datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Europe/Berlin")),
    )
    client.force_login(manager)

    download = client.get(reverse("surveys:response_export", args=["csv"]), HTTP_ACCEPT_LANGUAGE="de")

    header, row = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))[:2]
    assert header[:6] == ["Antwort-ID", "Umfrage", "Touchpoint", "Abgegeben am", "Quelle", "Externe Kunden-ID"]
    assert row[3] == "2026-03-02T09:30:00+01:00"  # ISO 8601, not 02.03.2026
    assert row[6] == "9"
