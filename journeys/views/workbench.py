"""Editing the map in place: stages, lanes, cells, touchpoints, pain points and opportunities.

Every URL works as a plain page (GET shows a form, POST redirects back to the map) and, when htmx asks
(``HX-Request``), answers with a fragment: a form for the workbench modal, the re-rendered board after
a change, or the single re-rendered cell after a cell edit. Only CX managers get here.
"""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from cxportal import roles
from cxportal.errors import ApplicationError, form_add_errors
from journeys import services
from journeys.forms import (
    CellForm,
    LaneForm,
    LaneRenameForm,
    OpportunityForm,
    PainPointForm,
    StageForm,
    TouchpointEditForm,
    TouchpointMoveForm,
)
from journeys.models import JourneyMap, Lane, LaneCell, Opportunity, PainPoint, Stage, Touchpoint
from journeys.views import reading
from journeys.views.maps import board_context


def _board(request, map_id: int, *, error: str = "", status: int = 200) -> HttpResponse:
    """After a change: the re-rendered board for htmx (wherever the request came from), else the map page.

    With an error ``status`` (a refused edit) a plain request gets the map page with the error and that status
    instead of a redirect; htmx gets the board with the error (workbench.js lets htmx swap it in).
    """
    if request.htmx:
        context = board_context(request, map_id)
        context["board_error"] = error
        response = render(request, "journeys/partials/map_board.html", context, status=status)
        response["HX-Retarget"] = "#map-board"
        response["HX-Reswap"] = "outerHTML"
        if status < 400:
            response["HX-Trigger"] = "workbench-saved"
        return response
    if status >= 400:
        context = board_context(request, map_id)
        context.update({"board_error": error, "stage_form": StageForm(), "subnav": "maps"})
        return render(request, "journeys/map_detail.html", context, status=status)
    if error:
        messages.error(request, error)
    return redirect("journeys:map_detail", map_id=map_id)


def _error_text(exc: ValidationError | ApplicationError) -> str:
    if isinstance(exc, ApplicationError):
        return exc.message
    return " ".join(exc.messages)


def _offset(request) -> int:
    try:
        return max(-1, min(1, int(request.POST.get("offset", "0"))))
    except ValueError:
        return 0


def _form_page(request, *, form, title: str, action: str, journey_map, submit: str = "", note: str = ""):
    """The form as a fragment for the workbench modal (htmx) or as a page of its own."""
    submit = submit or _("Save")
    context = {"form": form, "title": title, "action": action, "map": journey_map, "submit": submit, "note": note}
    if request.htmx:
        return render(request, "journeys/partials/workbench_form.html", context)
    return render(request, "journeys/map_part_form.html", context)


