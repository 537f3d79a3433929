"""Reads of the report pages."""

from django.db.models import Count, Max, Q, QuerySet

from reports.models import ReportDefinition, ReportSend


def report_list() -> QuerySet[ReportDefinition]:
    return (
        ReportDefinition.objects.select_related("journey_map", "persona", "department")
        .annotate(
            recipient_count=Count("recipients", distinct=True),
            last_sent=Max("sends__sent_at"),
            failed_count=Count("sends", filter=Q(sends__status=ReportSend.Status.FAILED), distinct=True),
        )
        .order_by("name", "pk")
    )


def report_send_history(*, report: ReportDefinition) -> QuerySet[ReportSend]:
    # The stored PDFs stay in the database: the list only needs to know whether there is one.
    return report.sends.defer("pdf").annotate(has_pdf=Q(pdf__isnull=False)).order_by("-created_at", "-pk")


def report_sends(*, report: ReportDefinition, limit: int = 200) -> list[ReportSend]:
    return list(report_send_history(report=report)[:limit])


def batch_progress(*, report: ReportDefinition, batch: int) -> dict:
    sends = list(report.sends.filter(trigger=ReportSend.Trigger.MANUAL, batch=batch).order_by("pk"))
    done = [s for s in sends if s.status in (ReportSend.Status.SENT, ReportSend.Status.FAILED)]
    return {
        "sends": sends,
        "total": len(sends),
        "done": len(done),
        "finished": len(done) == len(sends),
        "percent": round(100 * len(done) / len(sends)) if sends else 100,
    }
