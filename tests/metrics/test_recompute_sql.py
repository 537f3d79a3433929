"""The PostgreSQL fast path of the recompute (roll-up and snapshot diff in SQL) writes exactly the snapshots
of the generic path (the one SQLite runs), on a fixture touching every KPI, scope and bucket."""

import random
import threading
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from journeys.models import Touchpoint
from metrics.kpis import compute
from metrics.models import KpiSnapshot, TouchpointEvent, Transaction
from metrics.services import recompute_sql, snapshot_diff, snapshots_recompute, snapshots_recompute_if_changed
from surveys.models import Answer, Campaign, Invitation, Question, Response
from tests.journeys.factories import CustomerFactory, PersonaFactory, StageFactory, TouchpointFactory
from tests.metrics.factories import snapshot_rows
from tests.surveys.factories import QuestionFactory, SurveyFactory
from voice.models import FeedbackItem

BERLIN = ZoneInfo("Europe/Berlin")
pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the fast path is PostgreSQL only")


@pytest.fixture
def varied(db):
    """Two maps' stages and touchpoints on two channels, surveys with and without a touchpoint, three
    personas and customers without one, answers of all three kinds around midnight and DST changes,
    invitations (sent, answered, pending), visits and conversions, revenue, churned customers."""
    rng = random.Random(7)  # noqa: S311 - test data
    personas = [PersonaFactory() for _ in range(3)]
    customers = []
    for i in range(24):
        acquired = datetime(2025, 1, 1, tzinfo=BERLIN) + timedelta(days=rng.randrange(500), hours=rng.randrange(24))
        churned = acquired + timedelta(days=rng.randrange(1, 200)) if i % 3 == 0 else None
        persona = personas[i % 4] if i % 4 < 3 else None
        customers.append(CustomerFactory(persona=persona, acquired_at=acquired, churned_at=churned))
    stages = [StageFactory(), StageFactory()]
    touchpoints = [TouchpointFactory(stage=stages[i % 2], channel=["website", "email"][i // 2 % 2]) for i in range(4)]
    questions = []
    for i, (first, second) in enumerate([("nps", "csat"), ("csat", "ces"), ("nps", "ces")]):
        survey = SurveyFactory(touchpoint=touchpoints[i])
        questions += [QuestionFactory(survey=survey, kind=first), QuestionFactory(survey=survey, kind=second)]
    no_touchpoint = SurveyFactory(touchpoint=None)
    questions.append(QuestionFactory(survey=no_touchpoint, kind=Question.Kind.NPS))
    ranges = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
    start = datetime(2025, 10, 20, tzinfo=BERLIN)
    for _ in range(160):
        question = rng.choice(questions)
        # Around local midnight (and across the end of daylight saving time on 26 October).
        at = start + timedelta(days=rng.randrange(200), hours=rng.choice([0, 1, 12, 22, 23]), minutes=rng.randrange(60))
        response = Response.objects.create(
            survey=question.survey,
            touchpoint_id=question.survey.touchpoint_id,
            customer=rng.choice([*customers, None]),
            submitted_at=at,
        )
        Answer.objects.create(response=response, question=question, value=rng.randint(*ranges[question.kind]))
    campaigns = [Campaign.objects.create(survey=q.survey, name=f"C{i}") for i, q in enumerate(questions[::2])]
    for i in range(len(customers)):
        sent = start + timedelta(days=rng.randrange(120), hours=rng.randrange(24))
        invitation = Invitation.objects.create(
            campaign=campaigns[i % len(campaigns)],
            customer=customers[i],
            status="sent" if i % 5 else "pending",
            sent_at=sent if i % 5 else None,
        )
        if i % 3 == 0 and invitation.sent_at:
            Response.objects.create(
                survey=invitation.campaign.survey,
                invitation=invitation,
                customer=invitation.customer,
                submitted_at=sent,
            )
    for i in range(60):
        TouchpointEvent.objects.create(
            external_id=f"E{i}",
            touchpoint=touchpoints[i % 4],
            kind="conversion" if i % 4 == 0 else "visit",
            customer=rng.choice([*customers, None]),
            occurred_at=start + timedelta(days=rng.randrange(150), hours=rng.randrange(24)),
        )
    for i in range(40):
        Transaction.objects.create(
            external_id=f"T{i}",
            customer=rng.choice(customers),
            amount=Decimal(rng.randrange(100, 100_000)) / 100,
            occurred_at=start + timedelta(days=rng.randrange(300)),
        )
    # Voice's texts (the sentiment KPIs): tickets at touchpoints or none, comments of responses (their survey),
    # with and without a customer, some not analysed yet (they do not count).
    responses = list(Response.objects.order_by("pk")[:30])
    for i in range(70):
        score = round(rng.uniform(-1, 1), 3) if i % 7 else None
        FeedbackItem.objects.create(
            text=f"Text {i}",
            touchpoint=rng.choice([*touchpoints, None]),
            customer=rng.choice([*customers, None]),
            response=responses[i] if i < len(responses) and i % 2 else None,
            occurred_at=start + timedelta(days=rng.randrange(200), hours=rng.choice([0, 1, 12, 23])),
            sentiment_score=score,
            sentiment=""
            if score is None
            else ("negative" if score < -0.2 else "positive" if score > 0.2 else "neutral"),
        )


def recompute(*, fast: bool, monkeypatch) -> list[tuple]:
    monkeypatch.setattr(recompute_sql, "SQL_FAST_PATH", fast)
    snapshots_recompute()
    return snapshot_rows()


def test_fast_path_writes_the_snapshots_of_the_generic_path(varied, monkeypatch):
    generic = recompute(fast=False, monkeypatch=monkeypatch)
    assert {row[1] for row in generic} == {"company", "map", "stage", "touchpoint", "persona", "channel", "survey"}
    assert {row[0] for row in generic} == {
        "nps",
        "csat",
        "ces",
        "response_rate",
        "conversion_rate",
        "churn_rate",
        "retention_rate",
        "clv",
        "sentiment",
        "negative_share",
    }
    KpiSnapshot.objects.all().delete()
    assert recompute(fast=True, monkeypatch=monkeypatch) == generic  # into an empty table
    assert recompute(fast=True, monkeypatch=monkeypatch) == generic  # nothing changed


def test_fast_path_updates_and_removes_like_the_generic_path(varied, monkeypatch):
    recompute(fast=True, monkeypatch=monkeypatch)
    Answer.objects.filter(pk__in=Answer.objects.order_by("pk").values("pk")[:20]).update(value=1)
    Response.objects.filter(pk__in=Response.objects.order_by("-pk").values("pk")[:30]).delete()
    TouchpointEvent.objects.filter(kind="conversion").delete()
    fast = recompute(fast=True, monkeypatch=monkeypatch)
    KpiSnapshot.objects.all().delete()
    assert recompute(fast=False, monkeypatch=monkeypatch) == fast
    assert recompute(fast=True, monkeypatch=monkeypatch) == fast


def test_a_run_over_unchanged_data_computes_no_value(varied, monkeypatch):
    """Values are computed only for cells whose statistics changed: a nightly run over unchanged data
    computes none, a new answer only those of the cells it falls in."""
    first = recompute(fast=True, monkeypatch=monkeypatch)
    computed = []

    def counting(kpi, stats):
        computed.append(kpi)
        return compute(kpi, stats)

    monkeypatch.setattr(snapshot_diff, "compute", counting)
    assert recompute(fast=True, monkeypatch=monkeypatch) == first
    assert computed == []
    answer = (
        Answer.objects.filter(question__kind="nps", question__survey__touchpoint__isnull=False)
        .select_related("response__customer")
        .first()
    )
    Answer.objects.filter(pk=answer.pk).update(value=10 if answer.value < 9 else 0)
    changed = recompute(fast=True, monkeypatch=monkeypatch)
    # The day, week, month and quarter of the company, survey, touchpoint, stage, map, channel (and persona).
    customer = answer.response.customer
    assert sorted(computed) == ["nps"] * 4 * (7 if customer and customer.persona_id else 6)
    assert len(set(changed) ^ set(first)) == 2 * len(computed)
    KpiSnapshot.objects.all().delete()
    assert recompute(fast=False, monkeypatch=monkeypatch) == changed


def test_changed_formulas_compute_every_value_again(varied, monkeypatch, settings):
    """The CLV depends on the gross margin: a run after the setting changed rewrites every CLV value,
    although no statistics changed."""
    before = recompute(fast=True, monkeypatch=monkeypatch)
    settings.CX_GROSS_MARGIN = 0.4
    after = recompute(fast=True, monkeypatch=monkeypatch)
    changed = {row[0] for row in set(after) ^ set(before)}
    assert changed == {"clv"}
    KpiSnapshot.objects.all().delete()
    assert recompute(fast=False, monkeypatch=monkeypatch) == after


@pytest.fixture
def period_threads(monkeypatch):
    """The names of the threads ``period_cells`` ran in."""
    names = []
    real = recompute_sql.period_cells

    def recording(**kwargs):
        names.append(threading.current_thread().name)
        return real(**kwargs)

    monkeypatch.setattr(recompute_sql, "period_cells", recording)
    return names


@pytest.mark.django_db(transaction=True)
def test_the_period_kpis_run_on_a_second_connection(varied, period_threads, monkeypatch):
    """Outside any other transaction (a Celery task, the management command) churn, retention and CLV are
    aggregated on a connection of their own while the answers are, with the same snapshots as a result."""
    fast = recompute(fast=True, monkeypatch=monkeypatch)
    assert period_threads[0].startswith("recompute")
    KpiSnapshot.objects.all().delete()
    assert recompute(fast=False, monkeypatch=monkeypatch) == fast


def test_inside_another_transaction_everything_runs_on_its_connection(varied, period_threads, monkeypatch):
    """A second connection would not see the caller's uncommitted rows (here: the test's own data)."""
    fast = recompute(fast=True, monkeypatch=monkeypatch)
    assert period_threads == [threading.current_thread().name]
    assert {row[0] for row in fast} >= {"churn_rate", "retention_rate", "clv"}


def _backdate(model, field: str = "created_at") -> None:
    """Rows created long ago, one every ten minutes: only the newest lies in a run's late-commit window."""
    now = timezone.now()
    for i, pk in enumerate(model.objects.order_by("-pk").values_list("pk", flat=True)):
        model.objects.filter(pk=pk).update(**{field: now - timedelta(days=2, minutes=10 * i)})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_an_incremental_run_equals_a_full_one(varied, monkeypatch, seed):
    """The minutely run recomputes only the days that got new rows (and the weeks, months and quarters
    holding them, from the stored days); the snapshots are exactly those of a full run."""
    _backdate(Response)
    _backdate(TouchpointEvent)
    recompute(fast=True, monkeypatch=monkeypatch)
    incremental_days = []
    real = recompute_sql.incremental_days

    def recording(*args):
        incremental_days.append(real(*args))
        return incremental_days[-1]

    monkeypatch.setattr(recompute_sql, "incremental_days", recording)
    rng = random.Random(seed)  # noqa: S311 - test data
    questions = list(Question.objects.filter(kind__in=["nps", "csat", "ces"]))
    ranges = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
    unanswered = list(Invitation.objects.filter(sent_at__isnull=False, response__isnull=True))
    start = datetime(2025, 10, 20, tzinfo=BERLIN)
    for step in range(3):
        for _ in range(rng.randint(1, 4)):
            question = rng.choice(questions)
            at = start + timedelta(days=rng.randrange(200), hours=rng.choice([0, 12, 23]))
            response = Response.objects.create(
                survey=question.survey, touchpoint_id=question.survey.touchpoint_id, submitted_at=at
            )
            Answer.objects.create(response=response, question=question, value=rng.randint(*ranges[question.kind]))
        invitation = unanswered.pop()  # answered now, sent long ago: its sending day's response rate moves
        Response.objects.create(
            survey=invitation.campaign.survey, invitation=invitation, customer=invitation.customer, submitted_at=at
        )
        TouchpointEvent.objects.create(
            external_id=f"late-{seed}-{step}",
            touchpoint=Touchpoint.objects.order_by("?").first(),
            kind=rng.choice(["visit", "conversion"]),
            occurred_at=start + timedelta(days=rng.randrange(150)),
        )

        assert snapshots_recompute_if_changed() is not None
        days = incremental_days[-1]
        # The new rows' days and those of the rows in the late-commit window, not the ~100 days with data.
        assert days is not None and at.date() in days and 0 < len(days) < 30
        incremental = snapshot_rows()
        KpiSnapshot.objects.all().delete()
        assert recompute(fast=True, monkeypatch=monkeypatch) == incremental


def test_a_deletion_makes_the_next_run_a_full_one(varied, monkeypatch, django_capture_on_commit_callbacks):
    recompute(fast=True, monkeypatch=monkeypatch)
    incremental_days = []
    real = recompute_sql.incremental_days
    monkeypatch.setattr(recompute_sql, "incremental_days", lambda *args: incremental_days.append(real(*args)))
    with django_capture_on_commit_callbacks(execute=True):
        Response.objects.filter(pk=Response.objects.order_by("pk").values("pk")[:1]).delete()

    assert snapshots_recompute_if_changed() is not None
    assert incremental_days == [None]


def test_an_incremental_run_finds_its_days_by_time_ranges_across_a_clock_change():
    """The minutely run selects its days' rows by ranges of the indexed time columns (what keeps its cost
    independent of the history): each local day is its own midnight to the next, 23 hours on the day the
    clocks go forward, 25 when they go back, and consecutive days make one range."""
    spring, autumn = date(2026, 3, 29), date(2026, 10, 25)
    (start, end), (start2, end2) = recompute_sql.day_ranges([autumn, spring])
    assert (start, end.timestamp() - start.timestamp()) == (datetime(2026, 3, 29, tzinfo=BERLIN), 23 * 3600)
    assert (start2, end2.timestamp() - start2.timestamp()) == (datetime(2026, 10, 25, tzinfo=BERLIN), 25 * 3600)
    week = [spring + timedelta(days=i) for i in range(7)]
    assert recompute_sql.day_ranges(week) == [(start, datetime(2026, 4, 5, tzinfo=BERLIN))]
    # Too many separate days: the run falls back to the local day of every row (still correct, slower).
    scattered = [spring + timedelta(days=2 * i) for i in range(recompute_sql.MAX_DAY_RANGES + 1)]
    assert recompute_sql.day_ranges(scattered) is None


@pytest.mark.parametrize("many_days", [False, True])
def test_an_incremental_run_counts_the_edges_of_its_days(many_days, monkeypatch, db):
    """Answers at the first and the last second of a local day (the day the clocks go back) count for that day,
    by ranges or, with too many days to list, by the local day alone."""
    if many_days:
        monkeypatch.setattr(recompute_sql, "MAX_DAY_RANGES", 0)
    question = QuestionFactory(kind="nps", survey=SurveyFactory(touchpoint=TouchpointFactory()))
    earlier = Response.objects.create(survey=question.survey, submitted_at=datetime(2026, 9, 1, 12, tzinfo=BERLIN))
    Answer.objects.create(response=earlier, question=question, value=7)
    _backdate(Response)
    recompute(fast=True, monkeypatch=monkeypatch)
    runs = []
    real = recompute_sql.incremental_days
    monkeypatch.setattr(recompute_sql, "incremental_days", lambda *args: runs.append(real(*args)) or runs[-1])
    edges = [
        datetime(2026, 10, 24, 23, 59, 59, tzinfo=BERLIN),  # the day before: not counted
        datetime(2026, 10, 25, 0, 0, 0, tzinfo=BERLIN),
        datetime(2026, 10, 25, 23, 59, 59, tzinfo=BERLIN),
        datetime(2026, 10, 26, 0, 0, 0, tzinfo=BERLIN),  # the day after: not counted
    ]
    for value, at in zip([0, 10, 10, 0], edges, strict=True):
        response = Response.objects.create(survey=question.survey, submitted_at=at)
        Answer.objects.create(response=response, question=question, value=value)
    assert snapshots_recompute_if_changed() is not None
    # An incremental run over these three days (and that of the earlier answer, still in the late-commit window).
    assert runs[0] is not None and {edge.date() for edge in edges} <= set(runs[0]) and len(runs[0]) <= 4
    day = KpiSnapshot.objects.get(kpi="nps", scope_type="company", bucket="day", period_start=edges[1].date())
    assert (day.n, day.count_a, day.count_c) == (2, 2, 0)
    month = KpiSnapshot.objects.get(kpi="nps", scope_type="company", bucket="month", period_start=date(2026, 10, 1))
    assert month.n == 4  # the three days of October (the clocks went back in it)
    incremental = snapshot_rows()
    KpiSnapshot.objects.all().delete()
    assert recompute(fast=True, monkeypatch=monkeypatch) == incremental
