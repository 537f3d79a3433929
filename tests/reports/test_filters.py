"""A report's filters (journey map, persona, channel, department): the PDF shows the numbers the dashboard
shows for the same filter, names its filters in the header and says where a section cannot apply one."""

from datetime import date

import pytest
from django.utils import translation

from metrics.services import snapshots_recompute
from reports.models import ReportDefinition
from reports.sections import SECTIONS, kpi_number
from reports.services.rendering import report_html, report_pdf
from tests.actionplans.factories import ActionFactory
from tests.journeys.factories import CustomerFactory, PersonaFactory, TouchpointFactory
from tests.metrics.factories import add_answers, nps_question_at
from tests.reports.test_rendering import MAY, pdf_text


@pytest.fixture
def two_audiences(db):
    """May: buyers answer in the web shop (NPS 60.0), technicians on the phone (NPS −40.0); April a few more."""
    buyers, technicians = PersonaFactory(name="Buyer"), PersonaFactory(name="Technician")
    shop = nps_question_at(TouchpointFactory(name="Web shop", channel="website"))
    hotline = nps_question_at(TouchpointFactory(name="Service hotline", channel="phone"))
    buyer, technician = CustomerFactory(persona=buyers), CustomerFactory(persona=technicians)
    add_answers(shop, [10] * 8 + [3] * 2, date(2026, 5, 10), customer=buyer)
    add_answers(hotline, [9] * 3 + [0] * 7, date(2026, 5, 12), customer=technician)
    add_answers(shop, [10] * 5 + [8] * 5, date(2026, 4, 10), customer=buyer)
    add_answers(hotline, [0] * 10, date(2026, 4, 12), customer=technician)
    snapshots_recompute()
    return {"buyers": buyers, "technicians": technicians}


def _report(**filters) -> ReportDefinition:
    return ReportDefinition.objects.create(
        name="Filtered report", sections=list(SECTIONS), rhythm="monthly", **{"language": "en", **filters}
    )


def _dashboard_values(client, query: dict) -> dict[str, str]:
    """The KPI values the overview dashboard shows for May with the given filter, as the report writes them."""
    response = client.get("/dashboards/", {"date_from": "2026-05-01", "date_to": "2026-05-31", **query})
    assert response.status_code == 200
    with translation.override("en"):
        return {
            card.kpi: kpi_number(card.kpi, card.current.value)
            for card in response.context["cards"]
            if card.current.value is not None
        }


def _kpi_part(text: str) -> str:
    return text.split("KPI summary")[1].split("Trend")[0]


@pytest.mark.parametrize(
    ("filters", "query", "expected_nps", "other_nps"),
    [
        ({"persona": "buyers"}, {"persona": "buyers"}, "60.0", "-40.0"),
        ({"channel": "phone"}, {"channel": "phone"}, "-40.0", "60.0"),
        ({}, {}, "10.0", "60.0"),
    ],
)
def test_pdf_shows_the_kpi_values_the_dashboard_shows_for_the_same_filter(
    two_audiences, manager_client, filters, query, expected_nps, other_nps
):
    resolve = {"buyers": two_audiences["buyers"], "technicians": two_audiences["technicians"]}
    report = _report(**{k: resolve.get(v, v) for k, v in filters.items()})
    query = {k: resolve[v].pk if v in resolve else v for k, v in query.items()}

    dashboard = _dashboard_values(manager_client, query)
    kpis = _kpi_part(pdf_text(report_pdf(report=report, language="en", **MAY)))

    assert dashboard["nps"] == expected_nps
    for kpi, value in dashboard.items():
        assert value in kpis, f"{kpi} {value} is on the dashboard, not in the PDF"
    assert f"NPS {expected_nps} " in kpis and f"NPS {other_nps} " not in kpis


def test_header_names_the_filters_and_sections_say_what_they_cannot_filter(two_audiences):
    report = _report(persona=two_audiences["buyers"], channel="phone")

    text = pdf_text(report_pdf(report=report, language="en", **MAY))

    assert "Persona: Buyer" in text and "Channel: Phone" in text
    kpis = _kpi_part(text)
    # The KPI snapshots hold one filter at a time: the persona's numbers, and the PDF says the channel is not applied.
    assert "60.0" in kpis and "Not filtered by: Channel" in kpis
    assert "per combination" in kpis
    touchpoints = text.split("Breakdown by touchpoint")[1].split("Journey map")[0]
    assert "Service hotline" in touchpoints and "Web shop" not in touchpoints  # the phone channel only
    assert "Not filtered by: Persona" in touchpoints
    drivers = text.split("Key drivers of the NPS")[1]
    assert "Not filtered by: Persona, Channel" in drivers


