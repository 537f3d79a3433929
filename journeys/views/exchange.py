"""The exchange pages of the journeys UI: export (JSON, CSV), import, print, future state and history.

Department members may read everything here (print, history, comparison, exports); deriving a future
state and importing are for CX managers.
"""

import csv
import io
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxportal import roles
from cxportal.errors import form_add_errors
from journeys import selectors, services
from journeys.forms.exchange import JourneyMapImportForm
from journeys.models import JourneyMap, Lane
from journeys.services.exchange import MAX_DOCUMENT_BYTES, validation_messages


def _filename(journey_map: JourneyMap, extension: str) -> str:
    return f"journey-map-{journey_map.pk}-{slugify(journey_map.name)[:60] or 'map'}.{extension}"


@roles.role_required
def map_export_json(request, map_id: int):
    journey_map = selectors.journey_map_full(map_id=map_id)
    document = services.journey_map_export(journey_map=journey_map)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(journey_map, "json")}"'
    return response


@roles.role_required
def map_export_csv(request, map_id: int):
    journey_map = selectors.journey_map_full(map_id=map_id)
    buffer = io.StringIO()
    # The BOM tells Excel the file is UTF-8, so umlauts (Überlegung) open correctly.
    buffer.write("\ufeff")
    csv.writer(buffer).writerows(services.journey_map_csv_rows(journey_map=journey_map))
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(journey_map, "csv")}"'
    return response


