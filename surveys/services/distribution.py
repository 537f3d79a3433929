"""Distribution: campaigns become invitations, invitations become e-mails — each sent at most once.

The database, not the broker, says what is due. Beat runs ``campaigns_dispatch_due`` every minute: it
turns due campaigns into invitations and (re)queues send tasks for invitations that are pending and not
queued recently, so a campaign scheduled while the broker was down goes out once it is back.

A send task (a chunk of up to ``CHUNK_SIZE`` invitations) first *claims* its invitations with one
conditional UPDATE (pending → sending, or a "sending" claim older than ``CLAIM_TIMEOUT``) that returns the
ids it changed, so a task delivered twice sends nothing twice: only the claimed ones are sent, over one SMTP
connection, and each is marked sent right after the server accepted it (``MARK_SENT_EVERY`` = 1; over SMTP
the mark commits while the next message's envelope goes out, and that message's DATA waits for it —
``surveys.services.sending``, which also renders each survey's message once per chunk). The one
window for a duplicate: a worker that dies (or loses its database) after the SMTP server accepted a message
but before it marked it sent. After ``CLAIM_TIMEOUT`` another worker sends it again — at most
``MARK_SENT_EVERY`` (one) duplicate per such crash, never a lost invitation. Claimed invitations the worker
had not sent yet when it died are sent once, ``CLAIM_TIMEOUT`` later.
"""

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cxportal.branding import Brand, branding_get
from cxportal.errors import ApplicationError
from cxportal.webhooks.services import webhook_emit
from journeys.models import Customer, Persona
from surveys.mail import invitation_email
from surveys.models import Campaign, Invitation, Survey
from surveys.selectors.audience import CONTACTABLE
from surveys.services import sending, series

logger = logging.getLogger(__name__)

CHUNK_SIZE = 100
CLAIM_TIMEOUT = timedelta(minutes=15)
REQUEUE_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 5
# Sent invitations are marked sent in one UPDATE per this many: the most duplicates one crash can cause.
# Batching 10 would about double a worker's rate (BENCHMARKS.md), but the send rate limit caps a campaign
# at CX_SEND_RATE_PER_MINUTE anyway, so one duplicate per crash, as DESIGN.md promises, is worth more.
MARK_SENT_EVERY = 1


class TransientSendError(Exception):
    """The mail server could not take the message now; the task retries with backoff."""


@transaction.atomic
def campaign_schedule(
    *,
    survey: Survey,
    name: str,
    persona: Persona | None = None,
    send_at: datetime | None = None,
    reminder_after_days: int | None = None,
    max_reminders: int | None = 0,
    repeat_every: int | None = None,
    repeat_unit: str = "",
    by=None,
) -> Campaign:
    """Schedule a campaign; it is dispatched by the next beat run at or after ``send_at`` (default: now).

    With ``repeat_every`` and ``repeat_unit`` ("week"/"month") it is the first run of a recurring series
    (``surveys.services.series``), which creates the later runs when they are due.
    """
    if not survey.questions.exists():
        raise ValidationError({"survey": _("The survey has no questions.")})
    if max_reminders and not reminder_after_days:
        raise ValidationError({"reminder_after_days": _("Say after how many days to remind.")})
    if repeat_every or repeat_unit:
        campaign = series.series_start(
            survey=survey,
            name=name,
            persona=persona,
            send_at=send_at or timezone.now(),
            every=repeat_every,
            unit=repeat_unit,
            reminder_after_days=reminder_after_days,
            max_reminders=max_reminders or 0,
            by=by,
        )
        transaction.on_commit(_kick_dispatch)
        return campaign
    campaign = Campaign(
        survey=survey,
        name=name,
        persona=persona,
        send_at=send_at or timezone.now(),
        created_by=by,
        reminder_after_days=reminder_after_days,
        max_reminders=max_reminders or 0,
    )
    campaign.full_clean()
    campaign.save()
    transaction.on_commit(_kick_dispatch)
    return campaign


def _kick_dispatch() -> None:
    """Ask a worker to dispatch now rather than at the next beat tick; beat catches up if this fails."""
    from surveys.tasks import dispatch_due_campaigns

    try:
        dispatch_due_campaigns.delay()
    except Exception:  # noqa: BLE001 - a broker outage must not fail the request; beat retries
        logger.warning("Could not queue campaign dispatch; beat will pick the campaign up", exc_info=True)


