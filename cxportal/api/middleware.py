"""Everything under ``/api/`` answers JSON, whatever went wrong and wherever.

- A path without its trailing slash is served as the path with it (no redirect: a redirected POST loses its body,
  and clients generated from the schema do not follow redirects).
- An answer that is not JSON — Django's own 404/405/500 pages (also the DEBUG ones), a 400 for a malformed
  host, a CSRF 403 — becomes ``{"detail": "…"}`` with the same status.
- Successful answers carry ``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset`` of the budget
  the request counted against (``cxportal.api.throttling``).
"""

from django.http import JsonResponse
from django.urls import Resolver404, get_resolver
from django.utils.translation import gettext as _

API_ROOT = "/api/"
# Answers that are not JSON on purpose: the schema (YAML or JSON by its own negotiation), the docs page and its
# script, and exports (CSV/XLSX).
_PASS_THROUGH_TYPES = ("application/json", "application/vnd.oai.openapi", "text/csv", "application/vnd.openxml")
_NON_JSON_PATHS = ("/api/docs/", "/api/schema/")


def _resolves(path: str) -> bool:
    try:
        get_resolver().resolve(path)
    except Resolver404:
        return False
    return True


def _detail(status_code: int) -> str:
    if status_code == 404:
        return _("Not found.")
    if status_code == 405:
        return _("Method not allowed.")
    if status_code == 403:
        return _("You do not have permission to perform this action.")
    if status_code >= 500:
        return _("Server error. Nothing was changed; try again later.")
    return _("Bad request.")


class ApiJsonMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_ROOT):
            return self.get_response(request)
        if not request.path_info.endswith("/") and not _resolves(request.path_info):
            if _resolves(request.path_info + "/"):
                request.path_info += "/"
                request.path += "/"
        response = self.get_response(request)
        if request.path_info.startswith(_NON_JSON_PATHS) and response.status_code < 400:
            return response
        content_type = response.get("Content-Type", "")
        if response.status_code >= 400 and not content_type.startswith(_PASS_THROUGH_TYPES):
            replaced = JsonResponse({"detail": _detail(response.status_code)}, status=response.status_code)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    replaced[header] = response[header]
            response = replaced
        budget = getattr(request, "rate_limit", None)
        if budget is not None and response.status_code < 400:
            limit, remaining, reset = budget
            response["RateLimit-Limit"] = str(limit)
            response["RateLimit-Remaining"] = str(max(remaining, 0))
            response["RateLimit-Reset"] = str(max(int(reset), 0))
        return response
