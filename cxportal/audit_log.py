"""Reading the audit log: the filters the page and ``GET /api/v1/audit-log/`` share, and one entry as people
read it (who, what, which fields before → after, when, from where)."""

import dataclasses
from dataclasses import dataclass

import django_filters
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxportal.audit import AUDITED_MODELS, SIGN_IN, SIGN_IN_FAILED

ACTIONS = {
    "create": LogEntry.Action.CREATE,
    "update": LogEntry.Action.UPDATE,
    "delete": LogEntry.Action.DELETE,
    "access": LogEntry.Action.ACCESS,
}
ACTION_LABELS = {
    "create": gettext_lazy("created"),
    "update": gettext_lazy("changed"),
    "delete": gettext_lazy("deleted"),
    "access": gettext_lazy("signed in"),
}
_ACTION_NAMES = {value: name for name, value in ACTIONS.items()}


def audited_content_types() -> list[ContentType]:
    labels = [label.lower().split(".") for label in AUDITED_MODELS]
    types = [ContentType.objects.filter(app_label=app, model=model).first() for app, model in labels]
    return sorted((t for t in types if t is not None), key=lambda t: str(t.model_class()._meta.verbose_name))


def _object_type_choices():
    return [
        (f"{t.app_label}.{t.model}", t.model_class()._meta.verbose_name.capitalize()) for t in audited_content_types()
    ]


class AuditLogFilterSet(django_filters.FilterSet):
    object_type = django_filters.ChoiceFilter(method="filter_object_type", label=gettext_lazy("Object type"))
    object_id = django_filters.CharFilter(field_name="object_pk", label=gettext_lazy("Object id"))
    action = django_filters.ChoiceFilter(
        choices=[(name, label) for name, label in ACTION_LABELS.items()],
        method="filter_action",
        label=gettext_lazy("Action"),
    )
    actor = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.order_by("username"), label=gettext_lazy("Person")
    )
    api_key = django_filters.CharFilter(method="filter_api_key", label=gettext_lazy("API key prefix"))
    timestamp__gte = django_filters.IsoDateTimeFilter(
        field_name="timestamp", lookup_expr="gte", label=gettext_lazy("From")
    )
    timestamp__lt = django_filters.IsoDateTimeFilter(
        field_name="timestamp", lookup_expr="lt", label=gettext_lazy("Before")
    )

    class Meta:
        model = LogEntry
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["object_type"].extra["choices"] = _object_type_choices()

    def filter_object_type(self, queryset, name, value: str):
        app_label, model = value.split(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)

    def filter_action(self, queryset, name, value: str):
        return queryset.filter(action=ACTIONS[value])

    def filter_api_key(self, queryset, name, value: str):
        return queryset.filter(additional_data__api_key=value)


def audit_entries():
    return LogEntry.objects.select_related("content_type", "actor").order_by("-timestamp", "-pk")


@dataclass
class EntryView:
    """One entry as the page, the CSV and the API give it."""

    id: int
    timestamp: object
    action: str
    event: str
    object_type: str
    object_type_label: str
    object_id: str
    object_repr: str
    actor_id: int | None
    actor: str
    api_key: str | None
    remote_addr: str | None
    changes: dict

    @property
    def action_label(self) -> str:
        if self.event == SIGN_IN_FAILED:
            return _("failed sign-in")
        return str(ACTION_LABELS.get(self.action, self.action))

    field_labels: dict = dataclasses.field(default_factory=dict)

    @property
    def change_lines(self) -> list[str]:
        """ "Field: old → new" for people: the field's name in the reader's language (the API keeps the names)."""
        return [f"{self.field_labels.get(field, field)}: {old} → {new}" for field, (old, new) in self.changes.items()]


def entry_view(entry: LogEntry) -> EntryView:
    data = entry.additional_data or {}
    api_key = data.get("api_key")
    if entry.actor is not None:
        actor = entry.actor.get_username()
    elif api_key:
        actor = _("API key %(name)s (%(prefix)s…)") % {"name": data.get("api_key_name", ""), "prefix": api_key}
    elif data.get("event") in (SIGN_IN, SIGN_IN_FAILED):
        actor = entry.object_repr
    else:
        actor = _("System")
    model = entry.content_type.model_class() if entry.content_type_id else None
    changes = {}
    for field, values in (entry.changes_dict or {}).items():
        if isinstance(values, list | tuple) and len(values) == 2:
            changes[field] = (values[0], values[1])
        elif isinstance(values, dict):  # m2m: {"type": "add"|"remove"|"clear", "objects": [...]}
            changes[field] = (values.get("type", ""), ", ".join(map(str, values.get("objects", []))))
    return EntryView(
        id=entry.pk,
        timestamp=entry.timestamp,
        action=_ACTION_NAMES.get(entry.action, str(entry.action)),
        event=data.get("event", ""),
        object_type=f"{entry.content_type.app_label}.{entry.content_type.model}" if entry.content_type_id else "",
        object_type_label=str(model._meta.verbose_name).capitalize() if model else "",
        object_id=entry.object_pk,
        object_repr=entry.object_repr,
        actor_id=entry.actor_id,
        actor=actor,
        api_key=api_key,
        remote_addr=entry.remote_addr,
        changes=changes,
        field_labels=_field_labels(model, changes),
    )


def _field_labels(model, changes: dict) -> dict:
    """The verbose names of the changed fields (translated), by field name; unknown names stay as they are."""
    labels = {}
    for name in changes:
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        label = getattr(field, "verbose_name", None)
        labels[name] = str(label)[:1].upper() + str(label)[1:] if label else name
    return labels
