"""KPI formulas (DESIGN.md "KPI definitions") against hand-computed fixtures, scopes, buckets and time zones."""

import math
import statistics
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from metrics import selectors
from metrics.kpis import Stats, ces, csat, nps, period_start
from metrics.models import KpiSnapshot
from metrics.services import snapshots_recompute
from surveys.models import Question, Response
from surveys.services import response_submit
from tests.journeys.factories import (
    CustomerFactory,
    JourneyMapFactory,
    PersonaFactory,
    StageFactory,
    TouchpointFactory,
)
from tests.metrics.factories import noon, respond
from tests.surveys.factories import QuestionFactory, SurveyFactory

BERLIN = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")


@pytest.fixture(autouse=True)
def site_time_zone(settings):
    """The hand-computed local days below are Berlin's (the default TIME_ZONE), whatever the environment says."""
    settings.TIME_ZONE = "Europe/Berlin"


def nps_stats(scores: list[int]) -> Stats:
    return Stats(
        n=len(scores),
        total=float(sum(scores)),
        total_sq=float(sum(s * s for s in scores)),
        count_a=sum(s >= 9 for s in scores),
        count_b=sum(7 <= s <= 8 for s in scores),
        count_c=sum(s <= 6 for s in scores),
    )


def scored_stats(scores: list[int], *, top: int) -> Stats:
    """CSAT/CES statistics: count_a holds the answers at or above ``top``."""
    return Stats(
        n=len(scores),
        total=float(sum(scores)),
        total_sq=float(sum(s * s for s in scores)),
        count_a=sum(s >= top for s in scores),
    )


def series(kpi="nps", *, scope_type="company", scope_key="", bucket="month", date_from, date_to):
    return selectors.kpi_series(
        kpi=kpi, scope_type=scope_type, scope_key=scope_key, bucket=bucket, date_from=date_from, date_to=date_to
    )


# --- Formulas on sufficient statistics ------------------------------------------------------------


class TestNpsFormula:
    def test_five_promoters_three_passives_two_detractors(self):
        scores = [10, 10, 9, 9, 9, 8, 7, 7, 6, 0]
        p, d, n = 5, 2, 10
        # By hand: NPS = 100·(5 − 2)/10; per-answer scores +1/0/−1 have mean 0.3 and E[x²] = 7/10.
        v = (p + d) / n - ((p - d) / n) ** 2
        assert v == pytest.approx(0.61)
        assert statistics.pvariance([1] * 5 + [0] * 3 + [-1] * 2) == pytest.approx(0.61)
        assert 1.96 * 100 * math.sqrt(0.61 / 10) == pytest.approx(48.408, abs=1e-3)

        result = nps(nps_stats(scores))

        assert result.value == 30.0
        assert result.n == 10
        assert result.margin_of_error == 48.4
        assert result.breakdown == {"promoters": 5, "passives": 3, "detractors": 2}

    def test_no_answers_have_no_value_never_zero(self):
        result = nps(Stats())

        assert result.value is None
        assert result.margin_of_error is None
        assert result.n == 0

    def test_all_promoters_is_100_without_uncertainty(self):
        result = nps(nps_stats([9, 10, 10, 9]))

        assert result.value == 100.0
        assert result.margin_of_error == 0.0

    def test_all_detractors_is_minus_100(self):
        result = nps(nps_stats([0, 6, 3]))

        assert result.value == -100.0
        assert result.margin_of_error == 0.0

    @pytest.mark.parametrize(
        ("score", "expected"), [(10, 100.0), (9, 100.0), (8, 0.0), (7, 0.0), (6, -100.0), (0, -100.0)]
    )
    def test_a_single_response(self, score, expected):
        result = nps(nps_stats([score]))

        assert result.value == expected
        assert result.n == 1
        assert result.margin_of_error == 0.0

    def test_value_has_one_decimal(self):
        # 1 promoter, 2 detractors of 3: 100·(1 − 2)/3 = −33.33…
        result = nps(nps_stats([10, 3, 5]))

        assert result.value == -33.3
        # v = 3/3 − (1/3)² = 8/9; MoE = 196·sqrt(8/27) = 106.69…
        assert result.margin_of_error == 106.7

    def test_the_score_of_the_answer_does_not_matter_only_its_category(self):
        assert nps(nps_stats([9, 7, 0])) == nps(nps_stats([10, 8, 6]))


