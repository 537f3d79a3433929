"""The daily reminder digest: due soon → owner, overdue → owner and lead, overdue > 7 days → CX managers."""

import logging
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from actionplans.models import Action, Milestone, ReminderDigest
from actionplans.services.actions import action_webhook_data
from cxportal import roles
from cxportal.alert_delivery import digest_declined
from cxportal.i18n import override_for
from cxportal.webhooks.selectors import webhook_event_wanted
from cxportal.webhooks.services import webhook_emit

logger = logging.getLogger(__name__)
User = get_user_model()

DUE_SOON_DAYS = 3


def _digest_lines(today: date) -> dict[int, dict[str, list]]:
    """Per user id: the actions due soon (owner), overdue (owner and lead), escalated (CX managers), and
    the open milestones due within the next days (owner of the action)."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    open_actions = (
        Action.objects.exclude(status__in=Action.CLOSED)
        .filter(due_date__lte=soon)
        .select_related("department", "owner")
        .order_by("due_date", "id")
    )
    managers = list(User.objects.filter(is_active=True, groups__name=roles.CX_MANAGER).values_list("pk", flat=True))
    per_user: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for action in open_actions:
        if action.due_date >= today:
            if action.owner_id:
                per_user[action.owner_id]["due_soon"].append(action)
            continue
        for user_id in {action.owner_id, action.department.lead_id} - {None}:
            per_user[user_id]["overdue"].append(action)
        if (today - action.due_date).days > 7:
            for user_id in managers:
                per_user[user_id]["escalated"].append(action)
    milestones = (
        Milestone.objects.filter(done_at__isnull=True, due_date__gte=today, due_date__lte=soon)
        .exclude(action__status__in=Action.CLOSED)
        .filter(action__owner__isnull=False)
        .select_related("action")
        .order_by("due_date", "id")
    )
    for milestone in milestones:
        per_user[milestone.action.owner_id]["milestones"].append(milestone)
    return per_user


@transaction.atomic
def actions_overdue_announce(*, today: date | None = None) -> int:
    """Emit ``action.overdue`` for open actions past their due date: once per action and due date.

    Returns how many overdue actions were looked at (0 when no webhook wants the event).
    """
    if not webhook_event_wanted(event_type="action.overdue"):
        return 0
    today = today or timezone.localdate()
    overdue = list(
        Action.objects.exclude(status__in=Action.CLOSED)
        .filter(due_date__lt=today)
        .select_related("department", "owner")
        .order_by("due_date", "id")
    )
    for action in overdue:
        webhook_emit(
            event_type="action.overdue",
            data=lambda action=action: {**action_webhook_data(action), "days_overdue": (today - action.due_date).days},
            key=f"action:{action.pk}:due:{action.due_date.isoformat()}",
        )
    return len(overdue)


def reminders_send_daily_digest(*, today: date | None = None) -> int:
    """Send each person at most one digest per local day; returns how many were sent.

    Nobody who turned the digest off on their profile page gets it. The digest row is written before the mail
    is handed over, in the same transaction, so a second run
    on the same day finds it and sends nothing; if the mail fails the row rolls back and a later run retries.
    Overdue actions are announced to webhooks first.
    """
    today = today or timezone.localdate()
    actions_overdue_announce(today=today)
    sent = 0
    lines = _digest_lines(today)
    users = User.objects.in_bulk(list(lines))
    declined = digest_declined(lines)  # turned off on their profile page
    for user_id, sections in lines.items():
        user = users.get(user_id)
        if user is None or not user.is_active or not user.email or user_id in declined:
            continue
        try:
            with transaction.atomic():
                ReminderDigest.objects.create(
                    user=user, day=today, action_count=sum(len(v) for k, v in sections.items() if k != "milestones")
                )
                with override_for(user):  # each person's digest in that person's language
                    body = render_to_string(
                        "actionplans/email/digest.txt",
                        {
                            "user": user,
                            "today": today,
                            "sections": dict(sections),
                            "profile_url": settings.SITE_URL + reverse("profile"),
                        },
                    )
                    subject = _("CX portal: your actions for %(day)s") % {"day": date_format(today)}
                send_mail(subject, body, None, [user.email])
        except IntegrityError:
            continue  # already sent today
        sent += 1
    logger.info("Sent %d action digests for %s", sent, today)
    return sent
