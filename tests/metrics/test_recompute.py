"""Recomputing the snapshots: idempotent, removes what has no data any more, and only runs when needed."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from metrics import selectors, tasks
from metrics.models import KpiSnapshot, RecomputeRun
from metrics.services import snapshots_recompute, snapshots_recompute_if_changed
from surveys.models import Answer, Question, Response
from tests.journeys.factories import CustomerFactory, PersonaFactory
from tests.metrics.factories import noon, respond, snapshot_rows
from tests.surveys.factories import QuestionFactory, SurveyFactory

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def answered(db):
    """NPS and CSAT answers over two months, at two surveys, from customers of one persona."""
    persona = PersonaFactory()
    customer = CustomerFactory(persona=persona)
    nps_q = QuestionFactory(kind=Question.Kind.NPS)
    csat_q = QuestionFactory(kind=Question.Kind.CSAT, survey=SurveyFactory(), text="Satisfied?")
    for i, score in enumerate([10, 9, 7, 3, 0, 10, 8]):
        respond(nps_q, score, noon(date(2026, 4, 25) + timedelta(days=3 * i)), customer=customer)
    for i, score in enumerate([5, 4, 2]):
        respond(csat_q, score, noon(date(2026, 5, 2) + timedelta(days=i)))
    return {"nps": nps_q, "csat": csat_q, "customer": customer}


class TestSnapshotsRecompute:
    def test_writes_a_snapshot_per_kpi_scope_bucket_and_period(self, answered):
        run = snapshots_recompute()

        assert run.snapshots_written == KpiSnapshot.objects.count() > 0
        assert run.kind == RecomputeRun.Kind.FULL
        assert run.finished_at >= run.started_at
        assert run.data_watermark == Response.objects.latest("created_at").created_at
        company_months = KpiSnapshot.objects.filter(kpi="nps", scope_type="company", bucket="month")
        assert [(s.period_start, s.n) for s in company_months] == [
            (date(2026, 4, 1), 2),  # 25 and 28 April
            (date(2026, 5, 1), 5),
        ]

    def test_running_twice_gives_the_same_rows_and_values(self, answered):
        snapshots_recompute()
        first = snapshot_rows()
        first_ids = set(KpiSnapshot.objects.values_list("pk", flat=True))

        snapshots_recompute()

        assert snapshot_rows() == first
        assert set(KpiSnapshot.objects.values_list("pk", flat=True)) == first_ids  # updated in place
        assert RecomputeRun.objects.count() == 2

    def test_snapshots_without_data_are_removed_after_answers_are_deleted(self, answered):
        snapshots_recompute()
        assert KpiSnapshot.objects.filter(kpi="csat").exists()
        april = KpiSnapshot.objects.filter(
            kpi="nps", scope_type="company", bucket="month", period_start=date(2026, 4, 1)
        )
        assert april.exists()

        Response.objects.filter(submitted_at__lt=noon(date(2026, 5, 1))).delete()
        Answer.objects.filter(question=answered["csat"]).delete()
        snapshots_recompute()

        assert not april.exists()
        assert not KpiSnapshot.objects.filter(kpi="csat").exists()
        assert not KpiSnapshot.objects.filter(bucket="day", period_start__lt=date(2026, 5, 1)).exists()
        remaining = selectors.kpi_series(kpi="nps", date_from=date(2026, 4, 1), date_to=date(2026, 5, 31))
        assert remaining["total"].n == 5

    def test_everything_removed_when_all_answers_are_gone(self, answered):
        snapshots_recompute()

        Response.objects.all().delete()
        run = snapshots_recompute()

        assert run.snapshots_written == 0
        assert not KpiSnapshot.objects.exists()

    def test_a_changed_answer_changes_the_snapshot(self, answered):
        snapshots_recompute()
        Answer.objects.filter(question=answered["nps"], value=0).update(value=10)

        snapshots_recompute()

        total = selectors.kpi_series(kpi="nps", date_from=date(2026, 4, 1), date_to=date(2026, 5, 31))["total"]
        assert (total.n, total.value) == (7, 42.9)  # P 4 (10, 9, 10, 10), D 1 (3) of 7

    def test_a_customer_moving_persona_moves_their_answers(self, answered):
        snapshots_recompute()
        old_persona = answered["customer"].persona
        new_persona = PersonaFactory()
        answered["customer"].persona = new_persona
        answered["customer"].save(update_fields=["persona"])

        snapshots_recompute()

        assert not KpiSnapshot.objects.filter(scope_type="persona", scope_key=str(old_persona.pk)).exists()
        assert KpiSnapshot.objects.filter(scope_type="persona", scope_key=str(new_persona.pk)).exists()


class TestRecomputeIfChanged:
    def test_first_run_recomputes(self, answered):
        run = snapshots_recompute_if_changed()

        assert run is not None
        assert run.kind == RecomputeRun.Kind.CHANGED
        assert KpiSnapshot.objects.exists()

    def test_nothing_new_means_no_run(self, answered):
        snapshots_recompute()

        assert snapshots_recompute_if_changed() is None
        assert RecomputeRun.objects.count() == 1

    def test_a_new_response_triggers_a_recompute(self, answered):
        snapshots_recompute()
        assert snapshots_recompute_if_changed() is None

        respond(answered["nps"], 10, noon(date(2026, 5, 20)))
        run = snapshots_recompute_if_changed()

        assert run is not None
        assert run.data_watermark == Response.objects.latest("created_at").created_at
        total = selectors.kpi_series(kpi="nps", date_from=date(2026, 5, 20), date_to=date(2026, 5, 20))["total"]
        assert (total.n, total.value) == (1, 100.0)
        assert snapshots_recompute_if_changed() is None

    def test_a_response_that_committed_late_is_not_missed(self, answered):
        """Created (timestamped) before a run's newest response, but visible only after that run."""
        snapshots_recompute()
        last_seen = Response.objects.latest("created_at").created_at
        late = respond(answered["nps"], 0, noon(date(2026, 5, 21)))
        Response.objects.filter(pk=late.pk).update(created_at=last_seen - timedelta(seconds=30))

        run = snapshots_recompute_if_changed()

        assert run is not None
        total = selectors.kpi_series(kpi="nps", date_from=date(2026, 5, 21), date_to=date(2026, 5, 21))["total"]
        assert (total.n, total.value) == (1, -100.0)
        assert snapshots_recompute_if_changed() is None

    def test_no_responses_at_all(self, db):
        assert snapshots_recompute_if_changed() is not None  # the first run records that there is nothing
        assert snapshots_recompute_if_changed() is None


