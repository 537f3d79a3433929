"""Status badges, overdue marks, progress bars and the status legend, drawn from ``actionplans.statuses``."""

from django import template
from django.utils import timezone

from actionplans import statuses

register = template.Library()


@register.inclusion_tag("actionplans/fragments/status_badge.html")
def status_badge(action):
    return {
        "status": action.status,
        "label": action.get_status_display(),
        "style": statuses.status_style(action.status),
    }


@register.inclusion_tag("actionplans/fragments/overdue_badge.html")
def overdue_badge(action, today=None):
    today = today or timezone.localdate()
    overdue = action.due_date is not None and action.due_date < today and not action.is_closed
    return {"overdue": overdue, "style": statuses.OVERDUE_STYLE, "label": statuses.OVERDUE_LABEL}


@register.inclusion_tag("actionplans/fragments/progress_bar.html")
def progress_bar(value, status="", label=""):
    """A bar with the number beside it ("70 %"); coloured by the action's status where given."""
    style = statuses.STATUS_STYLES.get(status)
    return {
        "value": max(0, min(100, int(value or 0))),
        "context": style.context if style else "primary",
        "label": label,
    }


@register.inclusion_tag("actionplans/fragments/status_legend.html")
def status_legend(with_overdue=False):
    return {
        "legend": statuses.legend(),
        "overdue": statuses.OVERDUE_STYLE if with_overdue else None,
        "overdue_label": statuses.OVERDUE_LABEL,
    }


@register.inclusion_tag("actionplans/fragments/milestone_badge.html")
def milestone_badge(milestone, today=None):
    """The milestone's state as a coloured badge with its icon and word (done, overdue, open)."""
    state = statuses.milestone_state(milestone, today or timezone.localdate())
    return {"state": state, "label": statuses.MILESTONE_LABELS[state], "style": statuses.MILESTONE_STYLES[state]}


@register.inclusion_tag("actionplans/fragments/milestone_legend.html")
def milestone_legend():
    return {"legend": statuses.milestone_legend()}


@register.inclusion_tag("actionplans/fragments/status_counts.html")
def status_counts(counts):
    """Per status a badge with its icon, word and number (only statuses with actions), and the overdue ones."""
    return {
        "items": [
            (value, label, statuses.STATUS_STYLES[value], counts["statuses"][value])
            for value, label, _style in statuses.legend()
            if counts["statuses"].get(value)
        ],
        "overdue": counts.get("overdue", 0),
        "overdue_style": statuses.OVERDUE_STYLE,
        "overdue_label": statuses.OVERDUE_LABEL,
    }


@register.simple_tag
def status_style(status):
    """``{% status_style value as style %}``: the colour and icon of a status value (kanban column heads)."""
    return statuses.status_style(status)
