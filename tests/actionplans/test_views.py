"""The action pages: assigning actions, the department's view, and updating status."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actionplans.models import Action
from tests.actionplans.factories import ActionFactory
from tests.journeys.factories import TouchpointFactory

pytestmark = pytest.mark.django_db


def _detail(action) -> str:
    return reverse("actionplans:action_detail", args=[action.pk])


class TestCreate:
    def test_manager_assigns_an_action_with_a_due_date(self, client, manager, sales, sales_member):
        client.force_login(manager)

        response = client.post(
            reverse("actionplans:action_create"),
            {
                "title": "Call back detractors",
                "department": sales.pk,
                "owner": sales_member.pk,
                "priority": "high",
                "due_date": "2026-12-31",
            },
        )

        action = Action.objects.get()
        assert response.status_code == 302
        assert response["Location"] == _detail(action)
        assert (action.department, action.owner, action.due_date) == (sales, sales_member, date(2026, 12, 31))

    def test_due_date_in_a_wrong_format_re_renders_with_an_error(self, client, manager, sales):
        client.force_login(manager)

        response = client.post(
            reverse("actionplans:action_create"),
            {"title": "Fix it", "department": sales.pk, "priority": "medium", "due_date": "31/12/2026"},
        )

        assert response.status_code == 200
        assert "due_date" in response.context["form"].errors
        assert "Enter a valid date." in response.content.decode()
        assert Action.objects.count() == 0

    def test_owner_outside_the_department_re_renders_with_an_error(self, client, manager, sales, service_member):
        client.force_login(manager)

        response = client.post(
            reverse("actionplans:action_create"),
            {
                "title": "Wrong owner",
                "department": sales.pk,
                "owner": service_member.pk,
                "priority": "medium",
                "due_date": "2026-12-31",
            },
        )

        assert response.status_code == 200
        assert "owner" in response.context["form"].errors
        assert "is not a member of Sales" in response.content.decode()
        assert Action.objects.count() == 0

    def test_due_before_start_re_renders_with_an_error(self, client, manager, sales):
        client.force_login(manager)

        response = client.post(
            reverse("actionplans:action_create"),
            {
                "title": "Backwards",
                "department": sales.pk,
                "priority": "medium",
                "start_date": "2026-12-31",
                "due_date": "2026-12-01",
            },
        )

        assert response.status_code == 200
        assert "The due date cannot be before the start date." in response.content.decode()
        assert Action.objects.count() == 0

    def test_missing_title_and_department_re_render_with_errors(self, client, manager):
        client.force_login(manager)

        response = client.post(reverse("actionplans:action_create"), {"priority": "medium", "due_date": "2026-12-31"})

        assert response.status_code == 200
        assert {"title", "department"} <= set(response.context["form"].errors)
        assert Action.objects.count() == 0

    def test_department_member_may_not_open_the_create_page(self, client, sales, sales_member):
        client.force_login(sales_member)
        assert client.get(reverse("actionplans:action_create")).status_code == 403
        response = client.post(
            reverse("actionplans:action_create"),
            {"title": "Mine", "department": sales.pk, "priority": "medium", "due_date": "2026-12-31"},
        )
        assert response.status_code == 403
        assert Action.objects.count() == 0


class TestVisibility:
    def test_member_of_another_department_gets_404_on_the_action_page(self, client, sales, service_member):
        action = ActionFactory(department=sales, title="Sales secret")
        client.force_login(service_member)

        assert client.get(_detail(action)).status_code == 404
        assert client.post(_detail(action), {"status": "done", "progress": "100"}).status_code == 404
        assert Action.objects.get(pk=action.pk).status == "open"

    def test_action_list_shows_a_member_only_their_departments_actions(self, client, sales, service, service_member):
        ActionFactory(department=service, title="Answer tickets faster")
        ActionFactory(department=sales, title="Visit key accounts")
        client.force_login(service_member)

        for url in (reverse("actionplans:action_list"), reverse("actionplans:my_department")):
            page = client.get(url).content.decode()
            assert "Answer tickets faster" in page, url
            assert "Visit key accounts" not in page, url

    def test_cx_manager_sees_every_action(self, client, manager, sales, service):
        ActionFactory(department=service, title="Answer tickets faster")
        ActionFactory(department=sales, title="Visit key accounts")
        client.force_login(manager)

        page = client.get(reverse("actionplans:action_list")).content.decode()

        assert "Answer tickets faster" in page
        assert "Visit key accounts" in page

    def test_closed_actions_are_hidden_unless_asked_for(self, client, manager, sales):
        ActionFactory(department=sales, title="Still open")
        ActionFactory(department=sales, title="Finished already", status="done")
        client.force_login(manager)

        default = client.get(reverse("actionplans:action_list")).content.decode()
        everything = client.get(reverse("actionplans:action_list") + "?status=all").content.decode()

        assert "Still open" in default
        assert "Finished already" not in default
        assert "Finished already" in everything

    def test_overdue_actions_are_marked_with_text_not_only_colour(self, client, manager, sales):
        ActionFactory(department=sales, title="Late one", due_date=timezone.localdate() - timedelta(days=1))
        client.force_login(manager)
        assert "overdue" in client.get(reverse("actionplans:action_list")).content.decode()

    def test_action_list_queries_do_not_grow_with_rows(self, client, sales, sales_member):
        client.force_login(sales_member)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("actionplans:action_list")).status_code == 200
            return len(ctx.captured_queries)

        for _ in range(2):
            ActionFactory(department=sales, owner=sales_member, touchpoint=TouchpointFactory())
        with_two = count()
        for _ in range(18):
            ActionFactory(department=sales, owner=sales_member, touchpoint=TouchpointFactory())

        assert count() == with_two


class TestUpdate:
    def test_member_marks_their_departments_action_done(self, client, sales, sales_member):
        action = ActionFactory(department=sales, progress=30)
        client.force_login(sales_member)

        response = client.post(_detail(action), {"status": "done", "progress": "30"}, follow=True)

        assert response.status_code == 200
        stored = Action.objects.get(pk=action.pk)
        assert stored.status == "done"
        assert stored.done_at is not None
        assert stored.progress == 100
        status = re.search(r'id="action-status">.*?</dd>', response.content.decode(), re.S)[0]
        assert 'data-status="done"' in status and "Done" in status
        assert 'aria-valuenow="100"' in status and "100 %" in status  # a progress bar, with its number

    def test_member_sets_progress(self, client, sales, sales_member):
        action = ActionFactory(department=sales)
        client.force_login(sales_member)

        client.post(_detail(action), {"status": "in_progress", "progress": "60"})

        stored = Action.objects.get(pk=action.pk)
        assert (stored.status, stored.progress) == ("in_progress", 60)

    def test_progress_over_100_re_renders_with_an_error_and_changes_nothing(self, client, sales, sales_member):
        action = ActionFactory(department=sales, progress=20)
        client.force_login(sales_member)

        response = client.post(_detail(action), {"status": "in_progress", "progress": "140"})

        assert response.status_code == 200
        assert "progress" in response.context["form"].errors
        stored = Action.objects.get(pk=action.pk)
        assert (stored.status, stored.progress) == ("open", 20)

    def test_unknown_status_re_renders_with_an_error(self, client, sales, sales_member):
        action = ActionFactory(department=sales)
        client.force_login(sales_member)

        response = client.post(_detail(action), {"status": "finished", "progress": "0"})

        assert response.status_code == 200
        assert "status" in response.context["form"].errors
        assert Action.objects.get(pk=action.pk).status == "open"
