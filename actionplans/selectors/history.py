"""An action's history, read (``services/history.py`` records it): the entries, and each entry written as a
sentence with names: "Anna Berger set the department to Sales and the owner to Jonas Weber." Works for old
entries too: they stored ids ({"department": [1, 2]}), which are looked up here, a batch per kind for the
whole page (never a query per entry)."""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from actionplans.models import Action, ActionEvent, ActionPlan, Department, Milestone
from journeys.models import JourneyMap, Opportunity, PainPoint, Touchpoint
from metrics.models import Kpi
from metrics.selectors.scopes import scope_names

FIELD_LABELS = {
    "title": gettext_lazy("the title"),
    "description": gettext_lazy("the description"),
    "plan": gettext_lazy("the plan"),
    "department": gettext_lazy("the department"),
    "owner": gettext_lazy("the owner"),
    "pain_point": gettext_lazy("the pain point"),
    "opportunity": gettext_lazy("the opportunity"),
    "touchpoint": gettext_lazy("the touchpoint"),
    "linked_map": gettext_lazy("the journey map"),
    "kpi": gettext_lazy("the KPI"),
    "kpi_scope": gettext_lazy("where the KPI is measured"),
    "target_value": gettext_lazy("the KPI target"),
    "impact": gettext_lazy("the impact"),
    "effort": gettext_lazy("the effort"),
    "resources": gettext_lazy("the resources / budget"),
    "status": gettext_lazy("the status"),
    "progress": gettext_lazy("the progress"),
    "start_date": gettext_lazy("the start date"),
    "due_date": gettext_lazy("the due date"),
}
# Long texts: the sentence says that they changed, not what they say.
TEXT_FIELDS = {"description", "resources"}
_RELATED = {
    "department": Department,
    "plan": ActionPlan,
    "pain_point": PainPoint,
    "opportunity": Opportunity,
    "touchpoint": Touchpoint,
    "linked_map": JourneyMap,
    "milestone": Milestone,
}


def action_history(*, action: Action) -> QuerySet[ActionEvent]:
    return ActionEvent.objects.filter(action=action).select_related("user")


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _pairs(changes: dict):
    """``(field, old, new)`` for update entries; other entries' values come as ``(field, None, value)``.

    In the form's order (FIELD_LABELS), not the stored order: PostgreSQL's jsonb keeps keys sorted its own way.
    """
    order = {field: n for n, field in enumerate(FIELD_LABELS)}
    for field, value in sorted(changes.items(), key=lambda item: (order.get(item[0], len(order)), item[0])):
        if isinstance(value, list) and len(value) == 2:
            yield field, value[0], value[1]
        else:
            yield field, None, value


class _Names:
    """Names of everything the entries refer to by id, loaded in one query per kind."""

    def __init__(self, events):
        wanted: dict[str, set[int]] = {}
        scopes = set()
        for event in events:
            changes = event.changes if isinstance(event.changes, dict) else {}
            for field, old, new in _pairs(changes):
                if field in _RELATED or field == "owner":
                    wanted.setdefault(field, set()).update(v for v in (old, new) if isinstance(v, int))
            scopes.update(self._scopes(changes, event.action))
        self.related = {}
        for field, ids in wanted.items():
            if not ids:
                continue
            if field == "owner":
                users = get_user_model().objects.filter(pk__in=ids)
                self.related[field] = {u.pk: _person(u) for u in users}
            elif field == "touchpoint":
                rows = Touchpoint.objects.filter(pk__in=ids).values_list("pk", "name", "stage__journey_map__name")
                self.related[field] = {pk: f"{name} ({map_name})" for pk, name, map_name in rows}
            elif field == "milestone":
                self.related[field] = dict(Milestone.objects.filter(pk__in=ids).values_list("pk", "title"))
            else:
                self.related[field] = {obj.pk: str(obj) for obj in _RELATED[field].objects.filter(pk__in=ids)}
        self.scopes = scope_names(sorted(scopes))

    @staticmethod
    def _scopes(changes: dict, action) -> set:
        """The scopes a change of scope_type/scope_key went from and to (the other half from the action)."""
        if "scope_type" not in changes and "scope_key" not in changes:
            return set()
        return set(_scope_change(changes, action))

    def of(self, field: str, value) -> str:
        if value in (None, ""):
            return ""
        if field in self.related or field in _RELATED or field == "owner":
            if isinstance(value, int):
                return self.related.get(field, {}).get(value) or _("(deleted)")
            return str(value)  # an entry written with the name already
        return _value(field, value)


