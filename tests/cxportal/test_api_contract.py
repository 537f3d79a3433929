"""The API keeps its OpenAPI contract: schemathesis calls every operation of the live schema.

Each operation gets a bounded number of generated requests (positive and negative data) with a ``*``
API key; every answer must be no 5xx and must match the schema (documented status code, content type
and body). Path ids and foreign keys in bodies are drawn partly from a small seeded data set, so
requests reach real objects, not only 404s. Every call runs in a savepoint that is rolled back, so each
example starts from the same seed and a DELETE does not starve later operations.
"""

import datetime
import os
import re
import traceback

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from actionplans import services as action_services
from actionplans.models import Action, ActionPlan, Comment, Milestone, TouchpointOwnership
from cxportal.apikeys import api_key_create
from journeys.models import Customer, JourneyMap, Lane, LaneCell, Opportunity, PainPoint, Persona, Stage, Touchpoint
from metrics.models import KpiTarget, TouchpointEvent, Transaction
from reports.models import ReportDefinition
from surveys.models import Campaign, Invitation, Question, Response, Survey
from surveys.services import distribution, response_submit, survey_create_nps
from tests.actionplans.factories import DepartmentFactory
from tests.journeys.factories import CustomerFactory
from tests.journeys.rich_map import rich_map

# Generated requests per operation, for valid (positive) and invalid (negative) data: bounded so that the
# whole schema (about 140 operations) takes a minute or two; raise CX_CONTRACT_EXAMPLES for a deeper run.
MAX_EXAMPLES = {
    GenerationMode.POSITIVE: int(os.environ.get("CX_CONTRACT_EXAMPLES", "8")),
    GenerationMode.NEGATIVE: max(1, int(os.environ.get("CX_CONTRACT_EXAMPLES", "8")) // 2),
}

# The model behind the first path segment under /api/v1/ (path ids) and behind a body's foreign-key field.
RESOURCE_MODELS = {
    "personas": Persona,
    "customers": Customer,
    "journey-maps": JourneyMap,
    "stages": Stage,
    "touchpoints": Touchpoint,
    "lanes": Lane,
    "lane-cells": LaneCell,
    "pain-points": PainPoint,
    "opportunities": Opportunity,
    "surveys": Survey,
    "questions": Question,
    "responses": Response,
    "campaigns": Campaign,
    "invitations": Invitation,
    "events": TouchpointEvent,
    "transactions": Transaction,
    "kpi-targets": KpiTarget,
    "departments": "departments",
    "action-plans": ActionPlan,
    "actions": Action,
    "milestones": Milestone,
    "touchpoint-owners": TouchpointOwnership,
    "reports": ReportDefinition,
}
FOREIGN_KEYS = {
    "persona": Persona,
    "personas": Persona,
    "customer": Customer,
    "journey_map": JourneyMap,
    "stage": Stage,
    "touchpoint": Touchpoint,
    "lane": Lane,
    "pain_point": PainPoint,
    "opportunity": Opportunity,
    "survey": Survey,
    "question": Question,
    "show_if_question": Question,
    "campaign": Campaign,
    "department": "departments",
    "plan": ActionPlan,
    "action": Action,
}


def _seed():
    """One of everything the API serves, connected the way real data is."""
    journey_map = rich_map()
    touchpoint = Touchpoint.objects.filter(stage__journey_map=journey_map).first()
    persona = journey_map.personas.first()
    customer = CustomerFactory(persona=persona, attributes={"segment": "manufacturing"})
    CustomerFactory()
    survey = survey_create_nps(title="Contract NPS", touchpoint=touchpoint, language="en")
    nps = survey.questions.get(kind=Question.Kind.NPS)
    response_submit(
        survey=survey,
        customer=customer,
        answers=[{"question": nps.pk, "value": 3}],
        submitted_at=timezone.now() - datetime.timedelta(days=2),
        external_id="R-1",
        source=Response.Source.API,
    )
    distribution.campaign_schedule(survey=survey, name="Spring", send_at=timezone.now() + datetime.timedelta(days=3))
    distribution.invitation_send_now(survey=survey, customer=customer)
    now = timezone.now() - datetime.timedelta(hours=1)
    TouchpointEvent.objects.create(
        external_id="E-1", touchpoint=touchpoint, kind="visit", customer=customer, occurred_at=now
    )
    Transaction.objects.create(external_id="T-1", customer=customer, amount="120.00", occurred_at=now)
    KpiTarget.objects.create(kpi="nps", comparison="gte", value=30)
    department = DepartmentFactory(name="Sales")
    plan = ActionPlan.objects.create(name="Faster quotes", journey_map=journey_map)
    action = action_services.action_create(
        title="Quote in two days",
        department=department,
        plan=plan,
        touchpoint=touchpoint,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
        by=None,
    )
    Milestone.objects.create(action=action, title="Template ready", due_date=action.due_date)
    Comment.objects.create(action=action, body="Started")
    TouchpointOwnership.objects.create(touchpoint=touchpoint, department=department)
    report = ReportDefinition.objects.create(
        name="Board report", sections=["kpi_summary", "actions"], persona=persona, department=department
    )
    report.recipients.create(email="board@example.com", language="de")


def _ids(model) -> list[int]:
    if model == "departments":
        from actionplans.models import Department

        model = Department
    return list(model.objects.order_by("pk").values_list("pk", flat=True)[:5])


@pytest.fixture
def keep_db_connection():
    """Django closes the connection around each WSGI request, which would end the test's transaction
    (PostgreSQL); its own test client unhooks the same signal handlers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, keep_db_connection):
    _seed()
    from cxportal.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    path_ids = {segment: _ids(model) for segment, model in RESOURCE_MODELS.items()}
    fk_ids = {field: _ids(model) for field, model in FOREIGN_KEYS.items()}

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        match = re.match(r"/api/v1/([^/]+)/", context.operation.path)
        ids = path_ids.get(match.group(1), []) if match else []
        if not path_parameters or "id" not in path_parameters or not ids:
            return st.just(path_parameters)
        return st.sampled_from([None, *ids]).map(
            lambda pk: path_parameters if pk is None else {**path_parameters, "id": pk}
        )

    @schema.hook
    def flatmap_body(context, body):
        fields = [f for f in FOREIGN_KEYS if isinstance(body, dict) and isinstance(body.get(f), int)]
        if not fields:
            return st.just(body)
        return st.tuples(*(st.sampled_from([None, *fk_ids[f]]) for f in fields)).map(
            lambda picks: {**body, **{f: pk for f, pk in zip(fields, picks, strict=True) if pk is not None}}
        )

    return schema


@pytest.fixture
def api_key(db):
    return api_key_create(name="contract", scopes=["*"])[1]


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _run_operation(operation, mode, headers) -> str | None:
    """Up to MAX_EXAMPLES generated calls of one operation; the first contract violation, or None."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failure is reported as found
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        with transaction.atomic():
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            finally:
                transaction.set_rollback(True)

    try:
        call()
    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - all failures are reported together
        return f"{operation.label} ({mode.value}): " + "".join(traceback.format_exception_only(exc))
    return None


def test_every_operation_keeps_the_contract(api_schema, api_key):
    headers = {"Authorization": f"Api-Key {api_key}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 50
    failures = [
        failure
        for operation in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        if (failure := _run_operation(operation, mode, headers))
    ]
    assert not failures, "\n\n".join(failures)


def test_an_api_path_that_matches_no_route_answers_json(client, db):
    response = client.get("/api/v1/journey-maps/not-a-number/export/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_page_that_does_not_exist_stays_html(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_out_of_range_id_filter_is_400_not_500(api_client):
    response = api_client.get("/api/v1/journey-maps/", {"personas": 2**70})

    assert response.status_code == 400
    assert "detail" in response.json() or "personas" in response.json()


def test_model_date_times_before_1900_are_refused(api_client):
    from tests.journeys.factories import CustomerFactory

    customer = CustomerFactory()

    response = api_client.patch(f"/api/v1/customers/{customer.pk}/", {"acquired_at": "0086-10-07T04:52:55Z"})

    assert response.status_code == 400
    assert "acquired_at" in response.json()


class TestFoundByTheContractRun:
    """Answers schemathesis once found broken (500s and bodies that did not match the schema)."""

    def test_a_map_can_be_created_with_its_status(self, api_client):
        response = api_client.post("/api/v1/journey-maps/", {"name": "Onboarding", "status": "final"})

        assert response.status_code == 201
        assert response.json()["status"] == "final"

    def test_a_survey_can_be_created_with_one_response_per_browser(self, api_client):
        body = {
            "title": "Kiosk",
            "one_response_per_browser": True,
            "questions": [{"kind": "nps", "text": "Recommend us?"}],
        }

        response = api_client.post("/api/v1/surveys/", body)

        assert response.status_code == 201
        assert response.json()["one_response_per_browser"] is True

    def test_a_touchpoint_without_channel_is_a_field_error(self, api_client):
        from tests.journeys.factories import StageFactory

        response = api_client.post("/api/v1/touchpoints/", {"name": "Call", "stage": StageFactory().pk})

        assert response.status_code == 400
        assert "channel" in response.json()

    def test_a_new_action_plan_answers_its_counts(self, api_client):
        response = api_client.post("/api/v1/action-plans/", {"name": "Faster quotes"})

        assert response.status_code == 201
        assert (response.json()["action_count"], response.json()["open_count"]) == (0, 0)
