"""API keys: managed by CX managers in the UI and by operators on the command line; revoked and expired keys
are refused; a department-restricted key sees and changes only its department's actions."""

import datetime
import json
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from actionplans.models import Action, Department, Milestone, TouchpointOwnership
from cxportal.apikeys import api_key_create, api_key_revoke
from cxportal.models import ApiKey
from journeys.models import JourneyMap
from tests.actionplans.factories import ActionFactory, ActionPlanFactory, MilestoneFactory
from tests.helpers import key_client
from tests.journeys.factories import TouchpointFactory

pytestmark = pytest.mark.django_db

LIST = "/settings/api-keys/"
NEW = "/settings/api-keys/new/"
ACTIONS = "/api/v1/actions/"
MAPS = "/api/v1/journey-maps/"


def _tomorrow() -> datetime.date:
    return timezone.localdate() + timedelta(days=1)


# ---------------------------------------------------------------- the UI


class TestApiKeyPages:
    def test_only_cx_managers_reach_the_api_key_pages(self, client, sales_member):
        assert client.get(LIST).status_code == 302  # anonymous: to the login page
        client.force_login(sales_member)
        assert client.get(LIST).status_code == 403
        assert client.get(NEW).status_code == 403
        assert client.get("/settings/").status_code == 403

    def test_navigation_leads_managers_to_api_keys_and_webhooks(self, manager_client):
        home = manager_client.get("/").content.decode()
        settings_page = manager_client.get("/settings/").content.decode()

        assert 'href="/settings/"' in home
        assert 'href="/settings/api-keys/"' in settings_page
        assert 'href="/settings/webhooks/"' in settings_page

    def test_the_new_key_page_names_every_area_in_the_persons_language(self, manager_client):
        from cxportal.forms import AREA_LABELS
        from cxportal.models import API_AREAS, READ_ONLY_AREAS

        assert set(API_AREAS) | set(READ_ONLY_AREAS) <= set(AREA_LABELS)  # a new area gets a name, not its code
        page = manager_client.get(NEW, HTTP_ACCEPT_LANGUAGE="de").content.decode()
        legends = {line.strip() for line in page.split("<legend")[1:]}
        for name in ("Alle Bereiche", "Kundenstimme", "Kennzahlen", "Maßnahmen", "Berichte", "Audit-Log"):
            assert any(f">{name}</legend>" in legend for legend in legends), name
        assert ">feedback</legend>" not in page and ">reports</legend>" not in page

    def test_the_list_takes_the_same_queries_for_many_keys_as_for_two(
        self, manager_client, manager, sales, django_assert_max_num_queries
    ):
        def add_keys(count):
            for i in range(count):
                api_key_create(name=f"Key {i}", scopes=["actions:read"], created_by=manager, department=sales)

        add_keys(2)
        with django_assert_max_num_queries(50) as two:
            manager_client.get(LIST)
        add_keys(10)

        with django_assert_max_num_queries(len(two.captured_queries)):
            page = manager_client.get(LIST).content.decode()

        assert "Key 9" in page and "Key 0" in page

    def test_list_shows_each_key_with_its_details_and_status(self, manager_client, manager, sales):
        active, _ = api_key_create(name="CRM sync", scopes=["journeys:read"], created_by=manager, department=sales)
        revoked, _ = api_key_create(name="Old BI", scopes=["*"])
        api_key_revoke(api_key=revoked)
        expired, _ = api_key_create(
            name="Trial", scopes=["metrics:read"], expires_at=timezone.now() + timedelta(days=1)
        )
        ApiKey.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))

        page = manager_client.get(LIST).content.decode()

        row = page[page.index("CRM sync") : page.index("</tr>", page.index("CRM sync"))]
        assert active.prefix in row and "journeys:read" in row and "Sales" in row
        assert "manager" in row and "never" in row and ">active<" in row
        assert ">revoked<" in page[page.index("Old BI") :]
        assert ">expired<" in page[page.index("Trial") :]

    def test_creating_a_key_shows_the_secret_once_and_it_works(self, manager_client, manager, sales):
        response = manager_client.post(
            NEW,
            {
                "name": "Ticket system",
                "scopes": ["actions:write", "journeys:read"],
                "department": sales.pk,
                "expires_on": _tomorrow().isoformat(),
            },
        )
        key = ApiKey.objects.get(name="Ticket system")
        assert response.status_code == 302
        assert response["Location"] == f"/settings/api-keys/{key.pk}/created/"

        shown = manager_client.get(response["Location"])
        raw_key = shown.context["raw_key"]
        again = manager_client.get(response["Location"])

        assert raw_key.startswith(f"cxp_{key.prefix}_") and raw_key in shown.content.decode()
        assert "only time it is shown" in shown.content.decode()
        assert "no-store" in shown["Cache-Control"]
        assert raw_key not in again.content.decode()
        assert "cannot be shown again" in again.content.decode()
        assert raw_key not in manager_client.get(LIST).content.decode()
        assert key.key_hash != raw_key and raw_key not in str(ApiKey.objects.filter(pk=key.pk).values().get())
        assert key.created_by == manager
        assert key.scopes == ["actions:write", "journeys:read"]
        assert key.department == sales
        assert timezone.localtime(key.expires_at) == timezone.make_aware(
            datetime.datetime.combine(_tomorrow() + timedelta(days=1), datetime.time.min)
        )
        assert key_client(raw_key).get(ACTIONS).status_code == 200

    def test_the_secret_is_never_at_rest_on_the_server_and_its_carrier_is_short_lived(
        self, manager_client, monkeypatch
    ):
        from django.contrib.sessions.models import Session

        response = manager_client.post(NEW, {"name": "Shop", "scopes": ["journeys:read"]})
        key = ApiKey.objects.get(name="Shop")
        cookie = response.cookies["cx_new_api_key"]

        # Not in the session (nor any stored session), not in the URL; the cookie is signed, HttpOnly, goes only
        # to the page that shows the key, and lives a few minutes.
        stored = [s.get_decoded() for s in Session.objects.all()]
        assert key.prefix not in json.dumps(stored, default=str)
        assert key.prefix not in response["Location"]
        assert cookie["httponly"] and cookie["samesite"] == "Strict"
        assert cookie["path"] == response["Location"]
        assert 0 < int(cookie["max-age"]) <= 600

        later = time.time() + 601
        monkeypatch.setattr("django.core.signing.time.time", lambda: later)
        expired = manager_client.get(response["Location"])
        assert expired.context["raw_key"] is None
        assert "cannot be shown again" in expired.content.decode()

    def test_a_forged_or_foreign_cookie_shows_nothing(self, manager_client):
        first = manager_client.post(NEW, {"name": "One", "scopes": ["journeys:read"]})
        second = manager_client.post(NEW, {"name": "Two", "scopes": ["journeys:read"]})
        one_cookie = first.cookies["cx_new_api_key"].value
        manager_client.cookies["cx_new_api_key"] = one_cookie  # One's secret, presented to Two's page
        assert manager_client.get(second["Location"]).context["raw_key"] is None
        manager_client.cookies["cx_new_api_key"] = one_cookie.replace(":", ";", 1) + "x"
        assert manager_client.get(first["Location"]).context["raw_key"] is None

    def test_the_form_offers_every_scope_grouped_by_area_with_labels(self, manager_client):
        page = manager_client.get(NEW).content.decode()

        for scope in ["*", "journeys:read", "surveys:write", "metrics:read", "actions:write", "webhooks:read"]:
            assert f'value="{scope}"' in page
        assert page.count("<legend") >= 6  # the scopes, and one group per area plus "All areas"
        assert 'for="id_name"' in page and 'for="id_department"' in page and 'for="id_expires_on"' in page

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"name": "No scope"}, "scopes", "Choose at least one scope."),
            ({"name": "", "scopes": ["*"]}, "name", "This field is required."),
            ({"name": "Bad", "scopes": ["journeys:delete"]}, "scopes", "Select a valid choice."),
            ({"name": "Old", "scopes": ["*"], "expires_on": "2020-01-01"}, "expires_on", "today or a later day"),
            ({"name": "Wide", "scopes": ["*"], "department": "SALES"}, "scopes", "restricted to a department"),
            ({"name": "Survey", "scopes": ["surveys:read"], "department": "SALES"}, "scopes", "not surveys:read"),
        ],
    )
    def test_bad_input_re_renders_the_form_and_creates_nothing(self, manager_client, sales, data, field, message):
        if data.get("department") == "SALES":
            data = {**data, "department": sales.pk}

        response = manager_client.post(NEW, data)

        assert response.status_code == 200
        assert any(message in error for error in response.context["form"].errors[field])
        assert not ApiKey.objects.exists()

    def test_revoking_asks_first_then_refuses_the_key(self, manager_client):
        key, raw = api_key_create(name="Leaked", scopes=["*"])
        url = f"/settings/api-keys/{key.pk}/revoke/"

        confirm = manager_client.get(url)
        key.refresh_from_db()
        assert confirm.status_code == 200 and "cannot be undone" in confirm.content.decode()
        assert key.revoked_at is None
        assert key_client(raw).get(MAPS).status_code == 200

        response = manager_client.post(url, follow=True)

        key.refresh_from_db()
        assert key.revoked_at is not None
        assert "is revoked" in response.content.decode()
        assert key_client(raw).get(MAPS).status_code == 401

    def test_a_department_member_cannot_revoke(self, client, sales_member):
        key, raw = api_key_create(name="CRM", scopes=["*"])
        client.force_login(sales_member)

        assert client.post(f"/settings/api-keys/{key.pk}/revoke/").status_code == 403
        key.refresh_from_db()
        assert key.revoked_at is None

    def test_revoking_twice_keeps_the_first_revocation(self, manager_client):
        key, _ = api_key_create(name="Leaked", scopes=["*"])
        first = api_key_revoke(api_key=key).revoked_at

        manager_client.post(f"/settings/api-keys/{key.pk}/revoke/")

        key.refresh_from_db()
        assert key.revoked_at == first


