"""KPI targets and the alerts they raise (writes; the reads are ``metrics.selectors.targets``).

Which value a target is judged on: the **current month's** snapshot (bucket month, the month that holds
today in the site time zone) of the target's KPI and scope, and only when it has at least
``settings.CX_MIN_SAMPLE_SIZE`` answers — early in a month, or in a quiet scope, the target keeps its
last state rather than flapping on a handful of answers. The first evaluation with enough data sets the
target's state silently (a baseline); every later change of state is a crossing, recorded once per
(target, month, direction), and announced to every active CX manager in the app and by e-mail.
"""

import logging
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cxportal import roles
from cxportal.alert_delivery import TARGET as TARGET_ALERTS
from cxportal.alert_delivery import alert_audience
from cxportal.i18n import override_for
from cxportal.tasks import task_queue
from cxportal.webhooks.services import webhook_emit
from journeys.models import Channel
from metrics.kpis import REGISTRY, period_start
from metrics.models import Bucket, KpiSnapshot, KpiTarget, Notification, ScopeType, TargetCrossing
from metrics.selectors.targets import SCOPE_MODELS, scope_labels

logger = logging.getLogger(__name__)

TARGET_FIELDS = ["kpi", "scope_type", "scope_key", "comparison", "value", "notify", "open_action"]


# ---------------------------------------------------------------- validation


def _scope_exists(scope_type: str, scope_key: str) -> bool:
    if scope_type == ScopeType.COMPANY:
        return scope_key == ""
    if scope_type == ScopeType.CHANNEL:
        return scope_key in Channel.values
    model = SCOPE_MODELS.get(scope_type)
    if model is None or not scope_key.isdigit():
        return False
    return model.objects.filter(pk=int(scope_key)).exists()


def _scope_word(scope_type: str) -> str:
    """The scope's name inside a sentence: lower case in English, as it is (a noun) in German."""
    label = str(ScopeType(scope_type).label)
    return label if (get_language() or "").startswith("de") else label.lower()


def _target_validate(target: KpiTarget) -> None:
    errors: dict[str, str] = {}
    definition = REGISTRY.get(target.kpi)
    if definition is None:
        errors["kpi"] = _("Unknown KPI “%(kpi)s”; choose one of %(kpis)s.") % {
            "kpi": target.kpi,
            "kpis": ", ".join(sorted(REGISTRY)),
        }
    if target.scope_type not in ScopeType.values:
        errors["scope_type"] = _("Unknown scope “%(scope)s”.") % {"scope": target.scope_type}
    elif not _scope_exists(target.scope_type, target.scope_key or ""):
        errors["scope_key"] = (
            _("The company scope takes no key.")
            if target.scope_type == ScopeType.COMPANY
            else _("No %(scope)s “%(key)s” exists.")
            % {"scope": _scope_word(target.scope_type), "key": target.scope_key}
        )
    elif definition is not None and target.scope_type not in getattr(definition, "scopes", ScopeType.values):
        errors["scope_type"] = _("%(kpi)s is not measured per %(scope)s.") % {
            "kpi": definition.label,
            "scope": _scope_word(target.scope_type),
        }
    if target.comparison not in KpiTarget.Comparison.values:
        errors["comparison"] = _("Choose ≥ or ≤.")
    if definition is not None and target.value is not None:
        low, high = definition.value_range
        if not low <= target.value <= high:
            errors["value"] = _("%(kpi)s targets lie between %(low)s and %(high)s.") % {
                "kpi": definition.label,
                "low": f"{low:g}",
                "high": f"{high:g}",
            }
    if errors:
        raise ValidationError(errors)
    duplicate = KpiTarget.objects.filter(kpi=target.kpi, scope_type=target.scope_type, scope_key=target.scope_key)
    if target.pk:
        duplicate = duplicate.exclude(pk=target.pk)
    if duplicate.exists():
        raise ValidationError({"scope_key": _("This KPI already has a target in this scope; edit that one.")})


# ---------------------------------------------------------------- services


@transaction.atomic
def target_create(
    *,
    kpi: str,
    value: float,
    scope_type: str = ScopeType.COMPANY,
    scope_key: str = "",
    comparison: str = KpiTarget.Comparison.AT_LEAST,
    notify: bool = True,
    open_action: bool = False,
    by=None,
) -> KpiTarget:
    target = KpiTarget(
        kpi=kpi,
        scope_type=scope_type,
        scope_key=str(scope_key or ""),
        comparison=comparison,
        value=value,
        notify=notify,
        open_action=open_action,
        created_by=by,
    )
    _target_validate(target)
    target.save()
    return target


@transaction.atomic
def target_update(*, target: KpiTarget, data: dict) -> KpiTarget:
    """Change a target; a changed KPI, scope, level or comparison starts from a fresh baseline."""
    changed = [f for f in TARGET_FIELDS if f in data and getattr(target, f) != data[f]]
    if not changed:
        return target
    for field in changed:
        setattr(target, field, str(data[field] or "") if field == "scope_key" else data[field])
    _target_validate(target)
    if set(changed) - {"notify", "open_action"}:
        target.status, target.status_value, target.status_period = "", None, None
        changed += ["status", "status_value", "status_period"]
    target.save(update_fields=[*changed, "updated_at"])
    return target


@transaction.atomic
def target_delete(*, target: KpiTarget) -> None:
    target.delete()


def _managers():
    user_model = get_user_model()
    return (
        user_model.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=roles.CX_MANAGER))
        .distinct()
    )