class TestCsatFormula:
    def test_top_two_box_share_and_mean(self):
        scores = [5, 4, 4, 3, 1]

        result = csat(scored_stats(scores, top=4))

        assert result.value == 60.0  # 3 of 5 answers are 4 or 5
        assert result.breakdown["mean"] == 3.4  # 17 / 5
        assert result.breakdown["satisfied"] == 3
        assert result.n == 5

    def test_share_has_one_decimal(self):
        result = csat(scored_stats([5, 2, 1], top=4))

        assert result.value == 33.3
        assert result.breakdown["mean"] == 2.67

    def test_no_answers_have_no_value(self):
        assert csat(Stats()).value is None
        assert csat(Stats()).margin_of_error is None


class TestCesFormula:
    def test_mean_with_two_decimals_and_share_of_easy(self):
        result = ces(scored_stats([7, 6, 3], top=5))

        assert result.value == 5.33  # 16 / 3
        assert result.breakdown["share_easy"] == 66.7  # 2 of 3 answers are 5–7
        assert result.n == 3

    def test_no_answers_have_no_value(self):
        assert ces(Stats()).value is None


class TestPeriodStart:
    @pytest.mark.parametrize(
        ("bucket", "day", "expected"),
        [
            ("day", date(2026, 6, 14), date(2026, 6, 14)),
            ("week", date(2026, 6, 14), date(2026, 6, 8)),  # a Sunday belongs to the week from Monday before
            ("week", date(2026, 6, 15), date(2026, 6, 15)),  # a Monday starts its week
            ("week", date(2026, 1, 1), date(2025, 12, 29)),  # weeks cross year ends
            ("month", date(2026, 2, 28), date(2026, 2, 1)),
            ("quarter", date(2026, 3, 31), date(2026, 1, 1)),
            ("quarter", date(2026, 4, 1), date(2026, 4, 1)),
            ("quarter", date(2026, 12, 31), date(2026, 10, 1)),
        ],
    )
    def test_buckets(self, bucket, day, expected):
        assert period_start(day, bucket) == expected

    def test_unknown_bucket_is_refused(self):
        with pytest.raises(ValueError, match="year"):
            period_start(date(2026, 1, 1), "year")


@hypothesis_settings(max_examples=50, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 10_000))
def test_nps_is_always_between_minus_100_and_100(promoters, passives, detractors):
    n = promoters + passives + detractors

    result = nps(Stats(n=n, count_a=promoters, count_b=passives, count_c=detractors))

    if n == 0:
        assert result.value is None
    else:
        assert -100 <= result.value <= 100
        assert 0 <= result.margin_of_error <= 196
        assert result.value == round(100 * (promoters - detractors) / n, 1)


# --- Through the database: recompute → snapshots → kpi_series -------------------------------------


@pytest.fixture
def nps_question(db):
    return QuestionFactory(kind=Question.Kind.NPS)


