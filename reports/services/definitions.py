"""Create and change a report definition and its recipients."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from reports.models import Language, ReportDefinition, ReportRecipient
from reports.sections import SECTIONS

FIELDS = [
    "name",
    "sections",
    "journey_map",
    "persona",
    "channel",
    "department",
    "department_audience",
    "rhythm",
    "weekday",
    "day_of_month",
    "send_time",
    "language",
]


def parse_addresses(text: str) -> list[tuple[str, str]]:
    """Lines "address" or "address language" (de/en) → [(address, language or "")]; errors name the line."""
    result, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.replace(",", " ").replace(";", " ").split()
        if not parts:
            continue
        address, language = parts[0], (parts[1].lower() if len(parts) > 1 else "")
        try:
            validate_email(address)
        except ValidationError:
            errors.append(
                _("Line %(line)d: “%(address)s” is not an e-mail address.") % {"line": number, "address": address}
            )
            continue
        if language and language not in Language.values or len(parts) > 2:
            errors.append(_("Line %(line)d: the language must be “de” or “en”.") % {"line": number})
            continue
        result.append((address.lower(), language))
    if errors:
        raise ValidationError({"addresses": errors})
    return result


@transaction.atomic
def report_save(
    *,
    report: ReportDefinition | None = None,
    data: dict,
    users,
    addresses: list[tuple[str, str]],
    active: bool | None = None,
    by=None,
):
    """Create or update a report with its recipients (people by their account, others by address)."""
    unknown = [key for key in data.get("sections", []) if key not in SECTIONS]
    if unknown:
        raise ValidationError({"sections": _("Unknown section: %(key)s") % {"key": ", ".join(unknown)}})
    if not data.get("sections"):
        raise ValidationError({"sections": _("Choose at least one section.")})
    if data.get("department_audience") and not data.get("department"):
        raise ValidationError({"department": _("Choose the department that receives the report.")})
    if not list(users) and not addresses and not data.get("department_audience"):
        raise ValidationError({"addresses": _("Add at least one recipient.")})
    missing = [u.get_username() for u in users if not u.email]
    if missing:
        raise ValidationError({"users": _("No e-mail address: %(names)s") % {"names": ", ".join(missing)}})
    if report is None:
        report = ReportDefinition(created_by=by)
    for field in FIELDS:
        setattr(report, field, data[field])
    if active is not None:
        report.active = active
    report.full_clean()
    report.save()
    report.recipients.all().delete()
    ReportRecipient.objects.bulk_create(
        [ReportRecipient(report=report, user=u) for u in users]
        + [ReportRecipient(report=report, email=a, language=lang) for a, lang in addresses]
    )
    return report


def report_delete(*, report: ReportDefinition) -> None:
    """Delete a report with its recipients and the history of its sends."""
    report.delete()
