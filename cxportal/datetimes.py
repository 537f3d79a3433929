"""The portal's one rule for the date-times it takes (plain Django, used by serializers and services alike)."""

from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

DATE_TIME_MIN_YEAR = 1900
DATE_TIME_TOO_EARLY = "Give a date-time from the year 1900 on."
DATE_TIME_TOO_LATE = "Give a date-time before the year 10000."


def date_time_validate(when: datetime) -> datetime:
    """``when`` as an aware date-time in the site time zone, or a ValidationError if the portal refuses it.

    Naive values are in the site time zone. Refused: years before 1900 — the time-zone database gives
    them local mean time offsets (Berlin: +00:53:28), which are no valid ISO 8601/RFC 3339 offsets, and no
    customer experience happened then — and times past the end of year 9999 in UTC or in the site time
    zone, which cannot be stored or shown. The one rule for every date-time the API takes: model
    serializers (``DateTimeField``) and the bulk ingestion of customers, events, transactions, responses.
    """
    site = timezone.get_default_timezone()
    try:
        aware = timezone.make_aware(when, site) if timezone.is_naive(when) else when
        local = aware.astimezone(site)
        aware.astimezone(UTC)
    except OverflowError:
        message = DATE_TIME_TOO_EARLY if when.year < DATE_TIME_MIN_YEAR else DATE_TIME_TOO_LATE
        raise ValidationError(message, code="range") from None
    if local.year < DATE_TIME_MIN_YEAR:
        raise ValidationError(DATE_TIME_TOO_EARLY, code="range")
    return local