def _scope_change(changes: dict, action) -> tuple[tuple[str, str], tuple[str, str]]:
    current_type = action.scope_type if action else ""
    current_key = action.scope_key if action else ""
    old_type, new_type = changes.get("scope_type", [current_type, current_type])
    old_key, new_key = changes.get("scope_key", [current_key, current_key])
    return (old_type or "", str(old_key or "")), (new_type or "", str(new_key or ""))


def _value(field: str, value) -> str:
    if field == "status" and value in Action.Status.values:
        return str(Action.Status(value).label)
    if field == "priority" and value in Action.Priority.values:
        return str(Action.Priority(value).label)
    if field == "kpi" and value in Kpi.values:
        return str(Kpi(value).label)
    if field == "progress":
        return f"{value} %"
    if isinstance(value, str) and field.endswith("_date"):
        parsed = parse_date(value)
        if parsed:
            return formats.date_format(parsed)
    if isinstance(value, str) and field.endswith("_at"):
        parsed = parse_datetime(value)
        if parsed:
            return formats.date_format(timezone.localtime(parsed), "DATETIME_FORMAT")
    if isinstance(value, date | datetime):
        return formats.date_format(value)
    return str(value)


def _update_parts(event, names: _Names) -> list[str]:
    changes = event.changes if isinstance(event.changes, dict) else {}
    parts = []
    if "scope_type" in changes or "scope_key" in changes:
        _old, new = _scope_change(changes, event.action)
        parts.append(
            _("%(field)s to %(value)s") % {"field": FIELD_LABELS["kpi_scope"], "value": names.scopes.get(new, "")}
        )
    for field, _previous, new in _pairs(changes):
        if field in ("scope_type", "scope_key", "milestone"):
            continue
        label = FIELD_LABELS.get(field)
        if label is None:  # a note such as "opened by closed loop": shown as written
            parts.append(f"{field}: {new}")
        elif field in TEXT_FIELDS:
            parts.append(_("a new text for %(field)s") % {"field": label})
        else:
            shown = names.of(field, new) or _("none")
            parts.append(_("%(field)s to %(value)s") % {"field": label, "value": shown})
    return parts


def _sentence(event, names: _Names) -> str:
    who = _person(event.user) if event.user else _("The system")
    changes = event.changes if isinstance(event.changes, dict) else {}
    verb = event.verb
    title = changes.get("title")
    milestone = names.of("milestone", changes.get("milestone")) or (title if isinstance(title, str) else "")
    if verb == ActionEvent.Verb.CREATED:
        details = [
            _("%(field)s %(value)s") % {"field": FIELD_LABELS[f], "value": names.of(f, changes.get(f))}
            for f in ("department", "owner", "due_date")
            if names.of(f, changes.get(f))
        ]
        if details:
            return _("%(who)s created the action with %(details)s.") % {
                "who": who,
                "details": get_text_list(details, pgettext("list", "and")),
            }
        return _("%(who)s created the action.") % {"who": who}
    if verb == ActionEvent.Verb.UPDATED:
        parts = _update_parts(event, names)
        if not parts:
            return _("%(who)s saved the action without changes.") % {"who": who}
        return _("%(who)s set %(changes)s.") % {"who": who, "changes": get_text_list(parts, pgettext("list", "and"))}
    if verb == ActionEvent.Verb.DELETED:
        return _("%(who)s deleted the action “%(title)s”.") % {"who": who, "title": title or ""}
    if verb == ActionEvent.Verb.COMMENTED:
        return _("%(who)s commented.") % {"who": who}
    if verb == ActionEvent.Verb.MILESTONE_ADDED:
        due = names.of("due_date", changes.get("due_date"))
        return _("%(who)s added the milestone “%(title)s”, due %(due)s.") % {"who": who, "title": title, "due": due}
    if verb == ActionEvent.Verb.MILESTONE_UPDATED:
        parts = _update_parts(event, names)
        return _("%(who)s changed the milestone “%(title)s”: %(changes)s.") % {
            "who": who,
            "title": milestone,
            "changes": get_text_list(parts, pgettext("list", "and")),
        }
    texts = {
        ActionEvent.Verb.MILESTONE_DONE: _("%(who)s completed the milestone “%(title)s”."),
        ActionEvent.Verb.MILESTONE_REOPENED: _("%(who)s reopened the milestone “%(title)s”."),
        ActionEvent.Verb.MILESTONE_DELETED: _("%(who)s deleted the milestone “%(title)s”."),
    }
    if verb in texts:
        return texts[verb] % {"who": who, "title": milestone}
    return f"{who}: {event.get_verb_display()}"


def action_history_sentences(events) -> list[tuple[ActionEvent, str]]:
    """``[(event, sentence)]`` in the given order; a few queries for the whole list."""
    events = list(events)
    names = _Names(events)
    return [(event, _sentence(event, names)) for event in events]