# ---------------------------------------------------------------- the command


class TestCreateApiKeyCommand:
    def _run(self, *args) -> str:
        out, err = StringIO(), StringIO()
        call_command("create_api_key", *args, stdout=out, stderr=err)
        return out.getvalue().strip().splitlines()[-1]

    def test_prints_a_working_key_on_its_last_line(self):
        raw = self._run("CRM sync", "--scope", "journeys:read", "--scope", "metrics:read")

        key = ApiKey.objects.get(name="CRM sync")
        assert key.scopes == ["journeys:read", "metrics:read"] and key.department is None
        assert key_client(raw).get(MAPS).status_code == 200

    def test_department_by_name_or_id_and_expiry(self, sales):
        raw = self._run("Sales tickets", "--scope", "actions:write", "--department", "sales", "--expires", "2099-12-31")
        by_id = self._run("Sales BI", "--scope", "actions:read", "--department", str(sales.pk))

        key = ApiKey.objects.get(name="Sales tickets")
        assert key.department == sales and ApiKey.objects.get(name="Sales BI").department == sales
        assert timezone.localtime(key.expires_at).date() == datetime.date(2100, 1, 1)
        assert key_client(raw).get(ACTIONS).status_code == 200
        assert key_client(by_id).get(ACTIONS).status_code == 200

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--scope", "*", "--department", "Nowhere"], "No department 'Nowhere'. Departments: Sales."),
            (["--scope", "*", "--department", "Sales"], "A key restricted to a department may only have"),
            (["--scope", "*", "--expires", "31.12.2099"], "write the date as YYYY-MM-DD"),
            (["--scope", "*", "--expires", "2020-01-01"], "The expiry must be in the future."),
            (["--scope", "everything"], "Unknown scope(s): everything."),
        ],
    )
    def test_bad_arguments_are_a_clear_error_and_create_nothing(self, sales, args, message):
        with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)").replace("*", r"\*")):
            self._run("Broken", *args)
        assert not ApiKey.objects.exists()


