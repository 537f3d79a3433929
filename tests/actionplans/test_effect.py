"""The measured effect: the action's KPI before it started and after it was done, with a verdict."""

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from scipy import stats as scipy_stats

from actionplans.selectors.effect import Verdict, action_effect, verdict_of, window_of
from metrics.kpis import KpiValue
from metrics.services import snapshots_recompute
from surveys.models import Answer, Question, Response
from tests.actionplans.factories import ActionFactory
from tests.surveys.factories import QuestionFactory

BERLIN = ZoneInfo("Europe/Berlin")
STARTED = date(2026, 3, 1)  # before: 30 Jan – 28 Feb
DONE_AT = datetime(2026, 4, 10, 23, 30, tzinfo=BERLIN)  # after: 11 Apr – 10 May
TODAY = date(2026, 6, 1)


def answers(question, scores, day):
    for score in scores:
        response = Response.objects.create(
            survey=question.survey,
            touchpoint_id=question.survey.touchpoint_id,
            submitted_at=datetime(day.year, day.month, day.day, 12, tzinfo=BERLIN),
        )
        Answer.objects.create(response=response, question=question, value=score)


@pytest.fixture
def question(db):
    return QuestionFactory(kind=Question.Kind.NPS)


def done_action(question, sales):
    touchpoint = question.survey.touchpoint
    return ActionFactory(
        department=sales,
        touchpoint=touchpoint,
        kpi="nps",
        scope_type="touchpoint",
        scope_key=str(touchpoint.pk),
        start_date=STARTED,
        due_date=date(2026, 4, 30),
        status="done",
        done_at=DONE_AT,
    )


def measured(question, before, after, *, outside=True):
    answers(question, before, date(2026, 2, 10))
    answers(question, after, date(2026, 4, 20))
    if outside:  # answers outside both windows do not count
        answers(question, [0] * 5, date(2026, 1, 20))  # before the window
        answers(question, [0] * 5, date(2026, 4, 10))  # the day it was done
        answers(question, [0] * 5, date(2026, 5, 20))  # after the window
    snapshots_recompute()


class TestVerdicts:
    def test_improved(self, question, sales):
        measured(question, [0] * 5 + [10] * 5, [10] * 10)
        effect = action_effect(action=done_action(question, sales), days=30, today=TODAY)

        assert (effect.before.date_from, effect.before.date_to) == (date(2026, 1, 30), date(2026, 2, 28))
        assert (effect.after.date_from, effect.after.date_to) == (date(2026, 4, 11), date(2026, 5, 10))
        assert (effect.before.value.value, effect.before.value.n, effect.before.value.margin_of_error) == (
            0.0,
            10,
            62.0,
        )
        assert (effect.after.value.value, effect.after.value.n, effect.after.value.margin_of_error) == (100.0, 10, 0.0)
        assert effect.verdict == Verdict.IMPROVED and effect.difference == 100.0
        assert effect.done and effect.after.label == "after"

    def test_worse(self, question, sales):
        measured(question, [10] * 10, [0] * 5 + [10] * 5)
        assert action_effect(action=done_action(question, sales), today=TODAY).verdict == Verdict.WORSE

    def test_no_measurable_change_within_the_margins(self, question, sales):
        # NPS 0 (±62.0) → NPS 20 (±60.7): +20 is inside sqrt(62.0² + 60.7²).
        measured(question, [0] * 5 + [10] * 5, [0] * 4 + [10] * 6)
        effect = action_effect(action=done_action(question, sales), today=TODAY)
        assert effect.after.value.value == 20.0
        assert effect.verdict == Verdict.NO_CHANGE

    def test_not_enough_data(self, question, sales):
        measured(question, [0] * 5 + [10] * 5, [10] * 9, outside=False)
        effect = action_effect(action=done_action(question, sales), today=TODAY)
        assert effect.after.value.n == 9
        assert effect.verdict == Verdict.NOT_ENOUGH_DATA and effect.difference is None

    def test_wider_window_takes_more_days(self, question, sales):
        measured(question, [0] * 5 + [10] * 5, [10] * 10)
        effect = action_effect(action=done_action(question, sales), days=60, today=TODAY)
        assert effect.before.value.n == 15  # the January answers fall in the 60 days before
        assert effect.after.value.n == 15 and effect.after.date_to == date(2026, 6, 1)  # cut at today
        assert effect.after.label == "after (so far)"

    def test_action_not_done_shows_so_far(self, question, sales):
        measured(question, [0] * 5 + [10] * 5, [10] * 10)
        action = done_action(question, sales)
        action.status, action.done_at = "in_progress", None
        effect = action_effect(action=action, today=date(2026, 4, 30))
        assert not effect.done and effect.after.label == "so far"
        assert (effect.after.date_from, effect.after.date_to) == (STARTED, date(2026, 4, 30))
        assert effect.after.value.n == 15

    def test_action_without_kpi_has_no_effect(self, sales):
        assert action_effect(action=ActionFactory(department=sales), today=TODAY) is None


