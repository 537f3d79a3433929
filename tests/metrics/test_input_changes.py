"""The minutely recompute also notices what leaves no timestamp: deleted rows, a touchpoint moved to another
stage or channel, an erased customer (metrics.changes)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from metrics import changes, selectors
from metrics.models import KpiSnapshot
from metrics.services import snapshots_recompute, snapshots_recompute_if_changed
from surveys.models import Invitation, Question, Response
from tests.journeys.factories import CustomerFactory, PersonaFactory, StageFactory, TouchpointFactory
from tests.metrics.factories import noon, respond
from tests.surveys.factories import QuestionFactory, SurveyFactory

DAY = date(2026, 5, 20)


@pytest.fixture
def measured(db):
    """Three NPS answers at one touchpoint (10, 10, 0), the last from a customer of a persona; recomputed."""
    touchpoint = TouchpointFactory(channel="website")
    question = QuestionFactory(kind=Question.Kind.NPS, survey=SurveyFactory(touchpoint=touchpoint))
    customer = CustomerFactory(persona=PersonaFactory())
    responses = [
        respond(question, 10, noon(DAY)),
        respond(question, 10, noon(DAY)),
        respond(question, 0, noon(DAY), customer=customer),
    ]
    # The customer's answer came in days before the others (outside the late-commit window of the newest).
    Response.objects.filter(pk=responses[2].pk).update(created_at=timezone.now() - timedelta(days=2))
    snapshots_recompute()
    assert snapshots_recompute_if_changed() is None
    return {"touchpoint": touchpoint, "question": question, "customer": customer, "responses": responses}


def nps(**scope):
    return selectors.kpi_series(kpi="nps", date_from=DAY, date_to=DAY, **scope)["total"]


def test_a_deleted_response_is_recomputed_by_the_next_check(measured, django_capture_on_commit_callbacks):
    assert (nps().n, nps().value) == (3, 33.3)
    with django_capture_on_commit_callbacks(execute=True):
        measured["responses"][2].delete()

    assert snapshots_recompute_if_changed() is not None
    assert (nps().n, nps().value) == (2, 100.0)
    assert snapshots_recompute_if_changed() is None


def test_an_erased_feedback_text_leaves_the_text_kpis_at_the_next_check(measured, django_capture_on_commit_callbacks):
    """E.g. the retention rule or an erasure deletes analysed texts: their sentiment leaves the KPIs."""
    from voice.models import FeedbackItem

    when = timezone.make_aware(timezone.datetime.combine(DAY, timezone.datetime.min.time())) + timedelta(hours=12)
    # The negative one was analysed days before the other: outside the window the change markers look at.
    items = [
        FeedbackItem.objects.create(
            text=t, sentiment=label, sentiment_score=score, occurred_at=when, analysed_at=timezone.now() - age
        )
        for t, label, score, age in [
            ("Gut", "positive", 0.6, timedelta(0)),
            ("Schlecht", "negative", -0.6, timedelta(days=2)),
        ]
    ]
    assert snapshots_recompute_if_changed() is not None  # analysed texts are new input
    share = selectors.kpi_series(kpi="negative_share", date_from=DAY, date_to=DAY)["total"]
    assert (share.n, share.value) == (2, 50.0)
    with django_capture_on_commit_callbacks(execute=True):
        FeedbackItem.objects.filter(pk=items[1].pk).delete()

    assert snapshots_recompute_if_changed() is not None
    share = selectors.kpi_series(kpi="negative_share", date_from=DAY, date_to=DAY)["total"]
    assert (share.n, share.value) == (1, 0.0)


def test_a_deleted_customer_is_recomputed_by_the_next_check(measured, django_capture_on_commit_callbacks):
    """E.g. in the admin: the responses stay, without their customer, so the persona loses the score."""
    persona = str(measured["customer"].persona_id)
    assert KpiSnapshot.objects.filter(scope_type="persona", scope_key=persona, kpi="nps").exists()
    with django_capture_on_commit_callbacks(execute=True):
        measured["customer"].delete()

    assert snapshots_recompute_if_changed() is not None
    assert nps().n == 3
    assert not KpiSnapshot.objects.filter(scope_type="persona", scope_key=persona, kpi="nps").exists()


def test_a_touchpoint_moved_to_another_stage_and_channel_moves_its_kpis(measured, django_capture_on_commit_callbacks):
    touchpoint = measured["touchpoint"]
    old_stage, new_stage = touchpoint.stage, StageFactory(journey_map=touchpoint.stage.journey_map)
    with django_capture_on_commit_callbacks(execute=True):
        touchpoint.stage, touchpoint.channel = new_stage, "email"
        touchpoint.save()

    assert snapshots_recompute_if_changed() is not None
    assert nps(scope_type="stage", scope_key=str(new_stage.pk)).n == 3
    assert nps(scope_type="stage", scope_key=str(old_stage.pk)).n == 0
    assert nps(scope_type="channel", scope_key="email").n == 3


def test_adding_a_touchpoint_or_renaming_one_changes_nothing(measured, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        TouchpointFactory(stage=measured["touchpoint"].stage)
        measured["touchpoint"].name = "Renamed"
        measured["touchpoint"].save(update_fields=["name"])

    assert snapshots_recompute_if_changed() is None


def test_a_large_deletion_bumps_the_version_once(measured, django_capture_on_commit_callbacks):
    """One transaction deleting many rows: one on-commit bump, not one per row."""
    customers = CustomerFactory.create_batch(30)
    campaign = measured["question"].survey.campaigns.create(name="Wave")
    Invitation.objects.bulk_create(Invitation(campaign=campaign, customer=c, token=f"t{c.pk}") for c in customers)
    before = changes.inputs_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Invitation.objects.filter(campaign=campaign).delete()

    assert len(callbacks) == 1
    assert changes.inputs_version() == before + 1


def test_nothing_is_bumped_before_the_deleting_transaction_commits(measured):
    """The version moves only once the deletion is visible to a recompute (the test's transaction never
    commits here)."""
    before = changes.inputs_version()
    Response.objects.filter(pk=measured["responses"][0].pk).delete()

    assert changes.inputs_version() == before
