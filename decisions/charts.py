"""The driver chart (importance × performance) and the churn model's calibration, in the person's language."""

from html import escape

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from cxportal.charts import render_figure
from decisions.services.drivers import DriverAnalysis

NAVY = "#1f3b57"
GREY = "#9aa5b1"
RED = "#b02a37"


def quadrant_labels() -> dict[str, str]:
    return {
        "fix_first": _("Fix first"),
        "keep": _("Keep it up"),
        "monitor": _("Keep an eye on"),
        "overkill": _("Possibly over-served"),
    }


def drivers_figure(analysis: DriverAnalysis) -> str:
    """Each driver at (performance, importance) with its 95 % interval; lines at the significant drivers' means."""
    if not analysis.drivers:
        return ""
    labels = quadrant_labels()
    fig = go.Figure()
    groups = [
        (True, NAVY, _("explains the score")),
        (False, GREY, _("within noise")),
    ]
    for significant, color, name in groups:
        shown = [d for d in analysis.drivers if d.significant == significant]
        if not shown:
            continue
        fig.add_trace(
            go.Scatter(
                x=[d.performance for d in shown],
                y=[d.importance * 100 for d in shown],
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [(d.importance_high - d.importance) * 100 for d in shown],
                    "arrayminus": [(d.importance - d.importance_low) * 100 for d in shown],
                    "color": color,
                },
                mode="markers+text",
                text=[escape(d.name[:40]) for d in shown],
                textposition="top center",
                marker={"color": color, "size": 10},
                name=escape(name),
                customdata=[[d.n, labels.get(d.quadrant, escape(name))] for d in shown],
                hovertemplate=escape(_("%(name)s: importance %(imp)s %%, performance %(perf)s (n=%(n)s) — %(q)s"))
                % {
                    "name": "%{text}",
                    "imp": "%{y:.1f}",
                    "perf": "%{x:.0f}",
                    "n": "%{customdata[0]}",
                    "q": "%{customdata[1]}",
                }
                + "<extra></extra>",
            )
        )
    real = [d for d in analysis.drivers if d.significant]
    if real:
        fig.add_vline(x=sum(d.performance for d in real) / len(real), line={"dash": "dot", "color": GREY})
        fig.add_hline(y=sum(d.importance for d in real) / len(real) * 100, line={"dash": "dot", "color": GREY})
    fig.update_layout(
        height=420,
        margin={"l": 60, "r": 10, "t": 10, "b": 50},
        xaxis={"title": escape(_("Performance (average score, 0–100)"))},
        yaxis={"title": escape(_("Importance (percent of the score's variance explained)")), "rangemode": "tozero"},
        legend={"orientation": "h", "y": 1.1},
    )
    return render_figure(fig, filename="key-drivers")


def calibration_figure(calibration: list[dict]) -> str:
    """Predicted against observed churn in the held-out period, by fifths of the predicted risk."""
    if not calibration:
        return ""
    fig = go.Figure()
    top = max(max(b["predicted"], b["observed"]) for b in calibration) * 100 or 1
    fig.add_trace(
        go.Scatter(x=[0, top], y=[0, top], mode="lines", line={"dash": "dot", "color": GREY}, name=escape(_("perfect")))
    )
    fig.add_trace(
        go.Scatter(
            x=[b["predicted"] * 100 for b in calibration],
            y=[b["observed"] * 100 for b in calibration],
            customdata=[b["n"] for b in calibration],
            mode="lines+markers",
            marker={"color": RED},
            name=escape(_("model")),
            hovertemplate=escape(_("predicted %(p)s %%, observed %(o)s %% (n=%(n)s)"))
            % {"p": "%{x:.1f}", "o": "%{y:.1f}", "n": "%{customdata}"}
            + "<extra></extra>",
        )
    )
    fig.update_layout(
        height=300,
        margin={"l": 60, "r": 10, "t": 10, "b": 50},
        xaxis={"title": escape(_("Predicted churn in percent"))},
        yaxis={"title": escape(_("Observed churn in percent"))},
        legend={"orientation": "h", "y": 1.15},
    )
    return render_figure(fig, filename="churn-calibration")
