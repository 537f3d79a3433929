"""Fixtures of the reports tests: May's measured NPS (tests/metrics' april_and_may) and a monthly report on it."""

from datetime import date

import pytest

from metrics.services import snapshots_recompute
from reports.models import ReportDefinition, ReportRecipient
from reports.sections import SECTIONS
from tests.journeys.factories import TouchpointFactory
from tests.metrics.factories import add_answers, nps_question_at


@pytest.fixture
def april_and_may(db):
    """April: 10 answers → NPS 40.0; May: 12 answers → NPS 66.7 (9 P 2 Pa 1 D), at "Web shop"."""
    question = nps_question_at(TouchpointFactory(name="Web shop"))
    add_answers(question, [10] * 6 + [7, 8] + [0, 1], date(2026, 4, 15))
    add_answers(question, [9] * 9 + [8, 7] + [2], date(2026, 5, 10))
    snapshots_recompute()
    return question


@pytest.fixture
def monthly_report(db, manager):
    report = ReportDefinition.objects.create(
        name="Management report", sections=list(SECTIONS), rhythm="monthly", day_of_month=1, language="en"
    )
    ReportRecipient.objects.create(report=report, user=manager, language="en")
    ReportRecipient.objects.create(report=report, email="leitung@example.com", language="de")
    return report