def test_german_pdf_names_the_filters_in_german(two_audiences):
    report = _report(channel="phone")

    text = pdf_text(report_pdf(report=report, language="de", **MAY))

    assert "Filter: Kanal: Telefon" in text
    assert "-40,0" in text or "−40,0" in text


def test_voice_and_comments_follow_persona_and_channel(two_audiences):
    from tests.voice.factories import items

    may = "2026-05-12T10:00:00+02:00"
    buyer = CustomerFactory(persona=two_audiences["buyers"], external_id="B-1")
    technician = CustomerFactory(persona=two_audiences["technicians"], external_id="T-1")
    items(
        {"text": "Die Rechnung war falsch.", "occurred_at": may, "channel": "email", "customer": buyer.external_id},
        {"text": "Der Techniker kam nie.", "occurred_at": may, "channel": "phone", "customer": technician.external_id},
    )
    from voice.models import FeedbackItem, Topic

    billing = Topic.objects.create(key="de:rechnung", language="de", label="Rechnung")
    visit = Topic.objects.create(key="de:besuch", language="de", label="Technikerbesuch")
    FeedbackItem.objects.get(text__startswith="Die Rechnung").topics.add(billing)
    FeedbackItem.objects.get(text__startswith="Der Techniker").topics.add(visit)

    html = report_html(report=_report(persona=two_audiences["technicians"]), language="en", **MAY)
    topics = html.split("part-voice_topics")[1].split("</section>")[0]
    assert "Technikerbesuch" in topics and "Rechnung" not in topics

    html = report_html(report=_report(channel="email"), language="en", **MAY)
    topics = html.split("part-voice_topics")[1].split("</section>")[0]
    assert "Rechnung" in topics and "Technikerbesuch" not in topics


def test_a_department_report_lists_only_that_departments_actions_in_the_pdf(two_audiences, sales, service):
    ActionFactory(title="Call back unhappy buyers", department=sales, due_date=date(2026, 5, 20))
    ActionFactory(title="Rewrite the hotline script", department=service, due_date=date(2026, 5, 20))
    ActionFactory(title="Done long ago", department=service, status="done", due_date=date(2026, 5, 2))
    from actionplans.models import TouchpointOwnership
    from journeys.models import Touchpoint

    TouchpointOwnership.objects.create(touchpoint=Touchpoint.objects.get(name="Web shop"), department=sales)
    TouchpointOwnership.objects.create(touchpoint=Touchpoint.objects.get(name="Service hotline"), department=service)
    report = _report(department=sales, persona=two_audiences["buyers"])

    text = pdf_text(report_pdf(report=report, language="en", **MAY))

    touchpoints = text.split("Breakdown by touchpoint")[1].split("Journey map")[0]
    assert "Web shop" in touchpoints and "Service hotline" not in touchpoints  # the touchpoints Sales owns

    actions = text.split("Actions: status and overdue")[1].split("Voice:")[0]
    assert "Call back unhappy buyers" in actions
    assert "Rewrite the hotline script" not in text and "Done long ago" not in text
    assert "Department: Sales" in text


def test_the_e_mail_names_the_filters_and_gives_the_filtered_key_numbers(two_audiences, mailoutbox):
    import datetime
    from zoneinfo import ZoneInfo

    from reports.services import sending

    report = _report(persona=two_audiences["technicians"], language="de")
    report.recipients.create(email="leitung@example.com")
    report.created_at = datetime.datetime(2026, 5, 20, tzinfo=ZoneInfo("Europe/Berlin"))
    report.save(update_fields=["created_at"])

    sending.reports_send_due(now=datetime.datetime(2026, 6, 1, 7, 5, tzinfo=ZoneInfo("Europe/Berlin")))

    (message,) = mailoutbox
    assert "Filter: Persona: Technician" in message.body
    assert "NPS: -40,0 " in message.body  # the technicians' NPS, not the buyers' (60,0) nor everyone's (10,0)
    assert "Persona: Technician" in message.alternatives[0][0]
