"""The action boards' plotly figures: the timeline (Gantt) and the impact/effort 2×2.

Status colours come from ``actionplans.statuses`` (one map for every page); each bar and point also says
its status in words (bar text, hover), so colour is never the only carrier. Titles are HTML-escaped:
plotly renders a subset of HTML in labels and hover text.
"""

import math
from datetime import date

import plotly.graph_objects as go
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from actionplans.models import Action, Milestone
from actionplans.statuses import OVERDUE_STYLE, STATUS_STYLES, milestone_legend, milestone_state
from cxportal.charts import render_figure

# 4 and 5 count as high impact / high effort (see Action.quadrant): the quadrants meet at 3.5.
HIGH_FROM = 3.5


def figure_html(fig: go.Figure | None) -> str:
    """The one place this app turns a figure into an HTML fragment (plotly.js comes from our static files)."""
    if fig is None:
        return ""
    return render_figure(fig)


def timeline_figure(actions: list[Action], milestones: list[Milestone], *, today: date) -> go.Figure | None:
    """A Gantt chart: one bar per action from start (or creation) to due date, diamonds for milestones."""
    if not actions:
        return None
    labels = {a.pk: f"{escape(a.title)} (#{a.pk})" for a in actions}
    overdue_word = _("overdue")
    due_word = _("due")
    fig = go.Figure()
    for status, label in ((value, str(label)) for value, label in Action.Status.choices):
        # Overdue bars last within their status: the legend's swatch shows the first bar's outline.
        rows = sorted((a for a in actions if a.status == status), key=lambda a: a.due_date < today and not a.is_closed)
        if not rows:
            continue
        style = STATUS_STYLES[status]
        starts = [a.start_date or min(a.due_date, timezone.localtime(a.created_at).date()) for a in rows]
        late = [a.due_date < today and not a.is_closed for a in rows]
        fig.add_trace(
            go.Bar(
                name=f"{style.icon} {label}",
                orientation="h",
                y=[labels[a.pk] for a in rows],
                base=[s.isoformat() for s in starts],
                x=[((a.due_date - s).days + 1) * 86_400_000 for a, s in zip(rows, starts, strict=True)],
                marker={
                    "color": style.colour,
                    "line": {
                        "color": [OVERDUE_STYLE.colour if is_late else style.colour for is_late in late],
                        "width": 3,
                    },
                },
                text=[f"{label} · {overdue_word}" if is_late else label for is_late in late],
                textposition="inside",
                insidetextanchor="start",
                customdata=[[escape(a.department.name), a.due_date.isoformat(), a.progress, label] for a in rows],
                hovertemplate="%{y}<br>%{customdata[3]} · %{customdata[0]}<br>"
                + due_word
                + " %{customdata[1]} · %{customdata[2]} %<extra></extra>",
            )
        )
    # Milestones by state (done, overdue, open): their colour and their word, from the same definitions.
    for state, state_label, style in milestone_legend():
        rows = [m for m in milestones if milestone_state(m, today) == state]
        if not rows:
            continue
        fig.add_trace(
            go.Scatter(
                name=f"◆ {_('Milestone')}: {state_label}",
                mode="markers",
                marker={
                    "symbol": "diamond",
                    "size": 12,
                    "color": style.colour,
                    "line": {"color": "#212529", "width": 1},
                },
                x=[m.due_date.isoformat() for m in rows],
                y=[labels[m.action_id] for m in rows],
                text=[f"{escape(m.title)} ({style.icon} {state_label})" for m in rows],
                hovertemplate="%{text}<br>%{x}<extra></extra>",
            )
        )
    fig.add_vline(x=today.isoformat(), line_dash="dot", line_color="#212529")
    fig.add_annotation(
        x=today.isoformat(), y=1, yref="paper", text=_("today"), showarrow=False, yanchor="bottom", font={"size": 11}
    )
    fig.update_layout(
        barmode="overlay",
        xaxis={"type": "date", "title": _("Date")},
        yaxis={"autorange": "reversed", "automargin": True},
        height=max(260, 40 * len(actions) + 120),
        margin={"l": 10, "r": 10, "t": 30, "b": 40},
        legend={"orientation": "h", "y": -0.15, "title": {"text": _("Status")}},
    )
    return fig


