"""The audit log records who changed what — through the pages, the API and the admin — and every sign-in;
CX managers read it with filters and as CSV, integrators with ``audit:read``; nobody can change it."""

import csv
import io

import pytest
from auditlog.models import LogEntry

from cxportal.apikeys import api_key_create
from tests.actionplans.factories import ActionFactory
from tests.helpers import key_client
from tests.webhooks.conftest import PUBLIC_URL

pytestmark = pytest.mark.django_db


def _entries_for(obj):
    return LogEntry.objects.get_for_object(obj).order_by("timestamp", "pk")


def test_a_change_in_the_api_names_the_key_and_the_fields_before_and_after(api_client_for):
    action = ActionFactory(title="Call back detractors")
    key, raw = api_key_create(name="CRM sync", scopes=["actions:write"])
    client = key_client(raw)

    response = client.patch(f"/api/v1/actions/{action.pk}/", {"title": "Call back every detractor"}, format="json")

    assert response.status_code == 200
    entry = _entries_for(action).last()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes_dict["title"] == ["Call back detractors", "Call back every detractor"]
    assert entry.actor is None
    assert entry.additional_data["api_key"] == key.prefix
    assert entry.remote_addr == "127.0.0.1"


def test_a_change_in_the_pages_names_the_person(manager_client, manager):
    manager_client.post("/journeys/new/", {"name": "Ersatzteile", "kind": "current_state", "stage_template": "classic"})
    from journeys.models import JourneyMap

    journey_map = JourneyMap.objects.filter(name="Ersatzteile").first()
    assert journey_map is not None
    entry = _entries_for(journey_map).first()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == manager


def test_a_change_in_the_admin_is_recorded(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-root")
    client.force_login(admin)
    action = ActionFactory(title="Old title")
    page = client.get(f"/admin/actionplans/action/{action.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["title"] = "New title from the admin"
    client.post(f"/admin/actionplans/action/{action.pk}/change/", data)
    action.refresh_from_db()
    assert action.title == "New title from the admin"
    entry = _entries_for(action).last()
    assert entry.actor == admin
    assert entry.changes_dict["title"][1] == "New title from the admin"


def test_sign_ins_and_failed_sign_ins_are_recorded(client, manager):
    client.post("/accounts/login/", {"username": "manager", "password": "wrong"})
    client.post("/accounts/login/", {"username": "manager", "password": "pw-manager"})
    events = list(
        LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
        .order_by("pk")
        .values_list("additional_data__event", "actor_id")
    )
    assert events == [("sign_in_failed", None), ("sign_in", manager.pk)]


def test_secrets_are_never_in_the_log(api_client):
    created = api_client.post(
        "/api/v1/webhooks/", {"name": "CRM", "url": PUBLIC_URL, "events": ["action.done"]}, format="json"
    )
    assert created.status_code == 201, created.content
    entry = LogEntry.objects.filter(content_type__model="webhooksubscription").first()
    assert entry is not None
    assert "secret" not in entry.changes_dict
    assert created.json()["secret"] not in str(entry.changes)
    key_entry = LogEntry.objects.filter(content_type__model="apikey").first()
    assert key_entry is not None and "key_hash" not in key_entry.changes_dict


def test_the_page_filters_and_exports_csv(manager_client):
    kept = ActionFactory(title="Kept")
    kept.title = "Kept, renamed"
    kept.save()
    ActionFactory(title="Other")

    page = manager_client.get("/settings/audit-log/", {"object_type": "actionplans.action", "action": "update"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kept, renamed" in text
    assert "Title: Kept → Kept, renamed" in text  # the field's name as people read it
    german = manager_client.get(
        "/settings/audit-log/", {"object_type": "actionplans.action", "action": "update"}, HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert "Titel: Kept → Kept, renamed" in german
    assert "Other" not in text.split('id="audit-log"')[1]

    export = manager_client.get("/settings/audit-log/export.csv", {"object_type": "actionplans.action"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "Time"
    assert {row[5] for row in rows[1:]} >= {"Kept, renamed", "Other"}


def test_only_cx_managers_read_the_page(client, sales_member):
    client.force_login(sales_member)
    assert client.get("/settings/audit-log/").status_code in (403, 404)


def test_the_api_lists_entries_with_audit_read_and_offers_no_way_to_change_them():
    ActionFactory(title="Visible in the log")
    _key, raw = api_key_create(name="SIEM", scopes=["audit:read"])
    client = key_client(raw)

    listed = client.get("/api/v1/audit-log/?object_type=actionplans.action&action=create")
    assert listed.status_code == 200
    assert [row["object_repr"] for row in listed.json()["results"]] == ["Visible in the log"]
    entry_id = listed.json()["results"][0]["id"]
    assert client.delete(f"/api/v1/audit-log/{entry_id}/").status_code in (404, 405)
    assert client.post("/api/v1/audit-log/", {}, format="json").status_code in (403, 405)

    _other, raw_other = api_key_create(name="actions only", scopes=["actions:read"])
    assert key_client(raw_other).get("/api/v1/audit-log/").status_code == 403


def test_the_admin_cannot_change_or_delete_entries(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-root")
    client.force_login(admin)
    ActionFactory(title="x")
    entry = LogEntry.objects.first()
    assert client.get(f"/admin/auditlog/logentry/{entry.pk}/delete/").status_code in (302, 403)
    client.post(f"/admin/auditlog/logentry/{entry.pk}/delete/", {"post": "yes"})
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_a_sign_in_from_a_request_without_an_address_is_recorded_without_one(client, manager):
    # Requests built without REMOTE_ADDR (internal callers, some proxies) must not break the sign-in: the
    # address column is an inet on PostgreSQL, so "unknown" would fail the insert.
    from django.contrib.auth import login
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    request.session = SessionStore()
    login(request, manager, backend="django.contrib.auth.backends.ModelBackend")

    entry = LogEntry.objects.filter(additional_data__event="sign_in", actor=manager).last()
    assert entry is not None
    assert entry.remote_addr is None