# ---------------------------------------------------------------- revoked, expired, last used


class TestRefusedKeys:
    def test_a_revoked_key_is_401_saying_so(self):
        key, raw = api_key_create(name="Leaked", scopes=["*"])
        api_key_revoke(api_key=key)

        response = key_client(raw).get(MAPS)

        assert response.status_code == 401
        assert response.json()["detail"].startswith("This API key was revoked on ")
        assert response["WWW-Authenticate"] == "Api-Key"

    def test_an_expired_key_is_401_saying_so_for_reads_and_writes(self):
        key, raw = api_key_create(name="Trial", scopes=["*"], expires_at=timezone.now() + timedelta(days=1))
        ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        client = key_client(raw)

        read = client.get(MAPS)
        write = client.post(MAPS, {"name": "Late"}, format="json")

        assert read.status_code == write.status_code == 401
        assert read.json()["detail"].startswith("This API key expired on ")
        assert not JourneyMap.objects.filter(name="Late").exists()

    def test_last_used_is_recorded_and_rewritten_at_most_once_a_minute(self):
        key, raw = api_key_create(name="CRM", scopes=["journeys:read"])
        client = key_client(raw)

        client.get(MAPS)
        key.refresh_from_db()
        first = key.last_used_at
        client.get(MAPS)
        key.refresh_from_db()
        assert first is not None and key.last_used_at == first

        ApiKey.objects.filter(pk=key.pk).update(last_used_at=first - timedelta(minutes=2))
        client.get(MAPS)
        key.refresh_from_db()
        assert key.last_used_at > first - timedelta(minutes=2)


