"""The parts apps share (issue 19): the acting person, the history encoder, the staged CSV import."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actionplans import services as action_services
from actionplans.models import ActionEvent
from cxportal.errors import ApplicationError
from journeys import services as journey_services
from journeys.models import MapChange
from metrics.services import imports as metrics_imports
from tests.actionplans.factories import ActionFactory, DepartmentFactory
from tests.journeys.factories import JourneyMapFactory

pytestmark = pytest.mark.django_db


def test_an_api_key_is_recorded_as_no_person_in_map_and_action_history(api_client, client, manager):
    journey_map = JourneyMapFactory()
    action = ActionFactory(department=DepartmentFactory())

    assert api_client.patch(f"/api/v1/journey-maps/{journey_map.pk}/", {"name": "Renamed"}).status_code == 200
    assert api_client.patch(f"/api/v1/actions/{action.pk}/", {"title": "Call back"}).status_code == 200
    client.force_login(manager)
    assert (
        client.patch(
            f"/api/v1/journey-maps/{journey_map.pk}/", {"name": "Again"}, content_type="application/json"
        ).status_code
        == 200
    )

    assert [c.user for c in MapChange.objects.order_by("id")] == [None, manager]
    assert ActionEvent.objects.filter(verb=ActionEvent.Verb.UPDATED).get().user is None


def test_dates_are_recorded_in_iso_format_in_both_histories(manager):
    journey_map = JourneyMapFactory()
    action = ActionFactory(department=DepartmentFactory(), due_date=date(2026, 5, 1))

    journey_services.journey_map_mark_reviewed(journey_map=journey_map, by=manager)
    action_services.action_update(action=action, data={"due_date": date(2026, 6, 15)}, by=manager)

    reviewed = MapChange.objects.get(summary="Marked the map as reviewed").changes["reviewed_at"][1]
    assert reviewed.startswith(f"{journey_map.reviewed_at:%Y-%m-%d}T")
    assert ActionEvent.objects.get(verb=ActionEvent.Verb.UPDATED).changes["due_date"] == ["2026-05-01", "2026-06-15"]


def test_a_customers_import_token_does_not_open_an_events_import(manager, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    upload = SimpleUploadedFile("customers.csv", b"external_id\nC-1\n", content_type="text/csv")
    token = journey_services.customer_import_stage(upload=upload, by=manager)

    with pytest.raises(ApplicationError, match="does not exist or has expired"):
        metrics_imports.metrics_import_preview(token=token, by=manager)
    assert journey_services.customer_import_preview(token=token, by=manager).counts["new"] == 1
