from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cxportal.apikeys import api_key_create, expiry_of
from cxportal.models import ALL_SCOPES, DEPARTMENT_KEY_SCOPES, ApiKey


def _department(value: str):
    """A department by id or (case-insensitive) name."""
    departments = ApiKey._meta.get_field("department").related_model.objects
    found = departments.filter(pk=int(value)) if value.isdigit() else departments.filter(name__iexact=value)
    department = found.first()
    if department is None:
        names = ", ".join(departments.order_by("name").values_list("name", flat=True)) or "none yet"
        raise CommandError(f"No department {value!r}. Departments: {names}.")
    return department


def _expiry(value: str):
    try:
        return expiry_of(date.fromisoformat(value))
    except ValueError as exc:
        raise CommandError(f"--expires {value!r}: write the date as YYYY-MM-DD.") from exc


class Command(BaseCommand):
    help = "Create an API key and print it on the last line (it is shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            required=True,
            help=f"Repeat for several scopes. One of: {', '.join(ALL_SCOPES)}",
        )
        parser.add_argument(
            "--department",
            help="Restrict the key to one department's actions (name or id); then only "
            f"{', '.join(DEPARTMENT_KEY_SCOPES)} are allowed.",
        )
        parser.add_argument("--expires", help="Last day the key works (YYYY-MM-DD, site time zone).")

    def handle(self, *args, name, scopes, department=None, expires=None, **options):
        department = _department(department) if department else None
        expires_at = _expiry(expires) if expires else None
        try:
            api_key, raw_key = api_key_create(name=name, scopes=scopes, department=department, expires_at=expires_at)
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        details = [f"scopes {', '.join(api_key.scopes)}"]
        if department is not None:
            details.append(f"restricted to {department}")
        if expires:
            details.append(f"valid through {expires}")
        self.stderr.write(f"Created API key {api_key.name!r} with {'; '.join(details)}.")
        self.stdout.write(raw_key)
