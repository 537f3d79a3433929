"""When the runs of a recurring campaign fall: every N weeks or months, in the site's time zone.

Every run is counted from the first one (the anchor), never from the previous run, so a series that starts on
the 31st runs on the 30th of April and again on the 31st of May, not on the 30th ever after. A run keeps the
anchor's wall-clock time across daylight-saving changes (09:00 in Berlin stays 09:00); a time that does not
exist on the day the clocks go forward moves forward with them (02:30 → 03:30).
"""

import calendar
from datetime import UTC, date, datetime, timedelta, tzinfo

from django.utils import timezone

WEEK, MONTH = "week", "month"
# Days between two runs at the least: a month can be as short as February.
SHORTEST_GAP_DAYS = {WEEK: 7, MONTH: 28}


def _add_months(day: date, months: int, *, day_of_month: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day_of_month, calendar.monthrange(year, month)[1]))


def run_at(*, anchor: datetime, every: int, unit: str, index: int, tz: tzinfo | None = None) -> datetime:
    """The moment of run ``index`` (0 = the anchor itself), as an aware datetime."""
    if every < 1 or index < 0:
        raise ValueError("every must be ≥ 1 and index ≥ 0")
    tz = tz or timezone.get_default_timezone()
    local = timezone.localtime(anchor, tz)
    if unit == WEEK:
        day = local.date() + timedelta(weeks=every * index)
    elif unit == MONTH:
        day = _add_months(local.date(), every * index, day_of_month=local.day)
    else:
        raise ValueError(f"unknown unit {unit!r}")
    wall = datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=tz)
    # Through UTC and back: a wall time in the spring-forward gap becomes the real moment after it.
    return wall.astimezone(UTC).astimezone(tz)


def first_index_at_or_after(*, anchor: datetime, every: int, unit: str, moment: datetime, start: int = 0) -> int:
    """The index of the first run at or after ``moment`` (runs before ``start`` are not considered)."""
    index = start
    while run_at(anchor=anchor, every=every, unit=unit, index=index) < moment:
        index += 1
    return index
