"""The journey-mapping UI: map list, map page, adding stages and touchpoints."""

from html import escape

import plotly.graph_objects as go
import plotly.io as pio
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from cxportal import roles
from cxportal.errors import form_add_errors
from journeys import selectors, services
from journeys.forms import JourneyMapForm, StageForm, TouchpointForm
from journeys.models import Stage
from journeys.stage_templates import STAGE_TEMPLATES


@roles.role_required
def map_list(request):
    return render(request, "journeys/map_list.html", {"maps": selectors.journey_map_list()})


@roles.manager_required
def map_create(request):
    form = JourneyMapForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        stage_names = STAGE_TEMPLATES[data.pop("stage_template")][1]
        try:
            journey_map = services.journey_map_create(owner=request.user, stage_names=stage_names, **data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, f"Journey map “{journey_map.name}” created.")
            return redirect("journeys:map_detail", map_id=journey_map.pk)
    return render(request, "journeys/map_form.html", {"form": form})


@roles.role_required
def map_detail(request, map_id: int):
    journey_map = selectors.journey_map_detail(map_id=map_id)
    stages = list(journey_map.stages.all())
    return render(
        request,
        "journeys/map_detail.html",
        {
            "map": journey_map,
            "stages": stages,
            "stage_form": StageForm(),
            "touchpoint_form": TouchpointForm(),
            "emotion_chart": _emotion_chart(stages),
        },
    )


def _emotion_chart(stages) -> str:
    """The hypothesised emotion curve across touchpoints, as a plotly fragment ('' when there is none).

    The x axis groups touchpoints under their stage; plotly renders a few HTML tags inside labels, so
    everything users typed is escaped first.
    """
    stage_labels, touchpoint_labels, full_names, scores = [], [], [], []
    for position, stage in enumerate(stages, start=1):
        for tp in stage.touchpoints.all():
            if tp.emotion_score is not None:
                stage_labels.append(escape(f"{position}. {Truncator(stage.name).chars(22)}"))
                touchpoint_labels.append(escape(Truncator(tp.name).chars(18)))
                full_names.append(escape(f"{stage.name}: {tp.name}"))
                scores.append(tp.emotion_score)
    if not scores:
        return ""
    fig = go.Figure(
        go.Scatter(
            x=[stage_labels, touchpoint_labels],
            y=scores,
            mode="lines+markers+text",
            text=[f"{s:+d}" for s in scores],
            hovertext=full_names,
            hoverinfo="text+y",
            textposition="top center",
            line={"shape": "spline"},
        )
    )
    fig.update_layout(
        height=300,
        margin={"l": 40, "r": 10, "t": 10, "b": 110},
        yaxis={"range": [-3.6, 3.6], "title": "emotion (−3 … +3)", "zeroline": True, "dtick": 1},
        xaxis={"tickangle": -40},
    )
    return pio.to_html(fig, full_html=False, include_plotlyjs=False, config={"displayModeBar": False})


@roles.manager_required
@require_POST
def stage_create(request, map_id: int):
    journey_map = selectors.journey_map_detail(map_id=map_id)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.stage_create(journey_map=journey_map, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
    if form.errors:
        messages.error(
            request,
            "The stage was not added: "
            + "; ".join(f"{field}: {' '.join(errs)}" for field, errs in form.errors.items()),
        )
    return redirect("journeys:map_detail", map_id=map_id)


@roles.manager_required
def touchpoint_create(request, stage_id: int):
    stage = get_object_or_404(Stage.objects.select_related("journey_map"), pk=stage_id)
    form = TouchpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.touchpoint_create(stage=stage, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, "Touchpoint added.")
            return redirect("journeys:map_detail", map_id=stage.journey_map_id)
    return render(request, "journeys/touchpoint_form.html", {"form": form, "stage": stage})


urlpatterns = [
    path("", map_list, name="map_list"),
    path("new/", map_create, name="map_create"),
    path("<int:map_id>/", map_detail, name="map_detail"),
    path("<int:map_id>/stages/new/", stage_create, name="stage_create"),
    path("stages/<int:stage_id>/touchpoints/new/", touchpoint_create, name="touchpoint_create"),
]
