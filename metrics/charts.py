"""The one place metrics builds plotly figures: trends, NPS categories, breakdown bars, sparklines, the map
heatmap and the felt-vs-measured emotion curve.

Rules every figure here keeps:
- time buckets are named by their period in the site time zone ("Nov 2026", "Week 48 2026", "Q4 2026"),
  never by a plotly-chosen tick that a browser may shift from UTC;
- values below the minimum sample size (``enough`` false) are not drawn as bars or points; a note says so;
- text sits beside bars, never on them (no overlap with error bars);
- names are HTML-escaped: plotly renders a subset of HTML in labels and hover text.
"""

import math
from html import escape

import plotly.graph_objects as go
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cxportal.charts import render_figure
from metrics import emotion
from metrics.kpis import REGISTRY
from metrics.periods import period_label

NAVY = "#1f3b57"
NPS_COLOURS = {"promoters": "#2e7d32", "passives": "#9e9e9e", "detractors": "#c62828"}
# Red (worst) → yellow → green (best): a heatmap cell's level within the KPI's range, direction included.
LEVEL_SCALE = [[0.0, "#e57373"], [0.5, "#fff176"], [1.0, "#81c784"]]
TOO_FEW_COLOUR = "#e9ecef"
MAX_TICKS = 14


def figure_html(fig: go.Figure | None, *, mode_bar: bool = True) -> str:
    """The one place this app turns a figure into an HTML fragment (plotly.js comes from our static files)."""
    if fig is None:
        return ""
    return render_figure(fig, mode_bar=mode_bar)


def fmt(value, kpi: str) -> str:
    return f"{value:.2f}" if kpi in ("ces", "clv") else f"{value:.1f}"


def nps_parts() -> list[tuple[str, str]]:
    return [
        ("promoters", _("Promoters (9–10)")),
        ("passives", _("Passives (7–8)")),
        ("detractors", _("Detractors (0–6)")),
    ]


def period_axis(starts, bucket: str) -> dict:
    """A date axis whose ticks sit on the bucket starts and carry the buckets' names (at most MAX_TICKS)."""
    starts = sorted(set(starts))
    step = max(1, math.ceil(len(starts) / MAX_TICKS))
    shown = starts[::step]
    return {
        "type": "date",
        "tickmode": "array",
        "tickvals": [d.isoformat() for d in shown],
        "ticktext": [period_label(d, bucket) for d in shown],
    }


# ---------------------------------------------------------------- trends


def trend_figure(kpi: str, points: list[dict], *, bucket: str) -> go.Figure | None:
    """The KPI per bucket; KPIs with a margin of error get the 95 % band; low-n buckets left out."""
    shown = [p for p in points if p["enough"]]
    if not shown:
        return None
    definition = REGISTRY[kpi]
    x = [p["period_start"].isoformat() for p in shown]
    fig = go.Figure()
    if any(p["margin_of_error"] is not None for p in shown):
        moe = [p["margin_of_error"] or 0 for p in shown]
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[p["value"] - m for p, m in zip(shown, moe, strict=True)],
                mode="lines",
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
                name=_("95 % margin (lower)"),
            )
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[p["value"] + m for p, m in zip(shown, moe, strict=True)],
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor="rgba(31,59,87,0.18)",
                hoverinfo="skip",
                name=_("95 % margin"),
            )
        )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[p["value"] for p in shown],
            mode="lines+markers",
            name=escape(definition.label),
            line={"color": NAVY, "width": 2},
            customdata=[
                [
                    p["n"],
                    p["margin_of_error"] if p["margin_of_error"] is not None else "–",
                    period_label(p["period_start"], bucket),
                ]
                for p in shown
            ],
            hovertemplate="%{customdata[2]}: %{y} (n=%{customdata[0]}, ± %{customdata[1]})<extra></extra>",
        )
    )
    fig.update_layout(
        height=300,
        margin={"l": 50, "r": 10, "t": 10, "b": 40},
        xaxis=period_axis([p["period_start"] for p in points], bucket),
        yaxis={"title": escape(f"{definition.label} ({definition.unit})")},
        legend={"orientation": "h", "y": 1.12},
    )
    return fig


