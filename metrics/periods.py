"""How periods are named on pages and charts: a bucket by its period ("Nov 2026", "Week 48 2026", "Q4 2026"),
a range by its length and dates ("Last 90 days: 1 Sep – 30 Nov 2026").

Bucket starts are dates in the site time zone (snapshots are bucketed by local days), so a label is
derived from the date itself and never from a UTC instant.
"""

from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

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