@pytest.mark.django_db
class TestAnswerKpisFromSnapshots:
    def test_nps_of_a_month(self, nps_question):
        for score in [10, 10, 9, 9, 9, 8, 7, 7, 6, 0]:
            respond(nps_question, score, noon(date(2026, 3, 10)))
        snapshots_recompute()

        result = series(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))

        assert result["total"].as_dict() == {"value": 30.0, "n": 10, "margin_of_error": 48.4}
        assert result["results"] == [
            {"period_start": date(2026, 3, 1), "value": 30.0, "n": 10, "margin_of_error": 48.4}
        ]

    def test_period_without_answers_has_no_value(self, nps_question):
        respond(nps_question, 10, noon(date(2026, 3, 10)))
        snapshots_recompute()

        result = series(date_from=date(2026, 5, 1), date_to=date(2026, 5, 31))

        assert result["total"].as_dict() == {"value": None, "n": 0, "margin_of_error": None}
        assert result["results"] == []

    def test_csat_top_two_box_and_mean(self, db):
        question = QuestionFactory(kind=Question.Kind.CSAT, text="How satisfied are you?")
        for score in [5, 4, 4, 3, 1]:
            respond(question, score, noon(date(2026, 3, 10)))
        snapshots_recompute()

        result = series("csat", date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
        snapshot = KpiSnapshot.objects.get(kpi="csat", scope_type="company", bucket="month")

        assert result["total"].value == 60.0
        assert result["total"].breakdown["mean"] == 3.4
        assert snapshot.value == 60.0
        assert snapshot.total / snapshot.n == 3.4

    def test_ces_mean_with_two_decimals(self, db):
        question = QuestionFactory(kind=Question.Kind.CES, text="It was easy to get my issue resolved.")
        for score in [7, 6, 3]:
            respond(question, score, noon(date(2026, 3, 10)))
        snapshots_recompute()

        result = series("ces", date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))

        assert result["total"].value == 5.33
        assert result["total"].breakdown["share_easy"] == 66.7

    def test_one_survey_with_nps_csat_and_text_gives_each_kpi_its_own_answers(self, db):
        survey = SurveyFactory()
        q_nps = QuestionFactory(survey=survey, kind=Question.Kind.NPS)
        q_csat = QuestionFactory(survey=survey, kind=Question.Kind.CSAT, text="Satisfied?")
        q_text = QuestionFactory(survey=survey, kind=Question.Kind.LONG_TEXT, text="Why?", required=False)
        for nps_score, csat_score in [(10, 5), (0, 4), (8, 2)]:
            response_submit(
                survey=survey,
                answers=[
                    {"question": q_nps.id, "value": nps_score},
                    {"question": q_csat.id, "value": csat_score},
                    {"question": q_text.id, "text": "Fine."},
                ],
                submitted_at=noon(date(2026, 3, 10)),
            )
        snapshots_recompute()

        march = {"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)}
        assert series("nps", **march)["total"].as_dict()["value"] == 0.0
        assert series("nps", **march)["total"].n == 3
        assert series("csat", **march)["total"].value == 66.7
        assert series("ces", **march)["total"].value is None


@pytest.mark.django_db
class TestTimeZone:
    """Answers belong to the local (site time zone) day, month and quarter in which they were given."""

    def _submit(self, question, score, at):
        response_submit(survey=question.survey, answers=[{"question": question.id, "value": score}], submitted_at=at)

    def test_late_evening_of_the_last_day_stays_in_its_month(self, nps_question):
        at = datetime(2026, 1, 31, 23, 30, tzinfo=BERLIN)
        assert at.astimezone(UTC).date() == date(2026, 1, 31)  # 22:30 UTC
        self._submit(nps_question, 10, at)
        snapshots_recompute()

        months = series(bucket="month", date_from=date(2026, 1, 1), date_to=date(2026, 2, 28))["results"]
        days = series(bucket="day", date_from=date(2026, 1, 30), date_to=date(2026, 2, 2))["results"]

        assert [(r["period_start"], r["value"]) for r in months] == [(date(2026, 1, 1), 100.0)]
        assert [(r["period_start"], r["value"]) for r in days] == [(date(2026, 1, 31), 100.0)]

    def test_just_after_local_midnight_is_the_next_month_although_utc_is_still_the_old_one(self, nps_question):
        at = datetime(2026, 2, 1, 0, 30, tzinfo=BERLIN)
        assert at.astimezone(UTC) == datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
        self._submit(nps_question, 0, at)
        snapshots_recompute()

        months = series(bucket="month", date_from=date(2026, 1, 1), date_to=date(2026, 2, 28))["results"]
        days = series(bucket="day", date_from=date(2026, 1, 30), date_to=date(2026, 2, 2))["results"]
        january = series(date_from=date(2026, 1, 1), date_to=date(2026, 1, 31))["total"]

        assert [(r["period_start"], r["value"]) for r in months] == [(date(2026, 2, 1), -100.0)]
        assert [(r["period_start"], r["value"]) for r in days] == [(date(2026, 2, 1), -100.0)]
        assert january.n == 0

    def test_both_sides_of_the_month_boundary_together(self, nps_question):
        self._submit(nps_question, 10, datetime(2026, 1, 31, 23, 30, tzinfo=BERLIN))
        self._submit(nps_question, 0, datetime(2026, 2, 1, 0, 30, tzinfo=BERLIN))
        snapshots_recompute()

        months = series(bucket="month", date_from=date(2026, 1, 1), date_to=date(2026, 2, 28))["results"]

        assert [(r["period_start"], r["n"], r["value"]) for r in months] == [
            (date(2026, 1, 1), 1, 100.0),
            (date(2026, 2, 1), 1, -100.0),
        ]

    def test_summer_time_quarter_boundary(self, nps_question):
        # 22:30 UTC on 31 March is 00:30 CEST on 1 April: the second quarter.
        self._submit(nps_question, 10, datetime(2026, 3, 31, 22, 30, tzinfo=UTC))
        # 21:30 UTC on 31 March is 23:30 CEST: still the first quarter.
        self._submit(nps_question, 0, datetime(2026, 3, 31, 21, 30, tzinfo=UTC))
        snapshots_recompute()

        quarters = series(bucket="quarter", date_from=date(2026, 1, 1), date_to=date(2026, 6, 30))["results"]

        assert [(r["period_start"], r["value"]) for r in quarters] == [
            (date(2026, 1, 1), -100.0),
            (date(2026, 4, 1), 100.0),
        ]


@pytest.mark.django_db
class TestBuckets:
    @pytest.fixture
    def answered(self, nps_question):
        assert date(2026, 6, 14).weekday() == 6  # a Sunday
        for day, score in [
            (date(2026, 3, 31), 0),
            (date(2026, 6, 14), 10),
            (date(2026, 6, 15), 0),
            (date(2026, 6, 21), 8),
            (date(2026, 7, 1), 10),
        ]:
            respond(nps_question, score, noon(day))
        snapshots_recompute()

    def _periods(self, bucket):
        result = series(bucket=bucket, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))
        return [(r["period_start"], r["n"], r["value"]) for r in result["results"]]

    def test_weeks_start_on_monday(self, answered):
        assert self._periods("week") == [
            (date(2026, 3, 30), 1, -100.0),
            (date(2026, 6, 8), 1, 100.0),
            (date(2026, 6, 15), 2, -50.0),
            (date(2026, 6, 29), 1, 100.0),
        ]

    def test_months(self, answered):
        assert self._periods("month") == [
            (date(2026, 3, 1), 1, -100.0),
            (date(2026, 6, 1), 3, 0.0),
            (date(2026, 7, 1), 1, 100.0),
        ]

    def test_quarters(self, answered):
        assert self._periods("quarter") == [
            (date(2026, 1, 1), 1, -100.0),
            (date(2026, 4, 1), 3, 0.0),
            (date(2026, 7, 1), 1, 100.0),
        ]

    def test_days(self, answered):
        assert [p for p, _n, _v in self._periods("day")] == [
            date(2026, 3, 31),
            date(2026, 6, 14),
            date(2026, 6, 15),
            date(2026, 6, 21),
            date(2026, 7, 1),
        ]

    def test_total_is_exact_for_the_days_asked_while_buckets_are_whole(self, answered):
        result = series(bucket="month", date_from=date(2026, 6, 15), date_to=date(2026, 7, 31))

        # Days 15 June – 31 July: scores 0, 8, 10 → P 1, D 1 of 3.
        assert result["total"].as_dict()["value"] == 0.0
        assert result["total"].n == 3
        # The June bucket overlaps the range and is reported whole (3 answers), labelled by its first day.
        assert [(r["period_start"], r["n"]) for r in result["results"]] == [
            (date(2026, 6, 1), 3),
            (date(2026, 7, 1), 1),
        ]