@transaction.atomic
def campaign_cancel(*, campaign: Campaign) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status in (Campaign.Status.SENT, Campaign.Status.CANCELLED):
        raise ApplicationError(
            _("The campaign is %(status)s already.") % {"status": campaign.get_status_display().lower()}
        )
    campaign.status = Campaign.Status.CANCELLED
    campaign.completed_at = timezone.now()
    campaign.save(update_fields=["status", "completed_at"])
    campaign.invitations.filter(status=Invitation.Status.PENDING).update(
        status=Invitation.Status.SUPPRESSED, error="Campaign cancelled."
    )
    return campaign


def _audience(campaign: Campaign):
    customers = Customer.objects.all()
    if campaign.persona_id:
        customers = customers.filter(persona_id=campaign.persona_id)
    return customers


def _recent_invitations(now: datetime):
    """Invitations that count against the quiet period: sent within it, or on their way out."""
    since = now - timedelta(days=settings.CX_QUIET_PERIOD_DAYS)
    return Invitation.objects.filter(
        Q(last_sent_at__gte=since)
        | Q(status__in=[Invitation.Status.PENDING, Invitation.Status.SENDING], created_at__gte=since)
    )


def _recently_invited(now: datetime):
    """Customers invited within the quiet period (the global frequency cap)."""
    return _recent_invitations(now).values("customer_id")


def _quiet_period_reason() -> str:
    # Stored on the invitation in the language active when it is decided (the site's, in the worker).
    return _("Invited within the last %(days)s days (quiet period).") % {"days": settings.CX_QUIET_PERIOD_DAYS}


def suppression_reason(*, customer: Customer, now: datetime) -> str:
    """Why this customer must not be invited now ('' when they may be)."""
    if customer.unsubscribed_at is not None or customer.do_not_contact:
        return _("Unsubscribed or do-not-contact.")
    if not customer.email:
        return _("No e-mail address.")
    if _recent_invitations(now).filter(customer=customer).exists():
        return _quiet_period_reason()
    return ""


def _create_invitations(campaign: Campaign, now: datetime) -> None:
    audience = _audience(campaign)
    recent = _recently_invited(now)
    invitable = audience.filter(CONTACTABLE).exclude(pk__in=recent)
    rows = [Invitation(campaign=campaign, customer_id=cid) for cid in invitable.values_list("pk", flat=True)]
    rows += [
        Invitation(
            campaign=campaign,
            customer_id=cid,
            status=Invitation.Status.SUPPRESSED,
            error="Unsubscribed, do-not-contact or no e-mail address.",
        )
        for cid in audience.exclude(CONTACTABLE).values_list("pk", flat=True)
    ]
    rows += [
        Invitation(
            campaign=campaign,
            customer_id=cid,
            status=Invitation.Status.SUPPRESSED,
            error=_quiet_period_reason(),
        )
        for cid in audience.filter(CONTACTABLE, pk__in=recent).values_list("pk", flat=True)
    ]
    Invitation.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


def _reopen_for_reminders(now: datetime) -> int:
    """Put invitations whose reminder is due back in the queue; returns how many."""
    reopened = 0
    campaigns = Campaign.objects.filter(
        kind=Campaign.Kind.SCHEDULED,
        status__in=[Campaign.Status.SENDING, Campaign.Status.SENT],
        reminder_after_days__isnull=False,
        max_reminders__gt=0,
    )
    for campaign in campaigns:
        due = Invitation.objects.filter(
            campaign=campaign,
            status=Invitation.Status.SENT,
            reminders_sent__lt=campaign.max_reminders,
            last_sent_at__lte=now - timedelta(days=campaign.reminder_after_days),
        ).filter(customer__in=Customer.objects.filter(CONTACTABLE))
        count = due.update(status=Invitation.Status.PENDING, queued_at=None, claimed_at=None)
        if count:
            Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.SENDING, completed_at=None)
            reopened += count
    return reopened


