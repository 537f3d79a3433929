"""How periods are named on pages and charts: a bucket by its period ("Nov 2026", "Week 48 2026", "Q4 2026"),
a range by its length and dates ("Last 90 days: 1 Sep – 30 Nov 2026").

Bucket starts are dates in the site time zone (snapshots are bucketed by local days), so a label is
derived from the date itself and never from a UTC instant.
"""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from metrics.kpis import period_end, period_start
from metrics.models import Bucket


def period_label(start: date, bucket: str) -> str:
    """The name of the bucket that starts on ``start``: a day, an ISO week, a month or a quarter."""
    if bucket == Bucket.WEEK:
        year, week, _weekday = start.isocalendar()
        return _("Week %(week)s %(year)s") % {"week": week, "year": year}
    if bucket == Bucket.MONTH:
        return formats.date_format(start, pgettext("month and year of a monthly bucket", "M Y"))
    if bucket == Bucket.QUARTER:
        return _("Q%(quarter)s %(year)s") % {"quarter": (start.month - 1) // 3 + 1, "year": start.year}
    return formats.date_format(start, pgettext("a day with its year", "j M Y"))


def range_label(date_from: date, date_to: date, *, today: date) -> str:
    """A period as people say it: "Last 90 days: 1 Sep – 30 Nov 2026" (or just the dates when it is not)."""
    day_year = pgettext("a day with its year", "j M Y")
    end = formats.date_format(date_to, day_year)
    same_year = date_from.year == date_to.year
    start = formats.date_format(date_from, pgettext("a day without its year", "j M") if same_year else day_year)
    dates = end if date_from == date_to else f"{start} – {end}"
    if date_to == today:
        days = (date_to - date_from).days + 1
        return ngettext("Last %(days)s day: %(dates)s", "Last %(days)s days: %(dates)s", days) % {
            "days": days,
            "dates": dates,
        }
    return dates


# ---------------------------------------------------------------- partial periods
# A period that has not ended — today lies in it or before its end — is *partial*: its value is "to date"
# and, for the period KPIs (churn, retention, CLV), not final. "Today" is the site's local date
# (TIME_ZONE, Europe/Berlin by default), so months, quarters and weeks turn at local midnight, DST or not.


def site_today() -> date:
    """Today in the site's time zone (not the person's: snapshots are bucketed by the site's local days)."""
    return timezone.localdate(timezone=ZoneInfo(settings.TIME_ZONE))


def is_partial(start: date, bucket: str, *, today: date) -> bool:
    """Whether the bucket that starts on ``start`` has not ended by the end of ``today``."""
    return period_end(start, bucket) > today


def range_is_partial(date_to: date, *, today: date) -> bool:
    """Whether an inclusive range ending on ``date_to`` has not ended (it holds today or later days)."""
    return date_to >= today


def running_period(bucket: str, *, today: date) -> tuple[date, date]:
    """The bucket that holds ``today``: its first day and today (inclusive)."""
    return period_start(today, bucket), today


def last_complete_period(bucket: str, *, today: date) -> tuple[date, date]:
    """The last bucket that has ended before ``today``: its first and its last day (inclusive)."""
    start = period_start(today, bucket)
    last_day = start - timedelta(days=1)
    return period_start(last_day, bucket), last_day


def partial_label(start: date, bucket: str, *, today: date) -> str:
    """A running period as people say it: "Dec 2026 to date, 4 of 31 days"."""
    total = (period_end(start, bucket) - start).days
    days = min(max((today - start).days + 1, 0), total)
    return ngettext(
        "%(period)s to date, %(days)s of %(total)s day",
        "%(period)s to date, %(days)s of %(total)s days",
        total,
    ) % {"period": period_label(start, bucket), "days": days, "total": total}


def partial_range_label(date_from: date, date_to: date, *, today: date) -> str:
    """A range that holds today: "to date, 4 of 31 days", or "to date, today not over yet" for a range that
    ends today (empty when the range has ended)."""
    if not range_is_partial(date_to, today=today):
        return ""
    if date_to == today:
        return _("to date, today not over yet")
    total = (date_to - date_from).days + 1
    days = min(max((today - date_from).days + 1, 0), total)
    return ngettext("to date, %(days)s of %(total)s day", "to date, %(days)s of %(total)s days", total) % {
        "days": days,
        "total": total,
    }
