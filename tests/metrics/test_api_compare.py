"""GET /api/v1/metrics/ with compare=previous (significance of each change) and partial periods."""

import math
from datetime import date, timedelta

import pytest
from drf_spectacular.generators import SchemaGenerator
from scipy import stats as scipy_stats

from metrics.periods import site_today
from metrics.services import snapshots_recompute
from surveys.models import Question
from tests.journeys.factories import TouchpointFactory
from tests.metrics.factories import add_answers, add_scored_days
from tests.surveys.factories import QuestionFactory, SurveyFactory

URL = "/api/v1/metrics/"


def _question(kind, touchpoint=None):
    return QuestionFactory(survey=SurveyFactory(touchpoint=touchpoint or TouchpointFactory()), kind=kind)


@pytest.fixture
def nps_jan_feb(db):
    """January: 5 promoters, 3 passives, 2 detractors (NPS 30); February: 1 promoter, 1 detractor (NPS 0)."""
    question = _question(Question.Kind.NPS)
    january = [10, 10, 9, 9, 9, 8, 7, 7, 6, 0]
    add_scored_days(question, [(s, date(2026, 1, 5 + i)) for i, s in enumerate(january)])
    add_scored_days(question, [(10, date(2026, 2, 3)), (2, date(2026, 2, 27))])
    snapshots_recompute()
    return question


class TestCompareWithPreviousPeriod:
    def test_each_month_carries_its_change_against_the_month_before(self, api_client, nps_jan_feb):
        body = api_client.get(
            URL, {"kpi": "nps", "from": "2026-01-01", "to": "2026-02-28", "bucket": "month", "compare": "previous"}
        ).json()

        january, february = body["results"]
        # December has no answers: no change can be tested.
        assert january["change"] == {"delta": None, "p_value": None, "significant": False}
        # 30 → 0 on 10 and 2 answers: v₁ = 0.61, v₂ = 1, z = 0.3 / √(0.061 + 0.5).
        z = 0.3 / math.sqrt(0.61 / 10 + 1 / 2)
        assert february["change"]["delta"] == -30.0
        assert february["change"]["p_value"] == pytest.approx(2 * scipy_stats.norm.sf(z))
        assert february["change"]["significant"] is False
        # The 59 days before 1 January hold no answers.
        assert body["total"]["change"] == {"delta": None, "p_value": None, "significant": False}

    def test_without_compare_there_is_no_change(self, api_client, nps_jan_feb):
        body = api_client.get(URL, {"kpi": "nps", "from": "2026-01-01", "to": "2026-02-28"}).json()

        assert "change" not in body["total"]
        assert all("change" not in r for r in body["results"])

    def test_a_csat_drop_on_enough_answers_is_significant(self, api_client, db):
        question = _question(Question.Kind.CSAT)
        add_answers(question, [5] * 15 + [2] * 5, date(2026, 3, 10))  # 75 % satisfied
        add_answers(question, [5] * 5 + [2] * 15, date(2026, 4, 10))  # 25 % satisfied
        snapshots_recompute()

        body = api_client.get(
            URL, {"kpi": "csat", "from": "2026-04-01", "to": "2026-04-30", "bucket": "month", "compare": "previous"}
        ).json()

        # Against 2–31 March (the 30 days before): pooled 0.5, se = √(0.25 · 0.1), z = 0.5 / se.
        expected = 2 * scipy_stats.norm.sf(0.5 / math.sqrt(0.25 * 0.1))
        assert body["total"]["change"]["delta"] == -50.0
        assert body["total"]["change"]["p_value"] == pytest.approx(expected)
        assert body["total"]["change"]["significant"] is True
        assert body["results"][0]["change"]["p_value"] == pytest.approx(expected)

    def test_ces_change_is_welchs_t_test_on_the_answers(self, api_client, db):
        question = _question(Question.Kind.CES)
        march, april = [2, 3, 3, 4, 2], [5, 6, 6, 7, 5, 6]
        add_scored_days(question, [(s, date(2026, 3, 3 + i)) for i, s in enumerate(march)])
        add_scored_days(question, [(s, date(2026, 4, 3 + i)) for i, s in enumerate(april)])
        snapshots_recompute()

        body = api_client.get(
            URL, {"kpi": "ces", "from": "2026-04-01", "to": "2026-04-30", "bucket": "month", "compare": "previous"}
        ).json()

        change = body["results"][0]["change"]
        assert change["p_value"] == pytest.approx(scipy_stats.ttest_ind(april, march, equal_var=False).pvalue)
        assert change["delta"] == round(sum(april) / 6 - sum(march) / 5, 2)
        assert change["significant"] is True

    def test_unknown_compare_is_a_400(self, api_client, db):
        response = api_client.get(URL, {"kpi": "nps", "compare": "last_year"})

        assert response.status_code == 400
        assert "compare" in response.json()

    def test_the_schema_documents_compare_change_and_partial(self, db):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        parameters = {p["name"] for p in schema["paths"]["/api/v1/metrics/"]["get"]["parameters"]}
        components = schema["components"]["schemas"]
        assert "compare" in parameters
        assert {"partial", "change"} <= set(components["KpiValue"]["properties"])
        assert {"partial", "change"} <= set(components["KpiPeriod"]["properties"])
        assert set(components["Change"]["properties"]) == {"delta", "p_value", "significant"}


class TestPartialPeriods:
    def test_the_running_month_and_a_range_up_to_today_are_partial(self, api_client, db):
        today = site_today()
        question = _question(Question.Kind.NPS)
        month_start = today.replace(day=1)
        last_month = (month_start - timedelta(days=1)).replace(day=1)
        add_answers(question, [10, 9, 3], last_month)
        add_answers(question, [10, 6], today)
        snapshots_recompute()

        body = api_client.get(
            URL, {"kpi": "nps", "from": last_month.isoformat(), "to": today.isoformat(), "bucket": "month"}
        ).json()

        assert body["total"]["partial"] is True
        finished, running = body["results"]
        assert "partial" not in finished
        assert running["period_start"] == month_start.isoformat()
        assert running["partial"] is True

    def test_a_period_that_ended_yesterday_is_not_partial(self, api_client, db):
        yesterday = site_today() - timedelta(days=1)
        body = api_client.get(URL, {"kpi": "nps", "to": yesterday.isoformat(), "bucket": "day"}).json()

        assert "partial" not in body["total"]
