"""An integrator generates a Python client from the live schema with openapi-python-client and works only
through it: every generated module imports, and a short scenario — a map with a touchpoint, a survey with its
questions (a nested body), customers, responses, events and transactions through the four bulk endpoints, a
persona with a segment rule, NPS for the touchpoint, the action list — runs through the client unchanged."""

import datetime
import importlib
import json
import pkgutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from cxportal.apikeys import api_key_create
from metrics.services.recompute import snapshots_recompute

pytestmark = pytest.mark.django_db(transaction=True)

PACKAGE = "cxportal_generated_client"


@pytest.fixture
def generated(live_server, tmp_path):
    """The client generated from the live ``/api/schema/``; yields the imported package."""
    import httpx

    schema = httpx.get(f"{live_server.url}/api/schema/?format=json", timeout=60)
    assert schema.status_code == 200
    (tmp_path / "schema.json").write_text(schema.text)
    (tmp_path / "config.yaml").write_text(f"package_name_override: {PACKAGE}\npost_hooks: []\n")
    generator = Path(sys.executable).with_name("openapi-python-client")
    run = subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(tmp_path / "schema.json"),
            "--output-path",
            str(tmp_path / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(tmp_path / "config.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    # Warnings mean parts of the schema the generator had to skip: an integrator would miss those operations.
    assert "Warning" not in run.stdout, run.stdout
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.startswith(PACKAGE)]:
            del sys.modules[name]


def _ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response.parsed is not None
    return response.parsed


def test_every_generated_module_imports(generated):
    names = [module.name for module in pkgutil.walk_packages(generated.__path__, f"{PACKAGE}.")]
    assert len(names) > 100  # one module per operation and per schema component
    for name in names:
        importlib.import_module(name)
    models = importlib.import_module(f"{PACKAGE}.models")
    # The survey response is the API's own component, not the generator's Response type.
    assert hasattr(models, "SurveyResponse")


def test_an_integrator_drives_the_api_through_the_generated_client(generated, live_server):
    _key, raw = api_key_create(name="integration", scopes=["*"])
    from importlib import import_module

    client = import_module(f"{PACKAGE}.client").AuthenticatedClient(
        base_url=live_server.url, token=raw, prefix="Api-Key", raise_on_unexpected_status=True
    )
    m = import_module(f"{PACKAGE}.models")

    def api(name):
        return import_module(f"{PACKAGE}.api.v1.{name}")

    journey_map = _ok(
        api("v1_journey_maps_create").sync_detailed(client=client, body=m.JourneyMapRequest(name="Service")), 201
    )
    stage = _ok(
        api("v1_stages_create").sync_detailed(
            client=client, body=m.StageRequest(journey_map=journey_map.id, name="Maintenance")
        ),
        201,
    )
    touchpoint = _ok(
        api("v1_touchpoints_create").sync_detailed(
            client=client,
            body=m.TouchpointRequest(stage=stage.id, name="On-site maintenance", channel=m.ChannelEnum("phone")),
        ),
        201,
    )

    survey = _ok(
        api("v1_surveys_create").sync_detailed(
            client=client,
            body=m.SurveyRequest(
                title="Maintenance NPS",
                touchpoint=touchpoint.id,
                questions=[
                    m.NestedQuestionRequest(kind=m.QuestionKindEnum("nps"), text="How likely …?", required=True),
                    m.NestedQuestionRequest(kind=m.QuestionKindEnum("long_text"), text="Why?", required=False),
                ],
            ),
            idempotency_key="survey-1",
        ),
        201,
    )
    nps_question, reason_question = (question.id for question in survey.questions)

    persona = _ok(
        api("v1_personas_create").sync_detailed(
            client=client,
            body=m.PersonaRequest.from_dict({"name": "Plant manager", "segment_rule": {"segment": "manufacturing"}}),
        ),
        201,
    )
    assert persona.name == "Plant manager"

    customers = _ok(
        api("v1_customers_bulk_create").sync_detailed(
            client=client,
            body=[
                m.CustomerBulkRowRequest(external_id=f"C-{i}", email=f"c{i}@example.com", name=f"Customer {i}")
                for i in range(5)
            ],
        )
    )
    assert customers.created == 5
    listed = _ok(
        api("v1_customers_list").sync_detailed(client=client, ordering=[m.V1CustomersListOrderingItem("external_id")])
    )
    ids = {customer.external_id: customer.id for customer in listed.results}

    # Two promoters (single posts) and three more answers in one bulk request: 3 promoters, 1 passive, 1 detractor.
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0) - datetime.timedelta(hours=1)
    for i, score in enumerate([10, 9]):
        _ok(
            api("v1_responses_create").sync_detailed(
                client=client,
                body=m.SurveyResponseCreateRequest(
                    survey=survey.id,
                    customer=ids[f"C-{i}"],
                    submitted_at=now,
                    answers=[
                        m.AnswerInputRequest(question=nps_question, value=score),
                        m.AnswerInputRequest(question=reason_question, text="Der Techniker war pünktlich."),
                    ],
                ),
            ),
            201,
        )
    imported = _ok(
        api("v1_responses_bulk_create").sync_detailed(
            client=client,
            body=[
                m.SurveyResponseImportRowRequest(
                    survey=survey.id,
                    external_id=f"R-{i}",
                    customer=ids[f"C-{i}"],
                    submitted_at=now,
                    answers=[m.AnswerInputRequest(question=nps_question, value=score)],
                )
                for i, score in [(2, 10), (3, 8), (4, 3)]
            ],
        )
    )
    assert imported.created == 3

    events = _ok(
        api("v1_events_create").sync_detailed(
            client=client,
            body=[
                m.EventRowRequest(
                    external_id="E-1",
                    touchpoint=touchpoint.id,
                    kind=m.EventKindEnum("visit"),
                    occurred_at=now,
                    customer_external_id="C-1",
                )
            ],
        )
    )
    assert events.created == 1
    transactions = _ok(
        api("v1_transactions_create").sync_detailed(
            client=client,
            body=[
                m.TransactionRowRequest(external_id="T-1", customer_external_id="C-1", amount="120.00", occurred_at=now)
            ],
        )
    )
    assert transactions.created == 1
    stored = _ok(api("v1_transactions_list").sync_detailed(client=client, customer_external_id="C-1"))
    assert [(t.customer_external_id, Decimal(t.amount)) for t in stored.results] == [("C-1", Decimal("120.00"))]

    snapshots_recompute()
    today = datetime.datetime.now(datetime.UTC).date()
    nps = _ok(
        api("v1_metrics_retrieve").sync_detailed(
            client=client,
            kpi=m.V1MetricsRetrieveKpi("nps"),
            touchpoint=touchpoint.id,
            from_=today - datetime.timedelta(days=30),
            to=today,
        )
    )
    assert nps.total.n == 5
    assert nps.total.value == pytest.approx(40.0)  # (3 promoters − 1 detractor) ÷ 5

    actions = _ok(api("v1_actions_list").sync_detailed(client=client))
    assert actions.count == 0
    refused = api("v1_actions_list").sync_detailed(
        client=client, ordering=[m.V1ActionsListOrderingItem("-due_date")], page_size=0
    )
    assert refused.status_code == 400
    assert "page_size" in json.loads(refused.content)
