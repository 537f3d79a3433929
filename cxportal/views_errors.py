"""The 403 page: it says why (the reason the check gave) and offers a way back."""

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cxportal.navigation import SECTIONS, menu


def permission_denied(request, exception=None):
    reason = str(exception or "") or _("You do not have permission to see this page.")
    back = request.META.get("HTTP_REFERER", "")
    same_site = url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not same_site or back == request.build_absolute_uri():
        back = ""
    # The section this page belongs to, if the person may see its start page (a member denied a plan → Actions).
    section = None
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        section = next((s for s in menu(request, SECTIONS) if s["current"] and s["url"] != request.path), None)
    return render(request, "403.html", {"reason": reason, "back_url": back, "section": section}, status=403)