def nps_stack_figure(points: list[dict], *, bucket: str) -> go.Figure | None:
    """Promoters, passives and detractors per bucket as stacked bars, one bar per named period.

    The bars stand on a category axis of period names, so a bar is labelled by its own period.
    """
    points = [p for p in points if p["n"]]
    if not points:
        return None
    labels = [period_label(p["period_start"], bucket) for p in points]
    fig = go.Figure()
    of = _("of")
    for key, label in nps_parts():
        fig.add_trace(
            go.Bar(
                x=labels,
                y=[p[key] for p in points],
                name=label,
                marker={"color": NPS_COLOURS[key]},
                text=[p[key] for p in points],
                textposition="inside",
                customdata=[[p[f"{key}_share"], p["n"]] for p in points],
                hovertemplate=f"%{{x}} · {label}: %{{y}} {of} %{{customdata[1]}} (%{{customdata[0]}} %)<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        height=260,
        margin={"l": 50, "r": 10, "t": 10, "b": 40},
        xaxis={"type": "category"},
        yaxis={"title": _("answers")},
        legend={"orientation": "h", "y": 1.15},
    )
    return fig


def sparkline_figure(points: list[dict], *, bucket: str) -> go.Figure | None:
    """A card's small line: only buckets with enough data; none with fewer than two such buckets."""
    min_n = settings.CX_MIN_SAMPLE_SIZE
    points = [p for p in points if p["value"] is not None and p["n"] >= min_n]
    if len(points) < 2:
        return None
    fig = go.Figure(
        go.Scatter(
            x=[p["period_start"].isoformat() for p in points],
            y=[p["value"] for p in points],
            mode="lines",
            line={"width": 2, "color": NAVY},
            hovertext=[f"{period_label(p['period_start'], bucket)}: {p['value']} (n={p['n']})" for p in points],
            hoverinfo="text",
        )
    )
    fig.update_layout(
        height=50,
        margin={"l": 0, "r": 0, "t": 2, "b": 2},
        xaxis={"visible": False, "fixedrange": True},
        yaxis={"visible": False, "fixedrange": True},
        showlegend=False,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig


# ---------------------------------------------------------------- breakdown


def breakdown_figure(rows: list[dict], kpi: str) -> go.Figure | None:
    """Horizontal bars, best first, with their 95 % margin; the numbers stand in a column right of the plot.

    Rows below the minimum sample size get no bar, only the note "not enough responses (n = …)".
    """
    rows = [r for r in rows if r["result"].value is not None]
    if not rows:
        return None
    definition = REGISTRY[kpi]
    labels = [escape(f"{r['context']} › {r['name']}" if r["context"] else r["name"]) for r in rows]
    notes = [
        f"{fmt(r['result'].value, kpi)}"
        + (f" ± {fmt(r['result'].margin_of_error, kpi)}" if r["result"].margin_of_error is not None else "")
        + f" (n={r['result'].n})"
        if r["enough"]
        else _("not enough responses (n=%(n)s)") % {"n": r["result"].n}
        for r in rows
    ]
    fig = go.Figure(
        go.Bar(
            x=[r["result"].value if r["enough"] else None for r in rows],
            y=labels,
            orientation="h",
            marker={"color": NAVY},
            error_x={
                "type": "data",
                "array": [(r["result"].margin_of_error or 0) if r["enough"] else 0 for r in rows],
                "color": "#6c757d",
            },
            hovertext=notes,
            hoverinfo="y+text",
        )
    )
    for label, note, row in zip(labels, notes, rows, strict=True):
        fig.add_annotation(
            x=1.01,
            xref="paper",
            xanchor="left",
            y=label,
            yref="y",
            text=note,
            showarrow=False,
            font={"size": 12, "color": "#212529" if row["enough"] else "#6c757d"},
        )
    low, high = definition.value_range
    fig.update_layout(
        height=120 + 30 * len(rows),
        margin={"l": 10, "r": 190, "t": 10, "b": 40},
        xaxis={
            "title": escape(f"{definition.label} ({definition.unit})"),
            "range": [low, high] if high != float("inf") else None,
            "zeroline": True,
        },
        yaxis={"autorange": "reversed", "automargin": True},
        showlegend=False,
    )
    return fig


# ---------------------------------------------------------------- the map: stage × touchpoint heatmap


def _wrap(name: str, width: int = 18) -> str:
    words, lines, line = name.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(escape(part) for part in lines[:3])


def map_heatmap_figure(cells: list[dict], kpi: str) -> go.Figure | None:
    """Stages as columns (in map order), each stage's touchpoints stacked in it, coloured by the KPI.

    ``cells``: one per touchpoint with ``stage``, ``row`` (position within the stage), ``touchpoint``,
    ``result`` (KpiValue or None), ``enough`` and ``level`` (0 worst … 1 best). Cells below the minimum
    sample are grey and say "too few"; n and the margin are in the hover text.
    """
    if not cells:
        return None
    definition = REGISTRY[kpi]
    stages = list({c["stage"].pk: c["stage"] for c in cells}.values())
    columns = [escape(s.name) for s in stages]
    depth = max(c["row"] for c in cells) + 1
    size = (depth, len(stages))
    z = [[None] * size[1] for _row in range(depth)]
    z_low = [[None] * size[1] for _row in range(depth)]
    text = [[""] * size[1] for _row in range(depth)]
    hover = [[""] * size[1] for _row in range(depth)]
    column_of = {s.pk: i for i, s in enumerate(stages)}
    too_few, no_answers = _("too few answers"), _("no answers")
    for cell in cells:
        r, c = cell["row"], column_of[cell["stage"].pk]
        result = cell["result"]
        name = _wrap(cell["touchpoint"].name)
        full = escape(cell["touchpoint"].name)
        if cell["enough"]:
            z[r][c] = cell["level"]
            value = fmt(result.value, kpi)
            text[r][c] = f"{name}<br><b>{value}</b>"
            moe = f" ± {fmt(result.margin_of_error, kpi)}" if result.margin_of_error is not None else ""
            hover[r][c] = f"{full}<br>{escape(definition.label)} {value}{moe} (n={result.n})"
        else:
            z_low[r][c] = 0
            n = result.n if result is not None else 0
            note = too_few if n else no_answers
            text[r][c] = f"{name}<br><i>{note}</i>"
            needed = _("at least %(min)s needed") % {"min": settings.CX_MIN_SAMPLE_SIZE}
            hover[r][c] = f"{full}<br>{note} (n={n}, {needed})"
    rows = list(range(depth))
    common = {
        "x": columns,
        "y": rows,
        "xgap": 3,
        "ygap": 3,
        "hoverongaps": False,
        "hovertemplate": "%{hovertext}<extra></extra>",
    }
    low, high = definition.value_range
    scale_text = [fmt(low, kpi), fmt((low + high) / 2, kpi), fmt(high, kpi)] if high != float("inf") else None
    if scale_text and not definition.higher_is_better:
        scale_text.reverse()
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            z=z_low,
            text=text,
            hovertext=hover,
            texttemplate="%{text}",
            colorscale=[[0, TOO_FEW_COLOUR], [1, TOO_FEW_COLOUR]],
            showscale=False,
            name=too_few,
            **common,
        )
    )
    fig.add_trace(
        go.Heatmap(
            z=z,
            text=text,
            hovertext=hover,
            texttemplate="%{text}",
            zmin=0,
            zmax=1,
            colorscale=LEVEL_SCALE,
            colorbar={
                "title": {"text": escape(definition.label)},
                "tickvals": [0, 0.5, 1],
                "ticktext": scale_text or [_("worst"), "", _("best")],
                "thickness": 12,
            },
            name=escape(definition.label),
            **common,
        )
    )
    fig.update_layout(
        height=110 + 62 * depth,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"side": "top", "fixedrange": True, "type": "category"},
        yaxis={"autorange": "reversed", "visible": False, "fixedrange": True},
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig


# ---------------------------------------------------------------- felt vs measured


def felt_vs_measured_figure(curve: list[dict]) -> go.Figure | None:
    """Per stage, the emotion the team hypothesised and the one measured; each point's hover says where it
    came from (the touchpoints scored, or the KPIs and their number of answers). A curve without a single
    point is left out, legend entry included."""
    names = [escape(c["stage"].name) for c in curve]
    felt_hover = [
        escape(
            ngettext(
                "%(stage)s: felt %(value)s, the team's score of %(n)s touchpoint",
                "%(stage)s: felt %(value)s, the mean of the team's scores of %(n)s touchpoints",
                c["felt_n"],
            )
            % {"stage": c["stage"].name, "value": f"{c['felt']:+.1f}", "n": c["felt_n"]}
        )
        if c["felt"] is not None
        else ""
        for c in curve
    ]
    measured_hover = [
        escape(_("%(stage)s: measured %(value)s") % {"stage": c["stage"].name, "value": f"{c['measured']:+.1f}"})
        + "<br>"
        + "<br>".join(escape(emotion.source_text(source)) for source in c["sources"])
        if c["measured"] is not None
        else ""
        for c in curve
    ]
    traces = (
        ("felt", _("felt (the team's hypothesis)"), "dot", "#6c757d", felt_hover),
        ("measured", _("measured (survey answers)"), "solid", "#1f3b57", measured_hover),
    )
    fig = go.Figure()
    for key, label, dash, colour, hover in traces:
        if all(c[key] is None for c in curve):
            continue
        fig.add_trace(
            go.Scatter(
                x=names,
                y=[c[key] for c in curve],
                name=label,
                mode="lines+markers+text",
                text=[f"{c[key]:+.1f}" if c[key] is not None else "" for c in curve],
                textposition="top center",
                hovertext=hover,
                hoverinfo="text",
                line={"dash": dash, "width": 2, "color": colour},
                marker={"size": 9, "color": colour},
                connectgaps=False,
            )
        )
    if not fig.data:
        return None
    fig.update_layout(
        height=240,
        margin={"l": 30, "r": 10, "t": 10, "b": 30},
        yaxis={
            "range": [-3.6, 3.6],
            "tickvals": [-3, 0, 3],
            "ticktext": ["☹ −3", "0", "☺ +3"],
            "fixedrange": True,
            "zerolinecolor": "#adb5bd",
        },
        xaxis={"fixedrange": True},
        legend={"orientation": "h", "y": 1.15},
        showlegend=True,
    )
    return fig