class TestEntryPoints:
    def test_management_command_recomputes_synchronously_and_says_how_many(self, answered):
        out = StringIO()

        call_command("recompute_metrics", stdout=out)

        written = KpiSnapshot.objects.count()
        assert written > 0
        assert f"Wrote {written} KPI snapshots." in out.getvalue()
        assert RecomputeRun.objects.get().snapshots_written == written

    def test_recompute_all_task(self, answered):
        run_id = tasks.recompute_all.delay().get()

        assert RecomputeRun.objects.get(pk=run_id).kind == RecomputeRun.Kind.FULL
        assert KpiSnapshot.objects.exists()

    def test_recompute_changed_task(self, answered):
        assert tasks.recompute_changed.delay().get() is not None
        assert tasks.recompute_changed.delay().get() is None


@pytest.fixture
def two_surveys(db):
    return QuestionFactory(kind=Question.Kind.NPS), QuestionFactory(kind=Question.Kind.CES, text="Easy?")


@hypothesis_settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    answers=st.lists(
        st.tuples(st.booleans(), st.integers(0, 120), st.integers(0, 23), st.integers(0, 10)), min_size=1, max_size=20
    ),
    deleted=st.integers(0, 20),
)
def test_recompute_twice_gives_the_same_snapshots(two_surveys, answers, deleted):
    Response.objects.all().delete()
    KpiSnapshot.objects.all().delete()
    nps_q, ces_q = two_surveys
    responses = []
    for is_nps, offset, hour, score in answers:
        day = date(2025, 11, 1) + timedelta(days=offset)
        at = datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)
        responses.append(respond(nps_q, score, at) if is_nps else respond(ces_q, max(1, min(score, 7)), at))

    snapshots_recompute()
    first = snapshot_rows()
    snapshots_recompute()

    assert snapshot_rows() == first
    for kpi, _st, _sk, _b, _p, n, *_rest, value, moe in first:
        assert n > 0
        if kpi == "nps":
            assert -100 <= value <= 100
        else:
            assert 1 <= value <= 7
        assert moe >= 0
    # After deleting some responses, a recompute equals a recompute from scratch.
    Response.objects.filter(pk__in=[r.pk for r in responses[:deleted]]).delete()
    snapshots_recompute()
    incremental = snapshot_rows()
    KpiSnapshot.objects.all().delete()
    snapshots_recompute()
    assert snapshot_rows() == incremental