def _save_form(request, form, save, *, map_id: int, **page):
    """Validate ``form``; on success call ``save(cleaned_data)`` and answer with the board."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except (ValidationError, ApplicationError) as exc:
            form_add_errors(form, exc)
        else:
            return _board(request, map_id)
    return _form_page(request, form=form, **page)


@roles.role_required
def board(request, map_id: int):
    """The board fragment (htmx cancel buttons re-fetch it); without htmx, the map page."""
    if not request.htmx:
        return redirect("journeys:map_detail", map_id=map_id)
    return render(request, "journeys/partials/map_board.html", board_context(request, map_id))


# ---------------------------------------------------------------- stages


@roles.manager_required
@require_POST
def stage_reorder(request, map_id: int):
    """Drag and drop posts the new order: ``stages=3&stages=1…`` or ``stages=3,1,…``."""
    journey_map = get_object_or_404(JourneyMap, pk=map_id)
    raw = request.POST.getlist("stages")
    ids = [part for value in raw for part in value.split(",") if part.strip()]
    try:
        services.stage_reorder(journey_map=journey_map, stage_ids=ids, by=request.user)
    except ValidationError as exc:
        return _board(
            request, map_id, error=_("The stages were not reordered: %(error)s") % {"error": _error_text(exc)}
        )
    return _board(request, map_id)


@roles.manager_required
@require_POST
def stage_move(request, stage_id: int):
    stage = get_object_or_404(Stage.objects.select_related("journey_map"), pk=stage_id)
    services.stage_move(stage=stage, offset=_offset(request), by=request.user)
    return _board(request, stage.journey_map_id)


@roles.manager_required
def stage_edit(request, stage_id: int):
    stage = get_object_or_404(Stage.objects.select_related("journey_map"), pk=stage_id)
    form = StageForm(request.POST or None, initial=model_to_dict(stage, fields=["name", "description"]))
    return _save_form(
        request,
        form,
        lambda data: services.stage_update(stage=stage, data=data, by=request.user),
        map_id=stage.journey_map_id,
        title=_("Edit the stage “%(name)s”") % {"name": stage.name},
        action=reverse("journeys:stage_edit", args=[stage.pk]),
        journey_map=stage.journey_map,
    )


@roles.manager_required
def stage_delete(request, stage_id: int):
    stage = get_object_or_404(Stage.objects.select_related("journey_map"), pk=stage_id)
    if request.method == "POST":
        services.stage_delete(stage=stage, by=request.user)
        if not request.htmx:
            messages.success(request, _("Stage “%(name)s” deleted.") % {"name": stage.name})
        return _board(request, stage.journey_map_id)
    touchpoints = stage.touchpoints.count()
    return _confirm_page(
        request,
        journey_map=stage.journey_map,
        title=_("Delete the stage “%(name)s”?") % {"name": stage.name},
        consequence=ngettext(
            "This also deletes its %(count)d touchpoint, its lane cells and the pain points and opportunities "
            "placed on this stage. This cannot be undone.",
            "This also deletes its %(count)d touchpoints, its lane cells and the pain points and opportunities "
            "placed on this stage. This cannot be undone.",
            touchpoints,
        )
        % {"count": touchpoints},
        action=reverse("journeys:stage_delete", args=[stage.pk]),
    )


def _confirm_page(request, **context):
    template = "journeys/partials/confirm_delete.html" if request.htmx else "journeys/map_confirm_delete.html"
    return render(request, template, {"map": context["journey_map"], **context})


# ---------------------------------------------------------------- lanes and cells


@roles.manager_required
def lane_create(request, map_id: int):
    journey_map = get_object_or_404(JourneyMap, pk=map_id)
    form = LaneForm(request.POST or None)
    return _save_form(
        request,
        form,
        lambda data: services.lane_create(journey_map=journey_map, by=request.user, **data),
        map_id=map_id,
        title=_("Add a lane"),
        action=reverse("journeys:lane_create", args=[map_id]),
        journey_map=journey_map,
        submit=_("Add lane"),
        note=_("Text lanes (frontstage, backstage, support, notes, custom) get one editable cell per stage."),
    )


@roles.manager_required
def lane_edit(request, lane_id: int):
    lane = get_object_or_404(Lane.objects.select_related("journey_map"), pk=lane_id)
    form = LaneRenameForm(request.POST or None, initial={"name": lane.name})
    return _save_form(
        request,
        form,
        lambda data: services.lane_update(lane=lane, data=data, by=request.user),
        map_id=lane.journey_map_id,
        title=_("Rename the lane “%(name)s”") % {"name": lane.name},
        action=reverse("journeys:lane_edit", args=[lane.pk]),
        journey_map=lane.journey_map,
    )


@roles.manager_required
@require_POST
def lane_visibility(request, lane_id: int):
    lane = get_object_or_404(Lane.objects.select_related("journey_map"), pk=lane_id)
    services.lane_update(lane=lane, data={"hidden": request.POST.get("hidden") == "1"}, by=request.user)
    return _board(request, lane.journey_map_id)


@roles.manager_required
@require_POST
def lane_move(request, lane_id: int):
    lane = get_object_or_404(Lane.objects.select_related("journey_map"), pk=lane_id)
    services.lane_move(lane=lane, offset=_offset(request), by=request.user)
    return _board(request, lane.journey_map_id)


@roles.manager_required
def lane_delete(request, lane_id: int):
    lane = get_object_or_404(Lane.objects.select_related("journey_map"), pk=lane_id)
    if request.method == "POST":
        services.lane_delete(lane=lane, by=request.user)
        return _board(request, lane.journey_map_id)
    if lane.kind not in Lane.RECORD_KINDS:
        consequence = _("The row disappears from the map. Its text cells are deleted too.")
    else:
        consequence = _("The row disappears from the map. The records stay.")
    return _confirm_page(
        request,
        journey_map=lane.journey_map,
        title=_("Delete the lane “%(name)s”?") % {"name": lane.name},
        consequence=consequence,
        action=reverse("journeys:lane_delete", args=[lane.pk]),
    )


def _cell_objects(lane_id: int, stage_id: int):
    lane = get_object_or_404(Lane.objects.select_related("journey_map"), pk=lane_id)
    stage = get_object_or_404(Stage, pk=stage_id, journey_map_id=lane.journey_map_id)
    return lane, stage


def _render_cell(request, lane, stage, cell):
    return render(
        request,
        "journeys/partials/lane_cell.html",
        {"lane": lane, "stage": stage, "cell": cell, "map": lane.journey_map, "editing": reading.is_editing(request)},
    )


@roles.role_required
def cell_detail(request, lane_id: int, stage_id: int):
    """One rendered text cell (the cancel button of the inline editor fetches it)."""
    lane, stage = _cell_objects(lane_id, stage_id)
    if not request.htmx:
        return redirect("journeys:map_detail", map_id=lane.journey_map_id)
    return _render_cell(request, lane, stage, LaneCell.objects.filter(lane=lane, stage=stage).first())


@roles.manager_required
def cell_edit(request, lane_id: int, stage_id: int):
    lane, stage = _cell_objects(lane_id, stage_id)
    cell = LaneCell.objects.filter(lane=lane, stage=stage).first()
    form = CellForm(request.POST or None, initial={"text": cell.text if cell else ""})
    if request.method == "POST" and form.is_valid():
        try:
            cell = services.cell_set(lane=lane, stage=stage, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            if request.htmx:
                return _render_cell(request, lane, stage, cell)
            return redirect("journeys:map_detail", map_id=lane.journey_map_id)
    context = {"form": form, "lane": lane, "stage": stage, "map": lane.journey_map}
    if request.htmx:
        return render(request, "journeys/partials/cell_form.html", context)
    return render(
        request,
        "journeys/map_part_form.html",
        {
            **context,
            "title": f"{lane.name} · {stage.name}",
            "action": reverse("journeys:cell_edit", args=[lane.pk, stage.pk]),
            "submit": _("Save"),
        },
    )


# ---------------------------------------------------------------- touchpoints


@roles.manager_required
def touchpoint_edit(request, touchpoint_id: int):
    touchpoint = get_object_or_404(Touchpoint.objects.select_related("stage__journey_map"), pk=touchpoint_id)
    journey_map = touchpoint.stage.journey_map
    form = TouchpointEditForm(
        request.POST or None,
        journey_map=journey_map,
        initial=model_to_dict(touchpoint, fields=TouchpointEditForm._meta.fields),
    )
    return _save_form(
        request,
        form,
        lambda data: services.touchpoint_update(touchpoint=touchpoint, data=data, by=request.user),
        map_id=journey_map.pk,
        title=_("Edit the touchpoint “%(name)s”") % {"name": touchpoint.name},
        action=reverse("journeys:touchpoint_edit", args=[touchpoint.pk]),
        journey_map=journey_map,
        note=_("Choose another stage to move the touchpoint there (to its end)."),
    )


@roles.manager_required
@require_POST
def touchpoint_move(request, touchpoint_id: int):
    """Move a card: ``offset=-1|1`` within its stage, or ``stage=<id>`` to its end or to ``position`` (0-based).

    Bad input answers 400 with the unchanged board and the reason; nothing changes. After a move htmx is told
    which card moved (``touchpoint-moved``), so the script can keep the keyboard focus on it.
    """
    touchpoint = get_object_or_404(Touchpoint.objects.select_related("stage__journey_map"), pk=touchpoint_id)
    journey_map = touchpoint.stage.journey_map
    form = TouchpointMoveForm(request.POST, journey_map=journey_map)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        services.touchpoint_move(
            touchpoint=touchpoint,
            stage=form.cleaned_data["stage"],
            offset=form.cleaned_data["offset"] or 0,
            position=form.cleaned_data["position"],
            by=request.user,
        )
    except ValidationError as exc:
        return _board(
            request,
            journey_map.pk,
            error=_("The touchpoint was not moved: %(error)s") % {"error": _error_text(exc)},
            status=400,
        )
    response = _board(request, journey_map.pk)
    if request.htmx:
        response["HX-Trigger-After-Settle"] = json.dumps({"touchpoint-moved": {"id": touchpoint.pk}})
    return response


@roles.manager_required
def touchpoint_delete(request, touchpoint_id: int):
    touchpoint = get_object_or_404(Touchpoint.objects.select_related("stage__journey_map"), pk=touchpoint_id)
    if request.method == "POST":
        services.touchpoint_delete(touchpoint=touchpoint, by=request.user)
        return _board(request, touchpoint.stage.journey_map_id)
    return _confirm_page(
        request,
        journey_map=touchpoint.stage.journey_map,
        title=_("Delete the touchpoint “%(name)s”?") % {"name": touchpoint.name},
        consequence=_("Pain points and opportunities placed on it stay on its stage."),
        action=reverse("journeys:touchpoint_delete", args=[touchpoint.pk]),
    )


# ---------------------------------------------------------------- pain points and opportunities

FINDINGS = {
    "pain_point": (PainPoint, PainPointForm),
    "opportunity": (Opportunity, OpportunityForm),
}
# Whole sentences per kind: the nouns differ in gender in German.
FINDING_TEXTS = {
    "pain_point": {
        "add_title": gettext_lazy("Add a pain point"),
        "add_submit": gettext_lazy("Add pain point"),
        "edit_title": gettext_lazy("Edit the pain point “%(title)s”"),
        "delete_title": gettext_lazy("Delete the pain point “%(title)s”?"),
    },
    "opportunity": {
        "add_title": gettext_lazy("Add an opportunity"),
        "add_submit": gettext_lazy("Add opportunity"),
        "edit_title": gettext_lazy("Edit the opportunity “%(title)s”"),
        "delete_title": gettext_lazy("Delete the opportunity “%(title)s”?"),
    },
}


def _finding_create_view(kind: str):
    model, form_class = FINDINGS[kind]
    texts = FINDING_TEXTS[kind]
    create = getattr(services, f"{kind}_create")

    @roles.manager_required
    def view(request, map_id: int):
        journey_map = get_object_or_404(JourneyMap, pk=map_id)
        initial = {}
        if request.GET.get("stage", "").isdigit():
            initial["stage"] = int(request.GET["stage"])
        form = form_class(request.POST or None, journey_map=journey_map, initial=initial)
        return _save_form(
            request,
            form,
            lambda data: create(journey_map=journey_map, by=request.user, **data),
            map_id=map_id,
            title=str(texts["add_title"]),
            action=reverse(f"journeys:{kind}_create", args=[map_id]),
            journey_map=journey_map,
            submit=str(texts["add_submit"]),
            note=_("Leave the stage empty for a finding that concerns the whole map."),
        )

    view.__name__ = f"{kind}_create"
    return view


def _finding_edit_view(kind: str):
    model, form_class = FINDINGS[kind]
    texts = FINDING_TEXTS[kind]
    update = getattr(services, f"{kind}_update")

    @roles.manager_required
    def view(request, pk: int):
        finding = get_object_or_404(model.objects.select_related("journey_map"), pk=pk)
        form = form_class(
            request.POST or None,
            journey_map=finding.journey_map,
            initial=model_to_dict(finding, fields=form_class._meta.fields),
        )
        return _save_form(
            request,
            form,
            lambda data: update(**{kind: finding}, data=data, by=request.user),
            map_id=finding.journey_map_id,
            title=texts["edit_title"] % {"title": finding.title},
            action=reverse(f"journeys:{kind}_edit", args=[pk]),
            journey_map=finding.journey_map,
        )

    view.__name__ = f"{kind}_edit"
    return view


def _finding_delete_view(kind: str):
    model, _form_class = FINDINGS[kind]
    texts = FINDING_TEXTS[kind]
    delete = getattr(services, f"{kind}_delete")

    @roles.manager_required
    def view(request, pk: int):
        finding = get_object_or_404(model.objects.select_related("journey_map"), pk=pk)
        if request.method == "POST":
            delete(**{kind: finding}, by=request.user)
            return _board(request, finding.journey_map_id)
        return _confirm_page(
            request,
            journey_map=finding.journey_map,
            title=texts["delete_title"] % {"title": finding.title},
            consequence=_("This cannot be undone."),
            action=reverse(f"journeys:{kind}_delete", args=[pk]),
        )

    view.__name__ = f"{kind}_delete"
    return view


urlpatterns = [
    path("<int:map_id>/board/", board, name="map_board"),
    path("<int:map_id>/stages/reorder/", stage_reorder, name="stage_reorder"),
    path("stages/<int:stage_id>/edit/", stage_edit, name="stage_edit"),
    path("stages/<int:stage_id>/move/", stage_move, name="stage_move"),
    path("stages/<int:stage_id>/delete/", stage_delete, name="stage_delete"),
    path("<int:map_id>/lanes/new/", lane_create, name="lane_create"),
    path("lanes/<int:lane_id>/edit/", lane_edit, name="lane_edit"),
    path("lanes/<int:lane_id>/visibility/", lane_visibility, name="lane_visibility"),
    path("lanes/<int:lane_id>/move/", lane_move, name="lane_move"),
    path("lanes/<int:lane_id>/delete/", lane_delete, name="lane_delete"),
    path("lanes/<int:lane_id>/cells/<int:stage_id>/", cell_detail, name="cell_detail"),
    path("lanes/<int:lane_id>/cells/<int:stage_id>/edit/", cell_edit, name="cell_edit"),
    path("touchpoints/<int:touchpoint_id>/edit/", touchpoint_edit, name="touchpoint_edit"),
    path("touchpoints/<int:touchpoint_id>/move/", touchpoint_move, name="touchpoint_move"),
    path("touchpoints/<int:touchpoint_id>/delete/", touchpoint_delete, name="touchpoint_delete"),
    *[
        route
        for kind, slug in (("pain_point", "pain-points"), ("opportunity", "opportunities"))
        for route in (
            path(f"<int:map_id>/{slug}/new/", _finding_create_view(kind), name=f"{kind}_create"),
            path(f"{slug}/<int:pk>/edit/", _finding_edit_view(kind), name=f"{kind}_edit"),
            path(f"{slug}/<int:pk>/delete/", _finding_delete_view(kind), name=f"{kind}_delete"),
        )
    ],
]