@roles.manager_required
def map_import(request):
    form = JourneyMapImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Checked before reading, so an oversized upload is never loaded into memory.
            if upload.size > MAX_DOCUMENT_BYTES:
                raise ValidationError(
                    {
                        "file": _("The file is larger than 2 MB (%(size)s MB).")
                        % {"size": number_format(upload.size / 1024 / 1024, 1)}
                    }
                )
            document = services.journey_map_document_parse(raw=upload.read())
            result = services.journey_map_import(document=document, by=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and set(exc.error_dict) <= {"file", "name"}:
                form_add_errors(form, exc)
            else:
                problems = validation_messages(exc)
        else:
            messages.success(request, _("Journey map “%(name)s” imported.") % {"name": result.journey_map.name})
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("journeys:map_detail", map_id=result.journey_map.pk)
    return render(request, "journeys/map_import.html", {"form": form, "problems": problems, "subnav": "maps"})


@roles.manager_required
@require_POST
def map_derive(request, map_id: int):
    journey_map = selectors.journey_map_full(map_id=map_id)
    try:
        future = services.journey_map_derive_future_state(journey_map=journey_map, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("journeys:map_detail", map_id=map_id)
    messages.success(
        request,
        _("Future-state map “%(name)s” derived; it starts as a copy of the current state.") % {"name": future.name},
    )
    return redirect("journeys:map_detail", map_id=future.pk)


@roles.role_required
def map_compare(request, map_id: int):
    other = request.GET.get("with", "")
    other_id = int(other) if other.isdigit() else None
    comparison = selectors.journey_map_compare(map_id=map_id, other_id=other_id)
    if comparison is None:
        journey_map = selectors.journey_map_full(map_id=map_id)
    else:
        journey_map = comparison.current if comparison.current.pk == map_id else comparison.future
    return render(
        request,
        "journeys/map_compare.html",
        {
            "map": journey_map,
            "comparison": comparison,
            "choices": selectors.journey_map_compare_choices(exclude_id=map_id),
            "chosen_id": other_id,
        },
    )


@roles.role_required
def map_history(request, map_id: int):
    journey_map = selectors.journey_map_full(map_id=map_id)
    page = selectors.journey_map_history(journey_map=journey_map, page_number=request.GET.get("page"))
    return render(request, "journeys/map_history.html", {"map": journey_map, "page": page})


def _emotion_points(stages) -> list[dict]:
    """Points of the printed emotion curve, in percent of the emotion row (x per stage column, y per score)."""
    points = []
    for i, stage in enumerate(stages):
        touchpoints = list(stage.touchpoints.all())
        for j, tp in enumerate(touchpoints):
            if tp.emotion_score is not None:
                points.append(
                    {
                        "x": round((i + (j + 0.5) / len(touchpoints)) / len(stages) * 100, 2),
                        "y": round(12 + (3 - tp.emotion_score) / 6 * 76, 2),
                        "score": tp.emotion_score,
                        "name": tp.name,
                    }
                )
    for a, b in zip(points, points[1:], strict=False):
        a["next"] = b
    return points


def _print_sheet(journey_map: JourneyMap) -> dict:
    """One printed map: its visible lanes as rows across the stages, each cell holding what it shows."""
    stages = list(journey_map.stages.all())
    index = {stage.pk: i for i, stage in enumerate(stages)}
    stage_of_touchpoint = {tp.pk: stage.pk for stage in stages for tp in stage.touchpoints.all()}

    def by_stage(findings):
        columns, map_wide = [[] for _ in stages], []
        for f in findings:
            stage_id = f.stage_id or stage_of_touchpoint.get(f.touchpoint_id)
            (columns[index[stage_id]] if stage_id in index else map_wide).append(f)
        return columns, map_wide

    pain_points, pain_points_map_wide = by_stage(journey_map.pain_points.all())
    opportunities, opportunities_map_wide = by_stage(journey_map.opportunities.all())
    touchpoints = [list(stage.touchpoints.all()) for stage in stages]
    lanes = [lane for lane in journey_map.lanes.all() if not lane.hidden] or [
        Lane(kind=kind, name=Lane.Kind(kind).label) for kind in services.DEFAULT_LANES
    ]
    rows, line_drawn = [], False
    for lane in lanes:
        below = lane.kind in Lane.BELOW_VISIBILITY and not line_drawn
        line_drawn = line_drawn or below
        if lane.kind in (Lane.Kind.TOUCHPOINTS, Lane.Kind.CUSTOMER_ACTIONS, Lane.Kind.THOUGHTS):
            cells = touchpoints
        elif lane.kind == Lane.Kind.PAIN_POINTS:
            cells = pain_points
        elif lane.kind == Lane.Kind.OPPORTUNITIES:
            cells = opportunities
        elif lane.kind == Lane.Kind.EMOTIONS:
            cells = []
        else:
            texts = {cell.stage_id: cell.text for cell in lane.cells.all()}
            cells = [texts.get(stage.pk, "") for stage in stages]
        rows.append({"kind": lane.kind, "name": lane.name, "line_of_visibility": below, "cells": cells})
    return {
        "map": journey_map,
        "stages": stages,
        "rows": rows,
        "emotion_points": _emotion_points(stages),
        "pain_points_map_wide": pain_points_map_wide,
        "opportunities_map_wide": opportunities_map_wide,
    }


@roles.role_required
def map_print(request, map_id: int):
    sheet = _print_sheet(selectors.journey_map_full(map_id=map_id))
    return render(request, "journeys/map_print.html", {"sheets": [sheet], "printed_at": timezone.now()})


MAX_PRINTED_MAPS = 50


@roles.role_required
def maps_print(request):
    """Several maps in one print job (``?map=3&map=7``), one A4 landscape page each, in the order chosen."""
    raw = request.GET.getlist("map")
    try:
        map_ids = list(dict.fromkeys(int(value) for value in raw))
    except ValueError:
        messages.error(request, _("The maps to print must be given by their ids."))
        return redirect("journeys:map_list")
    if not map_ids:
        messages.error(request, _("Tick the maps to print first."))
        return redirect("journeys:map_list")
    if len(map_ids) > MAX_PRINTED_MAPS:
        messages.error(request, _("At most %(count)d maps can be printed at once.") % {"count": MAX_PRINTED_MAPS})
        return redirect("journeys:map_list")
    sheets = [_print_sheet(journey_map) for journey_map in selectors.journey_maps_full(map_ids=map_ids)]
    return render(request, "journeys/map_print.html", {"sheets": sheets, "printed_at": timezone.now()})


urlpatterns = [
    path("import/", map_import, name="map_import"),
    path("print/", maps_print, name="maps_print"),
    path("<int:map_id>/export.json", map_export_json, name="map_export_json"),
    path("<int:map_id>/export.csv", map_export_csv, name="map_export_csv"),
    path("<int:map_id>/print/", map_print, name="map_print"),
    path("<int:map_id>/history/", map_history, name="map_history"),
    path("<int:map_id>/compare/", map_compare, name="map_compare"),
    path("<int:map_id>/derive/", map_derive, name="map_derive"),
]
