"""Data retention: what is older than the settings is anonymised or deleted — in batches, exactly at its
boundary, idempotently — the KPIs keep counting anonymised scores, and every run leaves an audit entry."""

from datetime import timedelta
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.utils import timezone

from cxportal import retention
from surveys.models import Answer, Response
from surveys.services.responses import response_submit
from tests.journeys.factories import CustomerFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def _answer(survey, nps, reason, *, days_ago: float, score: int, text: str):
    customer = CustomerFactory()
    response = response_submit(
        survey=survey,
        customer=customer,
        answers=[{"question": nps.pk, "value": score}, {"question": reason.pk, "text": text}],
        submitted_at=NOW - timedelta(days=days_ago),
    )
    return response


@pytest.fixture
def answered(survey, nps, reason, settings):
    settings.RETENTION_RESPONSES_DAYS = 365
    return {
        "old": _answer(survey, nps, reason, days_ago=400, score=2, text="Herr Maier war unfreundlich."),
        "edge": _answer(survey, nps, reason, days_ago=365, score=9, text="Genau an der Grenze."),
        "new": _answer(survey, nps, reason, days_ago=10, score=10, text="Alles bestens."),
    }


def _text(response):
    return Answer.objects.get(response=response, question__kind="long_text").text


def test_old_responses_lose_their_personal_data_and_keep_their_scores(answered, nps):
    outcomes = {o.kind: o for o in retention.retention_apply(now=NOW)}

    assert outcomes["responses"].count == 1
    old = Response.objects.get(pk=answered["old"].pk)
    assert old.customer_id is None and _text(old) == ""
    assert Answer.objects.get(response=old, question=nps).value == 2  # the score still counts in the KPIs
    # Exactly at the cutoff and newer: untouched.
    for name in ("edge", "new"):
        kept = Response.objects.get(pk=answered[name].pk)
        assert kept.customer_id is not None and _text(kept) != ""


def test_a_second_run_changes_nothing_and_each_run_is_audited(answered):
    retention.retention_apply(now=NOW)
    second = {o.kind: o.count for o in retention.retention_apply(now=NOW)}

    assert second["responses"] == 0
    runs = LogEntry.objects.filter(additional_data__event="retention").order_by("pk")
    assert [run.additional_data["counts"]["responses"] for run in runs] == [1, 0]


def test_the_dry_run_counts_and_changes_nothing(answered):
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)

    # Run a moment after NOW: the response exactly 365 days before NOW is now past the cutoff too.
    assert "responses: would change 2 older than 365 days" in out.getvalue()
    assert Response.objects.get(pk=answered["old"].pk).customer_id is not None
    assert not LogEntry.objects.filter(additional_data__event="retention").exists()


def test_zero_keeps_forever(answered, settings):
    settings.RETENTION_RESPONSES_DAYS = 0
    outcomes = {o.kind: o for o in retention.retention_apply(now=NOW)}
    assert outcomes["responses"].days == 0
    assert Response.objects.filter(customer__isnull=False).count() == 3


def test_old_audit_entries_go_and_batches_cover_everything(settings, monkeypatch):
    settings.RETENTION_AUDIT_DAYS = 30
    monkeypatch.setattr(retention, "BATCH", 3)
    from tests.actionplans.factories import ActionFactory

    for _ in range(7):
        ActionFactory()
    old = LogEntry.objects.update(timestamp=NOW - timedelta(days=31))
    assert old >= 7
    ActionFactory(title="recent")

    outcomes = {o.kind: o.count for o in retention.retention_apply(now=NOW)}

    assert outcomes["audit_entries"] == old
    remaining = LogEntry.objects.exclude(additional_data__event="retention")
    assert "recent" in [entry.object_repr for entry in remaining]
    assert not remaining.filter(timestamp__lt=NOW - timedelta(days=30)).exists()