def crossing_facts(target: KpiTarget, crossing: TargetCrossing, scope_label: str) -> dict:
    """What an alert or a follow-up action says about a crossing (in the active language): the KPI, scope,
    value, month, n and the target, for the messages' ``%(…)s`` placeholders."""
    return {
        "kpi": REGISTRY[target.kpi].label if target.kpi in REGISTRY else target.kpi,
        "scope": scope_label,
        "value": f"{crossing.value:g}",
        "period": date_format(crossing.period_start, "YEAR_MONTH_FORMAT"),
        "n": crossing.n,
        "comparison": "≥" if target.comparison == KpiTarget.Comparison.AT_LEAST else "≤",
        "target": f"{target.value:g}",
    }


def _crossing_message(target: KpiTarget, crossing: TargetCrossing, scope_label: str) -> tuple[str, str]:
    facts = crossing_facts(target, crossing, scope_label)
    missed = crossing.direction == TargetCrossing.Direction.MISSED
    title = (_("%(kpi)s target missed: %(scope)s") if missed else _("%(kpi)s target met again: %(scope)s")) % facts
    body = (
        _("%(kpi)s for %(scope)s is %(value)s in %(period)s (n = %(n)s); the target is %(comparison)s %(target)s.")
        % facts
    )
    return title, body


def _notify_managers(*, target: KpiTarget, crossing: TargetCrossing, scope_label: str) -> None:
    url = reverse("metrics:target_list")
    managers, recipients = alert_audience(_managers(), TARGET_ALERTS)  # as each chose on their profile
    notifications = []
    for user in managers:
        # Stored text: written once, in the language of the person who will read it.
        with override_for(user):
            title, body = _crossing_message(target, crossing, scope_label)
        notifications.append(Notification(user=user, kind=Notification.Kind.TARGET, title=title, body=body, url=url))
    Notification.objects.bulk_create(notifications)

    def send() -> None:
        # One message per manager (recipients do not see each other's addresses), in that manager's language.
        messages = []
        for user in recipients:
            with override_for(user):
                title, body = _crossing_message(target, crossing, scope_label)
                subject = _("CX portal: %(title)s") % {"title": title}
                messages.append(
                    EmailMessage(subject, f"{body}\n\n{_('Targets')}: {settings.SITE_URL}{url}\n", None, [user.email])
                )
        get_connection().send_messages(messages)

    if recipients:
        transaction.on_commit(send)


def _crossing_webhook_data(target: KpiTarget, crossing: TargetCrossing, scope_label: str) -> dict:
    return {
        "crossing": crossing.pk,
        "target": target.pk,
        "kpi": target.kpi,
        "scope_type": target.scope_type,
        "scope_key": target.scope_key,
        "scope_label": scope_label,
        "comparison": target.comparison,
        "target_value": target.value,
        "direction": crossing.direction,
        "value": crossing.value,
        "n": crossing.n,
        "period_start": crossing.period_start,
        "crossed_at": crossing.crossed_at,
    }


@transaction.atomic
def targets_evaluate(*, today: date | None = None) -> list[TargetCrossing]:
    """Judge every target on the current month's snapshot; record and announce new crossings."""
    today = today or timezone.localdate()
    month = period_start(today, Bucket.MONTH)
    targets = list(KpiTarget.objects.select_for_update().order_by("pk"))
    if not targets:
        return []
    snapshots = {
        (s.kpi, s.scope_type, s.scope_key): s
        for s in KpiSnapshot.objects.filter(
            bucket=Bucket.MONTH, period_start=month, kpi__in={t.kpi for t in targets}
        ).filter(scope_type__in={t.scope_type for t in targets}, scope_key__in={t.scope_key for t in targets})
    }
    labels = scope_labels([(t.scope_type, t.scope_key) for t in targets])
    crossings = []
    now = timezone.now()
    for target in targets:
        snapshot = snapshots.get((target.kpi, target.scope_type, target.scope_key))
        if snapshot is None or snapshot.value is None or snapshot.n < settings.CX_MIN_SAMPLE_SIZE:
            continue
        status = KpiTarget.Status.MET if target.is_met_by(snapshot.value) else KpiTarget.Status.MISSED
        previous = target.status
        target.status, target.status_value, target.status_period = status, snapshot.value, month
        target.save(update_fields=["status", "status_value", "status_period"])
        if not previous or previous == status:
            continue
        crossing, created = TargetCrossing.objects.get_or_create(
            target=target,
            period_start=month,
            direction=status,
            defaults={"value": snapshot.value, "n": snapshot.n, "crossed_at": now},
        )
        if not created:
            continue
        crossings.append(crossing)
        logger.info("KPI target %s crossed: %s", target.pk, status)
        webhook_emit(
            event_type="kpi.target_crossed",
            data=lambda target=target, crossing=crossing: _crossing_webhook_data(
                target, crossing, labels.get((target.scope_type, target.scope_key), "")
            ),
            key=f"target-crossing:{crossing.pk}",
        )
        if target.notify:
            _notify_managers(
                target=target, crossing=crossing, scope_label=labels.get((target.scope_type, target.scope_key), "")
            )
    return crossings


@transaction.atomic
def notifications_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notifications read: the given ones, or all of them."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def targets_after_recompute() -> list[TargetCrossing]:
    """What follows every recompute (the Celery tasks and the ``recompute_metrics`` command alike): evaluate
    the targets, then hand the missed ones that ask for an action to actionplans (by task name, since
    metrics does not import actionplans). Returns the new crossings.

    A broker outage does not fail the recompute: the crossings are recorded, and the follow-up can be
    queued again from them.
    """
    crossings = targets_evaluate()
    ids = [c.pk for c in crossings if c.direction == TargetCrossing.Direction.MISSED and c.target.open_action]
    if ids:
        try:
            task_queue("actionplans.target_crossing_follow_up", args=[ids])
        except Exception:  # noqa: BLE001 - a broker outage must not fail the recompute
            logger.warning("Could not queue follow-up actions for target crossings %s", ids, exc_info=True)
    return crossings
