"""Which department owns which touchpoint, written (CX managers; a touchpoint has at most one owner).

Read in ``actionplans.selectors.ownership``. journeys knows nothing of this: the map loads actionplans'
fragment by URL (htmx) and actionplans reads journeys' models.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from actionplans.models import Department, TouchpointOwnership
from actionplans.services.access import require_manager
from journeys.models import Touchpoint


@transaction.atomic
def touchpoint_owner_set(*, touchpoint: Touchpoint, department: Department, by) -> TouchpointOwnership:
    """Make ``department`` the owner of ``touchpoint`` (a touchpoint has at most one owning department)."""
    require_manager(by, _("assign touchpoints to departments"))
    ownership, _created = TouchpointOwnership.objects.select_for_update().update_or_create(
        touchpoint=touchpoint, defaults={"department": department}
    )
    return ownership


@transaction.atomic
def touchpoint_owner_remove(*, touchpoint: Touchpoint, by) -> None:
    require_manager(by, _("change which department owns a touchpoint"))
    TouchpointOwnership.objects.filter(touchpoint=touchpoint).delete()


@transaction.atomic
def touchpoint_ownership_update(*, ownership: TouchpointOwnership, data: dict, by) -> TouchpointOwnership:
    """Move an ownership to another department (or another touchpoint, if that one has no owner yet)."""
    require_manager(by, _("assign touchpoints to departments"))
    fields = [f for f in ("touchpoint", "department") if f in data and getattr(ownership, f) != data[f]]
    if not fields:
        return ownership
    for field in fields:
        setattr(ownership, field, data[field])
    if (
        "touchpoint" in fields
        and TouchpointOwnership.objects.filter(touchpoint=ownership.touchpoint).exclude(pk=ownership.pk).exists()
    ):
        raise ValidationError({"touchpoint": _("This touchpoint already has an owning department.")})
    ownership.save(update_fields=[*fields, "assigned_at"])
    return ownership


@transaction.atomic
def touchpoint_ownership_delete(*, ownership: TouchpointOwnership, by) -> None:
    require_manager(by, _("change which department owns a touchpoint"))
    ownership.delete()
