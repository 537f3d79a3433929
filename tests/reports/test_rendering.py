"""The rendered report: the period's numbers in the PDF, German for German readers, nothing fetched from outside."""

import io
import re
from datetime import date

import pypdf

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
