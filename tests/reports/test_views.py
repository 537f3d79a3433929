"""The report pages: create with sections and recipients, bad input refused, preview, PDF, send now, history."""

from django.core import mail

from reports.models import ReportDefinition, ReportSend
from tests.reports.test_rendering import pdf_text

FORM = {
    "name": "Monthly management report",
    "sections": ["kpi_summary", "actions"],
    "rhythm": "monthly",
    "weekday": "0",
    "day_of_month": "3",
    "send_time": "07:30",
    "language": "de",
    "addresses": "board@example.com en\nvorstand@example.com",
}


def test_manager_creates_a_report_with_sections_and_recipients(manager_client, manager):
    response = manager_client.post("/reports/new/", {**FORM, "users": [manager.pk]})

    report = ReportDefinition.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    assert report.sections == ["kpi_summary", "actions"]
    assert sorted((r.address, r.language) for r in report.recipients.all()) == [
        ("board@example.com", "en"),
        ("manager@example.com", ""),
        ("vorstand@example.com", ""),
    ]


def test_bad_address_and_no_section_are_refused_in_german_and_nothing_is_saved(manager_client):
    manager_client.cookies["django_language"] = "de"
    response = manager_client.post(
        "/reports/new/", {**FORM, "sections": [], "addresses": "not-an-address"}, HTTP_ACCEPT_LANGUAGE="de"
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Zeile 1: „not-an-address“ ist keine E-Mail-Adresse." in content
    assert ReportDefinition.objects.count() == 0


def test_preview_pdf_send_now_and_history(
    manager_client, april_and_may, monthly_report, django_capture_on_commit_callbacks
):
    preview = manager_client.get(f"/reports/{monthly_report.pk}/", {"from": "2026-05-01", "to": "2026-05-31"})
    assert preview.status_code == 200 and "66.7" in preview.content.decode()

    pdf = manager_client.get(f"/reports/{monthly_report.pk}/pdf/", {"from": "2026-05-01", "to": "2026-05-31"})
    assert pdf["Content-Type"] == "application/pdf" and "66.7" in pdf_text(pdf.content)

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"/reports/{monthly_report.pk}/send/")
    assert response.status_code == 302
    progress = manager_client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "2 of 2 recipients done." in progress and "hx-trigger" not in progress  # finished: polling stops
    assert len(mail.outbox) == 2
    assert ReportSend.objects.filter(trigger="manual", status="sent").count() == 2
    history = manager_client.get(f"/reports/{monthly_report.pk}/history/").content.decode()
    assert "leitung@example.com" in history and "Send now" in history
    # Each send keeps the PDF as it went out.
    sent = ReportSend.objects.filter(recipient="leitung@example.com").get()
    assert f"/reports/{monthly_report.pk}/sent/{sent.pk}/pdf/" in history
    as_sent = manager_client.get(f"/reports/{monthly_report.pk}/sent/{sent.pk}/pdf/")
    assert (
        as_sent["Content-Type"] == "application/pdf"
        and as_sent.content == next(m for m in mail.outbox if m.to == ["leitung@example.com"]).attachments[0][1]
    )


def test_department_members_cannot_see_reports(client, sales_member, monthly_report):
    client.force_login(sales_member)
    assert client.get("/reports/").status_code == 403
    assert client.get(f"/reports/{monthly_report.pk}/pdf/").status_code == 403


def test_report_pages_read_german(client, manager, april_and_may, monthly_report):
    client.force_login(manager)
    pk = monthly_report.pk
    english_words = ["Send now", "History of sends", "Download PDF", "New report", "Sections", ">Rhythm<", "Recipients"]
    for url in ["/reports/", f"/reports/{pk}/", f"/reports/{pk}/history/", "/reports/new/"]:
        content = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
        assert '<html lang="de"' in content, url
        for english in english_words:
            assert english not in content, (url, english)
    detail = client.get(f"/reports/{monthly_report.pk}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Jetzt senden" in detail and "KPI-Übersicht" in detail


def test_section_picker_lists_the_chosen_sections_and_warns_when_the_map_is_missing(manager_client):
    picked = manager_client.get(
        "/reports/sections/", {"sections": ["journey_map", "kpi_summary"]}, HTTP_HX_REQUEST="true"
    ).content.decode()

    assert picked.index("KPI summary") < picked.index("Journey map: emotion and KPIs")  # the report's order
    assert "Choose a journey map for this section." in picked
    german = manager_client.get(
        "/reports/sections/", {"sections": ["journey_map"], "journey_map": "1"}, HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert "Customer Journey Map: Emotion und KPIs" in german and "Wählen Sie" not in german


def test_the_edit_page_sets_persona_and_channel_and_the_preview_names_them(manager_client):
    from tests.journeys.factories import PersonaFactory

    buyer = PersonaFactory(name="Purchasing manager")
    manager_client.post("/reports/new/", FORM)
    report = ReportDefinition.objects.get()

    page = manager_client.get(f"/reports/{report.pk}/edit/").content.decode()
    assert 'name="persona"' in page and 'name="channel"' in page
    response = manager_client.post(
        f"/reports/{report.pk}/edit/", {**FORM, "persona": buyer.pk, "channel": "phone"}, HTTP_ACCEPT_LANGUAGE="de"
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.persona, report.channel) == (buyer, "phone")
    preview = manager_client.get(f"/reports/{report.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Persona: Purchasing manager" in preview and "Channel: Phone" in preview
    assert "Purchasing manager" in manager_client.get("/reports/").content.decode()
