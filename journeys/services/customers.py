"""Writes of customers: create, update, and the upsert behind both the CSV import and the bulk API.

The CSV import itself (upload → preview → confirm) is in ``journeys.services.customer_import``.

One validation, ``customer_rows_validate``, checks every customer row whichever way it arrives (a CSV row,
an element of a bulk API body, a single create or update), so the rules cannot drift apart.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from cxportal.datetimes import date_time_validate
from cxportal.errors import ApplicationError
from journeys.models import Customer, Language, Persona
from journeys.services.personas import ATTRIBUTE_KEY_HELP, ATTRIBUTE_KEY_RE

MAX_ROWS = 10_000
BATCH_SIZE = 500
# SQLite allows 999 parameters per statement in older builds; stay below for IN (...) lookups.
LOOKUP_CHUNK = 900

DATE_FIELDS = ("acquired_at", "churned_at", "unsubscribed_at")
ROW_FIELDS = (
    "external_id",
    "email",
    "name",
    "contact_name",
    "language",
    "persona",
    "attributes",
    *DATE_FIELDS,
    "do_not_contact",
)

_TRUE = {"1", "true", "yes", "y", "ja", "x"}
_FALSE = {"0", "false", "no", "n", "nein"}

PersonaBy = Literal["id", "name"]


@dataclass
class RowPlan:
    """One validated row: the values to write, its errors, and the customer it updates (None: a new one)."""

    index: int
    external_id: str | None
    values: dict = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    customer: Customer | None = None

    @property
    def action(self) -> str:
        if self.errors:
            return "invalid"
        return "update" if self.customer else "new"

    def error_report(self) -> dict:
        return {"index": self.index, "external_id": self.external_id, "errors": self.errors}


@dataclass
class UpsertResult:
    created: int
    updated: int
    errors: list[dict]


# --- one row -------------------------------------------------------------------------------------


def _when(value, now: datetime) -> datetime | None:
    """An ISO date or date-time (string, date or datetime); naive ones are in the site's time zone."""
    if value is None or value == "":
        return None
    when = None
    if isinstance(value, datetime):
        when = value
    elif isinstance(value, date):
        when = datetime.combine(value, time.min)  # noqa: DTZ001 - made aware below
    elif isinstance(value, str):
        text = value.strip()
        try:
            when = parse_datetime(text)
            if when is None and (day := parse_date(text)) is not None:
                when = datetime.combine(day, time.min)  # noqa: DTZ001 - made aware below
        except ValueError:
            when = None
    if when is None:
        raise ValidationError(_("Enter a date (YYYY-MM-DD) or an ISO 8601 date-time."))
    when = date_time_validate(when)  # the API's one date-time rule: from 1900 on
    if when > now:
        raise ValidationError(_("%(when)s is in the future.") % {"when": f"{timezone.localtime(when):%Y-%m-%d %H:%M}"})
    return when


def _text(value, *, max_length: int, what: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValidationError(str(what or _("Enter text.")))
    text = str(value).strip()
    if len(text) > max_length:
        raise ValidationError(
            _("At most %(max)d characters (it has %(length)d).") % {"max": max_length, "length": len(text)}
        )
    return text


def _flag(value) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValidationError(_("Enter true or false (also 1/0, yes/no)."))


def _attributes(value) -> dict:
    """Customer attributes: a flat mapping; a null value removes the key from the customer."""
    if not isinstance(value, Mapping):
        raise ValidationError(_("Give a flat mapping of attribute names to values."))
    errors = []
    for key, item in value.items():
        if not isinstance(key, str) or not ATTRIBUTE_KEY_RE.match(key):
            errors.append(
                _("“%(key)s” is not an attribute name (%(rule)s).") % {"key": key, "rule": ATTRIBUTE_KEY_HELP}
            )
        elif item is not None and not isinstance(item, str | int | float | bool):
            errors.append(_("“%(key)s”: the value must be text, a number, true/false or null.") % {"key": key})
    if errors:
        raise ValidationError(errors)
    return dict(value)


def _persona_id(value, *, persona_by: PersonaBy, personas: dict) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, Persona):
        return value.pk
    if persona_by == "name":
        key = str(value).strip().casefold()
    elif isinstance(value, int) and not isinstance(value, bool):
        key = value
    elif isinstance(value, str) and value.strip().isdigit():
        key = int(value.strip())
    else:
        raise ValidationError(_("Give the persona's id."))
    if key not in personas:
        raise ValidationError(_("Unknown persona “%(persona)s”.") % {"persona": value})
    return personas[key]


