"""Plans, impact/effort, links, milestones, comments, history; the API filters; the board pages."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from actionplans import services
from actionplans.models import Action, ActionEvent, Milestone, quadrant_of
from journeys.models import PainPoint
from tests.actionplans.factories import ActionFactory, ActionPlanFactory, MilestoneFactory
from tests.journeys.factories import JourneyMapFactory, TouchpointFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 11)


def _create(manager, sales, **kwargs):
    return services.action_create(
        **{"title": "Fix it", "department": sales, "due_date": TODAY + timedelta(days=30), "by": manager, **kwargs}
    )


@pytest.mark.parametrize(
    ("impact", "effort", "quadrant", "priority"),
    [
        (5, 1, "quick_win", "critical"),
        (4, 3, "quick_win", "critical"),
        (4, 4, "big_lever", "high"),
        (3, 3, "fill_in", "medium"),
        (1, 1, "fill_in", "medium"),
        (3, 4, "thankless", "low"),
        (1, 5, "thankless", "low"),
    ],
)
def test_priority_is_derived_from_impact_and_effort(impact, effort, quadrant, priority, manager, sales):
    action = _create(manager, sales, impact=impact, effort=effort)
    assert quadrant_of(impact, effort) == quadrant
    assert (action.quadrant, Action.objects.get().priority) == (quadrant, priority)


def test_changing_effort_moves_the_action_to_another_quadrant(manager, sales):
    action = _create(manager, sales, impact=5, effort=2)
    services.action_update(action=action, data={"effort": 5}, by=manager)
    assert Action.objects.get().priority == "high"


class TestValidation:
    def test_pain_point_of_another_map_than_the_plan_is_refused(self, manager, sales):
        plan = ActionPlanFactory(journey_map=JourneyMapFactory())
        foreign = PainPoint.objects.create(journey_map=JourneyMapFactory(), title="Slow quotes")
        with pytest.raises(ValidationError) as exc:
            _create(manager, sales, plan=plan, pain_point=foreign)
        assert "pain_point" in exc.value.message_dict
        assert Action.objects.count() == 0

    def test_pain_point_and_touchpoint_on_the_plans_map_are_fine(self, manager, sales):
        touchpoint = TouchpointFactory()
        journey_map = touchpoint.stage.journey_map
        plan = ActionPlanFactory(journey_map=journey_map)
        pain = PainPoint.objects.create(journey_map=journey_map, title="Slow", touchpoint=touchpoint)
        action = _create(manager, sales, plan=plan, pain_point=pain)
        assert action.touchpoint == touchpoint  # taken over from the pain point

    def test_touchpoint_of_another_map_than_the_pain_point_is_refused(self, manager, sales):
        pain = PainPoint.objects.create(journey_map=JourneyMapFactory(), title="Slow")
        with pytest.raises(ValidationError) as exc:
            _create(manager, sales, pain_point=pain, touchpoint=TouchpointFactory())
        assert "touchpoint" in exc.value.message_dict

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"impact": 6}, "impact"),
            ({"effort": 0}, "effort"),
            ({"scope_type": "touchpoint", "scope_key": "1"}, "kpi"),
            ({"kpi": "nps", "scope_type": "channel", "scope_key": "carrier-pigeon"}, "scope_key"),
            ({"kpi": "nps", "scope_type": "touchpoint", "scope_key": "999999"}, "scope_key"),
            ({"kpi": "nps", "scope_type": "company", "scope_key": "3"}, "scope_key"),
        ],
    )
    def test_bad_impact_effort_or_kpi_scope_is_refused(self, kwargs, field, manager, sales):
        with pytest.raises(ValidationError) as exc:
            _create(manager, sales, **kwargs)
        assert field in exc.value.message_dict
        assert Action.objects.count() == 0

    def test_kpi_without_scope_defaults_to_the_touchpoint(self, manager, sales):
        touchpoint = TouchpointFactory()
        action = _create(manager, sales, kpi="nps", touchpoint=touchpoint)
        assert (action.scope_type, action.scope_key) == ("touchpoint", str(touchpoint.pk))

    def test_unknown_status_is_refused(self, manager, sales):
        action = _create(manager, sales)
        with pytest.raises(ValidationError) as exc:
            services.action_update(action=action, data={"status": "finished"}, by=manager)
        assert "status" in exc.value.message_dict

    def test_milestone_after_the_actions_due_date_is_refused(self, manager, sales):
        action = _create(manager, sales)
        with pytest.raises(ValidationError) as exc:
            services.milestone_create(
                action=action, title="Too late", due_date=action.due_date + timedelta(days=1), by=manager
            )
        assert "due_date" in exc.value.message_dict
        services.milestone_create(action=action, title="On the day", due_date=action.due_date, by=manager)
        assert Milestone.objects.count() == 1

    def test_milestone_before_the_actions_start_is_refused(self, manager, sales):
        action = _create(manager, sales, start_date=TODAY)
        with pytest.raises(ValidationError):
            services.milestone_create(action=action, title="Early", due_date=TODAY - timedelta(days=1), by=manager)

    def test_moving_the_due_date_before_a_milestone_is_refused(self, manager, sales):
        action = _create(manager, sales)
        MilestoneFactory(action=action, due_date=TODAY + timedelta(days=20))
        with pytest.raises(ValidationError) as exc:
            services.action_update(action=action, data={"due_date": TODAY + timedelta(days=10)}, by=manager)
        assert "due_date" in exc.value.message_dict
        assert Action.objects.get().due_date == TODAY + timedelta(days=30)

    def test_plan_period_ending_before_it_starts_is_refused(self, manager):
        with pytest.raises(ValidationError):
            services.action_plan_create(name="Q2", period_start=TODAY, period_end=TODAY - timedelta(days=1), by=manager)

    def test_plan_cannot_move_to_another_map_while_its_actions_are_linked(self, manager, sales):
        journey_map = JourneyMapFactory()
        plan = services.action_plan_create(name="Q2", journey_map=journey_map, by=manager)
        pain = PainPoint.objects.create(journey_map=journey_map, title="Slow")
        _create(manager, sales, plan=plan, pain_point=pain)
        with pytest.raises(ValidationError):
            services.action_plan_update(plan=plan, data={"journey_map": JourneyMapFactory()}, by=manager)

    def test_empty_comment_is_refused(self, manager, sales):
        action = _create(manager, sales)
        with pytest.raises(ValidationError):
            services.comment_create(action=action, body="   ", by=manager)


class TestDepartments:
    def test_members_cannot_manage_departments(self, sales, sales_member):
        with pytest.raises(PermissionDenied):
            services.department_create(name="Rogue", by=sales_member)
        with pytest.raises(PermissionDenied):
            services.department_update(department=sales, data={"name": "Mine"}, by=sales_member)

    def test_a_member_owning_open_actions_cannot_be_removed(self, manager, sales, sales_member):
        ActionFactory(department=sales, owner=sales_member)
        with pytest.raises(ValidationError) as exc:
            services.department_update(department=sales, data={"members": []}, by=manager)
        assert "members" in exc.value.message_dict
        assert sales.members.filter(pk=sales_member.pk).exists()

    def test_manager_creates_and_edits_a_department_in_the_ui(self, client, manager, sales_member):
        client.force_login(manager)
        response = client.post(
            reverse("actionplans:department_create"),
            {"name": "Logistics", "lead": sales_member.pk, "members": [sales_member.pk], "contact_email": "l@x.de"},
        )
        assert response.status_code == 302
        from actionplans.models import Department

        department = Department.objects.get(name="Logistics")
        assert list(department.members.all()) == [sales_member]

    def test_members_see_only_their_departments_over_the_api(self, sales, service, sales_member):
        client = APIClient()
        client.force_login(sales_member)
        names = [d["name"] for d in client.get("/api/v1/departments/").json()["results"]]
        assert names == ["Sales"]
        assert client.get(f"/api/v1/departments/{service.pk}/").status_code == 404
        assert client.post("/api/v1/departments/", {"name": "X"}, format="json").status_code == 403


class TestHistory:
    def test_every_service_writes_a_history_entry(self, manager, sales, sales_member):
        action = _create(manager, sales, owner=sales_member)
        services.action_update(action=action, data={"status": "in_progress", "progress": 20}, by=sales_member)
        milestone = services.milestone_create(action=action, title="Draft", due_date=TODAY, by=sales_member)
        services.milestone_complete(milestone=milestone, by=sales_member)
        services.milestone_complete(milestone=milestone, by=sales_member, done=False)
        services.milestone_update(milestone=milestone, data={"title": "Draft v2"}, by=manager)
        services.comment_create(action=action, body="Started", by=sales_member)
        services.milestone_delete(milestone=milestone, by=manager)
        services.action_delete(action=action, by=manager)

        verbs = list(ActionEvent.objects.order_by("at", "id").values_list("verb", flat=True))
        assert verbs == [
            "created",
            "updated",
            "milestone_added",
            "milestone_done",
            "milestone_reopened",
            "milestone_updated",
            "commented",
            "milestone_deleted",
            "deleted",
        ]
        update = ActionEvent.objects.get(verb="updated")
        assert update.user == sales_member
        assert update.changes == {"status": ["open", "in_progress"], "progress": [0, 20]}
        assert ActionEvent.objects.get(verb="deleted").changes["title"] == "Fix it"

    def test_an_unchanged_update_writes_no_history(self, manager, sales):
        action = _create(manager, sales)
        services.action_update(action=action, data={"status": "open"}, by=manager)
        assert ActionEvent.objects.filter(verb="updated").count() == 0


class TestApiFilters:
    @pytest.fixture
    def actions(self, sales, service):
        today = timezone.localdate()
        touchpoint = TouchpointFactory()
        plan = ActionPlanFactory()
        return {
            "late": ActionFactory(department=sales, due_date=today - timedelta(days=2), plan=plan),
            "late_done": ActionFactory(department=sales, due_date=today - timedelta(days=2), status="done"),
            "soon": ActionFactory(department=service, due_date=today + timedelta(days=2), touchpoint=touchpoint),
            "later": ActionFactory(department=service, due_date=today + timedelta(days=40)),
            "touchpoint": touchpoint,
            "plan": plan,
            "today": today,
        }

    def _ids(self, api_client, query):
        return {a["id"] for a in api_client.get(f"/api/v1/actions/?{query}").json()["results"]}

    def test_overdue(self, api_client, actions):
        assert self._ids(api_client, "overdue=true") == {actions["late"].pk}

    def test_due_before(self, api_client, actions):
        cut = (actions["today"] + timedelta(days=10)).isoformat()
        assert self._ids(api_client, f"due_before={cut}") == {
            actions["late"].pk,
            actions["late_done"].pk,
            actions["soon"].pk,
        }

    def test_plan_and_map_and_department(self, api_client, actions, service):
        assert self._ids(api_client, f"plan={actions['plan'].pk}") == {actions["late"].pk}
        journey_map = actions["touchpoint"].stage.journey_map
        assert self._ids(api_client, f"map={journey_map.pk}") == {actions["soon"].pk}
        assert self._ids(api_client, f"department={service.pk}&status=open") == {
            actions["soon"].pk,
            actions["later"].pk,
        }

    def test_bad_due_before_is_a_400(self, api_client, actions):
        assert api_client.get("/api/v1/actions/?due_before=11.03.2026").status_code == 400


class TestApiPlansAndMilestones:
    def test_manager_creates_a_plan_and_an_action_in_it(self, api_client, sales):
        journey_map = JourneyMapFactory()
        plan = api_client.post(
            "/api/v1/action-plans/",
            {"name": "Q3 service", "journey_map": journey_map.pk, "goal": "NPS +10", "period_start": "2026-07-01"},
            format="json",
        )
        assert plan.status_code == 201, plan.content
        action = api_client.post(
            "/api/v1/actions/",
            {
                "title": "Hotline",
                "department": sales.pk,
                "due_date": "2026-09-30",
                "plan": plan.json()["id"],
                "impact": 5,
                "effort": 2,
            },
            format="json",
        )
        assert action.status_code == 201, action.content
        assert (action.json()["quadrant"], action.json()["priority"]) == ("quick_win", "critical")
        listed = api_client.get("/api/v1/action-plans/").json()["results"][0]
        assert (listed["action_count"], listed["open_count"]) == (1, 1)

    def test_milestone_after_due_is_a_400(self, api_client, sales):
        action = ActionFactory(department=sales, due_date=TODAY)
        response = api_client.post(
            "/api/v1/milestones/",
            {"action": action.pk, "title": "Late", "due_date": (TODAY + timedelta(days=1)).isoformat()},
            format="json",
        )
        assert response.status_code == 400
        assert "due_date" in response.json()

    def test_completing_a_milestone_sets_done_at(self, api_client, sales):
        milestone = MilestoneFactory(action=ActionFactory(department=sales))
        response = api_client.patch(f"/api/v1/milestones/{milestone.pk}/", {"done": True}, format="json")
        assert response.json()["done"] is True
        assert Milestone.objects.get().done_at is not None

    def test_comments_are_listed_oldest_first(self, api_client, sales):
        action = ActionFactory(department=sales)
        for body in ("first", "second"):
            api_client.post(f"/api/v1/actions/{action.pk}/comments/", {"body": body}, format="json")
        results = api_client.get(f"/api/v1/actions/{action.pk}/comments/").json()["results"]
        assert [c["body"] for c in results] == ["first", "second"]


EVIL = '<script>alert("x")</script>'


def _fill(sales, owner, n):
    for i in range(n):
        action = ActionFactory(
            department=sales,
            owner=owner,
            title=f"{EVIL} {i}",
            touchpoint=TouchpointFactory(),
            plan=ActionPlanFactory(),
            start_date=timezone.localdate(),
            impact=1 + i % 5,
            effort=1 + (i * 2) % 5,
        )
        MilestoneFactory(action=action, title=f"{EVIL} m{i}")


@pytest.mark.parametrize(
    "page", ["action_list", "action_kanban", "action_matrix", "action_timeline", "plan_list", "department_list"]
)
def test_pages_escape_user_text_and_use_constant_queries(page, client, manager, sales, sales_member):
    client.force_login(manager)
    url = reverse(f"actionplans:{page}")

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    _fill(sales, sales_member, 2)
    with_two, _ = count()
    _fill(sales, sales_member, 18)
    with_twenty, body = count()

    assert with_twenty == with_two
    assert EVIL not in body
    if page not in ("plan_list", "department_list"):
        assert "&lt;script&gt;" in body


def test_action_detail_shows_milestones_comments_and_history_escaped(client, manager, sales, sales_member):
    action = services.action_create(
        title="Hotline", department=sales, owner=sales_member, due_date=TODAY + timedelta(days=9), by=manager
    )
    client.force_login(sales_member)
    client.post(reverse("actionplans:action_comment", args=[action.pk]), {"body": EVIL})
    client.post(
        reverse("actionplans:action_milestone_add", args=[action.pk]), {"title": EVIL, "due_date": TODAY.isoformat()}
    )

    body = client.get(reverse("actionplans:action_detail", args=[action.pk])).content.decode()

    assert EVIL not in body
    assert body.count("&lt;script&gt;") >= 2
    assert "commented." in body and "added the milestone" in body


def test_kanban_move_changes_the_status_and_returns_to_the_board(client, sales, sales_member):
    action = ActionFactory(department=sales)
    client.force_login(sales_member)
    response = client.post(
        reverse("actionplans:action_move", args=[action.pk]), {"status": "blocked", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("actionplans:action_kanban")
    assert Action.objects.get().status == "blocked"


def test_milestone_due_soon_reaches_the_owner_once_a_day(sales, sales_member):
    action = ActionFactory(department=sales, owner=sales_member, due_date=TODAY + timedelta(days=30))
    MilestoneFactory(action=action, title="Draft the script", due_date=TODAY + timedelta(days=2))
    MilestoneFactory(action=action, title="Far away", due_date=TODAY + timedelta(days=20))

    assert services.reminders_send_daily_digest(today=TODAY) == 1
    assert services.reminders_send_daily_digest(today=TODAY) == 0

    assert len(mail.outbox) == 1
    assert "Draft the script" in mail.outbox[0].body
    assert "Far away" not in mail.outbox[0].body
