"""The rendered report: the period's numbers in the PDF, German for German readers, nothing fetched from outside."""

import io
import re
from datetime import date

import numpy as np
import pypdf
import pytest

from reports.services.rendering import report_html, report_pdf
from tests.actionplans.factories import ActionFactory

MAY = {"date_from": date(2026, 5, 1), "date_to": date(2026, 5, 31)}


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_contains_the_periods_numbers_and_the_comparison(april_and_may, monthly_report):
    text = pdf_text(report_pdf(report=monthly_report, language="en", **MAY))

    assert "Management report" in text
    assert "66.7" in text  # May's NPS, as the dashboard shows it for May
    assert "40.0" in text  # April, the previous period
    assert "+26.7" in text
    assert "05/01/2026" in text or "2026-05-01" in text or "May" in text


def test_german_reader_gets_german_text_and_numbers(april_and_may, monthly_report):
    text = pdf_text(report_pdf(report=monthly_report, language="de", **MAY))

    assert "66,7" in text and "66.7" not in text
    assert "Zeitraum: 01.05.2026 – 31.05.2026" in text
    assert "Vorperiode" in text
    assert "Maßnahmen" in text


def test_actions_section_lists_overdue_actions_of_the_report_department_only(monthly_report, sales, service):
    ActionFactory(title="Call back unhappy customers", department=sales, due_date=date(2026, 5, 20))
    ActionFactory(title="Rewrite the FAQ", department=service, due_date=date(2026, 5, 20))
    monthly_report.department = sales
    monthly_report.save(update_fields=["department"])

    html = report_html(report=monthly_report, language="en", **MAY)

    assert "Call back unhappy customers" in html
    assert "Rewrite the FAQ" not in html


def test_rendered_html_names_no_external_url(april_and_may, monthly_report):
    html = report_html(report=monthly_report, language="en", **MAY)

    # The one namespace URI of inline SVG is an identifier, not a resource; nothing else may name a host.
    urls = set(re.findall(r"(?:https?:)?//[\w.-]+", html)) - {"http://www.w3.org"}
    assert urls == set()
    assert "<svg" in html  # the charts are inline


def test_voice_topics_customers_at_risk_and_drivers_sections_read_the_apps_they_come_from(monthly_report):
    from django.utils import timezone

    from decisions.models import ChurnModel, ChurnRisk
    from tests.journeys.factories import CustomerFactory
    from tests.voice.factories import items
    from voice.models import FeedbackItem, Topic

    may = "2026-05-12T10:00:00+02:00"
    ids = items(
        {"text": "Lieferung wieder verspätet, niemand hat uns informiert.", "occurred_at": may},
        {"text": "Die Lieferung kam zu spät und unvollständig.", "occurred_at": may},
        {"text": "Der Techniker war schnell und freundlich.", "occurred_at": may},
        {"text": "Lieferung verspätet, aber im Juni.", "occurred_at": "2026-06-12T10:00:00+02:00"},
    )
    delivery = Topic.objects.create(key="de:lieferung", language="de", label="Lieferung")
    for pk in (ids[0], ids[1], ids[3]):
        FeedbackItem.objects.get(pk=pk).topics.add(delivery)
    # One feature, falling revenue, which adds to the risk of every customer below its mean.
    scaling = {"features": ["revenue_trend"], "mean": [0.0], "scale": [1.0], "coef": [-1.0], "intercept": 0.0}
    model = ChurnModel.objects.create(status=ChurnModel.Status.OK, horizon_days=90, auc=0.81, scaling=scaling)
    for name, probability in [("Berger Maschinenbau GmbH", 0.62), ("Kraus Logistik AG", 0.08)]:
        ChurnRisk.objects.create(
            customer=CustomerFactory(name=name),
            model=model,
            probability=probability,
            features=np.array([-0.5], dtype="<f8").tobytes(),
            scored_at=timezone.now(),
        )

    html = report_html(report=monthly_report, language="de", **MAY)

    topics = html.split("part-voice_topics")[1].split("</section>")[0]
    assert "Lieferung" in topics and ">2<" in topics  # May's two texts, not June's
    risk = html.split("part-customers_at_risk")[1].split("</section>")[0]
    assert risk.index("Berger Maschinenbau GmbH") < risk.index("Kraus Logistik AG")  # riskiest first
    assert "62,0 %" in risk and "0,81" in risk and "Umsatz" in risk
    drivers = html.split("part-key_drivers")[1].split("</section>")[0]
    assert "Zu wenige Kunden mit Beziehungs-NPS" in drivers


def test_at_risk_section_says_so_when_the_model_refused(monthly_report):
    from decisions.models import ChurnModel

    ChurnModel.objects.create(status=ChurnModel.Status.REFUSED, reason="too_few_customers", horizon_days=90)

    html = report_html(report=monthly_report, language="en", **MAY)

    assert "No churn-risk model with enough history yet" in html.split("part-customers_at_risk")[1]


def test_rendering_a_pdf_leaves_the_cycle_collector_as_it_found_it(april_and_may, monthly_report, monkeypatch):
    """The collector is paused while WeasyPrint lays out (a third of the time otherwise) and back on afterwards,
    also when the rendering fails, so a worker that renders reports does not grow without bound."""
    import gc

    import weasyprint

    assert gc.isenabled()
    during = []
    real = weasyprint.HTML.write_pdf

    def watching(self, *args, **kwargs):
        during.append(gc.isenabled())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", watching)
    assert report_pdf(report=monthly_report, language="en", **MAY).startswith(b"%PDF")
    assert during == [False] and gc.isenabled()

    def failing(self, *args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", failing)
    with pytest.raises(RuntimeError):
        report_pdf(report=monthly_report, language="en", **MAY)
    assert gc.isenabled()
