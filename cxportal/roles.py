"""Who a user is in CX portal: a CX manager, a department member, or neither.

The groups are created by a migration (``cxportal/migrations``). Department membership itself lives in
``actionplans`` (``Department.members``); here we only know the roles.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

CX_MANAGER = "CX manager"
DEPARTMENT_MEMBER = "Department member"


def _group_names(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_cx_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._cx_group_names = cached
    return cached


def is_cx_manager(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or CX_MANAGER in _group_names(user)


def is_department_member(user) -> bool:
    return DEPARTMENT_MEMBER in _group_names(user)


def has_any_role(user) -> bool:
    return is_cx_manager(user) or is_department_member(user)


def role_context(request) -> dict:
    """Template context: what the navigation may offer the current user."""
    user = request.user
    return {
        "is_cx_manager": is_cx_manager(user),
        "is_department_member": is_department_member(user),
    }


def manager_required(view):
    """Only CX managers; others get a 403 page (anonymous users go to the login page)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_cx_manager(request.user):
            raise PermissionDenied(_("This page is for CX managers."))
        return view(request, *args, **kwargs)

    return wrapper


def role_required(view):
    """CX managers and department members."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_any_role(request.user):
            raise PermissionDenied(_("Your account has no CX portal role yet; ask a CX manager."))
        return view(request, *args, **kwargs)

    return wrapper
