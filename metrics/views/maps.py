"""KPIs on the journey map (touchpoint badges, felt vs measured, heatmap) and on the persona page."""

from datetime import timedelta

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from cxportal import roles
from cxportal.dbrouter import reads_from_replica
from journeys.models import JourneyMap, Persona
from metrics import charts, emotion
from metrics.kpis import REGISTRY
from metrics.models import ScopeType
from metrics.periods import range_label
from metrics.selectors import dashboards
from metrics.selectors.breakdown import level
from metrics.selectors.map_topics import map_touchpoint_topics
from metrics.views.links import responses_url, trends_url
from surveys.selectors.access import readable_touchpoint_ids

_figure_html = charts.figure_html


MAP_KPI_DAYS = 90


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
                item["url"] = responses_url(touchpoint_id=tp_id, date_from=date_from, date_to=date_to)
            else:
                item["url"] = trends_url(kpi=item["kpi"], date_from=date_from, date_to=date_to, touchpoint=tp_id)
    # What customers write at each touchpoint: its top Voice topics (only where the user may read them).
    topics = map_touchpoint_topics(
        touchpoint_ids=[b["touchpoint"].pk for b in data["badges"]], date_from=date_from, date_to=date_to
    )
    for badge in data["badges"]:
        tp_id = badge["touchpoint"].pk
        badge["topics"] = topics.get(tp_id, []) if readable is None or tp_id in readable else []
    context = {
        "map": journey_map,
        "badges": data["badges"],
        "curve": data["curve"],
        "chart": _figure_html(charts.felt_vs_measured_figure(data["curve"])),
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
                "level": level(kpi, item["result"]) if enough else None,
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
