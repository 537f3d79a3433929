"""When a report is due (in Europe/Berlin, the site's time zone) and which finished period it covers.

A weekly report is due on its weekday at its time and covers the week (Monday–Sunday) before the one it
is sent in; a monthly one on its day of the month (the month's last day when the month is shorter) and
covers the month before; a quarterly one on that day of a quarter's first month and covers the quarter
before. Times are wall-clock times: 07:00 stays 07:00 across the change to and from summer time.
"""

import calendar
import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

WEEKLY, MONTHLY, QUARTERLY = "weekly", "monthly", "quarterly"


def site_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _at(day: datetime.date, send_time: datetime.time) -> datetime.datetime:
    # A wall time skipped by the spring change (02:30) is read with the winter offset, i.e. 03:30 summer time.
    return datetime.datetime.combine(day, send_time, tzinfo=site_zone())


def _month_day(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _month_back(year: int, month: int, steps: int = 1) -> tuple[int, int]:
    index = year * 12 + (month - 1) - steps
    return index // 12, index % 12 + 1


def latest_occurrence(
    *, rhythm: str, weekday: int, day_of_month: int, send_time: datetime.time, now: datetime.datetime
) -> datetime.datetime:
    """The latest moment ≤ now at which the report is due (aware, in the site's zone)."""
    local = now.astimezone(site_zone())
    today = local.date()
    if rhythm == WEEKLY:
        day = today - datetime.timedelta(days=(today.weekday() - weekday) % 7)
        moment = _at(day, send_time)
        return moment if moment <= now else _at(day - datetime.timedelta(days=7), send_time)
    step = 3 if rhythm == QUARTERLY else 1
    year, month = today.year, today.month
    if rhythm == QUARTERLY:
        month = (month - 1) // 3 * 3 + 1
    moment = _at(_month_day(year, month, day_of_month), send_time)
    if moment > now:
        year, month = _month_back(year, month, step)
        moment = _at(_month_day(year, month, day_of_month), send_time)
    return moment


def period_for(*, rhythm: str, sent_on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The finished period a report sent on ``sent_on`` covers: [first day, last day]."""
    if rhythm == WEEKLY:
        monday = sent_on - datetime.timedelta(days=sent_on.weekday())
        return monday - datetime.timedelta(days=7), monday - datetime.timedelta(days=1)
    if rhythm == QUARTERLY:
        first = datetime.date(sent_on.year, (sent_on.month - 1) // 3 * 3 + 1, 1)
        year, month = _month_back(first.year, first.month, 3)
    else:
        first = datetime.date(sent_on.year, sent_on.month, 1)
        year, month = _month_back(first.year, first.month, 1)
    return datetime.date(year, month, 1), first - datetime.timedelta(days=1)


def bucket_of(rhythm: str) -> str:
    return {WEEKLY: "week", MONTHLY: "month", QUARTERLY: "quarter"}[rhythm]


def report_latest_due(report, *, now: datetime.datetime) -> tuple[datetime.datetime, datetime.date, datetime.date]:
    """The report's latest due moment ≤ now and the period it covers."""
    moment = latest_occurrence(
        rhythm=report.rhythm,
        weekday=report.weekday,
        day_of_month=report.day_of_month,
        send_time=report.send_time,
        now=now,
    )
    start, end = period_for(rhythm=report.rhythm, sent_on=moment.astimezone(site_zone()).date())
    return moment, start, end


def report_next_due(report, *, now: datetime.datetime) -> datetime.datetime:
    """The first due moment after now (for the pages)."""
    probe = now
    latest = report_latest_due(report, now=now)[0]
    # Step forward until the latest occurrence changes; a quarter is at most ~92 days.
    for _ in range(100):
        probe = probe + datetime.timedelta(days=1)
        candidate = report_latest_due(report, now=probe)[0]
        if candidate != latest:
            return candidate
    return latest