def _row_clean(index: int, raw, *, persona_by: PersonaBy, personas: dict, now: datetime) -> RowPlan:
    if not isinstance(raw, Mapping):
        return RowPlan(index=index, external_id=None, errors={"non_field_errors": [_("Each row must be an object.")]})
    plan = RowPlan(index=index, external_id=None)
    errors, values = plan.errors, plan.values
    for key in raw:
        if key not in ROW_FIELDS:
            errors[str(key)] = [_("Unknown field.")]

    def check(name, clean):
        if name not in raw:
            return
        try:
            result = clean(raw[name])
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
        else:
            if result is not None or name in DATE_FIELDS or name == "persona":
                values[name] = result

    try:
        external_id = _text(raw.get("external_id"), max_length=100, what=_("Enter an external id."))
        if not external_id:
            raise ValidationError(_("This field is required."))
        plan.external_id = external_id
    except ValidationError as exc:
        errors["external_id"] = exc.messages
        plan.external_id = str(raw.get("external_id") or "") or None

    def email(value):
        text = _text(value, max_length=254, what="an e-mail address")
        if text:
            validate_email(text)
        return text

    def language(value):
        text = _text(value, max_length=2, what=_("Enter a language.")).lower() if value not in (None, "") else ""
        if not text:
            return None  # keep the customer's language (a new one gets the default)
        if text not in Language.values:
            raise ValidationError(
                _("Unknown language “%(language)s”; use %(known)s.")
                % {"language": value, "known": " / ".join(Language.values)}
            )
        return text

    check("email", email)
    check("name", lambda v: _text(v, max_length=200))
    check("contact_name", lambda v: _text(v, max_length=200))
    check("language", language)
    check("persona", lambda v: _persona_id(v, persona_by=persona_by, personas=personas))
    check("attributes", _attributes)
    for name in DATE_FIELDS:
        check(name, lambda v: _when(v, now))
    check("do_not_contact", _flag)
    if "persona" in values:
        values["persona_id"] = values.pop("persona")
    return plan


def _personas_index(persona_by: PersonaBy) -> dict:
    if persona_by == "name":
        return {name.casefold(): pk for pk, name in Persona.objects.values_list("pk", "name")}
    return {pk: pk for pk in Persona.objects.values_list("pk", flat=True)}


def customer_rows_validate(
    rows: Sequence, *, persona_by: PersonaBy = "id", lock: bool = False, now: datetime | None = None
) -> list[RowPlan]:
    """Validate customer rows and match them to existing customers by external id.

    A row is a mapping of ROW_FIELDS; a field that is absent keeps the customer's value. Checks: unknown
    fields, external id present and unique within ``rows``, e-mail, language, persona (by id or by name),
    dates (ISO; not in the future; churned not before acquired, also against the stored values), flags,
    flat attributes. Queries: one for personas and one per LOOKUP_CHUNK external ids.
    """
    now = now or timezone.now()
    personas = _personas_index(persona_by)
    plans = [_row_clean(i, raw, persona_by=persona_by, personas=personas, now=now) for i, raw in enumerate(rows)]

    positions = defaultdict(list)
    for plan in plans:
        if plan.external_id and "external_id" not in plan.errors:
            positions[plan.external_id].append(plan)
    for external_id, same in positions.items():
        if len(same) > 1:
            for plan in same:
                plan.errors.setdefault("external_id", []).append(
                    _("The external id “%(id)s” appears %(count)d times in this upload.")
                    % {"id": external_id, "count": len(same)}
                )

    ids = list(positions)
    existing = {}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        customers = Customer.objects.filter(external_id__in=ids[start : start + LOOKUP_CHUNK])
        if lock:
            customers = customers.select_for_update()
        existing.update({c.external_id: c for c in customers})

    for plan in plans:
        plan.customer = existing.get(plan.external_id) if plan.external_id else None
        stored = plan.customer
        acquired = plan.values.get("acquired_at", stored.acquired_at if stored else None)
        churned = plan.values.get("churned_at", stored.churned_at if stored else None)
        if acquired and churned and churned < acquired and "churned_at" not in plan.errors:
            plan.errors.setdefault("churned_at", []).append(
                _("Churned (%(churned)s) before acquired (%(acquired)s).")
                % {
                    "churned": f"{timezone.localtime(churned):%Y-%m-%d}",
                    "acquired": f"{timezone.localtime(acquired):%Y-%m-%d}",
                }
            )
    return plans


