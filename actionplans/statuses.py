"""How an action's and a milestone's status look, everywhere they are shown (badges, kanban, timeline, matrix,
progress bars, milestone lists, the department page).

One colour (a Bootstrap context and its hex for plotly), one icon and the status's own word per status, so
colour is never the only carrier: blocked is danger, in progress primary, done success, cancelled and
obsolete secondary; an overdue action is marked warning on top of its status. A milestone is done (success),
overdue (warning) or open (secondary), with the same icons for done and overdue.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from actionplans.models import Action


@dataclass(frozen=True)
class StatusStyle:
    context: str  # Bootstrap: text-bg-<context>, bg-<context>
    colour: str  # the same colour for plotly
    icon: str


STATUS_STYLES: dict[str, StatusStyle] = {
    Action.Status.OPEN: StatusStyle("info", "#0dcaf0", "○"),
    Action.Status.IN_PROGRESS: StatusStyle("primary", "#0d6efd", "▶"),
    Action.Status.BLOCKED: StatusStyle("danger", "#dc3545", "■"),
    Action.Status.DONE: StatusStyle("success", "#198754", "✓"),
    Action.Status.CANCELLED: StatusStyle("secondary", "#6c757d", "✕"),
    Action.Status.OBSOLETE: StatusStyle("secondary", "#adb5bd", "–"),
}
OVERDUE_STYLE = StatusStyle("warning", "#ffc107", "!")
OVERDUE_LABEL = _("overdue")


def status_style(status: str) -> StatusStyle:
    return STATUS_STYLES[status]


def legend() -> list[tuple[str, str, StatusStyle]]:
    """(value, label, style) per status in the model's order, for legends beside charts."""
    return [(value, label, STATUS_STYLES[value]) for value, label in Action.Status.choices]


MILESTONE_DONE, MILESTONE_OVERDUE, MILESTONE_OPEN = "done", "overdue", "open"
MILESTONE_STYLES: dict[str, StatusStyle] = {
    MILESTONE_DONE: StatusStyle("success", STATUS_STYLES[Action.Status.DONE].colour, "✓"),
    MILESTONE_OVERDUE: OVERDUE_STYLE,
    MILESTONE_OPEN: StatusStyle("secondary", "#6c757d", "◇"),
}
MILESTONE_LABELS = {MILESTONE_DONE: _("done"), MILESTONE_OVERDUE: _("overdue"), MILESTONE_OPEN: _("open")}


def milestone_state(milestone, today: date) -> str:
    """done, overdue (not done and its due date has passed) or open."""
    if milestone.done_at is not None:
        return MILESTONE_DONE
    return MILESTONE_OVERDUE if milestone.due_date < today else MILESTONE_OPEN


def milestone_legend() -> list[tuple[str, str, StatusStyle]]:
    """(state, label, style) per milestone state, for legends."""
    return [(state, MILESTONE_LABELS[state], style) for state, style in MILESTONE_STYLES.items()]
