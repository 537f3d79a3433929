"""Dashboards: KPIs read from the snapshots, drawn with plotly (served from our static files)."""

from datetime import timedelta
from html import escape

import plotly.graph_objects as go
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from cxportal import roles
from cxportal.dbrouter import reads_from_replica
from cxportal.errors import form_add_errors
from journeys.models import JourneyMap, Persona
from metrics import charts, dashboards, emotion, selectors, targets
from metrics.forms import DashboardFilterForm, KpiTargetForm, OverviewFilterForm
from metrics.kpis import REGISTRY
from metrics.models import KpiTarget, ScopeType
from metrics.periods import period_label, range_label
from surveys.access import readable_touchpoint_ids

_figure_html = charts.figure_html


def _touchpoint_rows(breakdown: list[dict]) -> list[dict]:
    """The dashboard's per-touchpoint rows in the shape of the breakdown chart (map › stage › touchpoint)."""
    min_n = settings.CX_MIN_SAMPLE_SIZE
    return [
        {
            "name": r["touchpoint"].name,
            "context": r["touchpoint"].stage.name,
            "result": r["result"],
            "enough": r["result"].value is not None and r["result"].n >= min_n,
        }
        for r in breakdown
    ]


@roles.role_required
@reads_from_replica
def dashboard(request):
    form = DashboardFilterForm.with_defaults(request.GET.dict())
    if form.is_valid():
        filters = form.cleaned_data
    else:  # show the errors, and the default period meanwhile
        defaults = DashboardFilterForm.with_defaults({})
        defaults.is_valid()
        filters = defaults.cleaned_data
    definition = REGISTRY[filters["kpi"]]
    series = selectors.kpi_series(
        kpi=filters["kpi"],
        scope_type=ScopeType.COMPANY,
        bucket=filters["bucket"],
        date_from=filters["date_from"],
        date_to=filters["date_to"],
    )
    breakdown = selectors.touchpoint_breakdown(
        kpi=filters["kpi"], date_from=filters["date_from"], date_to=filters["date_to"]
    )
    points = [
        {**p, "enough": p["value"] is not None and p["n"] >= settings.CX_MIN_SAMPLE_SIZE} for p in series["results"]
    ]
    return render(
        request,
        "metrics/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "definition": definition,
            "total": series["total"],
            "trend_chart": _figure_html(charts.trend_figure(filters["kpi"], points, bucket=filters["bucket"])),
            "breakdown": breakdown,
            "breakdown_chart": _figure_html(charts.breakdown_figure(_touchpoint_rows(breakdown), filters["kpi"])),
            "period": range_label(filters["date_from"], filters["date_to"], today=timezone.localdate()),
            "last_run": selectors.last_recompute(),
            "min_n": settings.CX_MIN_SAMPLE_SIZE,
        },
    )


# ---------------------------------------------------------------- overview


def _spark_range(points: list[dict], bucket: str) -> str:
    """What a card's sparkline spans: "Sep 2026 – Nov 2026" (only the buckets with enough data are drawn)."""
    shown = [p for p in points if p["value"] is not None and p["n"] >= settings.CX_MIN_SAMPLE_SIZE]
    if len(shown) < 2:
        return ""
    return f"{period_label(shown[0]['period_start'], bucket)} – {period_label(shown[-1]['period_start'], bucket)}"


