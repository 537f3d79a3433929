"""Emerging Voice topics, told to the CX managers: an in-app notification and an e-mail each, in that person's
language, once per topic and ISO week (the ``topic.emerging`` webhook fires beside it, in voice).

voice sends ``voice.signals.topic_emerging`` inside its transaction; the notifications are written in it and
the e-mails leave after its commit, so a rolled-back run tells nobody.
"""

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cxportal.alert_delivery import TOPIC as TOPIC_ALERTS
from cxportal.alert_delivery import alert_audience
from cxportal.i18n import override_for
from metrics.models import Notification
from metrics.services.targets import _managers


def _message(stats) -> tuple[str, str]:
    label = stats.topic.display_label
    title = _("Emerging topic: %(label)s") % {"label": label}
    if stats.direction != "rising":  # not more comments, but more of them negative
        change = stats.negative_change
        body = _(
            "%(current)s comments on “%(label)s” in the last 30 days; the share of them that are negative rose "
            "significantly, by %(delta)s points against the 30 days before (p = %(p)s)."
        ) % {
            "label": label,
            "current": stats.current,
            "delta": f"{change.delta:.1f}",
            "p": f"{change.p_value:.3f}" if change.p_value is not None else "–",
        }
        return title, body
    body = _(
        "%(current)s comments on “%(label)s” in the last 30 days against %(previous)s in the 30 days before; "
        "its share of all comments rose significantly (p = %(p)s). %(negative)s %% of its comments are negative."
    ) % {
        "label": label,
        "current": stats.current,
        "previous": stats.previous,
        "p": f"{stats.change.p_value:.3f}" if stats.change.p_value is not None else "–",
        "negative": stats.negative_share if stats.negative_share is not None else "–",
    }
    return title, body


def _week_start(week: str) -> datetime:
    year, number = week.split("-W")
    return timezone.make_aware(datetime.fromisocalendar(int(year), int(number), 1))


def topic_emerging_notify(sender, *, stats, week: str, **kwargs) -> None:
    url = reverse("voice:topic_detail", args=[stats.topic.pk])
    told = set(
        Notification.objects.filter(
            kind=Notification.Kind.TOPIC, url=url, created_at__gte=_week_start(week)
        ).values_list("user_id", flat=True)
    )
    # As each manager chose on their profile: in the app and by e-mail, in the app only, or not at all.
    managers, by_email = alert_audience([user for user in _managers() if user.pk not in told], TOPIC_ALERTS)
    if not managers:
        return
    notifications, messages = [], []
    for user in managers:
        with override_for(user):  # stored and sent in the language of the person who reads it
            title, body = _message(stats)
            notifications.append(Notification(user=user, kind=Notification.Kind.TOPIC, title=title, body=body, url=url))
            if user in by_email:
                subject = _("CX portal: %(title)s") % {"title": title}
                messages.append(
                    EmailMessage(subject, f"{body}\n\n{_('Voice')}: {settings.SITE_URL}{url}\n", None, [user.email])
                )
    Notification.objects.bulk_create(notifications)
    if messages:
        transaction.on_commit(lambda: get_connection().send_messages(messages))


def connect() -> None:
    from voice.signals import topic_emerging

    topic_emerging.connect(topic_emerging_notify, dispatch_uid="metrics.topic_alerts")
