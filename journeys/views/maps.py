"""The journey-mapping UI: map list, the map page (the workbench board), map settings and findings."""

from collections import defaultdict
from html import escape

import plotly.graph_objects as go
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxportal import roles
from cxportal.charts import render_figure
from cxportal.errors import form_add_errors
from journeys import selectors, services
from journeys.forms import JourneyMapEditForm, JourneyMapForm, StageForm, TouchpointForm
from journeys.models import JourneyMap, Lane, Stage
from journeys.services.maps import DEFAULT_LANES
from journeys.stage_templates import STAGE_TEMPLATES
from journeys.views import reading


@roles.role_required
def map_list(request):
    return render(request, "journeys/map_list.html", {"maps": selectors.journey_map_list(), "subnav": "maps"})


@roles.manager_required
def map_create(request):
    form = JourneyMapForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        stage_names = [str(name) for name in STAGE_TEMPLATES[data.pop("stage_template")][1]]
        try:
            journey_map = services.journey_map_create(owner=request.user, stage_names=stage_names, **data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Journey map “%(name)s” created.") % {"name": journey_map.name})
            return redirect("journeys:map_detail", map_id=journey_map.pk)
    return render(request, "journeys/map_form.html", {"form": form, "subnav": "maps"})


@roles.manager_required
def map_edit(request, map_id: int):
    journey_map = get_object_or_404(JourneyMap.objects.prefetch_related("personas"), pk=map_id)
    form = JourneyMapEditForm(
        request.POST or None, initial=model_to_dict(journey_map, fields=JourneyMapEditForm._meta.fields)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.journey_map_update(journey_map=journey_map, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Map settings saved."))
            return redirect("journeys:map_detail", map_id=map_id)
    return render(request, "journeys/map_form.html", {"form": form, "map": journey_map, "subnav": "maps"})


@roles.manager_required
@require_POST
def map_mark_reviewed(request, map_id: int):
    journey_map = get_object_or_404(JourneyMap, pk=map_id)
    services.journey_map_mark_reviewed(journey_map=journey_map, by=request.user)
    messages.success(request, _("Marked as reviewed today."))
    return redirect("journeys:map_detail", map_id=map_id)


def board_context(request, map_id: int) -> dict:
    """Everything the board partial needs, read in a fixed number of queries."""
    journey_map = selectors.journey_map_full(map_id=map_id)
    show_hidden = request.GET.get("show_hidden") == "1" or request.POST.get("show_hidden") == "1"
    return {
        "map": journey_map,
        "board": build_board(journey_map, show_hidden=show_hidden),
        "show_hidden": show_hidden,
        # Edit controls only for CX managers in edit mode; everyone else reads the map.
        "editing": reading.is_editing(request),
        "mode": reading.map_mode(request),
    }


@roles.role_required
def map_detail(request, map_id: int):
    context = board_context(request, map_id)
    context.update({"stage_form": StageForm(), "subnav": "maps"})
    return render(request, "journeys/map_detail.html", context)


@roles.role_required
def map_findings(request, map_id: int):
    """The map's pain points by severity and its opportunities by impact and effort."""
    journey_map = get_object_or_404(JourneyMap, pk=map_id)
    return render(
        request,
        "journeys/map_findings.html",
        {
            "map": journey_map,
            "pain_points": selectors.pain_point_list(journey_map=journey_map),
            "opportunities": selectors.opportunity_list(journey_map=journey_map),
            "subnav": "maps",
        },
    )


# ---------------------------------------------------------------- the board


def build_board(journey_map: JourneyMap, *, show_hidden: bool = False) -> dict:
    """Lay the prefetched map out as rows (lanes) × columns (stages); no queries of its own."""
    stages = list(journey_map.stages.all())
    lanes = list(journey_map.lanes.all())
    if not lanes:
        # A map made outside the services (fixtures, raw imports) has no lanes yet: show the standard rows
        # read-only rather than an empty board.
        lanes = [Lane(journey_map=journey_map, kind=kind, name=Lane.Kind(kind).label) for kind in DEFAULT_LANES]
    pain_points, opportunities = defaultdict(list), defaultdict(list)
    for pain_point in journey_map.pain_points.all():
        pain_points[pain_point.stage_id].append(pain_point)
    for opportunity in journey_map.opportunities.all():
        opportunities[opportunity.stage_id].append(opportunity)
    touchpoint_names = {tp.pk: tp.name for stage in stages for tp in stage.touchpoints.all()}

    rows, line_drawn, kinds_seen = [], False, set()
    visible = [lane for lane in lanes if show_hidden or not lane.hidden]
    for index, lane in enumerate(visible):
        row = {
            "lane": lane,
            "is_first": index == 0,
            "is_last": index == len(visible) - 1,
            "whole_map": [],
            # Only the first lane of a kind carries the element ids (cards, KPI and action slots); a second
            # touchpoint or pain-point lane repeats the records without them, so every id stays unique.
            "primary": lane.kind not in kinds_seen,
        }
        kinds_seen.add(lane.kind)
        if not line_drawn and lane.kind in Lane.BELOW_VISIBILITY and index > 0:
            row["line_before"] = line_drawn = True
        cells = {cell.stage_id: cell for cell in lane.cells.all()} if lane.pk else {}
        row["cells"] = [
            {
                "stage": stage,
                "items": _lane_items(lane, stage),
                "cell": cells.get(stage.pk),
                # The neighbours a touchpoint card's ← → buttons move it to.
                "previous_stage": stages[i - 1] if i else None,
                "next_stage": stages[i + 1] if i + 1 < len(stages) else None,
            }
            for i, stage in enumerate(stages)
        ]
        if lane.kind == Lane.Kind.PAIN_POINTS:
            for cell in row["cells"]:
                cell["items"] = pain_points.get(cell["stage"].pk, [])
            row["whole_map"] = pain_points.get(None, [])
        elif lane.kind == Lane.Kind.OPPORTUNITIES:
            for cell in row["cells"]:
                cell["items"] = opportunities.get(cell["stage"].pk, [])
            row["whole_map"] = opportunities.get(None, [])
        elif lane.kind == Lane.Kind.EMOTIONS:
            row["chart"] = emotion_chart(stages)
        rows.append(row)
    for row in rows:
        for item in row["whole_map"] + [i for c in row["cells"] for i in c["items"]]:
            if getattr(item, "touchpoint_id", None):
                item.touchpoint_name = touchpoint_names.get(item.touchpoint_id, "")
    return {
        "stages": stages,
        "rows": rows,
        "hidden_count": sum(1 for lane in lanes if lane.hidden),
        "is_text_lane": {lane.pk: lane.kind not in Lane.RECORD_KINDS for lane in lanes},
    }


def _lane_items(lane: Lane, stage: Stage) -> list:
    touchpoints = list(stage.touchpoints.all())
    if lane.kind == Lane.Kind.TOUCHPOINTS:
        return touchpoints
    if lane.kind == Lane.Kind.CUSTOMER_ACTIONS:
        return [tp for tp in touchpoints if tp.customer_action]
    if lane.kind == Lane.Kind.THOUGHTS:
        return [tp for tp in touchpoints if tp.thoughts]
    if lane.kind == Lane.Kind.EMOTIONS:
        return [tp for tp in touchpoints if tp.emotion_score is not None]
    return []


EMOTION_COLOURS = {-3: "#b02a37", -2: "#d9534f", -1: "#f0ad4e", 0: "#6c757d", 1: "#8bc34a", 2: "#3c9d5d", 3: "#146c43"}


def emotion_chart(stages) -> str:
    """The emotion curve as a plotly fragment laid under the stage columns ('' when nothing is scored).

    Stage i spans x ∈ [i, i+1] and its touchpoints sit evenly inside, so the curve lines up with
    the columns of the board. Plotly renders a few HTML tags inside labels, so user text is escaped.
    """
    xs, scores, hover = [], [], []
    for index, stage in enumerate(stages):
        touchpoints = list(stage.touchpoints.all())
        for position, tp in enumerate(touchpoints, start=1):
            if tp.emotion_score is None:
                continue
            xs.append(index + position / (len(touchpoints) + 1))
            scores.append(tp.emotion_score)
            note = f"<br>{escape(Truncator(tp.emotion_note).chars(80))}" if tp.emotion_note else ""
            hover.append(
                f"{escape(Truncator(stage.name).chars(40))}: {escape(Truncator(tp.name).chars(40))}"
                "<br>" + _("emotion %(score)s") % {"score": f"{tp.emotion_score:+d}"} + note
            )
    if not scores:
        return ""
    fig = go.Figure(
        go.Scatter(
            x=xs,
            y=scores,
            mode="lines+markers+text",
            text=[f"{s:+d}" for s in scores],
            textposition="top center",
            hovertext=hover,
            hoverinfo="text",
            line={"shape": "spline", "color": "#1f3b57", "width": 2},
            marker={"size": 12, "color": [EMOTION_COLOURS[s] for s in scores], "line": {"width": 1, "color": "#fff"}},
        )
    )
    fig.update_layout(
        height=200,
        margin={"l": 0, "r": 0, "t": 8, "b": 8},
        showlegend=False,
        plot_bgcolor="#fff",
        paper_bgcolor="rgba(0,0,0,0)",
        xaxis={"range": [0, len(stages)], "visible": False, "fixedrange": True},
        yaxis={
            "range": [-3.8, 3.8],
            "tickvals": [-3, 0, 3],
            "ticktext": ["☹ −3", "0", "☺ +3"],
            "ticklabelposition": "inside",
            "zeroline": True,
            "zerolinecolor": "#adb5bd",
            "gridcolor": "#eef0f2",
            "fixedrange": True,
        },
        shapes=[
            {"type": "line", "x0": i, "x1": i, "y0": -3.8, "y1": 3.8, "line": {"color": "#dee2e6", "dash": "dot"}}
            for i in range(1, len(stages))
        ],
    )
    return render_figure(fig, mode_bar=False)


@roles.manager_required
@require_POST
def stage_create(request, map_id: int):
    journey_map = get_object_or_404(JourneyMap, pk=map_id)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.stage_create(journey_map=journey_map, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
    if form.errors:
        messages.error(
            request,
            _("The stage was not added: %(errors)s")
            % {"errors": "; ".join(f"{field}: {' '.join(errs)}" for field, errs in form.errors.items())},
        )
    return redirect("journeys:map_detail", map_id=map_id)


@roles.manager_required
def touchpoint_create(request, stage_id: int):
    stage = get_object_or_404(Stage.objects.select_related("journey_map"), pk=stage_id)
    form = TouchpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.touchpoint_create(stage=stage, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Touchpoint added."))
            return redirect("journeys:map_detail", map_id=stage.journey_map_id)
    return render(request, "journeys/touchpoint_form.html", {"form": form, "stage": stage, "subnav": "maps"})


urlpatterns = [
    path("", map_list, name="map_list"),
    path("new/", map_create, name="map_create"),
    path("<int:map_id>/", map_detail, name="map_detail"),
    path("<int:map_id>/edit/", map_edit, name="map_edit"),
    path("<int:map_id>/reviewed/", map_mark_reviewed, name="map_mark_reviewed"),
    path("<int:map_id>/findings/", map_findings, name="map_findings"),
    path("<int:map_id>/stages/new/", stage_create, name="stage_create"),
    path("stages/<int:stage_id>/touchpoints/new/", touchpoint_create, name="touchpoint_create"),
]
