"""Thin Celery tasks of the reports app (queue: mail, see CELERY_TASK_ROUTES)."""

from celery import shared_task

from reports.services import sending


@shared_task(name="reports.send_due")
def send_due() -> dict:
    return sending.reports_send_due()


@shared_task(name="reports.send_now")
def send_now(send_ids: list[int]) -> dict:
    return sending.report_sends_deliver(send_ids=send_ids)
