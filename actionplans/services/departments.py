"""Departments and their members (CX managers only)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from actionplans.models import Action, Department
from actionplans.services.access import require_manager
from cxportal.apikeys import api_key_department_release


@transaction.atomic
def department_create(*, name: str, lead=None, members=(), contact_email: str = "", by=None) -> Department:
    require_manager(by, _("manage departments"))
    department = Department(name=name, lead=lead, contact_email=contact_email)
    department.full_clean()
    department.save()
    department.members.set(members)
    return department


@transaction.atomic
def department_update(*, department: Department, data: dict, by) -> Department:
    """Change name, lead, contact email and members; a member who still owns open actions stays."""
    require_manager(by, _("manage departments"))
    department = Department.objects.select_for_update().get(pk=department.pk)
    changed = [f for f in ("name", "lead", "contact_email") if f in data and getattr(department, f) != data[f]]
    for field in changed:
        setattr(department, field, data[field])
    if changed:
        department.full_clean()
        department.save(update_fields=changed)
    if "members" in data:
        keep = {user.pk for user in data["members"]}
        owners = (
            Action.objects.filter(department=department, owner__isnull=False)
            .exclude(status__in=Action.CLOSED)
            .exclude(owner__in=keep)
            .values_list("owner__username", flat=True)
            .distinct()
        )
        if owners:
            raise ValidationError(
                {"members": f"Reassign their open actions first: {', '.join(sorted(owners))} still own some."}
            )
        department.members.set(data["members"])
    return department


@transaction.atomic
def department_delete(*, department: Department, by) -> None:
    require_manager(by, _("manage departments"))
    if department.actions.exists():
        raise ValidationError(_("This department still has actions; move or delete them first."))
    api_key_department_release(department=department)  # refuses while a usable key is restricted to it
    department.delete()
