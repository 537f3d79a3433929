"""API authentication (``Authorization: Api-Key <key>``), the scope/role permission and their schema."""

import hmac
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from cxportal import audit, roles
from cxportal.apikeys import KEY_PREFIX, ApiKeyUser, key_digest
from cxportal.models import ApiKey
from cxportal.throttling import API_AUTH_FAILURES, client_address

LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Api-Key <key>``, with a limit on failures per client address.

    The key is checked first: a valid one always authenticates, whatever failed from the same address
    (an office or a proxy shares one address; others' mistakes must not stop an integration). Each failed
    authentication (malformed, unknown, wrong secret, revoked, expired) counts against the client's address
    (``API_AUTH_FAILURE_RATE``); once that is used up, further invalid keys from it answer 429 with
    ``Retry-After`` until the window is over. That 429 tells a guesser only that the guess was wrong — and the
    secret part has 256 bits, so guessing is hopeless anyway; the limit keeps the lookups cheap and the logs
    quiet. Successful requests are not counted.
    """

    keyword = "Api-Key"
    throttled_detail = gettext_lazy("Request was throttled: too many failed API-key authentications from this address.")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _sep, raw_key = header.partition(" ")
        if keyword != self.keyword:
            return None
        if not isinstance(request, Request):
            # IdempotencyMiddleware looks the key up ahead of the view, with Django's request, only to learn
            # whose key space an Idempotency-Key lives in; the view then authenticates the same request, and
            # that is where failures are refused and counted (once).
            api_key = self._usable_key(raw_key.strip())
            return ApiKeyUser(api_key), api_key
        try:
            api_key = self._usable_key(raw_key.strip())
        except exceptions.AuthenticationFailed:
            # Only invalid keys are counted and refused: a valid key never waits for others' failures.
            address = client_address(request)
            wait = API_AUTH_FAILURES.retry_after(address)
            if wait is not None:
                raise exceptions.Throttled(wait=wait, detail=str(self.throttled_detail)) from None
            API_AUTH_FAILURES.hit(address)
            raise
        audit.note_api_key(api_key)
        now = timezone.now()
        if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        return ApiKeyUser(api_key), api_key

    @staticmethod
    def _usable_key(raw_key: str) -> ApiKey:
        parts = raw_key.split("_")
        if len(parts) < 3 or parts[0] != KEY_PREFIX:
            raise exceptions.AuthenticationFailed(_("Malformed API key."))
        api_key = ApiKey.objects.select_related("department").filter(prefix=parts[1]).first()
        if api_key is None or not hmac.compare_digest(api_key.key_hash, key_digest(raw_key)):
            raise exceptions.AuthenticationFailed(_("Invalid API key."))
        if api_key.is_revoked:
            raise exceptions.AuthenticationFailed(
                _("This API key was revoked on %(when)s.")
                % {"when": f"{timezone.localtime(api_key.revoked_at):%Y-%m-%d %H:%M}"}
            )
        if api_key.is_expired:
            raise exceptions.AuthenticationFailed(
                _("This API key expired on %(when)s.")
                % {"when": f"{timezone.localtime(api_key.expires_at):%Y-%m-%d %H:%M}"}
            )
        return api_key

    def authenticate_header(self, request):
        return self.keyword


class HasScopeOrRole(permissions.BasePermission):
    """API keys need the scope of the view's area; people need a role.

    Views set ``api_area`` (journeys, surveys, metrics, actions, webhooks) and ``member_access``
    ("read", "write" or None): what a department member may do there. In the actions area a
    department-restricted key is held to ``member_access`` too. Which rows anyone sees is decided by
    the view's queryset, not here.
    """

    message = gettext_lazy("You do not have permission for this.")

    def has_permission(self, request, view) -> bool:
        area = getattr(view, "api_area", None)
        verb = "read" if request.method in permissions.SAFE_METHODS else "write"
        if isinstance(request.auth, ApiKey):
            if area is None or not request.auth.allows(area, verb):
                self.message = _("This API key lacks the scope %(scope)s.") % {"scope": f"{area}:{verb}"}
                return False
            if area == "actions" and request.auth.department_id is not None and verb == "write":
                if getattr(view, "member_access", None) != "write":
                    self.message = _("A key restricted to a department cannot change this; ask a CX manager.")
                    return False
            return True
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if roles.is_cx_manager(user):
            return True
        if roles.is_department_member(user):
            access = getattr(view, "member_access", None)
            return access == "write" or (access == "read" and verb == "read")
        return False


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Describes ``Authorization: Api-Key <key>`` in the OpenAPI schema."""

    target_class = "cxportal.api.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`; create keys with `python manage.py create_api_key NAME --scope …`.",
        }
