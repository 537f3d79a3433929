"""``/api/v1/reports/``: integrators define reports, send one now, fetch its PDF and read the history of sends."""

import pytest

from cxportal.apikeys import api_key_create
from reports.models import ReportDefinition, ReportSend
from tests.helpers import key_client, session_client
from tests.reports.test_rendering import pdf_text

URL = "/api/v1/reports/"


def _body(**extra) -> dict:
    return {
        "name": "Board report",
        "sections": ["kpi_summary", "actions"],
        "rhythm": "weekly",
        "weekday": 0,
        "language": "de",
        "recipients": [{"email": "Board@Example.com", "language": "en"}],
        **extra,
    }


def test_create_list_retrieve_update_and_delete_a_report(api_client, sales):
    created = api_client.post(URL, _body(department=sales.pk, channel="phone"), format="json")

    assert created.status_code == 201, created.json()
    report = created.json()
    assert report["sections"] == ["kpi_summary", "actions"]
    assert report["channel"] == "phone" and report["department"] == sales.pk
    assert report["recipients"] == [{"user": None, "email": "board@example.com", "language": "en"}]
    assert report["next_due"] is not None
    listed = api_client.get(URL, {"channel": "phone"}).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == report["id"]
    assert api_client.get(URL, {"channel": "email"}).json()["count"] == 0

    changed = api_client.patch(f"{URL}{report['id']}/", {"active": False, "name": "Vorstand"}, format="json")

    assert changed.status_code == 200, changed.json()
    assert changed.json()["name"] == "Vorstand" and changed.json()["next_due"] is None
    # A partial update keeps what it does not name: recipients, sections, filters.
    assert changed.json()["recipients"] == report["recipients"]
    assert changed.json()["channel"] == "phone"
    assert api_client.delete(f"{URL}{report['id']}/").status_code == 204
    assert not ReportDefinition.objects.exists()


def test_bad_input_is_a_german_field_error_and_changes_nothing(api_client):
    response = api_client.post(URL, _body(sections=[], recipients=[]), format="json", HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 400
    body = response.json()
    assert body["sections"] == ["Wählen Sie mindestens einen Abschnitt."]
    assert not ReportDefinition.objects.exists()

    response = api_client.post(URL, _body(recipients=[{"email": ""}]), format="json", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert "Geben Sie entweder" in str(response.json()["recipients"])

    response = api_client.post(URL, _body(sections=["nope"]), format="json", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400 and "sections" in response.json()
    assert not ReportDefinition.objects.exists()


@pytest.fixture
def report(db):
    report = ReportDefinition.objects.create(name="Monthly", sections=["kpi_summary"], language="en")
    report.recipients.create(email="board@example.com", language="de")
    return report


def test_send_now_queues_a_send_and_the_history_shows_it(
    api_client, report, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(f"{URL}{report.pk}/send/", HTTP_IDEMPOTENCY_KEY="send-1")

    assert response.status_code == 202, response.json()
    assert response.json()["batch"] == 1
    assert [s["recipient"] for s in response.json()["sends"]] == ["board@example.com"]
    # The same Idempotency-Key does not send twice.
    again = api_client.post(f"{URL}{report.pk}/send/", HTTP_IDEMPOTENCY_KEY="send-1")
    assert again.status_code == 202 and again.json()["batch"] == 1
    assert ReportSend.objects.count() == 1

    history = api_client.get(f"{URL}{report.pk}/sends/").json()

    assert history["count"] == 1
    assert history["results"][0]["status"] == "sent"  # the worker (eager in tests) ran on commit
    assert history["results"][0]["trigger"] == "manual"
    send = history["results"][0]
    assert send["has_pdf"] and len(mailoutbox) == 1
    pdf = api_client.get(f"{URL}{report.pk}/sends/{send['id']}/pdf/")
    assert pdf.status_code == 200 and pdf.content == mailoutbox[0].attachments[0][1]
    other = ReportDefinition.objects.create(name="Other", sections=["trend"])
    assert api_client.get(f"{URL}{other.pk}/sends/{send['id']}/pdf/").status_code == 404


def test_send_now_without_recipients_is_a_german_400(api_client, report):
    report.recipients.all().delete()

    response = api_client.post(f"{URL}{report.pk}/send/", HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 400
    assert response.json() == {"detail": "Dieser Bericht hat keinen Empfänger mit E-Mail-Adresse."}


def test_pdf_is_the_report_for_the_period_asked(api_client, report):
    response = api_client.get(f"{URL}{report.pk}/pdf/", {"from": "2026-05-01", "to": "2026-05-31", "language": "de"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Monthly" in text and "01.05.2026" in text

    bad = api_client.get(
        f"{URL}{report.pk}/pdf/", {"from": "2026-05-31", "to": "2026-05-01"}, HTTP_ACCEPT="application/pdf"
    )
    assert bad.status_code == 400 and bad["Content-Type"] == "application/json"
    assert api_client.get(f"{URL}999999/pdf/").status_code == 404


def test_scopes_and_roles(report, sales_member):
    _key, raw = api_key_create(name="reader", scopes=["reports:read"])
    reader = key_client(raw)

    assert reader.get(URL).status_code == 200
    assert reader.get(f"{URL}{report.pk}/sends/").status_code == 200
    refused = reader.post(f"{URL}{report.pk}/send/", HTTP_ACCEPT_LANGUAGE="de")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Diesem API-Schlüssel fehlt der Bereich reports:write."}
    _key, raw = api_key_create(name="metrics", scopes=["metrics:read"])
    assert key_client(raw).get(URL).status_code == 403
    # Reports span every department: department members have no access.
    assert session_client(sales_member).get(URL).status_code == 403


def test_list_queries_stay_constant(api_client, report, django_assert_max_num_queries):
    for n in range(5):
        ReportDefinition.objects.create(name=f"R{n}", sections=["trend"]).recipients.create(email=f"r{n}@example.com")

    with django_assert_max_num_queries(8):
        response = api_client.get(URL)

    assert response.json()["count"] == 6
    assert all(len(r["recipients"]) == 1 for r in response.json()["results"])
