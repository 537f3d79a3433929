"""Sending reports: the due run beat starts every five minutes, and "send now".

The database decides what is due, as for campaigns: ``reports_send_due`` first records one ``ReportSend``
per (report, period, recipient) — a unique constraint makes a second beat, a redelivered task or a
restarted worker find the row instead of adding one — then claims each pending row by a conditional
update (pending → sending) before mailing it, so no row is mailed twice. A failed send is recorded with
its error and tried again later (backoff), up to ``MAX_ATTEMPTS``.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cxportal.i18n import profile_language
from reports import sections
from reports.models import ReportDefinition, ReportSend
from reports.schedule import report_latest_due
from reports.services.rendering import pdf_filename, report_filters, report_pdf

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_MINUTES = [5, 15, 60, 240]  # wait before attempt 2, 3, 4, 5
STALE_AFTER = datetime.timedelta(minutes=30)  # a send still "sending" after this was interrupted


def _recipients(report: ReportDefinition) -> list[tuple[str, str]]:
    """(address, language) for each recipient with an address, each address once; inactive users left out.
    A person is written to in their profile's language when the recipient line sets none.

    With ``department_audience`` the department's lead and members as they are now are added: someone who
    left the department stops receiving the report from the next send on.
    """
    seen, result = set(), []
    people = [(r.user, r.address, r.language) for r in report.recipients.select_related("user").order_by("pk")]
    if report.department_audience and report.department_id:
        department = report.department
        staff = list(department.members.order_by("pk"))
        if department.lead_id:
            staff.insert(0, department.lead)
        people += [(user, user.email, "") for user in staff]
    for user, address, language in people:
        if user is not None and not user.is_active:
            continue
        address = (address or "").strip().lower()
        if address and address not in seen:
            seen.add(address)
            # The recipient's own language: the one set for the address, else the person's profile, else the report's.
            result.append((address, language or profile_language(user) or report.language))
    return result


def _record(report, *, date_from, date_to, trigger, batch, now) -> int:
    created = 0
    recorded = set(
        ReportSend.objects.filter(report=report, period_start=date_from, trigger=trigger, batch=batch).values_list(
            "recipient", flat=True
        )
    )
    for address, language in _recipients(report):
        if address in recorded:
            continue
        try:
            with transaction.atomic():
                ReportSend.objects.create(
                    report=report,
                    period_start=date_from,
                    period_end=date_to,
                    recipient=address,
                    language=language,
                    trigger=trigger,
                    batch=batch,
                    next_attempt_at=now,
                )
                created += 1
        except IntegrityError:
            continue  # already recorded by an earlier run: the row decides, not this run
    return created


def reports_record_due(*, now: datetime.datetime | None = None) -> int:
    """Record a send for every active report whose latest due moment has passed (once per period)."""
    now = now or timezone.now()
    created = 0
    for report in ReportDefinition.objects.filter(active=True):
        moment, date_from, date_to = report_latest_due(report, now=now)
        if moment < report.created_at:
            continue  # a report is first sent at its first due moment after it was defined
        created += _record(
            report, date_from=date_from, date_to=date_to, trigger=ReportSend.Trigger.SCHEDULE, batch=0, now=now
        )
    return created


def report_send_now(*, report: ReportDefinition, date_from=None, date_to=None) -> list[int]:
    """Record a manual send of the report's latest finished period to every recipient; returns the send ids."""
    now = timezone.now()
    if date_from is None or date_to is None:
        _moment, date_from, date_to = report_latest_due(report, now=now)
    with transaction.atomic():
        batch = (
            ReportSend.objects.filter(report=report, trigger=ReportSend.Trigger.MANUAL).aggregate(m=Max("batch"))["m"]
            or 0
        ) + 1
        _record(report, date_from=date_from, date_to=date_to, trigger=ReportSend.Trigger.MANUAL, batch=batch, now=now)
    return list(
        ReportSend.objects.filter(report=report, trigger=ReportSend.Trigger.MANUAL, batch=batch).values_list(
            "pk", flat=True
        )
    )


def _claim(send_id: int, now) -> bool:
    return (
        ReportSend.objects.filter(pk=send_id, next_attempt_at__lte=now)
        .filter(Q(status=ReportSend.Status.PENDING) | Q(status=ReportSend.Status.FAILED, attempts__lt=MAX_ATTEMPTS))
        .update(status=ReportSend.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now, handed_over_at=None)
        == 1
    )


