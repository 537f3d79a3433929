"""When a report is due, in Europe/Berlin wall-clock time, across month ends and the summer-time changes."""

import datetime
from zoneinfo import ZoneInfo

from reports.schedule import latest_occurrence, period_for

BERLIN = ZoneInfo("Europe/Berlin")
SEVEN = datetime.time(7, 0)


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BERLIN)


def due(rhythm, now, *, weekday=0, day=1, time=SEVEN):
    return latest_occurrence(rhythm=rhythm, weekday=weekday, day_of_month=day, send_time=time, now=now)


def test_monthly_on_the_31st_sends_on_the_last_day_of_shorter_months():
    assert due("monthly", at(2027, 2, 28, 7, 0), day=31) == at(2027, 2, 28, 7, 0)
    assert due("monthly", at(2027, 2, 28, 6, 59), day=31) == at(2027, 1, 31, 7, 0)
    assert due("monthly", at(2028, 2, 29, 8, 0), day=31) == at(2028, 2, 29, 7, 0)  # leap year
    assert due("monthly", at(2027, 4, 30, 12, 0), day=31) == at(2027, 4, 30, 7, 0)


def test_seven_o_clock_stays_seven_o_clock_across_summer_time():
    # Summer time starts on Sunday 2027-03-28: Monday 07:00 is 06:00 UTC before, 05:00 UTC after.
    before = due("weekly", at(2027, 3, 22, 9, 0))
    after = due("weekly", at(2027, 3, 29, 9, 0))
    assert before.astimezone(datetime.UTC).hour == 6
    assert after.astimezone(datetime.UTC).hour == 5
    assert after.astimezone(BERLIN).hour == 7
    # Winter time from Sunday 2027-10-31: one minute before 07:00 on Monday it is still last week's run.
    now = datetime.datetime(2027, 11, 1, 5, 59, tzinfo=datetime.UTC)  # 06:59 in Berlin
    assert due("weekly", now) == at(2027, 10, 25, 7, 0)
    assert due("weekly", now + datetime.timedelta(minutes=1)) == at(2027, 11, 1, 7, 0)


def test_a_time_skipped_by_the_spring_change_still_sends_that_night():
    moment = due("monthly", at(2027, 3, 28, 4, 0), day=28, time=datetime.time(2, 30))
    assert moment.astimezone(BERLIN).date() == datetime.date(2027, 3, 28)


def test_quarterly_is_due_in_the_quarters_first_month_and_covers_the_quarter_before():
    assert due("quarterly", at(2027, 6, 15, 12, 0), day=2) == at(2027, 4, 2, 7, 0)
    assert due("quarterly", at(2027, 1, 1, 12, 0), day=2) == at(2026, 10, 2, 7, 0)
    assert period_for(rhythm="quarterly", sent_on=datetime.date(2027, 1, 2)) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )


def test_periods_are_the_finished_week_and_month_before():
    assert period_for(rhythm="monthly", sent_on=datetime.date(2027, 3, 1)) == (
        datetime.date(2027, 2, 1),
        datetime.date(2027, 2, 28),
    )
    assert period_for(rhythm="monthly", sent_on=datetime.date(2027, 1, 31)) == (
        datetime.date(2026, 12, 1),
        datetime.date(2026, 12, 31),
    )
    # A weekly report sent on a Wednesday covers last Monday–Sunday, not the days of this week.
    assert period_for(rhythm="weekly", sent_on=datetime.date(2027, 3, 3)) == (
        datetime.date(2027, 2, 22),
        datetime.date(2027, 2, 28),
    )