def _spread(count: int) -> list[tuple[float, float]]:
    """Offsets for ``count`` points sharing one (effort, impact) cell: a small ring, so none hides another."""
    if count == 1:
        return [(0.0, 0.0)]
    radius = min(0.35, 0.12 + 0.03 * count)
    return [
        (radius * math.cos(2 * math.pi * i / count), radius * math.sin(2 * math.pi * i / count)) for i in range(count)
    ]


def quadrant_labels() -> dict[str, tuple[float, float, str]]:
    """Where each quadrant's name stands (effort, impact) and its one-line advice."""
    q = Action.Quadrant
    return {
        q.QUICK_WIN: (0.6, 5.45, _("high impact, low effort: do these first")),
        q.BIG_LEVER: (5.4, 5.45, _("high impact, high effort: plan them, with milestones")),
        q.FILL_IN: (0.6, 0.55, _("low impact, low effort: when there is time")),
        q.THANKLESS: (5.4, 0.55, _("low impact, high effort: question them")),
    }


def matrix_figure(actions: list[Action]) -> go.Figure:
    """Impact (up) × effort (right), 1–5 each, split at 3.5 into the four quadrants; one point per action."""
    cells: dict[tuple[int, int], list[Action]] = {}
    for action in actions:
        cells.setdefault((action.effort, action.impact), []).append(action)
    position = {}
    for (effort, impact), group in cells.items():
        for action, (dx, dy) in zip(group, _spread(len(group)), strict=True):
            position[action.pk] = (effort + dx, impact + dy)
    fig = go.Figure()
    shading = {"quick_win": "#d1e7dd", "big_lever": "#cfe2ff", "fill_in": "#f8f9fa", "thankless": "#f8d7da"}
    bounds = {
        "quick_win": (0.5, HIGH_FROM, HIGH_FROM, 5.5),
        "big_lever": (HIGH_FROM, 5.5, HIGH_FROM, 5.5),
        "fill_in": (0.5, HIGH_FROM, 0.5, HIGH_FROM),
        "thankless": (HIGH_FROM, 5.5, 0.5, HIGH_FROM),
    }
    names = {value: str(label) for value, label in Action.Quadrant.choices}
    for quadrant, (x0, x1, y0, y1) in bounds.items():
        fig.add_shape(
            type="rect", x0=x0, x1=x1, y0=y0, y1=y1, fillcolor=shading[quadrant], line={"width": 0}, layer="below"
        )
    for quadrant, (x, y, advice) in quadrant_labels().items():
        left = x < HIGH_FROM
        fig.add_annotation(
            x=x,
            y=y,
            text=f"<b>{escape(names[quadrant])}</b><br><span style='font-size:11px'>{escape(advice)}</span>",
            showarrow=False,
            xanchor="left" if left else "right",
            yanchor="top" if y > HIGH_FROM else "bottom",
            align="left" if left else "right",
        )
    impact_word, effort_word = _("impact"), _("effort")
    for status, label in ((value, str(label)) for value, label in Action.Status.choices):
        rows = [a for a in actions if a.status == status]
        if not rows:
            continue
        style = STATUS_STYLES[status]
        fig.add_trace(
            go.Scatter(
                name=f"{style.icon} {label}",
                mode="markers",
                x=[position[a.pk][0] for a in rows],
                y=[position[a.pk][1] for a in rows],
                marker={"size": 13, "color": style.colour, "line": {"color": "#212529", "width": 1}},
                customdata=[
                    [f"{escape(a.title)} (#{a.pk})", a.impact, a.effort, escape(a.department.name), label] for a in rows
                ],
                hovertemplate="%{customdata[0]}<br>%{customdata[4]} · %{customdata[3]}<br>"
                + f"{impact_word} %{{customdata[1]}} · {effort_word} %{{customdata[2]}}<extra></extra>",
            )
        )
    fig.update_layout(
        height=520,
        margin={"l": 50, "r": 10, "t": 10, "b": 50},
        xaxis={"title": _("Effort (1 low – 5 high)"), "range": [0.5, 5.5], "dtick": 1, "zeroline": False},
        yaxis={"title": _("Impact (1 low – 5 high)"), "range": [0.5, 5.5], "dtick": 1, "zeroline": False},
        legend={"orientation": "h", "y": -0.12, "title": {"text": _("Status")}},
        plot_bgcolor="white",
    )
    return fig
