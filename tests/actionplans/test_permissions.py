"""The permission matrix: a member of the action's department (A), a member of another department (B) and a
CX manager, over the API and the UI, for list, detail and every write."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans.models import Action, Comment, Milestone
from tests.actionplans.factories import ActionFactory, MilestoneFactory
from tests.helpers import session_client

pytestmark = pytest.mark.django_db

ACTORS = ["member_a", "member_b", "manager"]


@pytest.fixture
def world(sales, service, sales_member, service_member, manager):
    today = timezone.localdate()
    action = ActionFactory(
        department=sales,
        owner=sales_member,
        title="Shorten quote turnaround",
        start_date=today,
        due_date=today + timedelta(days=20),
    )
    milestone = MilestoneFactory(action=action, due_date=today + timedelta(days=5))
    users = {"member_a": sales_member, "member_b": service_member, "manager": manager}
    return {"action": action, "milestone": milestone, "users": users, "sales": sales, "today": today}


def _api_call(world, op):
    a, m, today = world["action"], world["milestone"], world["today"]
    due = (today + timedelta(days=3)).isoformat()
    return {
        "list": ("get", "/api/v1/actions/", None),
        "detail": ("get", f"/api/v1/actions/{a.pk}/", None),
        "create": (
            "post",
            "/api/v1/actions/",
            {"title": "New", "department": world["sales"].pk, "due_date": due},
        ),
        "update_title": ("patch", f"/api/v1/actions/{a.pk}/", {"title": "Renamed"}),
        "update_owner": ("patch", f"/api/v1/actions/{a.pk}/", {"owner": None}),
        "status": ("patch", f"/api/v1/actions/{a.pk}/", {"status": "in_progress"}),
        "progress": ("patch", f"/api/v1/actions/{a.pk}/", {"progress": 50}),
        "milestone_list": ("get", "/api/v1/milestones/", None),
        "milestone_add": ("post", "/api/v1/milestones/", {"action": a.pk, "title": "Draft", "due_date": due}),
        "milestone_complete": ("patch", f"/api/v1/milestones/{m.pk}/", {"done": True}),
        "milestone_delete": ("delete", f"/api/v1/milestones/{m.pk}/", None),
        "comments": ("get", f"/api/v1/actions/{a.pk}/comments/", None),
        "comment": ("post", f"/api/v1/actions/{a.pk}/comments/", {"body": "On it"}),
        "delete": ("delete", f"/api/v1/actions/{a.pk}/", None),
    }[op]


# op: expected status for (member of A, member of B, CX manager)
API_MATRIX = {
    "list": (200, 200, 200),
    "detail": (200, 404, 200),
    # B names Sales, a department B cannot see: answered like an unknown id (400), not "not allowed" (403).
    "create": (403, 400, 201),
    "update_title": (403, 404, 200),
    "update_owner": (403, 404, 200),
    "status": (200, 404, 200),
    "progress": (200, 404, 200),
    "milestone_list": (200, 200, 200),
    "milestone_add": (201, 400, 201),
    "milestone_complete": (200, 404, 200),
    "milestone_delete": (403, 404, 204),
    "comments": (200, 404, 200),
    "comment": (201, 404, 201),
    "delete": (403, 404, 204),
}


@pytest.mark.parametrize("op", list(API_MATRIX))
@pytest.mark.parametrize("actor", ACTORS)
def test_api_permission_matrix(world, actor, op):
    method, url, body = _api_call(world, op)
    before = (Action.objects.count(), Milestone.objects.count(), Comment.objects.count())
    stored = Action.objects.get(pk=world["action"].pk)

    response = getattr(session_client(world["users"][actor]), method)(url, body, format="json")

    expected = API_MATRIX[op][ACTORS.index(actor)]
    assert response.status_code == expected, response.content
    if expected >= 400:
        # A refused write changes nothing.
        assert (Action.objects.count(), Milestone.objects.count(), Comment.objects.count()) == before
        after = Action.objects.get(pk=world["action"].pk)
        assert (after.title, after.owner_id, after.status, after.progress) == (
            stored.title,
            stored.owner_id,
            stored.status,
            stored.progress,
        )
        assert Milestone.objects.get(pk=world["milestone"].pk).done_at is None


@pytest.mark.parametrize("actor", ACTORS)
def test_api_lists_are_department_scoped(world, actor, service):
    ActionFactory(department=service, title="Service's own")
    client = session_client(world["users"][actor])

    titles = {a["title"] for a in client.get("/api/v1/actions/").json()["results"]}
    milestones = {m["action"] for m in client.get("/api/v1/milestones/").json()["results"]}

    sees_sales = actor in ("member_a", "manager")
    sees_service = actor in ("member_b", "manager")
    assert ("Shorten quote turnaround" in titles) == sees_sales
    assert ("Service's own" in titles) == sees_service
    assert (world["action"].pk in milestones) == sees_sales


def _ui_call(world, op):
    a, m, today = world["action"], world["milestone"], world["today"]
    due = (today + timedelta(days=3)).isoformat()
    return {
        "detail": ("get", reverse("actionplans:action_detail", args=[a.pk]), None),
        "create": (
            "post",
            reverse("actionplans:action_create"),
            {"title": "New", "department": world["sales"].pk, "due_date": due},
        ),
        "edit": ("post", reverse("actionplans:action_edit", args=[a.pk]), {"title": "Renamed"}),
        "status": (
            "post",
            reverse("actionplans:action_detail", args=[a.pk]),
            {"status": "in_progress", "progress": "0"},
        ),
        "progress": (
            "post",
            reverse("actionplans:action_detail", args=[a.pk]),
            {"status": "open", "progress": "50"},
        ),
        "move": ("post", reverse("actionplans:action_move", args=[a.pk]), {"status": "blocked"}),
        "milestone_add": (
            "post",
            reverse("actionplans:action_milestone_add", args=[a.pk]),
            {"title": "Draft", "due_date": due},
        ),
        "milestone_complete": (
            "post",
            reverse("actionplans:action_milestone_toggle", args=[a.pk, m.pk]),
            {"done": "1"},
        ),
        "comment": ("post", reverse("actionplans:action_comment", args=[a.pk]), {"body": "On it"}),
        "delete": ("post", reverse("actionplans:action_delete", args=[a.pk]), None),
    }[op]


UI_MATRIX = {
    "detail": (200, 404, 200),
    "create": (403, 403, 302),
    "edit": (403, 403, 200),  # the manager's incomplete form re-renders
    "status": (302, 404, 302),
    "progress": (302, 404, 302),
    "move": (302, 404, 302),
    "milestone_add": (302, 404, 302),
    "milestone_complete": (302, 404, 302),
    "comment": (302, 404, 302),
    "delete": (403, 403, 302),
}


@pytest.mark.parametrize("op", list(UI_MATRIX))
@pytest.mark.parametrize("actor", ACTORS)
def test_ui_permission_matrix(world, actor, op, client):
    method, url, body = _ui_call(world, op)
    client.force_login(world["users"][actor])
    before = (Action.objects.count(), Milestone.objects.count(), Comment.objects.count())

    response = getattr(client, method)(url, body or {})

    expected = UI_MATRIX[op][ACTORS.index(actor)]
    assert response.status_code == expected
    if expected >= 400:
        assert (Action.objects.count(), Milestone.objects.count(), Comment.objects.count()) == before
        after = Action.objects.get(pk=world["action"].pk)
        assert (after.title, after.status, after.progress) == ("Shorten quote turnaround", "open", 0)


@pytest.mark.parametrize("page", ["action_list", "action_kanban", "action_matrix", "action_timeline"])
@pytest.mark.parametrize("actor", ACTORS)
def test_ui_lists_are_department_scoped(world, actor, page, client, service):
    ActionFactory(department=service, title="Service's own")
    client.force_login(world["users"][actor])

    body = client.get(reverse(f"actionplans:{page}")).content.decode()

    assert ("Shorten quote turnaround" in body) == (actor in ("member_a", "manager"))
    assert ("Service&#x27;s own" in body or "Service's own" in body) == (actor in ("member_b", "manager"))


@pytest.mark.parametrize("page", ["plan_list", "department_list", "plan_create", "department_create"])
def test_plan_and_department_pages_are_for_cx_managers(page, client, sales_member, manager):
    client.force_login(sales_member)
    assert client.get(reverse(f"actionplans:{page}")).status_code == 403
    client.force_login(manager)
    assert client.get(reverse(f"actionplans:{page}")).status_code == 200