@pytest.fixture
def measured_journey(db):
    """Two maps, three stages, four touchpoints on three channels, two personas; hand-computed NPS below.

    ========  =========  =====  ========  ==================================  ======
    survey    touchpoint stage  channel   scores (persona)                    NPS
    ========  =========  =====  ========  ==================================  ======
    A         T1         S1/M1  website   10 P1, 9 P1, 3 P1, 8 P2             25.0
    B         T2         S1/M1  email     10 P1, 5 (none), 6 (none)           −33.3
    C         T3         S2/M1  website   9 P2, 9 P2                          100.0
    D         T4         S3/M2  phone     0 P2                                −100.0
    E         (none)     –      –         10 (none)                           100.0
    ========  =========  =====  ========  ==================================  ======
    """
    m1, m2 = JourneyMapFactory(name="Buy"), JourneyMapFactory(name="Service")
    s1, s2 = StageFactory(journey_map=m1, name="Discover"), StageFactory(journey_map=m1, name="Order")
    s3 = StageFactory(journey_map=m2, name="Support")
    t1 = TouchpointFactory(stage=s1, channel="website", name="Product page")
    t2 = TouchpointFactory(stage=s1, channel="email", name="Newsletter")
    t3 = TouchpointFactory(stage=s2, channel="website", name="Checkout")
    t4 = TouchpointFactory(stage=s3, channel="phone", name="Hotline")
    p1, p2 = PersonaFactory(name="Buyer"), PersonaFactory(name="Engineer")
    c1, c2 = CustomerFactory(persona=p1), CustomerFactory(persona=p2)
    anonymous = CustomerFactory(persona=None)
    questions = {}
    for key, tp in [("A", t1), ("B", t2), ("C", t3), ("D", t4), ("E", None)]:
        questions[key] = QuestionFactory(survey=SurveyFactory(touchpoint=tp, title=f"Survey {key}"))
    answers = [
        ("A", 10, c1),
        ("A", 9, c1),
        ("A", 3, c1),
        ("A", 8, c2),
        ("B", 10, c1),
        ("B", 5, anonymous),
        ("B", 6, None),
        ("C", 9, c2),
        ("C", 9, c2),
        ("D", 0, c2),
        ("E", 10, None),
    ]
    for i, (key, score, customer) in enumerate(answers):
        respond(questions[key], score, noon(date(2026, 5, 1) + timedelta(days=i)), customer=customer)
    snapshots_recompute()
    return {
        "maps": (m1, m2),
        "stages": (s1, s2, s3),
        "touchpoints": (t1, t2, t3, t4),
        "personas": (p1, p2),
        "surveys": {key: q.survey for key, q in questions.items()},
    }


