"""What voice keeps and for how long (``cxportal.retention``): feedback texts older than
``RETENTION_FEEDBACK_DAYS`` are deleted with their topic links; and an item copied from a survey comment goes
when the responses' retention blanks that comment (``RETENTION_RESPONSES_DAYS``), so no copy outlives it."""

from cxportal import retention
from voice.models import FeedbackItem


def _delete(batch) -> None:
    FeedbackItem.topics.through.objects.filter(feedbackitem_id__in=batch.values("pk")).delete()
    batch.delete()


def _old_items(cutoff, dry_run: bool) -> int:
    old = FeedbackItem.objects.filter(occurred_at__lt=cutoff)
    return retention.batched_update(old, dry_run=dry_run, change=_delete)


def _comment_copies(cutoff, dry_run: bool) -> int:
    copies = FeedbackItem.objects.filter(response__isnull=False, response__submitted_at__lt=cutoff)
    return retention.batched_update(copies, dry_run=dry_run, change=_delete)


def register() -> None:
    retention.rule_register(
        kind="feedback_items",
        setting="RETENTION_FEEDBACK_DAYS",
        description="Feedback items (tickets, reviews, survey comments) with their topic links: deleted.",
        apply=_old_items,
    )
    retention.rule_register(
        kind="feedback_comment_copies",
        setting="RETENTION_RESPONSES_DAYS",
        description="Feedback items copied from survey comments whose texts the responses' retention blanks: deleted.",
        apply=_comment_copies,
    )