# ---------------------------------------------------------------- department restriction


@pytest.fixture
def two_departments(sales, service):
    """A plan with one Sales and one Customer Service action, each with a milestone and a comment."""
    plan = ActionPlanFactory(name="Shared plan")
    other_plan = ActionPlanFactory(name="Service only plan")
    mine = ActionFactory(title="Call back churners", department=sales, plan=plan)
    theirs = ActionFactory(title="Fix the hotline", department=service, plan=other_plan)
    MilestoneFactory(action=mine, title="List done")
    MilestoneFactory(action=theirs, title="Menu drafted")
    return {"mine": mine, "theirs": theirs, "plan": plan, "other_plan": other_plan}


@pytest.fixture
def sales_key(sales):
    _key, raw = api_key_create(name="Sales tickets", scopes=["actions:write"], department=sales)
    return key_client(raw)


class TestDepartmentRestrictedKey:
    def test_lists_hold_only_its_departments_rows(self, sales_key, two_departments, sales):
        actions = sales_key.get(ACTIONS).json()["results"]
        milestones = sales_key.get("/api/v1/milestones/").json()["results"]
        plans = sales_key.get("/api/v1/action-plans/").json()["results"]
        departments = sales_key.get("/api/v1/departments/").json()["results"]
        filtered = sales_key.get(ACTIONS, {"department": two_departments["theirs"].department_id}).json()

        assert [a["title"] for a in actions] == ["Call back churners"]
        assert [m["title"] for m in milestones] == ["List done"]
        assert [p["name"] for p in plans] == ["Shared plan"]
        assert [d["name"] for d in departments] == ["Sales"]
        assert filtered["count"] == 0

    def test_other_departments_objects_are_404(self, sales_key, two_departments):
        theirs = two_departments["theirs"]
        milestone = Milestone.objects.get(action=theirs)

        assert sales_key.get(f"{ACTIONS}{theirs.pk}/").status_code == 404
        assert sales_key.patch(f"{ACTIONS}{theirs.pk}/", {"status": "done"}, format="json").status_code == 404
        assert sales_key.get(f"{ACTIONS}{theirs.pk}/comments/").status_code == 404
        assert sales_key.post(f"{ACTIONS}{theirs.pk}/comments/", {"body": "Hi"}, format="json").status_code == 404
        assert sales_key.get(f"/api/v1/milestones/{milestone.pk}/").status_code == 404
        assert sales_key.patch(f"/api/v1/milestones/{milestone.pk}/", {"done": True}, format="json").status_code == 404
        assert sales_key.get(f"/api/v1/action-plans/{two_departments['other_plan'].pk}/").status_code == 404
        assert sales_key.get(f"/api/v1/departments/{theirs.department_id}/").status_code == 404
        theirs.refresh_from_db()
        milestone.refresh_from_db()
        assert theirs.status == Action.Status.OPEN and milestone.done_at is None
        assert not theirs.comments.exists()

    def test_works_on_its_own_departments_actions(self, sales_key, two_departments):
        mine = two_departments["mine"]

        status = sales_key.patch(f"{ACTIONS}{mine.pk}/", {"status": "in_progress"}, format="json")
        comment = sales_key.post(f"{ACTIONS}{mine.pk}/comments/", {"body": "Started"}, format="json")
        milestone = sales_key.post(
            "/api/v1/milestones/",
            {"action": mine.pk, "title": "Half the list", "due_date": mine.due_date.isoformat()},
            format="json",
        )

        assert (status.status_code, comment.status_code, milestone.status_code) == (200, 201, 201)
        mine.refresh_from_db()
        assert mine.status == Action.Status.IN_PROGRESS

    def test_creates_actions_only_for_its_own_department(self, sales_key, sales, service):
        due = (timezone.localdate() + timedelta(days=7)).isoformat()

        other = sales_key.post(ACTIONS, {"title": "Sneaky", "department": service.pk, "due_date": due}, format="json")
        own = sales_key.post(ACTIONS, {"title": "Own", "department": sales.pk, "due_date": due}, format="json")

        assert other.status_code == 400 and "department" in other.json()
        assert not Action.objects.filter(title="Sneaky").exists()
        assert own.status_code == 201
        assert Action.objects.get(title="Own").department == sales

    def test_cannot_move_an_action_to_another_department(self, sales_key, two_departments, service):
        mine = two_departments["mine"]

        response = sales_key.patch(f"{ACTIONS}{mine.pk}/", {"department": service.pk}, format="json")

        assert response.status_code == 400 and "department" in response.json()
        mine.refresh_from_db()
        assert mine.department.name == "Sales"

    def test_cannot_add_milestones_to_another_departments_action(self, sales_key, two_departments):
        theirs = two_departments["theirs"]

        response = sales_key.post(
            "/api/v1/milestones/",
            {"action": theirs.pk, "title": "Sneaky", "due_date": theirs.due_date.isoformat()},
            format="json",
        )

        assert response.status_code == 400 and "action" in response.json()
        assert not Milestone.objects.filter(title="Sneaky").exists()

    def test_cannot_delete_nor_manage_departments_plans_or_ownership(self, sales_key, two_departments, sales):
        mine = two_departments["mine"]

        delete = sales_key.delete(f"{ACTIONS}{mine.pk}/")
        department = sales_key.patch(f"/api/v1/departments/{sales.pk}/", {"name": "Renamed"}, format="json")
        plan = sales_key.post("/api/v1/action-plans/", {"name": "Mine"}, format="json")

        assert (delete.status_code, department.status_code, plan.status_code) == (403, 403, 403)
        assert Action.objects.filter(pk=mine.pk).exists()
        assert Department.objects.filter(name="Sales").exists()

    def test_sees_only_its_departments_touchpoint_ownership(self, sales_key, sales, service):
        TouchpointOwnership.objects.create(touchpoint=TouchpointFactory(), department=sales)
        TouchpointOwnership.objects.create(touchpoint=TouchpointFactory(), department=service)

        results = sales_key.get("/api/v1/touchpoint-owners/").json()["results"]

        assert [r["department"] for r in results] == [sales.pk]

    def test_an_unrestricted_key_still_sees_every_department(self, api_client, two_departments):
        titles = {a["title"] for a in api_client.get(ACTIONS).json()["results"]}

        assert titles == {"Call back churners", "Fix the hotline"}


