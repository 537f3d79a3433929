"""The actions API: department members see and change only their department's actions (others are 404)."""

from datetime import date, timedelta

import pytest
from rest_framework.test import APIClient

from actionplans.models import Action
from tests.actionplans.factories import ActionFactory
from tests.helpers import get_queries
from tests.journeys.factories import TouchpointFactory

pytestmark = pytest.mark.django_db

ACTIONS = "/api/v1/actions/"


def _as(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def _detail(action) -> str:
    return f"{ACTIONS}{action.pk}/"


def test_integrator_creates_an_action_for_a_department(api_client, sales, sales_member):
    touchpoint = TouchpointFactory()

    response = api_client.post(
        ACTIONS,
        {
            "title": "Shorten quote turnaround",
            "department": sales.pk,
            "owner": sales_member.pk,
            "touchpoint": touchpoint.pk,
            "kpi": "nps",
            "priority": "high",
            "due_date": "2026-06-30",
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["progress"], body["owner"]) == ("open", 0, sales_member.pk)
    assert Action.objects.get().due_date == date(2026, 6, 30)


def test_owner_outside_the_department_is_a_400(api_client, sales, service_member):
    response = api_client.post(
        ACTIONS,
        {"title": "Wrong owner", "department": sales.pk, "owner": service_member.pk, "due_date": "2026-06-30"},
        format="json",
    )
    assert response.status_code == 400
    assert "owner" in response.json()
    assert Action.objects.count() == 0


def test_due_before_start_is_a_400(api_client, sales):
    response = api_client.post(
        ACTIONS,
        {"title": "Backwards", "department": sales.pk, "start_date": "2026-06-30", "due_date": "2026-06-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "due_date" in response.json()
    assert Action.objects.count() == 0


def test_unknown_status_is_a_400_and_changes_nothing(api_client, sales):
    action = ActionFactory(department=sales)

    response = api_client.patch(_detail(action), {"status": "finished"}, format="json")

    assert response.status_code == 400
    assert "status" in response.json()
    assert Action.objects.get(pk=action.pk).status == "open"


def test_progress_140_is_a_400_and_changes_nothing(api_client, sales):
    action = ActionFactory(department=sales, progress=20)

    response = api_client.patch(_detail(action), {"progress": 140}, format="json")

    assert response.status_code == 400
    assert "progress" in response.json()
    assert Action.objects.get(pk=action.pk).progress == 20


def test_sales_member_updates_the_status_of_a_sales_action(sales, sales_member):
    action = ActionFactory(department=sales)

    response = _as(sales_member).patch(_detail(action), {"status": "in_progress", "progress": 50}, format="json")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["progress"]) == ("in_progress", 50)
    stored = Action.objects.get(pk=action.pk)
    assert (stored.status, stored.progress) == ("in_progress", 50)


@pytest.mark.parametrize(
    ("field", "status"),
    # Another department is no object a member can name: a 400 like an unknown id (test_api_related_ids.py).
    [("department", 400), ("owner", 403), ("title", 403)],
)
def test_sales_member_cannot_reassign_a_sales_action(field, status, sales, service, sales_member, django_user_model):
    colleague = django_user_model.objects.create_user(username="colleague", password="pw-colleague")
    sales.members.add(colleague)
    action = ActionFactory(department=sales, owner=sales_member, title="Original")
    value = {"department": service.pk, "owner": colleague.pk, "title": "Renamed"}[field]

    response = _as(sales_member).patch(_detail(action), {field: value}, format="json")

    assert response.status_code == status
    stored = Action.objects.get(pk=action.pk)
    assert (stored.department, stored.owner, stored.title) == (sales, sales_member, "Original")


def test_department_member_cannot_create_actions(sales, sales_member):
    response = _as(sales_member).post(
        ACTIONS, {"title": "Self-assigned", "department": sales.pk, "due_date": "2026-06-30"}, format="json"
    )
    assert response.status_code == 403
    assert Action.objects.count() == 0


def test_department_member_cannot_delete_actions(sales, sales_member):
    action = ActionFactory(department=sales)
    assert _as(sales_member).delete(_detail(action)).status_code == 403
    assert Action.objects.filter(pk=action.pk).exists()


def test_another_departments_action_is_a_404(sales, service_member):
    action = ActionFactory(department=sales)
    client = _as(service_member)

    assert client.get(_detail(action)).status_code == 404
    assert client.patch(_detail(action), {"status": "done"}, format="json").status_code == 404
    assert client.delete(_detail(action)).status_code == 404
    assert Action.objects.get(pk=action.pk).status == "open"


def test_member_lists_only_their_departments_actions(sales, service, service_member):
    mine = ActionFactory(department=service, title="Answer tickets faster")
    ActionFactory(department=sales, title="Sales only")

    body = _as(service_member).get(ACTIONS).json()

    assert body["count"] == 1
    assert [a["id"] for a in body["results"]] == [mine.pk]


def test_member_filtering_by_another_department_sees_nothing(sales, service, service_member):
    ActionFactory(department=sales)
    body = _as(service_member).get(f"{ACTIONS}?department={sales.pk}").json()
    assert body["count"] == 0


def test_cx_manager_and_star_key_see_every_action(manager, sales, service, api_client):
    ActionFactory(department=sales)
    ActionFactory(department=service)

    assert _as(manager).get(ACTIONS).json()["count"] == 2
    assert api_client.get(ACTIONS).json()["count"] == 2


def test_marking_done_over_the_api_sets_done_at_and_full_progress(sales, sales_member):
    action = ActionFactory(department=sales, progress=10)

    response = _as(sales_member).patch(_detail(action), {"status": "done"}, format="json")

    assert response.status_code == 200
    assert response.json()["progress"] == 100
    assert response.json()["done_at"] is not None


def test_actions_scope_is_needed(api_client_for, sales):
    ActionFactory(department=sales)
    assert api_client_for(["journeys:write"]).get(ACTIONS).status_code == 403
    assert api_client_for(["actions:read"]).get(ACTIONS).json()["count"] == 1
    assert (
        api_client_for(["actions:read"])
        .post(ACTIONS, {"title": "x", "department": sales.pk, "due_date": "2026-06-30"}, format="json")
        .status_code
        == 403
    )


def _many_actions(department, owner, n: int):
    for i in range(n):
        ActionFactory(
            department=department, owner=owner, touchpoint=TouchpointFactory(), due_date=date(2026, 7, 1) + timedelta(i)
        )


@pytest.mark.parametrize("who", ["manager", "member", "key"])
def test_action_list_queries_do_not_grow_with_rows(who, manager, sales, sales_member, api_client):
    client = {"manager": _as(manager), "member": _as(sales_member), "key": api_client}[who]
    _many_actions(sales, sales_member, 2)
    with_two = get_queries(client, ACTIONS, warm_up=True)

    _many_actions(sales, sales_member, 18)
    with_twenty = get_queries(client, ACTIONS, warm_up=True)

    assert with_twenty == with_two
    assert client.get(ACTIONS).json()["count"] == 20
