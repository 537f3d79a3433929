"""The review of revised maps: open actions whose touchpoint or pain point was removed from the map."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actionplans.selectors import revisions as revision_selectors
from actionplans.services import revisions
from actionplans.views._common import report_errors, safe_next, touchpoint_from_post
from cxportal import roles
from cxportal.errors import ApplicationError


@roles.role_required
def review_list(request):
    """Open actions whose touchpoint or pain point was removed from its map (fragment or page)."""
    context = {
        "items": revision_selectors.review_items(user=request.user),
        "is_manager": roles.is_cx_manager(request.user),
    }
    if request.headers.get("HX-Request"):
        return render(request, "actionplans/fragments/review_list.html", context)
    return render(request, "actionplans/review_list.html", context)


def _reviewed_action(request, action_id: int):
    # Only actions that need review and that the user may see; others are a 404.
    return get_object_or_404(revision_selectors.actions_needing_review(user=request.user), pk=action_id)


@roles.role_required
@require_POST
def review_mark_obsolete(request, action_id: int):
    action = _reviewed_action(request, action_id)
    try:
        revisions.action_review_mark_obsolete(action=action, by=request.user)
        messages.success(request, _("Action “%(title)s” marked obsolete.") % {"title": action.title})
    except (ValidationError, PermissionDenied, ApplicationError) as exc:
        report_errors(request, exc)
    return redirect(safe_next(request, reverse("actionplans:review_list")))


@roles.manager_required
@require_POST
def review_relink(request, action_id: int):
    action = _reviewed_action(request, action_id)
    touchpoint = touchpoint_from_post(request)
    try:
        if touchpoint is None:
            raise ValidationError(_("Choose a touchpoint."))
        revisions.action_review_relink(action=action, touchpoint=touchpoint, by=request.user)
        messages.success(
            request,
            _("Action “%(title)s” now addresses “%(touchpoint)s”.")
            % {"title": action.title, "touchpoint": touchpoint.name},
        )
    except (ValidationError, PermissionDenied, ApplicationError) as exc:
        report_errors(request, exc)
    return redirect(safe_next(request, reverse("actionplans:review_list")))