def _apply(plan: RowPlan, customer: Customer) -> set[str]:
    """Set the plan's values on ``customer``; attributes are merged (null removes a key)."""
    changed = set()
    for name, value in plan.values.items():
        if name == "attributes":
            merged = {**customer.attributes, **value}
            value = {k: v for k, v in merged.items() if v is not None}
        if getattr(customer, name) != value:
            setattr(customer, name, value)
            changed.add(name)
    return changed


def _write(plans: list[RowPlan]) -> tuple[int, int]:
    """Create and update the customers of valid plans in batches; returns (created, updated)."""
    new, changed, fields = [], [], set()
    now = timezone.now()
    for plan in plans:
        if plan.customer is None:
            customer = Customer(external_id=plan.external_id)
            _apply(plan, customer)
            new.append(customer)
        elif names := _apply(plan, plan.customer):
            plan.customer.updated_at = now
            changed.append(plan.customer)
            fields |= names
    try:
        with transaction.atomic():
            Customer.objects.bulk_create(new, batch_size=BATCH_SIZE)
    except IntegrityError as exc:
        raise ApplicationError(_("Someone else added some of these customers at the same moment; try again.")) from exc
    if changed:
        Customer.objects.bulk_update(changed, [*sorted(fields), "updated_at"], batch_size=BATCH_SIZE)
    return len(new), len(plans) - len(new)


@transaction.atomic
def customers_upsert(*, rows, partial: bool = False, persona_by: PersonaBy = "id") -> UpsertResult:
    """Create or update customers by external id, all or nothing unless ``partial``.

    With errors and not ``partial`` nothing is stored and an ApplicationError carries
    ``{"created": 0, "updated": 0, "errors": [...]}``; with ``partial`` the valid rows are stored and the
    errors returned. A customer whose row repeats its stored values still counts as updated.
    """
    if not isinstance(rows, list):
        raise ValidationError(_("Send a JSON list of customers."))
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            _("At most %(max)s customers at a time; this has %(count)s.")
            % {"max": f"{MAX_ROWS:,}", "count": f"{len(rows):,}"}
        )
    plans = customer_rows_validate(rows, persona_by=persona_by, lock=True)
    errors = [plan.error_report() for plan in plans if plan.errors]
    if errors and not partial:
        raise ApplicationError(
            _("%(errors)d of %(count)d customers have errors; nothing was stored.")
            % {"errors": len(errors), "count": len(rows)},
            extra={"created": 0, "updated": 0, "errors": errors},
        )
    created, updated = _write([plan for plan in plans if not plan.errors])
    return UpsertResult(created=created, updated=updated, errors=errors)


@transaction.atomic
def customer_create(*, external_id: str, **fields) -> Customer:
    """Create one customer (the rules of customer_rows_validate); an existing external id is an error."""
    plan = customer_rows_validate([{"external_id": external_id, **fields}], lock=True)[0]
    if plan.customer is not None:
        plan.errors.setdefault("external_id", []).append(_("A customer with this external id already exists."))
    if plan.errors:
        raise ValidationError(plan.errors)
    customer = Customer(external_id=plan.external_id)
    _apply(plan, customer)
    customer.save()
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, data: dict) -> Customer:
    """Change the fields given in ``data`` (not the external id), under the same rules as every import."""
    data = {k: v for k, v in data.items() if k != "external_id"}
    plan = customer_rows_validate([{"external_id": customer.external_id, **data}], lock=True)[0]
    if plan.errors:
        raise ValidationError(plan.errors)
    plan.customer = customer
    if changed := _apply(plan, customer):
        customer.save(update_fields=[*sorted(changed), "updated_at"])
    return customer