class TestDeletingARestrictedKeysDepartment:
    def test_is_refused_while_a_usable_key_is_restricted_to_it(self, manager, sales):
        api_key_create(name="Sales tickets", scopes=["actions:read"], department=sales)
        client = APIClient()
        client.force_login(manager)

        response = client.delete(f"/api/v1/departments/{sales.pk}/")

        assert response.status_code == 400
        assert "Sales tickets" in response.json()["detail"] and "Revoke" in response.json()["detail"]
        assert Department.objects.filter(pk=sales.pk).exists()
        assert ApiKey.objects.get(name="Sales tickets").department == sales

    def test_goes_ahead_once_the_key_is_revoked_and_the_key_stays_refused(self, manager, sales):
        key, raw = api_key_create(name="Sales tickets", scopes=["actions:read"], department=sales)
        api_key_revoke(api_key=key)
        client = APIClient()
        client.force_login(manager)

        response = client.delete(f"/api/v1/departments/{sales.pk}/")

        assert response.status_code == 204
        key.refresh_from_db()
        assert key.revoked_at is not None and key.department is None
        assert key_client(raw).get(ACTIONS).status_code == 401

    def test_an_expired_key_is_revoked_when_its_department_goes(self, manager, sales):
        key, raw = api_key_create(
            name="Trial", scopes=["actions:read"], department=sales, expires_at=timezone.now() + timedelta(days=1)
        )
        ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(days=1))
        client = APIClient()
        client.force_login(manager)

        assert client.delete(f"/api/v1/departments/{sales.pk}/").status_code == 204
        ApiKey.objects.filter(pk=key.pk).update(expires_at=None)  # even if someone extends it later
        assert key_client(raw).get(ACTIONS).status_code == 401