class TestScopes:
    def _value(self, scope_type, scope_key):
        result = series(
            scope_type=scope_type, scope_key=str(scope_key), date_from=date(2026, 5, 1), date_to=date(2026, 5, 31)
        )
        assert sum(r["n"] for r in result["results"]) == result["total"].n  # the May bucket, if any
        return result["total"].n, result["total"].value

    def test_company(self, measured_journey):
        # P: 10, 9, 10, 9, 9, 10 = 6; D: 3, 5, 6, 0 = 4; N = 11 → 100·2/11
        assert self._value("company", "") == (11, 18.2)

    def test_journey_maps(self, measured_journey):
        m1, m2 = measured_journey["maps"]
        assert self._value("map", m1.pk) == (9, 22.2)  # P 5, D 3
        assert self._value("map", m2.pk) == (1, -100.0)

    def test_stages(self, measured_journey):
        s1, s2, s3 = measured_journey["stages"]
        assert self._value("stage", s1.pk) == (7, 0.0)  # P 3, D 3
        assert self._value("stage", s2.pk) == (2, 100.0)
        assert self._value("stage", s3.pk) == (1, -100.0)

    def test_touchpoints(self, measured_journey):
        t1, t2, t3, t4 = measured_journey["touchpoints"]
        assert self._value("touchpoint", t1.pk) == (4, 25.0)
        assert self._value("touchpoint", t2.pk) == (3, -33.3)
        assert self._value("touchpoint", t3.pk) == (2, 100.0)
        assert self._value("touchpoint", t4.pk) == (1, -100.0)

    def test_personas_through_the_customer(self, measured_journey):
        p1, p2 = measured_journey["personas"]
        assert self._value("persona", p1.pk) == (4, 50.0)  # 10, 9, 3, 10: P 3, D 1
        assert self._value("persona", p2.pk) == (4, 25.0)  # 8, 9, 9, 0: P 2, D 1

    def test_channels(self, measured_journey):
        assert self._value("channel", "website") == (6, 50.0)  # A + C: P 4, D 1
        assert self._value("channel", "email") == (3, -33.3)
        assert self._value("channel", "phone") == (1, -100.0)
        assert self._value("channel", "chat") == (0, None)

    def test_surveys(self, measured_journey):
        surveys = measured_journey["surveys"]
        assert self._value("survey", surveys["A"].pk) == (4, 25.0)
        assert self._value("survey", surveys["D"].pk) == (1, -100.0)
        # A survey without a touchpoint counts for the company and for itself only.
        assert self._value("survey", surveys["E"].pk) == (1, 100.0)

    def test_by_scope_lists_every_touchpoint_with_data(self, measured_journey):
        t1, t2, t3, t4 = measured_journey["touchpoints"]

        values = selectors.kpi_by_scope(
            kpi="nps", scope_type="touchpoint", date_from=date(2026, 5, 1), date_to=date(2026, 5, 31)
        )

        assert {k: (v.n, v.value) for k, v in values.items()} == {
            str(t1.pk): (4, 25.0),
            str(t2.pk): (3, -33.3),
            str(t3.pk): (2, 100.0),
            str(t4.pk): (1, -100.0),
        }


