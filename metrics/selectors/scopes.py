"""KPI scopes as people read them: names instead of ids, and a grouped picker for forms.

A scope is ``(scope_type, scope_key)`` as stored and as the API speaks it (ids, channel codes); pages show
"After-sales service (Buying a packaging machine)" instead of "touchpoint #8".
"""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from journeys.models import Channel, JourneyMap, Persona, Stage, Touchpoint
from metrics.models import ScopeType
from surveys.models import Survey

COMPANY_CHOICE = "company:"
_GROUPS = [
    (ScopeType.MAP, pgettext_lazy("KPI scope group", "Journey maps")),
    (ScopeType.STAGE, pgettext_lazy("KPI scope group", "Stages")),
    (ScopeType.TOUCHPOINT, pgettext_lazy("KPI scope group", "Touchpoints")),
    (ScopeType.PERSONA, pgettext_lazy("KPI scope group", "Personas")),
    (ScopeType.CHANNEL, pgettext_lazy("KPI scope group", "Channels")),
    (ScopeType.SURVEY, pgettext_lazy("KPI scope group", "Surveys")),
]


def _named(scope_type: str, ids=None) -> list[tuple[str, str]]:
    """``[(key, name)]`` of one scope type (all of them, or those with ``ids``), one query."""
    if scope_type == ScopeType.CHANNEL:
        return [(value, str(label)) for value, label in Channel.choices if ids is None or value in ids]
    if scope_type == ScopeType.MAP:
        rows = JourneyMap.objects.order_by("name").values_list("pk", "name")
    elif scope_type == ScopeType.STAGE:
        queryset = Stage.objects.order_by("journey_map__name", "position", "pk")
        if ids is not None:
            queryset = queryset.filter(pk__in=ids)
        return [
            (str(pk), f"{name} ({map_name})")
            for pk, name, map_name in queryset.values_list("pk", "name", "journey_map__name")
        ]
    elif scope_type == ScopeType.TOUCHPOINT:
        queryset = Touchpoint.objects.order_by("stage__journey_map__name", "stage__position", "position", "pk")
        if ids is not None:
            queryset = queryset.filter(pk__in=ids)
        return [
            (str(pk), f"{name} ({map_name})")
            for pk, name, map_name in queryset.values_list("pk", "name", "stage__journey_map__name")
        ]
    elif scope_type == ScopeType.PERSONA:
        rows = Persona.objects.order_by("name").values_list("pk", "name")
    elif scope_type == ScopeType.SURVEY:
        rows = Survey.objects.order_by("title").values_list("pk", "title")
    else:
        return []
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return [(str(pk), name) for pk, name in rows]


def scope_names(scopes) -> dict[tuple[str, str], str]:
    """``{(scope_type, scope_key): name}`` for the given scopes, one query per scope type that occurs.

    The company scope reads "the whole company"; a scope whose object is gone reads "a deleted …".
    """
    wanted: dict[str, set] = {}
    names: dict[tuple[str, str], str] = {}
    for scope_type, scope_key in scopes:
        if scope_type in ("", ScopeType.COMPANY):
            names[(scope_type, scope_key)] = _("the whole company")
        elif scope_type == ScopeType.CHANNEL:
            wanted.setdefault(scope_type, set()).add(scope_key)
        elif str(scope_key).isdigit():
            wanted.setdefault(scope_type, set()).add(int(scope_key))
    for scope_type, ids in wanted.items():
        for key, name in _named(scope_type, ids):
            names[(scope_type, key)] = name
    for scope_type, scope_key in scopes:
        if (scope_type, scope_key) not in names:
            label = ScopeType(scope_type).label if scope_type in ScopeType.values else scope_type
            names[(scope_type, scope_key)] = _("a deleted %(kind)s") % {"kind": str(label).lower()}
    return names


def scope_choices() -> list:
    """Grouped choices for a ``<select>``: "company:" first, then ``"<type>:<key>"`` per map, stage, …"""
    choices: list = [(COMPANY_CHOICE, _("The whole company"))]
    for scope_type, label in _GROUPS:
        options = [(f"{scope_type}:{key}", name) for key, name in _named(scope_type)]
        if options:
            choices.append((label, options))
    return choices


def scope_choice_value(scope_type: str, scope_key: str) -> str:
    return f"{scope_type or ScopeType.COMPANY}:{scope_key or ''}"


def scope_choice_split(value: str) -> tuple[str, str]:
    """``"touchpoint:8"`` → ``("touchpoint", "8")``; empty → ``("", "")`` (no scope)."""
    if not value:
        return "", ""
    scope_type, _sep, scope_key = value.partition(":")
    return scope_type, scope_key
