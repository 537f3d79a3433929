"""How an action's status looks, everywhere it is shown (badges, kanban, timeline, matrix, progress bars).

One colour (a Bootstrap context and its hex for plotly), one icon and the status's own word per status, so
colour is never the only carrier: blocked is danger, in progress primary, done success, cancelled and
obsolete secondary; an overdue action is marked warning on top of its status.
"""

from dataclasses import dataclass

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