# --- Property: the series total is the NPS of the raw answers in the period -----------------------

BASE_DAY = date(2026, 3, 1)  # the 60 days after it cross two month ends and the switch to summer time
answer_strategy = st.tuples(st.integers(0, 60), st.integers(0, 23), st.integers(0, 59), st.integers(0, 10))


@hypothesis_settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    answers=st.lists(answer_strategy, max_size=25),
    first=st.integers(0, 60),
    length=st.integers(0, 60),
    bucket=st.sampled_from(["day", "week", "month", "quarter"]),
)
def test_series_total_equals_nps_of_the_raw_answers_in_the_period(nps_question, answers, first, length, bucket):
    Response.objects.all().delete()
    KpiSnapshot.objects.all().delete()
    local_days = []
    for offset, hour, minute, score in answers:
        day = BASE_DAY + timedelta(days=offset)
        at = datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)
        respond(nps_question, score, at)
        local_days.append((at.astimezone(BERLIN).date(), score))
    snapshots_recompute()
    date_from = BASE_DAY + timedelta(days=first)
    date_to = date_from + timedelta(days=length)

    result = series(bucket=bucket, date_from=date_from, date_to=date_to)

    in_period = [score for day, score in local_days if date_from <= day <= date_to]
    total = result["total"]
    assert total.n == len(in_period)
    if not in_period:
        assert total.value is None and total.margin_of_error is None
    else:
        p = sum(s >= 9 for s in in_period)
        d = sum(s <= 6 for s in in_period)
        assert total.value == round(100 * (p - d) / len(in_period), 1)
        assert -100 <= total.value <= 100
        per_answer = [1 if s >= 9 else -1 if s <= 6 else 0 for s in in_period]
        expected_moe = 1.96 * 100 * math.sqrt(statistics.pvariance(per_answer) / len(in_period))
        assert total.margin_of_error == pytest.approx(expected_moe, abs=0.051)
    # Every bucket shown overlaps the period, and together they hold at least the period's answers.
    for row in result["results"]:
        assert period_start(date_from, bucket) <= row["period_start"] <= date_to
        assert -100 <= row["value"] <= 100
    assert sum(r["n"] for r in result["results"]) >= len(in_period)
