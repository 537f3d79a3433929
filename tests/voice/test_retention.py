"""Retention of feedback: texts older than RETENTION_FEEDBACK_DAYS are deleted with their topic links, and a
copy of a survey comment goes when the responses' retention blanks that comment — no copy outlives it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cxportal import retention
from surveys.models import Answer
from surveys.services.responses import response_submit
from tests.journeys.factories import CustomerFactory
from tests.voice.factories import items
from voice.models import FeedbackItem, Topic
from voice.services.items import survey_comments_ingest

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def _at(days_ago):
    return (NOW - timedelta(days=days_ago)).isoformat()


def test_old_feedback_is_deleted_with_its_topic_links_exactly_at_the_boundary(settings):
    settings.RETENTION_FEEDBACK_DAYS = 365
    old, edge, new = items(
        {"text": "Lieferung wieder verspätet, niemand hat uns informiert.", "occurred_at": _at(400)},
        {"text": "Lieferung pünktlich, danke.", "occurred_at": _at(365)},
        {"text": "Der Techniker war schnell da.", "occurred_at": _at(10)},
    )
    delivery = Topic.objects.create(key="de:lieferung", language="de", label="Lieferung")
    for pk in (old, edge):
        FeedbackItem.objects.get(pk=pk).topics.add(delivery)

    dry = {o.kind: o.count for o in retention.retention_apply(now=NOW, dry_run=True)}
    assert dry["feedback_items"] == 1 and FeedbackItem.objects.filter(pk=old).exists()  # a dry run changes nothing

    first = {o.kind: o.count for o in retention.retention_apply(now=NOW)}
    second = {o.kind: o.count for o in retention.retention_apply(now=NOW)}

    assert first["feedback_items"] == 1 and second["feedback_items"] == 0
    assert set(FeedbackItem.objects.values_list("pk", flat=True)) == {edge, new}
    assert not FeedbackItem.topics.through.objects.filter(feedbackitem_id=old).exists()
    assert list(delivery.items.values_list("pk", flat=True)) == [edge]


def test_a_copied_survey_comment_goes_when_the_responses_retention_blanks_it(settings, survey, nps, reason):
    settings.RETENTION_RESPONSES_DAYS = 365
    settings.RETENTION_FEEDBACK_DAYS = 0  # feedback itself kept forever: only the copies of blanked comments go

    def answer(days_ago, text):
        return response_submit(
            survey=survey,
            customer=CustomerFactory(),
            answers=[{"question": nps.pk, "value": 3}, {"question": reason.pk, "text": text}],
            submitted_at=NOW - timedelta(days=days_ago),
        )

    old, new = answer(400, "Herr Maier war unfreundlich."), answer(10, "Alles bestens.")
    survey_comments_ingest()
    assert FeedbackItem.objects.filter(response=old).exists()

    outcomes = {o.kind: o.count for o in retention.retention_apply(now=NOW)}

    assert outcomes["responses"] == 1 and outcomes["feedback_comment_copies"] == 1
    assert Answer.objects.get(response=old, question=reason).text == ""
    assert not FeedbackItem.objects.filter(text__contains="Maier").exists()
    assert FeedbackItem.objects.filter(response=new).exists()
