"""Writes of single sign-on: find or create the account for a verified sign-in and give it the mapped roles."""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from cxportal.roles import CX_MANAGER, DEPARTMENT_MEMBER
from cxportal.sso.errors import SsoRefused
from cxportal.sso.mapping import Grant, grant_for, mapped_departments
from cxportal.sso.models import SsoIdentity


def sso_user_sign_in(*, issuer: str, claims: dict):
    """The account for a verified sign-in (``issuer`` + ``claims["sub"]``), created on the first one.

    Roles and mapped departments are set from the claims on every sign-in, so a person removed from a group at
    the provider loses the role at the next sign-in. Raises ``SsoRefused("no_role")`` when no group maps to a
    grant: no account is created then, and an existing one loses its mapped roles; ``SsoRefused("inactive")``
    for a deactivated account.
    """
    user, refusal = _sign_in(issuer=issuer, claims=claims)
    if refusal:
        raise SsoRefused(refusal)  # after the commit: the roles taken away stay taken away
    return user


@transaction.atomic
def _sign_in(*, issuer: str, claims: dict):
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SsoRefused("claims")
    grant = grant_for(claims)
    identity = (
        SsoIdentity.objects.select_related("user").select_for_update().filter(issuer=issuer, subject=subject).first()
    )
    user = identity.user if identity else _linkable_user(issuer=issuer, claims=claims)
    if grant.empty:
        if user is not None:
            _apply_grant(user=user, grant=grant)
        return None, "no_role"
    if user is not None and not user.is_active:
        return None, "inactive"
    if user is None:
        user = _user_create(claims=claims)
    else:
        _user_update(user=user, claims=claims)
    if identity is None:
        identity = SsoIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    identity.last_sign_in_at = timezone.now()
    identity.save(update_fields=["last_sign_in_at"])
    _apply_grant(user=user, grant=grant)
    return user, None


def _linkable_user(*, issuer: str, claims: dict):
    """An existing local account to link on a first SSO sign-in: only with ``OIDC_LINK_BY_EMAIL``, a verified
    address, exactly one account with it, and that account not yet linked to this provider."""
    email = (claims.get("email") or "").strip()
    if not (settings.OIDC_LINK_BY_EMAIL and email and claims.get("email_verified") is True):
        return None
    users = list(get_user_model().objects.filter(email__iexact=email)[:2])
    if len(users) != 1 or users[0].sso_identities.filter(issuer=issuer).exists():
        return None
    return users[0]


def _username_base(claims: dict) -> str:
    for key in ("preferred_username", "email", "sub"):
        value = str(claims.get(key) or "").strip()
        if value:
            return value[:140]
    raise SsoRefused("claims")


def _user_create(*, claims: dict):
    user_model = get_user_model()
    base = _username_base(claims)
    for n in range(1, 100):
        username = base if n == 1 else f"{base}-{n}"
        if user_model.objects.filter(username__iexact=username).exists():
            continue
        try:
            with transaction.atomic():
                user = user_model(username=username)
                _copy_profile(user=user, claims=claims)
                user.set_unusable_password()  # signs in through the provider only
                user.save()
                return user
        except IntegrityError:
            continue
    raise SsoRefused("claims")


def _copy_profile(*, user, claims: dict) -> list[str]:
    changed = []
    for field, claim in (("email", "email"), ("first_name", "given_name"), ("last_name", "family_name")):
        value = claims.get(claim)
        if value is None:
            continue
        value = str(value)[: user._meta.get_field(field).max_length]
        if getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    return changed


def _user_update(*, user, claims: dict) -> None:
    changed = _copy_profile(user=user, claims=claims)
    if changed:
        user.save(update_fields=changed)


def _apply_grant(*, user, grant: Grant) -> None:
    """Set the roles and the memberships of mapped departments to what the grant says; departments the map
    does not name (memberships a CX manager gave by hand) stay as they are."""
    # Departments live in actionplans, above cxportal: looked up by label, like the other glue of cxportal.
    Department = apps.get_model("actionplans", "Department")  # noqa: N806

    manager_group, _ = Group.objects.get_or_create(name=CX_MANAGER)
    member_group, _ = Group.objects.get_or_create(name=DEPARTMENT_MEMBER)
    if grant.manager:
        user.groups.add(manager_group)
    else:
        user.groups.remove(manager_group)
    managed = mapped_departments()
    for name in sorted(managed):
        if name in grant.departments:
            department, _ = Department.objects.get_or_create(name=name)
            department.members.add(user)
        else:
            department = Department.objects.filter(name=name).first()
            if department is not None:
                department.members.remove(user)
    if user.departments.exists():
        user.groups.add(member_group)
    else:
        user.groups.remove(member_group)
    user.__dict__.pop("_cx_group_names", None)
