"""Data in for the KPIs: touchpoint events and revenue transactions, from the bulk API (and CSV files).

One validation per kind, ``rows_validate``, checks every row however it arrives, so the rules cannot
drift apart. Rows are identified by ``external_id``: a row whose external id is stored with the same
values is "unchanged" (a retry is harmless); stored with *different* values it is a per-row error —
events and transactions are facts, so they are never silently rewritten.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from cxportal.datetimes import date_time_validate
from cxportal.errors import ApplicationError
from journeys.models import Customer, Touchpoint
from metrics.models import TouchpointEvent, Transaction

MAX_ROWS = 10_000
BATCH_SIZE = 500
LOOKUP_CHUNK = 900  # below SQLite's 999 parameters per statement
MAX_AMOUNT = Decimal("999999999999.99")

EVENTS, TRANSACTIONS = "events", "transactions"
FIELDS = {
    EVENTS: ("external_id", "touchpoint", "kind", "customer", "occurred_at"),
    TRANSACTIONS: ("external_id", "customer", "amount", "occurred_at"),
}
MODELS = {EVENTS: TouchpointEvent, TRANSACTIONS: Transaction}
# The documented name of the customer reference, and the older one (DESIGN.md's first shape) still read.
CUSTOMER_FIELD, CUSTOMER_ALIAS = "customer_external_id", "customer"
REQUIRED = _("This field is required.")


@dataclass
class RowPlan:
    index: int
    external_id: str | None
    values: dict = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    unchanged: bool = False
    customer_key: str = "customer"  # the name the row used for the customer, which its errors are reported under

    def error_report(self) -> dict:
        errors = {(self.customer_key if key == CUSTOMER_ALIAS else key): value for key, value in self.errors.items()}
        return {"index": self.index, "external_id": self.external_id, "errors": errors}


@dataclass
class IngestResult:
    created: int
    unchanged: int
    errors: list[dict]

    def as_dict(self) -> dict:
        return {"created": self.created, "unchanged": self.unchanged, "errors": self.errors}


# --- single values ---------------------------------------------------------------------------------


def _occurred_at(value, now: datetime) -> datetime:
    """An ISO date-time (or date); naive ones are in the site's time zone; from 1900 on (the API's one
    date-time rule, ``date_time_validate``) and never in the future."""
    when = None
    if isinstance(value, datetime):
        when = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            when = parse_datetime(text)
            if when is None and (day := parse_date(text)) is not None:
                when = datetime.combine(day, time.min)  # noqa: DTZ001 - made aware below
        except ValueError:
            when = None
    elif isinstance(value, date):
        when = datetime.combine(value, time.min)  # noqa: DTZ001 - made aware below
    if value is None or value == "":
        raise ValidationError(REQUIRED)
    if when is None:
        raise ValidationError(_("Enter an ISO 8601 date-time (or a date YYYY-MM-DD)."))
    when = date_time_validate(when)
    if when > now:
        raise ValidationError(_("%(when)s is in the future.") % {"when": f"{timezone.localtime(when):%Y-%m-%d %H:%M}"})
    return when


def _external_id(value) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(REQUIRED)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValidationError(_("Enter an external id (text)."))
    text = str(value).strip()
    if len(text) > 100:
        raise ValidationError(_("At most 100 characters (it has %(n)s).") % {"n": len(text)})
    return text


def _amount(value) -> Decimal:
    if value is None or value == "":
        raise ValidationError(REQUIRED)
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValidationError(_('Enter an amount such as "120.00".'))
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": value}) from exc
    if not amount.is_finite():
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": value})
    if amount.as_tuple().exponent < -2:
        raise ValidationError(_("At most 2 decimal places."))
    if abs(amount) > MAX_AMOUNT:
        raise ValidationError(_("The amount is too large."))
    return amount.quantize(Decimal("0.01"))


def _touchpoint_id(value) -> int:
    if value is None or value == "":
        raise ValidationError(REQUIRED)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise ValidationError(_("Give the touchpoint's id."))


def _kind(value) -> str:
    if value is None or value == "":
        raise ValidationError(REQUIRED)
    if value not in TouchpointEvent.Kind.values:
        raise ValidationError(
            _("Unknown kind “%(value)s”; use %(first)s or %(second)s.")
            % {"value": value, "first": TouchpointEvent.Kind.values[0], "second": TouchpointEvent.Kind.values[1]}
        )
    return value


def _customer_ref(value, *, required: bool) -> str | None:
    if value is None or value == "":
        if required:
            raise ValidationError(REQUIRED)
        return None
    return _external_id(value)


# --- rows ------------------------------------------------------------------------------------------


def _row_clean(kind: str, index: int, raw, now: datetime) -> RowPlan:
    if not isinstance(raw, Mapping):
        return RowPlan(index, None, errors={"non_field_errors": [_("Each row must be an object.")]})
    plan = RowPlan(index, None)
    if CUSTOMER_FIELD in raw:
        if CUSTOMER_ALIAS in raw:
            plan.errors[CUSTOMER_FIELD] = [
                _("Give %(field)s or %(alias)s, not both.") % {"field": CUSTOMER_FIELD, "alias": CUSTOMER_ALIAS}
            ]
        plan.customer_key = CUSTOMER_FIELD
        raw = {(CUSTOMER_ALIAS if key == CUSTOMER_FIELD else key): value for key, value in raw.items()}
    for key in raw:
        if key not in FIELDS[kind]:
            plan.errors[str(key)] = [_("Unknown field.")]
    cleaners = {
        "external_id": _external_id,
        "occurred_at": lambda v: _occurred_at(v, now),
        "customer": lambda v: _customer_ref(v, required=kind == TRANSACTIONS),
    }
    if kind == EVENTS:
        cleaners |= {"touchpoint": _touchpoint_id, "kind": _kind}
    else:
        cleaners["amount"] = _amount
    for name, clean in cleaners.items():
        try:
            plan.values[name] = clean(raw.get(name))
        except ValidationError as exc:
            plan.errors.setdefault(name, []).extend(exc.messages)
    plan.external_id = plan.values.get("external_id") or (str(raw.get("external_id") or "") or None)
    return plan


def _chunks(items: list):
    for start in range(0, len(items), LOOKUP_CHUNK):
        yield items[start : start + LOOKUP_CHUNK]


def _comparable(kind: str, values: dict) -> tuple:
    if kind == EVENTS:
        return (values["touchpoint_id"], values["kind"], values["customer_id"], values["occurred_at"])
    return (values["customer_id"], values["amount"], values["occurred_at"])


def rows_validate(kind: str, rows: Sequence, *, now: datetime | None = None) -> list[RowPlan]:
    """Validate event or transaction rows and match them to stored rows by external id.

    Checks: unknown fields, required fields, external id unique within ``rows``, touchpoint and customer
    known, kind, amount (a number with at most 2 decimals), occurred_at (ISO, from 1900 on, not in the
    future), and a stored row with the same external id (same values: unchanged; other values: an error).
    Queries: one for touchpoints and one per LOOKUP_CHUNK customers and external ids, whatever the number
    of rows.
    """
    now = now or timezone.now()
    plans = [_row_clean(kind, i, raw, now) for i, raw in enumerate(rows)]

    positions = defaultdict(list)
    for plan in plans:
        if "external_id" not in plan.errors and plan.external_id:
            positions[plan.external_id].append(plan)
    for external_id, same in positions.items():
        if len(same) > 1:
            for plan in same:
                plan.errors.setdefault("external_id", []).append(
                    _("The external id “%(id)s” appears %(n)s times in this upload.")
                    % {"id": external_id, "n": len(same)}
                )

    customer_refs = sorted({p.values["customer"] for p in plans if p.values.get("customer")})
    customers = {}
    for chunk in _chunks(customer_refs):
        customers.update(Customer.objects.filter(external_id__in=chunk).values_list("external_id", "pk"))
    touchpoints = set()
    if kind == EVENTS:
        wanted = sorted({p.values["touchpoint"] for p in plans if p.values.get("touchpoint") is not None})
        for chunk in _chunks(wanted):
            touchpoints.update(Touchpoint.objects.filter(pk__in=chunk).values_list("pk", flat=True))

    for plan in plans:
        ref = plan.values.pop("customer", None)
        if ref is not None:
            if ref in customers:
                plan.values["customer_id"] = customers[ref]
            else:
                plan.errors.setdefault("customer", []).append(_("Unknown customer “%(ref)s”.") % {"ref": ref})
        elif "customer" not in plan.errors:
            plan.values["customer_id"] = None
        if kind == EVENTS and "touchpoint" in plan.values:
            touchpoint = plan.values.pop("touchpoint")
            if touchpoint in touchpoints:
                plan.values["touchpoint_id"] = touchpoint
            else:
                plan.errors.setdefault("touchpoint", []).append(_("Unknown touchpoint %(id)s.") % {"id": touchpoint})

    model = MODELS[kind]
    stored = {}
    for chunk in _chunks(list(positions)):
        columns = ["external_id", "customer_id", "occurred_at"]
        columns += ["touchpoint_id", "kind"] if kind == EVENTS else ["amount"]
        for row in model.objects.filter(external_id__in=chunk).values(*columns):
            stored[row["external_id"]] = _comparable(kind, row)
    for plan in plans:
        if plan.errors or plan.external_id not in stored:
            continue
        if stored[plan.external_id] == _comparable(kind, plan.values):
            plan.unchanged = True
        else:
            plan.errors.setdefault("external_id", []).append(
                _("Already stored with different values; stored rows are not changed.")
            )
    return plans


@transaction.atomic
def rows_ingest(*, kind: str, rows, partial: bool = False) -> IngestResult:
    """Store new events or transactions by external id, all or nothing unless ``partial``.

    With errors and not ``partial`` nothing is stored and an ApplicationError carries
    ``{"created": 0, "unchanged": 0, "errors": [...]}``; with ``partial`` the valid rows are stored and the
    errors returned. Rows already stored with the same values count as unchanged.
    """
    if not isinstance(rows, list):
        raise ValidationError(f"Send a JSON list of {kind}.")
    if len(rows) > MAX_ROWS:
        raise ValidationError(f"At most {MAX_ROWS:,} {kind} at a time; this has {len(rows):,}.")
    plans = rows_validate(kind, rows)
    errors = [plan.error_report() for plan in plans if plan.errors]
    if errors and not partial:
        raise ApplicationError(
            f"{len(errors)} of {len(rows)} {kind} have errors; nothing was stored.",
            extra={"created": 0, "unchanged": 0, "errors": errors},
        )
    model = MODELS[kind]
    new = [model(**plan.values) for plan in plans if not plan.errors and not plan.unchanged]
    try:
        with transaction.atomic():
            model.objects.bulk_create(new, batch_size=BATCH_SIZE)
    except IntegrityError as exc:
        raise ApplicationError(
            f"Some of these {kind} were stored at the same moment by another request; try again."
        ) from exc
    unchanged = sum(1 for plan in plans if plan.unchanged and not plan.errors)
    return IngestResult(created=len(new), unchanged=unchanged, errors=errors)


def events_ingest(*, rows, partial: bool = False) -> IngestResult:
    return rows_ingest(kind=EVENTS, rows=rows, partial=partial)


def transactions_ingest(*, rows, partial: bool = False) -> IngestResult:
    return rows_ingest(kind=TRANSACTIONS, rows=rows, partial=partial)