def _message(send: ReportSend, pdf: bytes) -> EmailMultiAlternatives:
    report = send.report
    with translation.override(send.language):
        scope = sections.scope_for(report, date_from=send.period_start, date_to=send.period_end)
        key_numbers = [
            row for row in sections.kpi_summary(scope)["rows"] if row["kpi"] in ("nps", "csat", "ces", "response_rate")
        ]
        context = {
            "report": report,
            "date_from": send.period_start,
            "date_to": send.period_end,
            "key_numbers": key_numbers,
            "filters": report_filters(report),
        }
        subject = _("%(name)s: %(start)s – %(end)s") % {
            "name": report.name,
            "start": formats.date_format(send.period_start, "SHORT_DATE_FORMAT"),
            "end": formats.date_format(send.period_end, "SHORT_DATE_FORMAT"),
        }
        text = render_to_string("reports/email/report.txt", context)
        html = render_to_string("reports/email/report.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [send.recipient])
    message.attach_alternative(html, "text/html")
    message.attach(pdf_filename(report=report, date_from=send.period_start), pdf, "application/pdf")
    return message


def report_sends_deliver(*, send_ids: list[int] | None = None, now: datetime.datetime | None = None) -> dict:
    """Mail every due send (or the given ones): claim, render (one PDF per report, period and language), send,
    record the outcome. Returns counts {"sent", "failed"}."""
    now = now or timezone.now()
    due = ReportSend.objects.filter(
        next_attempt_at__lte=now, status__in=[ReportSend.Status.PENDING, ReportSend.Status.FAILED]
    )
    due = due.filter(attempts__lt=MAX_ATTEMPTS)
    if send_ids is not None:
        due = due.filter(pk__in=send_ids)
    pdfs: dict[tuple, bytes] = {}
    counts = {"sent": 0, "failed": 0}
    for send_id in list(due.order_by("pk").values_list("pk", flat=True)):
        if not _claim(send_id, now):
            continue
        send = ReportSend.objects.select_related("report__journey_map", "report__persona", "report__department").get(
            pk=send_id
        )
        key = (send.report_id, send.period_start, send.period_end, send.language)
        try:
            if key not in pdfs:
                pdfs[key] = report_pdf(
                    report=send.report, date_from=send.period_start, date_to=send.period_end, language=send.language
                )
            message = _message(send, pdfs[key])
            ReportSend.objects.filter(pk=send_id).update(handed_over_at=timezone.now())
            message.send()
        except Exception as exc:  # noqa: BLE001 - any failure (SMTP, rendering) is recorded and retried
            logger.warning("report send %s failed: %s", send_id, exc)
            wait = RETRY_MINUTES[min(send.attempts - 1, len(RETRY_MINUTES) - 1)]
            ReportSend.objects.filter(pk=send_id).update(
                status=ReportSend.Status.FAILED,
                error=str(exc)[:1000] or exc.__class__.__name__,
                next_attempt_at=now + datetime.timedelta(minutes=wait),
            )
            counts["failed"] += 1
            continue
        ReportSend.objects.filter(pk=send_id).update(
            status=ReportSend.Status.SENT, sent_at=timezone.now(), error="", pdf=pdfs[key]
        )
        counts["sent"] += 1
    return counts


def report_sends_recover(*, now: datetime.datetime) -> int:
    """Sends left "sending" by a worker that died: retried when nothing had reached the mail server yet,
    else marked failed for a person to decide (a second copy is worse than asking). Returns how many."""
    stale = ReportSend.objects.filter(status=ReportSend.Status.SENDING, next_attempt_at__lt=now - STALE_AFTER)
    retried = stale.filter(handed_over_at__isnull=True).update(status=ReportSend.Status.PENDING, next_attempt_at=now)
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the site's language, not a request's
        note = _("The worker stopped while handing the message to the mail server; it may have arrived. Not repeated.")
    unknown = stale.filter(handed_over_at__isnull=False).update(
        status=ReportSend.Status.FAILED,
        attempts=MAX_ATTEMPTS,
        error=note,
    )
    return retried + unknown


def reports_send_due(*, now: datetime.datetime | None = None) -> dict:
    """The beat job: recover interrupted sends, record what is due, then deliver every pending or retryable send."""
    now = now or timezone.now()
    report_sends_recover(now=now)
    recorded = reports_record_due(now=now)
    return {"recorded": recorded, **report_sends_deliver(now=now)}
