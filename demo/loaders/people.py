"""Users with their roles, departments with their members, and the personas."""

from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from actionplans.models import Department
from actionplans.services import department_create
from cxportal import roles
from cxportal.branding import branding_update
from cxportal.models import Branding
from demo.loaders.common import ascii_slug
from journeys.models import Persona
from journeys.services import persona_create

User = get_user_model()


def load_users(data, counts) -> dict:
    existing = {u.username: u for u in User.objects.filter(username__in=[p.username for p in data.people])}
    missing = [p for p in data.people if p.username not in existing]
    passwords = {username: password for username, password, _role in data.demo_logins}
    # PBKDF2 takes ~0.4 s a password and releases the GIL: hash the new ones side by side.
    with ThreadPoolExecutor(max_workers=4) as pool:
        hashes = list(pool.map(make_password, [passwords[p.username] for p in missing]))
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (roles.CX_MANAGER, roles.DEPARTMENT_MEMBER)}
    for person, hashed in zip(missing, hashes, strict=True):
        user = User(
            username=person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{ascii_slug(person.first_name)}.{ascii_slug(person.last_name)}@{data.mail_domain}",
            password=hashed,
        )
        user.save()
        user.groups.add(groups[person.group])
        existing[person.username] = user
        counts["users"] += 1
    return existing


def load_departments(data, users, counts) -> dict[str, Department]:
    existing = {d.name: d for d in Department.objects.filter(name__in=list(data.departments))}
    for name, (lead, members, contact_email) in data.departments.items():
        member_users = [users[m] for m in members]
        if name in existing:
            # A department someone created before the demo still gets the demo's members, so their actions
            # can be assigned to them; adding present members is a no-op.
            existing[name].members.add(*member_users)
            continue
        existing[name] = department_create(
            name=name, lead=users[lead], members=member_users, contact_email=contact_email
        )
        counts["departments"] += 1
    return existing


def load_personas(data, counts) -> dict[str, Persona]:
    existing = {p.name: p for p in Persona.objects.filter(name__in=[p["name"] for p in data.personas])}
    for spec in data.personas:
        if spec["name"] not in existing:
            existing[spec["name"]] = persona_create(**spec)
            counts["personas"] += 1
    return existing


def load_branding(data, by) -> None:
    """The demo company's name and colour on respondent pages and invitations, unless someone chose a branding."""
    if not Branding.objects.filter(pk=1).exists():
        branding_update(company_name=data.company_name, accent_color=data.accent_color, by=by)
