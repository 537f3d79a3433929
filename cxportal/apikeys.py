"""API-key creation, authentication (``Authorization: Api-Key <key>``) and the scope/role permission."""

import hashlib
import hmac
import secrets
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from cxportal import roles
from cxportal.models import ALL_SCOPES, DEPARTMENT_KEY_SCOPES, ApiKey
from cxportal.throttling import API_AUTH_FAILURES, client_address

KEY_PREFIX = "cxp"
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def expiry_of(day: date) -> datetime:
    """A key that expires "on" a date works through that whole day in the site time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


@transaction.atomic
def api_key_create(
    *,
    name: str,
    scopes: list[str],
    created_by=None,
    expires_at: datetime | None = None,
    department=None,
):
    """Create a key; returns ``(api_key, raw_key)``. The raw key is not stored and cannot be shown again.

    With a ``department`` the key sees only that department's actions and may hold only
    ``DEPARTMENT_KEY_SCOPES``.
    """
    name = (name or "").strip()
    scopes = list(scopes or [])
    errors = {}
    if not name:
        errors["name"] = "A name is required."
    unknown = sorted(set(scopes) - set(ALL_SCOPES))
    if not scopes:
        errors["scopes"] = "Give at least one scope."
    elif unknown:
        errors["scopes"] = f"Unknown scope(s): {', '.join(unknown)}. Known: {', '.join(ALL_SCOPES)}."
    elif department is not None and set(scopes) - set(DEPARTMENT_KEY_SCOPES):
        refused = ", ".join(sorted(set(scopes) - set(DEPARTMENT_KEY_SCOPES)))
        errors["scopes"] = (
            f"A key restricted to a department may only have {', '.join(DEPARTMENT_KEY_SCOPES)}; not {refused}."
        )
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = "The expiry must be in the future."
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(6)
    # Hex, so the secret part has no "_" and the key splits unambiguously into cxp_<prefix>_<secret>.
    raw_key = f"{KEY_PREFIX}_{prefix}_{secrets.token_hex(32)}"
    api_key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        key_hash=_hash(raw_key),
        scopes=sorted(set(scopes)),
        created_by=created_by,
        expires_at=expires_at,
        department=department,
    )
    return api_key, raw_key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    """Revoke for good; revoking a revoked key keeps the first revocation time."""
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key


@transaction.atomic
def api_key_department_release(*, department) -> None:
    """Before a department is deleted: refuse while a usable key is restricted to it.

    Keys already revoked or expired are revoked for good and detached, so the department can go
    (the foreign key PROTECTs, so no other path silently widens a restricted key to every department).
    """
    keys = list(ApiKey.objects.select_for_update().filter(department=department).order_by("name"))
    usable = [key.name for key in keys if key.is_usable]
    if usable:
        raise ValidationError(
            f"API keys are restricted to this department: {', '.join(usable)}. "
            "Revoke them under Settings → API keys first."
        )
    now = timezone.now()
    for key in keys:
        key.revoked_at = key.revoked_at or now
        key.department = None
        key.save(update_fields=["revoked_at", "department"])


def api_keys_list() -> QuerySet[ApiKey]:
    return ApiKey.objects.select_related("created_by", "department").order_by("-created_at", "-id")


def api_key_department(request):
    """The department a request's API key is restricted to, or None (no key, or an unrestricted one)."""
    auth = getattr(request, "auth", None)
    return auth.department if isinstance(auth, ApiKey) else None


class ApiKeyUser:
    """The request user for API-key requests: authenticated, but no person and no role."""

    is_authenticated = True
    is_anonymous = False
    is_superuser = False
    is_staff = False
    pk = id = None

    def __init__(self, api_key: ApiKey):
        self.api_key = api_key
        self.username = f"api-key:{api_key.name}"

    def __str__(self) -> str:
        return self.username


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
    throttled_detail = "Request was throttled: too many failed API-key authentications from this address."

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _, raw_key = header.partition(" ")
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
                raise exceptions.Throttled(wait=wait, detail=self.throttled_detail) from None
            API_AUTH_FAILURES.hit(address)
            raise
        now = timezone.now()
        if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        return ApiKeyUser(api_key), api_key

    @staticmethod
    def _usable_key(raw_key: str) -> ApiKey:
        parts = raw_key.split("_")
        if len(parts) < 3 or parts[0] != KEY_PREFIX:
            raise exceptions.AuthenticationFailed("Malformed API key.")
        api_key = ApiKey.objects.select_related("department").filter(prefix=parts[1]).first()
        if api_key is None or not hmac.compare_digest(api_key.key_hash, _hash(raw_key)):
            raise exceptions.AuthenticationFailed("Invalid API key.")
        if api_key.is_revoked:
            raise exceptions.AuthenticationFailed(
                f"This API key was revoked on {timezone.localtime(api_key.revoked_at):%Y-%m-%d %H:%M}."
            )
        if api_key.is_expired:
            raise exceptions.AuthenticationFailed(
                f"This API key expired on {timezone.localtime(api_key.expires_at):%Y-%m-%d %H:%M}."
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

    message = "You do not have permission for this."

    def has_permission(self, request, view) -> bool:
        area = getattr(view, "api_area", None)
        verb = "read" if request.method in permissions.SAFE_METHODS else "write"
        if isinstance(request.auth, ApiKey):
            if area is None or not request.auth.allows(area, verb):
                self.message = f"This API key lacks the scope {area}:{verb}."
                return False
            if area == "actions" and request.auth.department_id is not None and verb == "write":
                if getattr(view, "member_access", None) != "write":
                    self.message = "A key restricted to a department cannot change this; ask a CX manager."
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

    target_class = "cxportal.apikeys.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`; create keys with `python manage.py create_api_key NAME --scope …`.",
        }