@roles.role_required
@reads_from_replica
def overview(request):
    """A card per KPI for the chosen period and scope."""
    form = OverviewFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else OverviewFilterForm.defaults()
    cards = dashboards.overview_cards(
        scope_type=filters["scope_type"],
        scope_key=filters["scope_key"],
        date_from=filters["date_from"],
        date_to=filters["date_to"],
        bucket=filters["bucket"],
    )
    for card in cards:
        # A card without a value of its own draws no line: it would show data the card says it lacks.
        card.sparkline = (
            _figure_html(charts.sparkline_figure(card.spark, bucket=filters["bucket"]), mode_bar=False)
            if card.enough
            else ""
        )
        card.spark_range = _spark_range(card.spark, filters["bucket"])
    prev_from, prev_to = dashboards.previous_period(filters["date_from"], filters["date_to"])
    today = timezone.localdate()
    return render(
        request,
        "metrics/overview.html",
        {
            "form": form,
            "filters": filters,
            "cards": cards,
            "previous": (prev_from, prev_to),
            "period": range_label(filters["date_from"], filters["date_to"], today=today),
            "previous_period": range_label(prev_from, prev_to, today=today),
            "last_run": selectors.last_recompute(),
            "min_n": settings.CX_MIN_SAMPLE_SIZE,
        },
    )


# ---------------------------------------------------------------- targets


@roles.role_required
def target_list(request):
    return render(
        request,
        "metrics/targets.html",
        {"targets": targets.target_list(), "min_n": settings.CX_MIN_SAMPLE_SIZE},
    )


def _target_form_page(request, form, target=None):
    return render(request, "metrics/target_form.html", {"form": form, "target": target})


@roles.manager_required
def target_create(request):
    form = KpiTargetForm(request.POST or None, initial={"notify": True})
    if request.method == "POST" and form.is_valid():
        try:
            target = targets.target_create(**form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, f"Target “{target}” saved.")
            return redirect("metrics:target_list")
    return _target_form_page(request, form)


