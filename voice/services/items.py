"""Feedback items in: survey comments (idempotent copy of text answers) and the bulk upsert by external id
behind ``POST /api/v1/feedback/bulk/`` and the CSV import.

One validation, ``feedback_rows_validate``, checks every row whichever way it arrives.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cxportal.errors import ApplicationError
from journeys.models import Channel, Customer, Language, Touchpoint
from journeys.services.customers import _when
from surveys.models import Answer, Question
from voice.models import FeedbackItem, Source

MAX_ROWS = 10_000
MAX_TEXT = 20_000
LOOKUP_CHUNK = 900
BATCH_SIZE = 500
ROW_FIELDS = ("external_id", "text", "language", "channel", "touchpoint", "customer", "occurred_at", "source")


# --- survey comments ------------------------------------------------------------------------------------------


def survey_comments_ingest(*, response_ids: Iterable[int] | None = None) -> int:
    """Copy survey text answers into feedback items; answers that have an item already are skipped, so this
    can run any number of times. Returns the number of new items (they wait for analysis)."""
    answers = (
        Answer.objects.filter(question__kind__in=Question.TEXT, feedback_item__isnull=True)
        .exclude(text="")
        .select_related("response")
        .order_by("pk")
    )
    if response_ids is not None:
        answers = answers.filter(response_id__in=list(response_ids))
    created = 0
    batch: list[FeedbackItem] = []
    for answer in answers.iterator(chunk_size=BATCH_SIZE):
        response = answer.response
        batch.append(
            FeedbackItem(
                text=answer.text.strip()[:MAX_TEXT],
                language=response.language or "",
                language_given=False,  # the survey's language is a hint; detection confirms it
                source=Source.SURVEY,
                touchpoint_id=response.touchpoint_id,
                customer_id=response.customer_id,
                answer=answer,
                response=response,
                score=_score_of(response),
                occurred_at=response.submitted_at,
            )
        )
        if len(batch) >= BATCH_SIZE:
            created += _create_survey_items(batch)
            batch = []
    if batch:
        created += _create_survey_items(batch)
    return created


def _score_of(response) -> int | None:
    """The NPS (or first rating) given beside the comment: a weak signal for the analysis, shown beside it."""
    values = [
        (a.question.kind != Question.Kind.NPS, a.value)
        for a in response.answers.select_related("question").filter(value__isnull=False)
    ]
    return min(values)[1] if values else None


def _create_survey_items(batch: list[FeedbackItem]) -> int:
    # ignore_conflicts: a second ingestion racing this one (same answers) skips the rows it stored first.
    FeedbackItem.objects.bulk_create(batch, ignore_conflicts=True)
    return len(batch)


# --- rows from other channels ---------------------------------------------------------------------------------


@dataclass
class RowPlan:
    index: int
    external_id: str | None
    values: dict = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    item: FeedbackItem | None = None

    @property
    def action(self) -> str:
        if self.errors:
            return "invalid"
        return "update" if self.item else "new"

    def error_report(self) -> dict:
        return {"index": self.index, "external_id": self.external_id, "errors": self.errors}


@dataclass
class UpsertResult:
    created: int
    updated: int
    errors: list[dict]
    ids: list[int] = field(default_factory=list)


def _choice(value, choices) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or value.strip().lower() not in {c for c, _label in choices}:
        raise ValidationError(
            _("“%(value)s” is not allowed here; use one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(c for c, _label in choices)}
        )
    return value.strip().lower()


def _row_clean(index: int, raw, *, touchpoints: set[int], customers: dict[str, int], now) -> RowPlan:
    if not isinstance(raw, dict):
        return RowPlan(index, None, errors={"non_field_errors": [_("Each row must be a JSON object.")]})
    external_id = raw.get("external_id")
    plan = RowPlan(index, external_id if isinstance(external_id, str) else None)

    def check(name, clean):
        try:
            value = clean(raw.get(name))
        except ValidationError as exc:
            plan.errors[name] = list(exc.messages)
        else:
            plan.values[name] = value

    def ext_id(value):
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(_("This field is required."))
        if len(value.strip()) > 100:
            raise ValidationError(
                _("At most %(max)d characters (it has %(length)d).") % {"max": 100, "length": len(value)}
            )
        return value.strip()

    def text(value):
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(_("This field is required."))
        if len(value.strip()) > MAX_TEXT:
            raise ValidationError(
                _("At most %(max)d characters (it has %(length)d).") % {"max": MAX_TEXT, "length": len(value.strip())}
            )
        return value.strip()

    def touchpoint(value):
        if value in (None, ""):
            return None
        if isinstance(value, bool) or not str(value).isdigit() or int(value) not in touchpoints:
            raise ValidationError(_("Unknown touchpoint “%(touchpoint)s”.") % {"touchpoint": value})
        return int(value)

    def customer(value):
        if value in (None, ""):
            return None
        if not isinstance(value, str | int) or isinstance(value, bool) or str(value) not in customers:
            raise ValidationError(_("Unknown customer “%(customer)s”.") % {"customer": value})
        return customers[str(value)]

    def occurred(value):
        if value in (None, ""):
            return now
        return _when(value, now)

    check("external_id", ext_id)
    plan.external_id = plan.values.get("external_id", plan.external_id)
    check("text", text)
    check("language", lambda v: _choice(v, Language.choices))
    check("channel", lambda v: _choice(v, Channel.choices))
    check("source", lambda v: _choice(v, [c for c in Source.choices if c[0] != Source.SURVEY]) or "other")
    check("touchpoint", touchpoint)
    check("customer", customer)
    check("occurred_at", occurred)
    unknown = sorted(set(raw) - set(ROW_FIELDS))
    if unknown:
        plan.errors["non_field_errors"] = [_("Unknown fields: %(fields)s.") % {"fields": ", ".join(map(str, unknown))}]
    return plan


def feedback_rows_validate(rows: Sequence) -> list[RowPlan]:
    """Validate every row and find the items that exist already (by external id); a few queries in all."""
    now = timezone.now()
    rows = list(rows)
    touchpoint_ids = {
        int(r["touchpoint"]) for r in rows if isinstance(r, dict) and str(r.get("touchpoint") or "").isdigit()
    }
    touchpoints = set(Touchpoint.objects.filter(pk__in=touchpoint_ids).values_list("pk", flat=True))
    customer_ids = sorted({str(r["customer"]) for r in rows if isinstance(r, dict) and r.get("customer")})
    customers: dict[str, int] = {}
    for start in range(0, len(customer_ids), LOOKUP_CHUNK):
        chunk = customer_ids[start : start + LOOKUP_CHUNK]
        customers.update(Customer.objects.filter(external_id__in=chunk).values_list("external_id", "pk"))
    plans = [_row_clean(i, raw, touchpoints=touchpoints, customers=customers, now=now) for i, raw in enumerate(rows)]
    seen: dict[str, int] = {}
    for plan in plans:
        if plan.errors or not plan.external_id:
            continue
        if plan.external_id in seen:
            plan.errors["external_id"] = [
                _("The external id appears twice (rows %(first)d and %(second)d).")
                % {"first": seen[plan.external_id], "second": plan.index}
            ]
        seen.setdefault(plan.external_id, plan.index)
    ids = sorted(seen)
    existing: dict[str, FeedbackItem] = {}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        for item in FeedbackItem.objects.filter(external_id__in=ids[start : start + LOOKUP_CHUNK]):
            existing[item.external_id] = item
    for plan in plans:
        if not plan.errors and plan.external_id in existing:
            item = existing[plan.external_id]
            if item.source == Source.SURVEY:
                plan.errors["external_id"] = [_("This external id belongs to a survey comment.")]
            else:
                plan.item = item
    return plans


def _apply(plan: RowPlan, item: FeedbackItem) -> None:
    values = plan.values
    if (
        item.pk is None
        or item.text != values["text"]
        or item.language_given != bool(values["language"])
        or (values["language"] and values["language"] != item.language)
    ):
        item.analysed_at = None  # text or language changed: analyse again
    item.external_id = values["external_id"]
    item.text = values["text"]
    item.language = values["language"]
    item.language_given = bool(values["language"])
    item.channel = values["channel"]
    item.source = values["source"]
    item.touchpoint_id = values["touchpoint"]
    item.customer_id = values["customer"]
    item.occurred_at = values["occurred_at"]


_UPDATE_FIELDS = [
    "external_id",
    "text",
    "language",
    "language_given",
    "channel",
    "source",
    "touchpoint",
    "customer",
    "occurred_at",
    "analysed_at",
    "updated_at",
]


def feedback_upsert(*, rows, partial: bool = False) -> UpsertResult:
    """Create or update feedback items by external id (≤ 10,000). With errors and not ``partial`` nothing is
    stored and an ApplicationError carries every row's errors. New and changed items wait for analysis."""
    if not isinstance(rows, list):
        raise ValidationError(_("Send a JSON list of feedback items."))
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            _("At most %(max)s items per request (this one has %(count)s).")
            % {"max": f"{MAX_ROWS:,}", "count": f"{len(rows):,}"}
        )
    plans = feedback_rows_validate(rows)
    errors = [p.error_report() for p in plans if p.errors]
    if errors and not partial:
        raise ApplicationError(
            _("%(count)d of %(total)d items have errors; nothing was stored.")
            % {"count": len(errors), "total": len(rows)},
            extra={"errors": errors},
        )
    new, changed = [], []
    now = timezone.now()
    for plan in plans:
        if plan.errors:
            continue
        item = plan.item or FeedbackItem()
        _apply(plan, item)
        item.updated_at = now
        (changed if plan.item else new).append(item)
    try:
        with transaction.atomic():
            FeedbackItem.objects.bulk_create(new, batch_size=BATCH_SIZE)
            FeedbackItem.objects.bulk_update(changed, _UPDATE_FIELDS, batch_size=BATCH_SIZE)
    except IntegrityError as exc:
        raise ApplicationError(_("Someone else added some of these items at the same moment; try again.")) from exc
    ids = [i.pk for i in new if i.pk] + [i.pk for i in changed]
    if new and not all(i.pk for i in new):  # backends without RETURNING on bulk_create
        ids = list(
            FeedbackItem.objects.filter(external_id__in=[i.external_id for i in new + changed]).values_list(
                "pk", flat=True
            )
        )
    return UpsertResult(created=len(new), updated=len(changed), errors=errors, ids=ids)
