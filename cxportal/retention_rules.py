"""The retention rules of the apps that have no ``ready()`` of their own to register them: surveys' responses,
webhook deliveries and the audit log (see ``cxportal.retention``)."""

from datetime import timedelta

from django.db.models import Q

from cxportal import retention


def _responses(cutoff, dry_run: bool) -> int:
    from surveys.models import Answer, Question, Response

    personal = Response.objects.filter(submitted_at__lt=cutoff).filter(
        Q(customer__isnull=False)
        | Q(invitation__isnull=False)
        | Q(external_id__isnull=False)
        | Q(answers__question__kind__in=Question.TEXT, answers__text__gt="")
    )

    def anonymise(batch):
        Answer.objects.filter(response__in=batch, question__kind__in=Question.TEXT).exclude(text="").update(text="")
        batch.update(customer=None, invitation=None, external_id=None)

    return retention.batched_update(
        Response.objects.filter(pk__in=personal.values("pk")), dry_run=dry_run, change=anonymise
    )


def _webhook_deliveries(cutoff, dry_run: bool) -> int:
    from cxportal.webhooks.retention import webhook_deliveries_purge, webhook_retention_days

    days = webhook_retention_days()
    return webhook_deliveries_purge(days=days, now=cutoff + timedelta(days=days), dry_run=dry_run).total


def _audit_entries(cutoff, dry_run: bool) -> int:
    from auditlog.models import LogEntry

    old = LogEntry.objects.filter(timestamp__lt=cutoff)
    return retention.batched_update(old, dry_run=dry_run, change=lambda batch: batch.delete())


def register() -> None:
    retention.rule_register(
        kind="responses",
        setting="RETENTION_RESPONSES_DAYS",
        description="Survey responses: unlinked from the customer, free texts blanked; scores kept.",
        apply=_responses,
    )
    retention.rule_register(
        kind="webhook_deliveries",
        setting="WEBHOOKS_RETENTION_DAYS",
        description="Finished webhook deliveries: deleted.",
        apply=_webhook_deliveries,
    )
    retention.rule_register(
        kind="audit_entries",
        setting="RETENTION_AUDIT_DAYS",
        description="Audit log entries: deleted.",
        apply=_audit_entries,
    )