def campaigns_dispatch_due(*, now: datetime | None = None) -> dict:
    """Dispatch due campaigns, queue what is pending, close finished campaigns. Idempotent."""
    now = now or timezone.now()
    dispatched = 0
    runs = series.series_runs_create_due(now=now)  # recurring campaigns: their due runs become campaigns
    with transaction.atomic():
        due = Campaign.objects.select_for_update(skip_locked=True).filter(
            status=Campaign.Status.SCHEDULED, send_at__lte=now
        )
        for campaign in due:
            _create_invitations(campaign, now)
            campaign.status = Campaign.Status.SENDING
            campaign.dispatched_at = now
            campaign.save(update_fields=["status", "dispatched_at"])
            dispatched += 1

    reminders = _reopen_for_reminders(now)

    sending = Campaign.objects.filter(status=Campaign.Status.SENDING)
    queueable = Invitation.objects.filter(campaign__in=sending).filter(
        Q(status=Invitation.Status.PENDING, queued_at__isnull=True)
        | Q(status=Invitation.Status.PENDING, queued_at__lt=now - REQUEUE_AFTER)
        | Q(status=Invitation.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
    )
    # The send rate limit: beat dispatches every minute, so at most this many are queued a minute;
    # the rest wait (pending, not queued) for the next runs.
    ids = list(queueable.order_by("id").values_list("pk", flat=True)[: settings.CX_SEND_RATE_PER_MINUTE])
    for i in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[i : i + CHUNK_SIZE]
        Invitation.objects.filter(pk__in=chunk).update(queued_at=now)
        _queue_chunk(chunk)

    finished = 0
    for campaign in sending.annotate(
        open=Count(
            "invitations", filter=Q(invitations__status__in=[Invitation.Status.PENDING, Invitation.Status.SENDING])
        )
    ).filter(open=0):
        with transaction.atomic():
            closed = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).update(
                status=Campaign.Status.SENT, completed_at=now
            )
            if closed and campaign.kind == Campaign.Kind.SCHEDULED:
                # Reminder rounds close the campaign again; the key makes the event once per campaign.
                # A transactional (one-person) campaign closes quietly: its invitation is the news.
                webhook_emit(
                    event_type="campaign.completed",
                    data=lambda campaign=campaign: _campaign_webhook_data(campaign, now),
                    key=f"campaign:{campaign.pk}",
                )
        finished += 1
    return {
        "runs": runs,
        "dispatched": dispatched,
        "reminders": reminders,
        "queued": len(ids),
        "finished": finished,
    }


def _campaign_webhook_data(campaign: Campaign, completed_at: datetime) -> dict:
    counts = dict(campaign.invitations.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        "campaign": campaign.pk,
        "name": campaign.name,
        "survey": campaign.survey_id,
        "persona": campaign.persona_id,
        "dispatched_at": campaign.dispatched_at,
        "completed_at": completed_at,
        "invitations": {status: counts.get(status, 0) for status in Invitation.Status.values},
    }


def _queue_chunk(ids: list[int]) -> None:
    from surveys.tasks import send_invitations

    try:
        send_invitations.delay(ids)
    except Exception:  # noqa: BLE001 - a broker outage must not fail the dispatch run or the request
        # Not queued after all: the next dispatch run (a minute later) queues them again, not REQUEUE_AFTER later.
        Invitation.objects.filter(pk__in=ids, status=Invitation.Status.PENDING).update(queued_at=None)
        logger.warning("Could not queue %d invitations; the next dispatch run queues them", len(ids), exc_info=True)


