"""API keys: creation, revocation, the list, and who a key acts as (authentication: ``cxportal.api.authentication``)."""

import hashlib
import secrets
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cxportal.models import ALL_SCOPES, DEPARTMENT_KEY_SCOPES, ApiKey

KEY_PREFIX = "cxp"


def key_digest(raw_key: str) -> str:
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
        errors["name"] = _("A name is required.")
    unknown = sorted(set(scopes) - set(ALL_SCOPES))
    if not scopes:
        errors["scopes"] = _("Give at least one scope.")
    elif unknown:
        errors["scopes"] = _("Unknown scope(s): %(unknown)s. Known: %(known)s.") % {
            "unknown": ", ".join(unknown),
            "known": ", ".join(ALL_SCOPES),
        }
    elif department is not None and set(scopes) - set(DEPARTMENT_KEY_SCOPES):
        refused = ", ".join(sorted(set(scopes) - set(DEPARTMENT_KEY_SCOPES)))
        errors["scopes"] = _("A key restricted to a department may only have %(allowed)s; not %(refused)s.") % {
            "allowed": ", ".join(DEPARTMENT_KEY_SCOPES),
            "refused": refused,
        }
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("The expiry must be in the future.")
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(6)
    # Hex, so the secret part has no "_" and the key splits unambiguously into cxp_<prefix>_<secret>.
    raw_key = f"{KEY_PREFIX}_{prefix}_{secrets.token_hex(32)}"
    api_key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        key_hash=key_digest(raw_key),
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
            _("API keys are restricted to this department: %(keys)s. Revoke them under Settings → API keys first.")
            % {"keys": ", ".join(usable)}
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
