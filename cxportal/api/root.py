"""``GET /api/v1/``: a friendly index of the API — every resource with its URL, and how to authenticate.

Anyone may read it (the same facts are in the public schema at ``/api/schema/``); with a key it also says which
resources that key may read, so an integrator checking a new key gets a useful answer instead of a 403.
"""

from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from cxportal.api.authentication import HasScopeOrRole
from cxportal.models import ApiKey

API_NAMESPACE_PREFIX = "api/v1/"


def _list_routes(patterns, prefix=""):
    """``(path, view class)`` of every collection below the patterns: router list routes
    (``<basename>-list``) and plain one-segment views such as ``metrics/``."""
    for pattern in patterns:
        view_class = getattr(getattr(pattern, "callback", None), "cls", None)
        if isinstance(pattern, URLResolver):
            yield from _list_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif pattern.name and pattern.name.endswith("-list"):
            yield reverse(pattern.name), view_class
        elif isinstance(pattern.pattern, RoutePattern):
            route = prefix + str(pattern.pattern)
            segments = route.removeprefix(API_NAMESPACE_PREFIX).strip("/").split("/")
            if len(segments) == 1 and segments[0] and "<" not in route and getattr(view_class, "api_area", None):
                yield "/" + route, view_class


def api_resources() -> list[tuple[str, str, type | None]]:
    """``(resource, path, view class)`` of every collection under ``/api/v1/``, by resource name."""
    found = {}
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and str(pattern.pattern) == API_NAMESPACE_PREFIX:
            for path, view_class in _list_routes(pattern.url_patterns, API_NAMESPACE_PREFIX):
                resource = path.removeprefix("/" + API_NAMESPACE_PREFIX).strip("/")
                found.setdefault(resource, (resource, path, view_class))
    return [found[resource] for resource in sorted(found)]


class ApiRootView(APIView):
    """The API's index: its resources, the documentation and how to authenticate."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(exclude=True)
    def get(self, request):
        key = request.auth if isinstance(request.auth, ApiKey) else None
        person = request.user if request.user.is_authenticated and key is None else None
        resources = {}
        for resource, path, view_class in api_resources():
            entry = {"url": request.build_absolute_uri(path)}
            if key is not None or person is not None:
                entry["readable"] = bool(getattr(view_class, "api_area", None)) and HasScopeOrRole().has_permission(
                    request, view_class
                )
            resources[resource] = entry
        body = {
            "name": "CX portal API",
            "version": "v1",
            "documentation": request.build_absolute_uri(reverse("api-docs")),
            "schema": request.build_absolute_uri(reverse("schema")),
            "authentication": _(
                "Send `Authorization: Api-Key <key>`; CX managers create keys under Settings → API keys."
            ),
            "resources": resources,
        }
        if key is not None:
            body["api_key"] = {"name": key.name, "scopes": key.scopes, "department": key.department_id}
        elif person is None:
            body["detail"] = _("No API key was sent: this index is public, every resource needs a key.")
        return Response(body)
