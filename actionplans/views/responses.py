"""A response in the closed loop: the response page's follow-up fragment and an action prefilled from it.

surveys' response page knows nothing of actions; it loads this fragment by URL (htmx), like the journey map.
Whether the user may read the response at all is surveys' rule (``surveys.selectors.response_detail``).
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from actionplans.selectors.follow_up_queue import response_follow_up as response_follow_up_of
from cxportal import roles
from metrics.kpis import ANSWER_KPIS
from metrics.models import ScopeType
from surveys import selectors as survey_selectors
from surveys.models import Response


def _readable_response(request, response_id) -> Response | None:
    try:
        return survey_selectors.response_detail(response_id=int(response_id), user=request.user)
    except (Response.DoesNotExist, ValueError, TypeError):
        return None


def response_for_action(request) -> Response | None:
    """The response named by ``?response=`` of the "new action" page, if the user may read it."""
    raw = request.GET.get("response", "")
    return _readable_response(request, raw) if raw.isdigit() else None


def follow_up_initial(request, response: Response) -> dict:
    """The new action's fields prefilled from a response: touchpoint, the KPI it answered, a link back."""
    initial = {}
    scored = [a for a in response.answers.all() if a.value is not None and a.question.kind in ANSWER_KPIS]
    link = request.build_absolute_uri(reverse("surveys:response_detail", args=[response.pk]))
    initial["description"] = _("Follow-up of response #%(id)s: %(link)s") % {"id": response.pk, "link": link}
    if response.touchpoint_id:
        initial["title"] = _("Follow up response #%(id)s at %(touchpoint)s") % {
            "id": response.pk,
            "touchpoint": response.touchpoint.name,
        }
        initial["touchpoint"] = response.touchpoint_id
    if scored:
        initial["kpi"] = ANSWER_KPIS[scored[0].question.kind]
        if response.touchpoint_id:
            initial["scope_type"] = ScopeType.TOUCHPOINT
            initial["scope_key"] = str(response.touchpoint_id)
    return initial


@roles.role_required
def response_follow_up(request, response_id: int):
    """The response's follow-up action (if the user may see it); for CX managers its queue state and the
    "Create action" button. A response the user may not read is not found."""
    response = _readable_response(request, response_id)
    if response is None:
        raise Http404("No such response.")
    context = {
        "response": response,
        **response_follow_up_of(response=response, user=request.user),
        "is_manager": roles.is_cx_manager(request.user),
    }
    if request.headers.get("HX-Request"):
        return render(request, "actionplans/fragments/response_follow_up.html", context)
    return render(request, "actionplans/response_follow_up.html", context)