def _claim(invitation_ids: list[int], now: datetime) -> list[int]:
    """Claim the claimable ones of ``invitation_ids`` in one conditional UPDATE; the ids it claimed, in order.

    The conditions are on the updated table itself (not in a subquery), so on PostgreSQL a concurrent claim
    of the same row makes this UPDATE re-check them on the committed row and skip it: one claim wins.
    """
    if not invitation_ids:
        return []
    ops = connection.ops
    table, campaigns = ops.quote_name(Invitation._meta.db_table), ops.quote_name(Campaign._meta.db_table)
    # Only quoted table names and placeholders go into the text; the values are parameters.
    sql = (
        f"UPDATE {table} SET status = %s, claimed_at = %s, attempts = attempts + 1 "  # noqa: S608
        f"WHERE id IN ({', '.join(['%s'] * len(invitation_ids))}) "
        "AND (status = %s OR (status = %s AND claimed_at < %s)) "
        f"AND campaign_id IN (SELECT id FROM {campaigns} WHERE status = %s) "
        "RETURNING id"
    )
    params = [
        Invitation.Status.SENDING,
        ops.adapt_datetimefield_value(now),
        *invitation_ids,
        Invitation.Status.PENDING,
        Invitation.Status.SENDING,
        ops.adapt_datetimefield_value(now - CLAIM_TIMEOUT),
        Campaign.Status.SENDING,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        claimed = {row[0] for row in cursor.fetchall()}
    return [pk for pk in dict.fromkeys(invitation_ids) if pk in claimed]


def _mark_sent(invitation_ids: list[int]) -> None:
    """Mark claimed invitations sent in one UPDATE; a reminder when it had been sent before.

    Written out once (it runs after every message): the ORM would build the same statement each time.
    """
    if not invitation_ids:
        return
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(Invitation._meta.db_table)
    # Only the quoted table name and placeholders go into the text. The right-hand sides read the row
    # before the update: last_sent_at set means this was a reminder.
    sql = (
        f"UPDATE {table} SET status = %s, sent_at = COALESCE(sent_at, %s), last_sent_at = %s, "  # noqa: S608
        "reminders_sent = reminders_sent + CASE WHEN last_sent_at IS NULL THEN 0 ELSE 1 END, error = '' "
        f"WHERE id IN ({', '.join(['%s'] * len(invitation_ids))}) AND status = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Invitation.Status.SENT, now, now, *invitation_ids, Invitation.Status.SENDING])
    invitation_ids.clear()


# Where the token goes; tokens are URL-safe base64, which reverse() leaves as it is.
_LINK_SLOT = "cxportal-link-slot"


def _link_patterns() -> tuple[str, str]:
    """The survey and unsubscribe URLs with a slot for the token: reversed once per chunk, not twice a mail."""
    return (
        settings.SITE_URL + reverse("respondent:invitation", args=[_LINK_SLOT]),
        settings.SITE_URL + reverse("respondent:unsubscribe", args=[_LINK_SLOT]),
    )


def invitation_message(
    *, invitation: Invitation, links: tuple[str, str] | None = None, brand: Brand | None = None
) -> EmailMessage:
    """The invitation e-mail, or the reminder when this invitation was sent before (surveys.mail).

    ``links`` are ``_link_patterns()`` and ``brand`` is ``branding_get()``, when the caller sends many.
    """
    survey_link, unsubscribe_link = links or _link_patterns()
    return invitation_email(
        invitation=invitation,
        survey_url=survey_link.replace(_LINK_SLOT, invitation.token),
        unsubscribe_url=unsubscribe_link.replace(_LINK_SLOT, invitation.token),
        brand=brand or branding_get(),
    )


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    code = getattr(exc, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def invitations_send(*, invitation_ids: list[int]) -> dict:
    """Send the given invitations over one connection; they are claimed first, so repeats send nothing.

    One UPDATE claims the chunk, one query loads what was claimed, and sent invitations are marked sent
    every ``MARK_SENT_EVERY`` messages (see the module docstring for the duplicate window this leaves).
    Raises TransientSendError (after marking what was sent and releasing the claims it could not finish)
    when the server refuses temporarily; the task retries with backoff.
    """
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    now = timezone.now()
    claimed = _claim(invitation_ids, now)
    counts["skipped"] = len(invitation_ids) - len(claimed)
    if not claimed:
        return counts
    invitations = Invitation.objects.select_related("campaign__survey", "customer").in_bulk(claimed)
    unsent: list[int] = []  # accepted by the mail server, not yet marked sent
    position = 0
    links = _link_patterns()
    brand = branding_get()
    smtp = get_connection()

    def render(invitation: Invitation) -> EmailMessage:
        return invitation_message(invitation=invitation, links=links, brand=brand)

    behind = None
    if sending.wire_ready(smtp):  # SMTP: each survey's message rendered once, filled in per customer
        templates = sending.WireTemplates(render)
        ahead = sending.RenderAhead(claimed, lambda pk: templates.prepare(invitations[pk]))
        if MARK_SENT_EVERY == 1 and not connection.in_atomic_block:
            behind = sending.MarkBehind(_mark_sent)  # the mark commits while the next envelope goes out
    else:
        ahead = sending.RenderAhead(claimed, lambda pk: sending.prepare(render(invitations[pk]), wire=False))

    def flush() -> None:
        if behind is not None:
            behind.wait()
        _mark_sent(unsent)

    try:
        stream = iter(ahead)
        for position, invitation_id in enumerate(claimed):
            invitation = invitations[invitation_id]
            _pk, prepared = next(stream)  # rendered while the previous one was on its way
            try:
                sending.send_prepared(smtp, prepared, before_data=behind.wait if behind else None)
            except (smtplib.SMTPException, OSError) as exc:
                if _is_permanent(exc) or invitation.attempts >= MAX_ATTEMPTS:
                    Invitation.objects.filter(pk=invitation_id).update(
                        status=Invitation.Status.FAILED, error=str(exc)[:500]
                    )
                    counts["failed"] += 1
                    continue
                flush()
                # Give this and the rest back; the retry claims them again.
                Invitation.objects.filter(
                    pk__in=claimed[position:], status=Invitation.Status.SENDING, claimed_at=now
                ).update(status=Invitation.Status.PENDING, claimed_at=None, error=str(exc)[:500])
                position = len(claimed)  # nothing left for the finally block to give back
                raise TransientSendError(str(exc)) from exc
            counts["sent"] += 1
            if behind is not None:
                behind.submit([invitation_id])
                continue
            unsent.append(invitation_id)
            if len(unsent) >= MARK_SENT_EVERY:
                _mark_sent(unsent)
        position = len(claimed)
        flush()
    finally:
        ahead.close()
        if behind is not None:
            behind.close()
            unsent += behind.unconfirmed()  # accepted by the server, the mark did not commit: the sender tries
        smtp.close()
        if position < len(claimed):
            # Something unexpected (a database error, a bug) stopped the chunk: record what went out and
            # give back what was never tried, so the retry sends it now rather than CLAIM_TIMEOUT later.
            # The invitation being sent stays claimed: the server may have accepted it.
            try:
                _mark_sent(unsent)
                Invitation.objects.filter(
                    pk__in=claimed[position + 1 :], status=Invitation.Status.SENDING, claimed_at=now
                ).update(status=Invitation.Status.PENDING, claimed_at=None)
            except Exception:  # noqa: BLE001 - the original error is the one to report; claims expire
                logger.warning("Could not record the state of an interrupted chunk", exc_info=True)
    return counts


def invitation_mark_opened(*, invitation: Invitation) -> None:
    """Remember the first opening of a link (the campaign's "started" count); later ones change nothing."""
    Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=timezone.now())


@transaction.atomic
def customer_unsubscribe(*, invitation: Invitation) -> Customer:
    customer = Customer.objects.select_for_update().get(pk=invitation.customer_id)
    if customer.unsubscribed_at is None:
        customer.unsubscribed_at = timezone.now()
        customer.save(update_fields=["unsubscribed_at", "updated_at"])
    Invitation.objects.filter(customer=customer, status=Invitation.Status.PENDING).update(
        status=Invitation.Status.SUPPRESSED, error="Unsubscribed."
    )
    return customer


@transaction.atomic
def invitation_send_now(*, survey: Survey, customer: Customer, by=None) -> Invitation:
    """A transactional invitation (e.g. after a support ticket is closed), under the same fatigue rules.

    Each request gets its own one-person campaign, so one customer can be asked again on a later
    occasion while "one invitation per customer per campaign" still holds. A customer the rules exclude
    gets a suppressed invitation that says why, and no e-mail.
    """
    if not survey.questions.exists():
        raise ValidationError({"survey": _("The survey has no questions.")})
    if not survey.is_open():
        raise ValidationError({"survey": _("The survey is not open for answers.")})
    now = timezone.now()
    # One request per customer at a time, so two simultaneous triggers cannot both pass the quiet period.
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    campaign = Campaign.objects.create(
        survey=survey,
        name=f"Transactional: {survey.title} → {customer}"[:200],
        kind=Campaign.Kind.TRANSACTIONAL,
        status=Campaign.Status.SENDING,
        send_at=now,
        dispatched_at=now,
        created_by=by,
    )
    reason = suppression_reason(customer=customer, now=now)
    invitation = Invitation.objects.create(
        campaign=campaign,
        customer=customer,
        queued_at=None if reason else now,
        status=Invitation.Status.SUPPRESSED if reason else Invitation.Status.PENDING,
        error=reason,
    )
    if reason:
        Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.SENT, completed_at=now)
    else:
        transaction.on_commit(lambda: _queue_chunk([invitation.pk]))
    return invitation
