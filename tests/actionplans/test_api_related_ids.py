"""Related ids in action writes name only objects the caller may read; any other id is answered exactly like
an id that does not exist, so neither a department-restricted key nor a department member can probe for them."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from actionplans.models import Action, Milestone
from cxportal.apikeys import api_key_create
from journeys.models import Opportunity, PainPoint
from tests.actionplans.factories import ActionFactory, ActionPlanFactory, MilestoneFactory
from tests.helpers import key_client, session_client
from tests.journeys.factories import TouchpointFactory

pytestmark = pytest.mark.django_db

ACTIONS = "/api/v1/actions/"
MISSING = 987654


def _key(department, scopes) -> APIClient:
    _api_key, raw = api_key_create(name=f"{department.name} tickets", scopes=scopes, department=department)
    return key_client(raw)


def _due() -> str:
    return (timezone.localdate() + timedelta(days=7)).isoformat()


def assert_answered_like_a_missing_id(hidden, missing, hidden_id) -> None:
    """Both 400, with bodies that differ only in the id they echo."""
    assert hidden.status_code == missing.status_code == 400, (hidden.content, missing.content)
    assert json.loads(missing.content.decode().replace(str(MISSING), str(hidden_id))) == hidden.json()


@pytest.fixture
def world(sales, service, sales_member, service_member):
    touchpoint = TouchpointFactory(name="Checkout")
    journey_map = touchpoint.stage.journey_map
    sales_plan = ActionPlanFactory(name="Sales plan", journey_map=journey_map)
    service_plan = ActionPlanFactory(name="Service plan", journey_map=journey_map)
    empty_plan = ActionPlanFactory(name="Empty plan")
    mine = ActionFactory(department=sales, plan=sales_plan, owner=sales_member, title="Call back churners")
    theirs = ActionFactory(department=service, plan=service_plan, title="Fix the hotline")
    return {
        "mine": mine,
        "theirs": theirs,
        "sales_plan": sales_plan,
        "service_plan": service_plan,
        "empty_plan": empty_plan,
        "touchpoint": touchpoint,
        "pain_point": PainPoint.objects.create(journey_map=journey_map, touchpoint=touchpoint, title="Slow page"),
        "opportunity": Opportunity.objects.create(journey_map=journey_map, touchpoint=touchpoint, title="One-click"),
    }


def _hidden_id(world, field, service, service_member) -> int:
    return {
        "plan": world["service_plan"].pk,
        "department": service.pk,
        "owner": service_member.pk,
    }[field]


class TestDepartmentRestrictedKey:
    @pytest.mark.parametrize("field", ["plan", "department", "owner"])
    def test_creating_with_another_departments_object_is_answered_like_a_missing_id(
        self, field, world, sales, service, service_member
    ):
        client = _key(sales, ["actions:write", "journeys:read"])
        hidden_id = _hidden_id(world, field, service, service_member)
        body = {"title": "Probe", "department": sales.pk, "due_date": _due()}
        before = Action.objects.count()

        hidden = client.post(ACTIONS, {**body, field: hidden_id}, format="json")
        missing = client.post(ACTIONS, {**body, field: MISSING}, format="json")

        assert_answered_like_a_missing_id(hidden, missing, hidden_id)
        assert list(hidden.json()) == [field]
        assert Action.objects.count() == before

    @pytest.mark.parametrize("field", ["plan", "department", "owner"])
    def test_updating_with_another_departments_object_is_answered_like_a_missing_id(
        self, field, world, sales, service, service_member
    ):
        client = _key(sales, ["actions:write", "journeys:read"])
        hidden_id = _hidden_id(world, field, service, service_member)
        url = f"{ACTIONS}{world['mine'].pk}/"

        hidden = client.patch(url, {field: hidden_id}, format="json")
        missing = client.patch(url, {field: MISSING}, format="json")

        assert_answered_like_a_missing_id(hidden, missing, hidden_id)
        stored = Action.objects.get(pk=world["mine"].pk)
        assert (stored.plan, stored.department, stored.owner_id) == (world["sales_plan"], sales, world["mine"].owner_id)

    def test_a_plan_without_its_departments_actions_is_hidden_too(self, world, sales):
        client = _key(sales, ["actions:write"])
        body = {"title": "Probe", "department": sales.pk, "due_date": _due()}

        hidden = client.post(ACTIONS, {**body, "plan": world["empty_plan"].pk}, format="json")
        missing = client.post(ACTIONS, {**body, "plan": MISSING}, format="json")

        assert_answered_like_a_missing_id(hidden, missing, world["empty_plan"].pk)
        assert not Action.objects.filter(title="Probe").exists()

    @pytest.mark.parametrize("field", ["touchpoint", "pain_point", "opportunity"])
    def test_without_journeys_read_map_objects_are_answered_like_missing_ids(self, field, world, sales):
        client = _key(sales, ["actions:write"])
        body = {"title": "Probe", "department": sales.pk, "due_date": _due()}

        hidden = client.post(ACTIONS, {**body, field: world[field].pk}, format="json")
        missing = client.post(ACTIONS, {**body, field: MISSING}, format="json")

        assert_answered_like_a_missing_id(hidden, missing, world[field].pk)
        assert not Action.objects.filter(title="Probe").exists()

    def test_without_journeys_read_a_kpi_scope_id_is_answered_like_a_missing_one(self, world, sales):
        client = _key(sales, ["actions:write"])
        body = {"title": "Probe", "department": sales.pk, "due_date": _due(), "kpi": "nps", "scope_type": "touchpoint"}

        hidden = client.post(ACTIONS, {**body, "scope_key": str(world["touchpoint"].pk)}, format="json")
        missing = client.post(ACTIONS, {**body, "scope_key": str(MISSING)}, format="json")

        assert_answered_like_a_missing_id(hidden, missing, world["touchpoint"].pk)
        assert list(hidden.json()) == ["scope_key"]
        assert not Action.objects.filter(title="Probe").exists()

    def test_attaches_to_its_departments_plan_and_owner_and_with_journeys_read_to_map_objects(
        self, world, sales, sales_member
    ):
        client = _key(sales, ["actions:write", "journeys:read"])

        response = client.post(
            ACTIONS,
            {
                "title": "Own",
                "department": sales.pk,
                "plan": world["sales_plan"].pk,
                "owner": sales_member.pk,
                "pain_point": world["pain_point"].pk,
                "opportunity": world["opportunity"].pk,
                "kpi": "nps",
                "scope_type": "touchpoint",
                "scope_key": str(world["touchpoint"].pk),
                "due_date": _due(),
            },
            format="json",
        )

        assert response.status_code == 201, response.content
        created = Action.objects.get(title="Own")
        assert (created.plan, created.touchpoint, created.owner) == (
            world["sales_plan"],
            world["touchpoint"],
            sales_member,
        )

    def test_an_action_sent_back_unchanged_stays_valid(self, world, sales, sales_member):
        mine = world["mine"]
        mine.touchpoint = world["touchpoint"]
        mine.save(update_fields=["touchpoint"])
        client = _key(sales, ["actions:write"])  # cannot read the touchpoint, but the action already has it
        url = f"{ACTIONS}{mine.pk}/"
        body = client.get(url).json()

        response = client.put(url, {**body, "status": "in_progress"}, format="json")

        assert response.status_code == 200, response.content
        mine.refresh_from_db()
        assert (mine.status, mine.touchpoint, mine.plan) == ("in_progress", world["touchpoint"], world["sales_plan"])

    def test_milestones_of_another_departments_action_are_answered_like_a_missing_action(self, world, sales):
        client = _key(sales, ["actions:write"])
        body = {"title": "Probe", "due_date": _due()}

        hidden = client.post("/api/v1/milestones/", {**body, "action": world["theirs"].pk}, format="json")
        missing = client.post("/api/v1/milestones/", {**body, "action": MISSING}, format="json")

        assert_answered_like_a_missing_id(hidden, missing, world["theirs"].pk)
        assert not Milestone.objects.filter(title="Probe").exists()


class TestDepartmentMember:
    @pytest.mark.parametrize("field", ["plan", "department", "owner"])
    def test_updating_with_another_departments_object_is_answered_like_a_missing_id(
        self, field, world, sales, service, sales_member, service_member
    ):
        client = session_client(sales_member)
        hidden_id = _hidden_id(world, field, service, service_member)
        url = f"{ACTIONS}{world['mine'].pk}/"

        hidden = client.patch(url, {field: hidden_id, "status": "in_progress"}, format="json")
        missing = client.patch(url, {field: MISSING, "status": "in_progress"}, format="json")

        assert_answered_like_a_missing_id(hidden, missing, hidden_id)
        stored = Action.objects.get(pk=world["mine"].pk)
        assert (stored.plan, stored.department, stored.status) == (world["sales_plan"], sales, "open")

    def test_creating_with_another_departments_plan_is_answered_like_a_missing_id(self, world, sales, sales_member):
        client = session_client(sales_member)
        body = {"title": "Probe", "department": sales.pk, "due_date": _due()}

        hidden = client.post(ACTIONS, {**body, "plan": world["service_plan"].pk}, format="json")
        missing = client.post(ACTIONS, {**body, "plan": MISSING}, format="json")
        own = client.post(ACTIONS, {**body, "plan": world["sales_plan"].pk}, format="json")

        assert_answered_like_a_missing_id(hidden, missing, world["service_plan"].pk)
        assert own.status_code == 403  # a visible plan: refused because members do not create actions
        assert not Action.objects.filter(title="Probe").exists()

    def test_sending_the_current_values_back_still_changes_the_status(self, world, sales_member):
        client = session_client(sales_member)
        mine = world["mine"]

        response = client.patch(
            f"{ACTIONS}{mine.pk}/",
            {"plan": mine.plan_id, "department": mine.department_id, "owner": mine.owner_id, "status": "blocked"},
            format="json",
        )

        assert response.status_code == 200, response.content
        assert Action.objects.get(pk=mine.pk).status == "blocked"

    def test_milestone_of_another_departments_action_is_answered_like_a_missing_action(self, world, sales_member):
        MilestoneFactory(action=world["theirs"])
        client = session_client(sales_member)
        body = {"title": "Probe", "due_date": _due()}

        hidden = client.post("/api/v1/milestones/", {**body, "action": world["theirs"].pk}, format="json")
        missing = client.post("/api/v1/milestones/", {**body, "action": MISSING}, format="json")

        assert_answered_like_a_missing_id(hidden, missing, world["theirs"].pk)
        assert not Milestone.objects.filter(title="Probe").exists()


def test_a_cx_manager_still_attaches_actions_to_any_plan(world, sales, manager):
    response = session_client(manager).post(
        ACTIONS,
        {"title": "Managed", "department": sales.pk, "plan": world["empty_plan"].pk, "due_date": _due()},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert Action.objects.get(title="Managed").plan == world["empty_plan"]
