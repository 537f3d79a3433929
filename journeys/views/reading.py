"""Reading a journey map: the view / edit mode of the map page and the touchpoint side panel.

Department members always read; CX managers switch between reading and editing with ``?mode=view|edit``,
remembered in their session, so every later page of the map (and every board re-rendered by htmx) keeps it.
"""

from django.forms.models import model_to_dict
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext

from cxportal import roles
from journeys import selectors
from journeys.forms import TouchpointEditForm

MODE_SESSION_KEY = "journeys_map_mode"
VIEW, EDIT = "view", "edit"


def map_mode(request) -> str:
    """ "edit" or "view" for this request: members read; managers edit unless they chose to read."""
    if not roles.is_cx_manager(request.user):
        return VIEW
    asked = request.GET.get("mode")
    if asked in (VIEW, EDIT):
        if request.session.get(MODE_SESSION_KEY) != asked:
            request.session[MODE_SESSION_KEY] = asked
        return asked
    return request.session.get(MODE_SESSION_KEY, EDIT)


def is_editing(request) -> bool:
    return map_mode(request) == EDIT


@roles.role_required
def touchpoint_detail(request, touchpoint_id: int):
    """A touchpoint's details for the map's side panel (htmx) or as a page; in edit mode with its edit form."""
    touchpoint = selectors.touchpoint_detail(touchpoint_id=touchpoint_id)
    journey_map = touchpoint.stage.journey_map
    context = {"tp": touchpoint, "map": journey_map, "editing": is_editing(request)}
    if context["editing"]:
        context.update(
            form=TouchpointEditForm(
                journey_map=journey_map, initial=model_to_dict(touchpoint, fields=TouchpointEditForm._meta.fields)
            ),
            title=gettext("Edit the touchpoint"),
            action=reverse("journeys:touchpoint_edit", args=[touchpoint.pk]),
            note=gettext("Choose another stage to move the touchpoint there (to its end)."),
        )
    if request.htmx:
        return render(request, "journeys/partials/touchpoint_panel.html", context)
    return render(request, "journeys/touchpoint_detail.html", {**context, "plain": True, "subnav": "maps"})


urlpatterns = [
    path("touchpoints/<int:touchpoint_id>/", touchpoint_detail, name="touchpoint_detail"),
]
