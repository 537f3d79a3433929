"""Reads of KPI targets and their notifications: lists, scope labels, the missed targets."""

from collections import defaultdict

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from journeys.models import Channel, JourneyMap, Persona, Stage, Touchpoint
from metrics.kpis import REGISTRY
from metrics.models import KpiTarget, Notification, ScopeType
from surveys.models import Survey

SCOPE_MODELS = {
    ScopeType.MAP: JourneyMap,
    ScopeType.STAGE: Stage,
    ScopeType.TOUCHPOINT: Touchpoint,
    ScopeType.PERSONA: Persona,
    ScopeType.SURVEY: Survey,
}


def _scope_word(scope_type: str) -> str:
    """The scope's name before a name: lower case in English, as it is (a noun) in German."""
    label = str(ScopeType(scope_type).label)
    return label if (get_language() or "").startswith("de") else label.lower()


def scope_labels(scopes: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Readable names of scopes, one query per scope type that occurs."""
    keys: dict[str, set[int]] = defaultdict(set)
    labels: dict[tuple[str, str], str] = {}
    for scope_type, scope_key in scopes:
        if scope_type == ScopeType.COMPANY:
            labels[(scope_type, scope_key)] = _("whole company")
        elif scope_type == ScopeType.CHANNEL:
            label = Channel(scope_key).label if scope_key in Channel.values else scope_key
            labels[(scope_type, scope_key)] = _("channel %(name)s") % {"name": label}
        elif scope_type in SCOPE_MODELS and scope_key.isdigit():
            keys[scope_type].add(int(scope_key))
    for scope_type, ids in keys.items():
        model = SCOPE_MODELS[scope_type]
        queryset = model.objects.filter(pk__in=ids)
        if scope_type == ScopeType.TOUCHPOINT:
            queryset = queryset.select_related("stage")
        for obj in queryset:
            name = getattr(obj, "title", None) or obj.name
            if scope_type == ScopeType.TOUCHPOINT:
                name = f"{obj.stage.name} › {name}"
            labels[(scope_type, str(obj.pk))] = f"{_scope_word(scope_type)} {name}"
    for scope in scopes:
        labels.setdefault(scope, _("%(type)s %(key)s (deleted)") % {"type": scope[0], "key": scope[1]})
    return labels


def target_list() -> list[KpiTarget]:
    """Every target, each with ``scope_label`` and ``definition`` (None for a KPI no longer registered)."""
    targets = list(KpiTarget.objects.select_related("created_by"))
    labels = scope_labels([(t.scope_type, t.scope_key) for t in targets])
    for target in targets:
        target.scope_label = labels[(target.scope_type, target.scope_key)]
        target.definition = REGISTRY.get(target.kpi)
    return targets


def targets_for_scopes(*, scope_type: str, scope_keys: list[str] | None = None) -> dict[tuple[str, str], KpiTarget]:
    """Targets of one scope type, keyed by (kpi, scope_key)."""
    targets = KpiTarget.objects.filter(scope_type=scope_type)
    if scope_keys is not None:
        targets = targets.filter(scope_key__in=scope_keys)
    return {(t.kpi, t.scope_key): t for t in targets}


def notification_list(*, user, limit: int = 100) -> list[Notification]:
    return list(Notification.objects.filter(user=user)[:limit])


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def targets_missed(*, limit: int = 5) -> dict:
    """The targets missed at their latest evaluation: ``{"count", "targets"}`` (the first ``limit``, each with
    ``scope_label`` and ``definition``) in KPI and scope order; a constant number of queries."""
    missed = KpiTarget.objects.filter(status=KpiTarget.Status.MISSED).order_by("kpi", "scope_type", "scope_key", "pk")
    targets = list(missed[:limit])
    labels = scope_labels([(t.scope_type, t.scope_key) for t in targets])
    for target in targets:
        target.scope_label = labels[(target.scope_type, target.scope_key)]
        target.definition = REGISTRY.get(target.kpi)
    return {"count": missed.count() if len(targets) == limit else len(targets), "targets": targets}