@roles.manager_required
def target_edit(request, target_id: int):
    target = get_object_or_404(KpiTarget, pk=target_id)
    fields = ["kpi", "scope_type", "scope_key", "comparison", "value", "notify", "open_action"]
    form = KpiTargetForm(request.POST or None, initial={f: getattr(target, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            targets.target_update(target=target, data=form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, "Target saved.")
            return redirect("metrics:target_list")
    return _target_form_page(request, form, target)


@roles.manager_required
@require_POST
def target_delete(request, target_id: int):
    targets.target_delete(target=get_object_or_404(KpiTarget, pk=target_id))
    messages.success(request, "Target deleted.")
    return redirect("metrics:target_list")


# ---------------------------------------------------------------- notifications


@roles.role_required
def notification_list(request):
    return render(
        request, "metrics/notifications.html", {"notifications": targets.notification_list(user=request.user)}
    )


@roles.role_required
@require_POST
def notifications_read(request):
    ids = [int(i) for i in request.POST.getlist("notification") if i.isdigit()]
    targets.notifications_mark_read(user=request.user, notification_ids=ids or None)
    return redirect("metrics:notification_list")


# ---------------------------------------------------------------- KPIs on the map and the persona page

MAP_KPI_DAYS = 90


def _responses_link(*, touchpoint_id=None, date_from=None, date_to=None, band=None) -> str:
    """The surveys responses list, filtered to the answers behind a number."""
    params = {"touchpoint": touchpoint_id, "date_from": date_from, "date_to": date_to, "band": band}
    return reverse("surveys:response_list") + "?" + urlencode({k: v for k, v in params.items() if v})


def _felt_vs_measured_chart(curve) -> str:
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
        escape(gettext("%(stage)s: measured %(value)s") % {"stage": c["stage"].name, "value": f"{c['measured']:+.1f}"})
        + "<br>"
        + "<br>".join(escape(emotion.source_text(source)) for source in c["sources"])
        if c["measured"] is not None
        else ""
        for c in curve
    ]
    traces = (
        ("felt", gettext("felt (the team's hypothesis)"), "dot", "#6c757d", felt_hover),
        ("measured", gettext("measured (survey answers)"), "solid", "#1f3b57", measured_hover),
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
        return ""
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
    return _figure_html(fig)


@roles.role_required
@reads_from_replica
def map_kpis(request, map_id: int):
    """The map's touchpoint badges (out-of-band swaps) and the felt-vs-measured curve, as a fragment."""
    journey_map = get_object_or_404(JourneyMap, pk=map_id)
    date_to = timezone.localdate()
    date_from = date_to - timedelta(days=MAP_KPI_DAYS - 1)
    data = dashboards.map_kpis(map_id=map_id, date_from=date_from, date_to=date_to)
    # A badge leads to the answers behind it; where the user may not read them (a member, another
    # department's touchpoint), to the touchpoint's trend instead.
    readable = readable_touchpoint_ids(user=request.user)
    for badge in data["badges"]:
        tp_id = badge["touchpoint"].pk
        for item in badge["items"]:
            if readable is None or tp_id in readable:
                item["url"] = _responses_link(touchpoint_id=tp_id, date_from=date_from, date_to=date_to)
            else:
                period = {"from": date_from.isoformat(), "to": date_to.isoformat()}
                item["url"] = (
                    reverse("metrics:trends") + "?" + urlencode({"kpi": item["kpi"], **period, "touchpoint": tp_id})
                )
    context = {
        "map": journey_map,
        "badges": data["badges"],
        "curve": data["curve"],
        "chart": _felt_vs_measured_chart(data["curve"]),
        "date_from": date_from,
        "date_to": date_to,
        "min_n": settings.CX_MIN_SAMPLE_SIZE,
        "measured_explained": emotion.explanation(min_n=settings.CX_MIN_SAMPLE_SIZE),
        "any_measured": any(c["measured"] is not None for c in data["curve"]),
    }
    if request.headers.get("HX-Request"):
        return render(request, "metrics/partials/map_kpis.html", context)
    kpi = request.GET.get("kpi") if request.GET.get("kpi") in dashboards.BADGE_KPIS else "nps"
    heatmap = charts.map_heatmap_figure(_heatmap_cells(data["badges"], kpi), kpi)
    context.update(
        {
            "heatmap": _figure_html(heatmap),
            "heatmap_kpi": REGISTRY[kpi],
            "heatmap_kpis": [REGISTRY[k] for k in dashboards.BADGE_KPIS],
            "period": range_label(date_from, date_to, today=date_to),
        }
    )
    return render(request, "metrics/map_kpis.html", context)


def _heatmap_cells(badges: list[dict], kpi: str) -> list[dict]:
    """One heatmap cell per touchpoint: its stage, its row within the stage, the KPI's value and level."""
    cells, rows_used = [], {}
    for badge in badges:
        touchpoint = badge["touchpoint"]
        item = next((i for i in badge["items"] if i["kpi"] == kpi), None)
        row = rows_used.get(touchpoint.stage_id, 0)
        rows_used[touchpoint.stage_id] = row + 1
        enough = bool(item and item["enough"])
        cells.append(
            {
                "stage": touchpoint.stage,
                "row": row,
                "touchpoint": touchpoint,
                "result": item["result"] if item else None,
                "enough": enough,
                "level": dashboards.level(kpi, item["result"]) if enough else None,
            }
        )
    return cells


@roles.role_required
@reads_from_replica
def persona_kpis(request, persona_id: int):
    """The KPIs of the persona's customers over the last year, as a fragment (or a page without htmx)."""
    persona = get_object_or_404(Persona, pk=persona_id)
    date_to = timezone.localdate()
    date_from = date_to - timedelta(days=364)
    cards = dashboards.overview_cards(
        scope_type=ScopeType.PERSONA, scope_key=str(persona.pk), date_from=date_from, date_to=date_to, bucket="month"
    )
    context = {
        "persona": persona,
        "cards": cards,
        "date_from": date_from,
        "date_to": date_to,
        "min_n": settings.CX_MIN_SAMPLE_SIZE,
        "overview_url": reverse("metrics:overview") + "?" + urlencode({"persona": persona.pk}),
    }
    if request.headers.get("HX-Request"):
        return render(request, "metrics/partials/persona_kpis.html", context)
    return render(request, "metrics/persona_kpis.html", context)
