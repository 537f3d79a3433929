"""From the provider's groups (or roles) claim to CX portal roles and departments (``OIDC_ROLE_MAP``).

``OIDC_ROLE_MAP`` maps a group name to one grant or a list of grants:

- ``"manager"`` — the CX manager role;
- ``"department:<name>"`` — department member of the department ``<name>`` (created when it does not exist yet).

Groups the map does not name are ignored (providers send many groups). A person none of whose groups maps to
a grant is refused: no account is created, and an existing account loses its SSO-granted roles.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MANAGER = "manager"
DEPARTMENT_PREFIX = "department:"


@dataclass(frozen=True)
class Grant:
    """What one sign-in grants: the CX manager role and/or membership of these departments."""

    manager: bool = False
    departments: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not self.manager and not self.departments


def role_map() -> dict[str, list[str]]:
    """The configured map, each value as a list of grants; a grant we do not know is a configuration error."""
    raw = settings.OIDC_ROLE_MAP or {}
    if not isinstance(raw, dict):
        raise ImproperlyConfigured("OIDC_ROLE_MAP must be a JSON object: group → grant or list of grants.")
    parsed: dict[str, list[str]] = {}
    for group, value in raw.items():
        grants = [value] if isinstance(value, str) else list(value)
        for grant in grants:
            department = grant[len(DEPARTMENT_PREFIX) :] if str(grant).startswith(DEPARTMENT_PREFIX) else ""
            if grant != MANAGER and not department.strip():
                raise ImproperlyConfigured(
                    f"OIDC_ROLE_MAP[{group!r}]: {grant!r} is neither 'manager' nor 'department:<name>'."
                )
        parsed[str(group)] = grants
    return parsed


def mapped_departments() -> set[str]:
    """Every department the map names: the ones whose membership SSO manages."""
    return {
        grant[len(DEPARTMENT_PREFIX) :].strip()
        for grants in role_map().values()
        for grant in grants
        if grant.startswith(DEPARTMENT_PREFIX)
    }


def claim_groups(claims: dict) -> list[str]:
    """The group names in the configured claim (a list, or one string); Keycloak's ``/path`` form included."""
    value = claims.get(settings.OIDC_ROLE_CLAIM)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    return [str(item) for item in value if item is not None]


def grant_for(claims: dict) -> Grant:
    """The roles and departments the claims grant (empty when no group is in the map)."""
    mapping = role_map()
    manager = False
    departments: set[str] = set()
    for group in claim_groups(claims):
        grants = mapping.get(group)
        if grants is None and group.startswith("/"):
            grants = mapping.get(group.lstrip("/"))  # Keycloak's "full group path" option
        for grant in grants or []:
            if grant == MANAGER:
                manager = True
            else:
                departments.add(grant[len(DEPARTMENT_PREFIX) :].strip())
    return Grant(manager=manager, departments=frozenset(departments))
