"""Who may write what: shared by the action, milestone and comment services."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from actionplans.models import Action
from cxportal import roles


def require_manager(by, what: str) -> None:
    """``by=None`` is a trusted caller (an API key whose scope was checked, or the system)."""
    if by is not None and not roles.is_cx_manager(by):
        raise PermissionDenied(_("Only CX managers %(what)s.") % {"what": what})


def is_member_of_department(action: Action, user) -> bool:
    return action.department.members.filter(pk=user.pk).exists()


def require_worker(action: Action, by) -> None:
    """CX managers, trusted callers and members of the action's department work on an action."""
    if by is None or roles.is_cx_manager(by):
        return
    if not is_member_of_department(action, by):
        raise PermissionDenied(_("This action belongs to another department."))
