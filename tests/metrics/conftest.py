"""Fixtures of the metrics tests; the helpers that create measured data are in tests/metrics/factories.py."""

from datetime import date

import pytest

from metrics.services import snapshots_recompute
from tests.journeys.factories import TouchpointFactory
from tests.metrics.factories import add_answers, nps_question_at


@pytest.fixture
def april_and_may(db):
    """April: 10 answers, 6 P 2 Pa 2 D → NPS 40.0; May: 12 answers, 9 P 2 Pa 1 D → 66.7, at "Web shop"."""
    question = nps_question_at(TouchpointFactory(name="Web shop"))
    add_answers(question, [10] * 6 + [7, 8] + [0, 1], date(2026, 4, 15))
    add_answers(question, [9] * 9 + [8, 7] + [2], date(2026, 5, 10))
    snapshots_recompute()
    return question