class TestTests:
    def test_rates_use_a_two_proportion_test(self):
        before, after = KpiValue(10.0, 1000, None, {}), KpiValue(15.0, 1000, None, {})
        assert verdict_of("conversion_rate", before, after) == (Verdict.IMPROVED, 5.0)
        assert verdict_of("conversion_rate", after, before)[0] == Verdict.WORSE
        assert verdict_of("conversion_rate", before, KpiValue(11.0, 1000, None, {}))[0] == Verdict.NO_CHANGE

    def test_lower_churn_is_better(self):
        before, after = KpiValue(20.0, 500, None, {}), KpiValue(10.0, 500, None, {})
        assert verdict_of("churn_rate", before, after)[0] == Verdict.IMPROVED

    def test_below_the_minimum_sample_size(self, settings):
        settings.CX_MIN_SAMPLE_SIZE = 50
        assert verdict_of("csat", KpiValue(50.0, 49, 14.0, {}), KpiValue(90.0, 60, 7.6, {}))[0] == (
            Verdict.NOT_ENOUGH_DATA
        )

    def test_window_choice(self):
        assert [window_of(v) for v in ("30", "60", "90", "45", None, "x")] == [30, 60, 90, 30, 30, 30]


def test_action_page_shows_before_after_and_verdict(client, manager, question, sales):
    measured(question, [0] * 5 + [10] * 5, [10] * 10)
    action = done_action(question, sales)
    client.force_login(manager)
    html = client.get(reverse("actionplans:action_detail", args=[action.pk]) + "?effect_days=30").content.decode()
    assert "Measured effect" in html and "2026-01-30 – 2026-02-28" in html
    assert "62.0" in html and "▲</span> improved — <strong>significant</strong> (p = 0.002)" in html


def test_action_page_says_within_noise_with_the_p_value(client, manager, question, sales):
    # NPS 0 → 20 on 10 answers each: z = 0.2 / √(1/10 + 0.96/10) = 0.452, p = 0.651.
    measured(question, [0] * 5 + [10] * 5, [0] * 4 + [10] * 6)
    action = done_action(question, sales)
    client.force_login(manager)
    html = client.get(reverse("actionplans:action_detail", args=[action.pk])).content.decode()
    verdict = html[html.index('id="effect-verdict"') :]
    assert "<strong>within noise</strong> (p = 0.651): no measurable change" in verdict
    assert "▲" not in verdict[: verdict.index("</p>")]


def test_effect_p_value_is_the_nps_difference_test(question, sales):
    measured(question, [0] * 5 + [10] * 5, [0] * 4 + [10] * 6)
    effect = action_effect(action=done_action(question, sales), today=TODAY)
    z = 0.2 / math.sqrt(1 / 10 + 0.96 / 10)
    assert effect.change.p_value == pytest.approx(2 * scipy_stats.norm.sf(z))
    assert effect.change.significant is False


def test_action_page_query_count_stays_small(client, manager, question, sales, django_assert_max_num_queries):
    action = done_action(question, sales)
    client.force_login(manager)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("actionplans:action_detail", args=[action.pk])).status_code == 200
