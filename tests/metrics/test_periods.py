"""Partial periods: which period is running, at Europe/Berlin midnights (DST included), and how pages name it."""

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from metrics.models import Bucket
from metrics.periods import (
    is_partial,
    last_complete_period,
    partial_label,
    partial_range_label,
    running_period,
    site_today,
)

UTC = ZoneInfo("UTC")


def _today_at(utc: datetime) -> date:
    with mock.patch("django.utils.timezone.now", return_value=utc):
        return site_today()


class TestBerlinBoundaries:
    def test_quarter_turns_at_berlin_midnight_in_summer_time(self):
        # 31 March 22:30 UTC is 1 April 00:30 CEST (summer time began on 29 March 2026): Q2 has begun.
        today = _today_at(datetime(2026, 3, 31, 22, 30, tzinfo=UTC))

        assert today == date(2026, 4, 1)
        assert running_period(Bucket.QUARTER, today=today) == (date(2026, 4, 1), date(2026, 4, 1))
        assert last_complete_period(Bucket.QUARTER, today=today) == (date(2026, 1, 1), date(2026, 3, 31))
        assert not is_partial(date(2026, 1, 1), Bucket.QUARTER, today=today)
        assert is_partial(date(2026, 4, 1), Bucket.QUARTER, today=today)

    def test_half_an_hour_earlier_march_is_still_running(self):
        today = _today_at(datetime(2026, 3, 31, 21, 30, tzinfo=UTC))  # 23:30 CEST

        assert today == date(2026, 3, 31)
        assert is_partial(date(2026, 3, 1), Bucket.MONTH, today=today)
        assert is_partial(date(2026, 1, 1), Bucket.QUARTER, today=today)
        assert last_complete_period(Bucket.MONTH, today=today) == (date(2026, 2, 1), date(2026, 2, 28))

    def test_month_turns_at_berlin_midnight_after_summer_time_ended(self):
        # 31 October 23:30 UTC is 1 November 00:30 CET (winter time since 25 October 2026).
        today = _today_at(datetime(2026, 10, 31, 23, 30, tzinfo=UTC))

        assert today == date(2026, 11, 1)
        assert last_complete_period(Bucket.MONTH, today=today) == (date(2026, 10, 1), date(2026, 10, 31))
        assert is_partial(date(2026, 11, 1), Bucket.MONTH, today=today)
        # The quarter Q4 is still running.
        assert is_partial(date(2026, 10, 1), Bucket.QUARTER, today=today)

    def test_week_turns_on_the_monday_of_the_dst_change(self):
        # Sunday 25 October 2026 23:30 UTC is Monday 26 October 00:30 CET.
        today = _today_at(datetime(2026, 10, 25, 23, 30, tzinfo=UTC))

        assert running_period(Bucket.WEEK, today=today) == (date(2026, 10, 26), date(2026, 10, 26))
        assert last_complete_period(Bucket.WEEK, today=today) == (date(2026, 10, 19), date(2026, 10, 25))

    def test_year_end_turns_the_quarter(self):
        today = _today_at(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))  # 1 January 2027 00:30 CET

        assert last_complete_period(Bucket.QUARTER, today=today) == (date(2026, 10, 1), date(2026, 12, 31))
        assert running_period(Bucket.MONTH, today=today) == (date(2027, 1, 1), date(2027, 1, 1))


class TestPartialLabels:
    @pytest.mark.parametrize(
        ("language", "expected"),
        [("en", "Dec 2026 to date, 4 of 31 days"), ("de", "Dez 2026 bis heute, 4 von 31 Tagen")],
    )
    def test_running_month(self, language, expected):
        with translation.override(language):
            assert partial_label(date(2026, 12, 1), Bucket.MONTH, today=date(2026, 12, 4)) == expected

    def test_running_quarter_and_week(self):
        with translation.override("en"):
            assert partial_label(date(2026, 10, 1), Bucket.QUARTER, today=date(2026, 12, 4)) == (
                "Q4 2026 to date, 65 of 92 days"
            )
            assert partial_label(date(2026, 11, 30), Bucket.WEEK, today=date(2026, 12, 4)) == (
                "Week 49 2026 to date, 5 of 7 days"
            )

    def test_a_range_is_named_to_date_only_while_it_runs(self):
        with translation.override("de"):
            assert partial_range_label(date(2026, 12, 1), date(2026, 12, 31), today=date(2026, 12, 4)) == (
                "bis heute, 4 von 31 Tagen"
            )
            assert partial_range_label(date(2026, 11, 1), date(2026, 11, 30), today=date(2026, 12, 4)) == ""
            assert partial_range_label(date(2026, 9, 6), date(2026, 12, 4), today=date(2026, 12, 4)) == (
                "bis heute, der heutige Tag läuft noch"
            )
