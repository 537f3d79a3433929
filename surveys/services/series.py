"""Recurring campaigns: a series creates one campaign per run, once, when the run is due.

The database says what is due, as for every campaign: ``series_runs_create_due`` (called by every dispatch run
of ``campaigns_dispatch_due``) locks each due series row, creates its run as an ordinary scheduled campaign and
moves the series on to the next run in the same transaction. Two dispatchers at once cannot both create a run:
the row lock makes the second skip the series, and the unique (series, run date) refuses a duplicate where
the database has no row locks. A broker outage only delays the dispatch; the run is created when beat's next
dispatch gets through, and a run missed entirely (beat down for longer than the interval) is still created —
the quiet period then keeps customers from being asked twice in a row. A paused series creates nothing; on
resume it continues with the first run from now on (runs that fell in the pause are skipped, not sent late).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cxportal.errors import ApplicationError
from surveys.models import Campaign, CampaignSeries
from surveys.recurrence import SHORTEST_GAP_DAYS, first_index_at_or_after, run_at

logger = logging.getLogger(__name__)

MAX_EVERY = {CampaignSeries.Unit.WEEK: 52, CampaignSeries.Unit.MONTH: 24}
# A dispatch that finds a series far behind (beat was down for months) catches up at most this many runs.
MAX_CATCH_UP = 12


def series_validate(*, every: int | None, unit: str) -> None:
    """The rhythm's rules: a known unit, a sensible interval, and no shorter than the quiet period."""
    if unit not in CampaignSeries.Unit.values:
        raise ValidationError({"repeat_unit": _("Choose weeks or months.")})
    if not every or every < 1 or every > MAX_EVERY[unit]:
        raise ValidationError(
            {
                "repeat_every": _("Repeat every 1 to %(most)d %(unit)s.")
                % {"most": MAX_EVERY[unit], "unit": CampaignSeries.Unit(unit).label}
            }
        )
    quiet = settings.CX_QUIET_PERIOD_DAYS
    if every * SHORTEST_GAP_DAYS[unit] < quiet:
        raise ValidationError(
            {
                "repeat_every": _(
                    "Runs this close together would reach almost nobody: customers invited within the last "
                    "%(days)d days are not asked again (quiet period)."
                )
                % {"days": quiet}
            }
        )


def series_start(
    *,
    survey,
    name: str,
    persona,
    send_at: datetime,
    every: int,
    unit: str,
    reminder_after_days: int | None,
    max_reminders: int,
    by=None,
) -> Campaign:
    """Create a series and its first run (due at ``send_at``); returns the run. Called by ``campaign_schedule``."""
    series_validate(every=every, unit=unit)
    series = CampaignSeries.objects.create(
        survey=survey,
        name=name,
        persona=persona,
        reminder_after_days=reminder_after_days,
        max_reminders=max_reminders,
        every=every,
        unit=unit,
        starts_at=send_at,
        next_run_index=1,
        next_run_at=run_at(anchor=send_at, every=every, unit=unit, index=1),
        created_by=by,
    )
    return _run_create(series=series, index=0, at=send_at)


def series_run_name(series: CampaignSeries, at: datetime) -> str:
    return f"{series.name} · {timezone.localtime(at):%Y-%m-%d}"[:200]


def _run_create(*, series: CampaignSeries, index: int, at: datetime) -> Campaign | None:
    """The run's campaign; None when it exists already (the unique (series, run date) refused it)."""
    try:
        with transaction.atomic():
            return Campaign.objects.create(
                survey=series.survey,
                name=series_run_name(series, at),
                persona=series.persona,
                send_at=at,
                reminder_after_days=series.reminder_after_days,
                max_reminders=series.max_reminders,
                created_by=series.created_by,
                series=series,
                run_date=timezone.localtime(at).date(),
            )
    except IntegrityError:
        logger.info("Run %s of series %s exists already; not created again", index, series.pk)
        return None


def series_runs_create_due(*, now: datetime | None = None) -> int:
    """Create the campaign of every due run of every active series, once; returns how many it created."""
    now = now or timezone.now()
    created = 0
    with transaction.atomic():
        due = (
            CampaignSeries.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("survey", "persona", "created_by")
            .filter(paused_at__isnull=True, next_run_at__lte=now)
        )
        for series in due:
            index, at = series.next_run_index, series.next_run_at
            for _catch_up in range(MAX_CATCH_UP):
                if at > now:
                    break
                if _run_create(series=series, index=index, at=at) is not None:
                    created += 1
                index += 1
                at = run_at(anchor=series.starts_at, every=series.every, unit=series.unit, index=index)
            # Conditional: a dispatcher that read the row before another moved it on changes nothing.
            CampaignSeries.objects.filter(pk=series.pk, next_run_index=series.next_run_index).update(
                next_run_index=index, next_run_at=at
            )
    return created


@transaction.atomic
def series_pause(*, series: CampaignSeries) -> CampaignSeries:
    series = CampaignSeries.objects.select_for_update().get(pk=series.pk)
    if series.paused_at is not None:
        raise ApplicationError(str(_("The series is paused already.")))
    series.paused_at = timezone.now()
    series.save(update_fields=["paused_at"])
    return series


@transaction.atomic
def series_resume(*, series: CampaignSeries, now: datetime | None = None) -> CampaignSeries:
    """Resume a paused series with its first run from now on; runs that fell in the pause are skipped."""
    now = now or timezone.now()
    series = CampaignSeries.objects.select_for_update().get(pk=series.pk)
    if series.paused_at is None:
        raise ApplicationError(str(_("The series is not paused.")))
    # A run due within the next minute still counts as "from now on": the next dispatch sends it.
    index = first_index_at_or_after(
        anchor=series.starts_at,
        every=series.every,
        unit=series.unit,
        moment=now - timedelta(minutes=1),
        start=series.next_run_index,
    )
    series.paused_at = None
    series.next_run_index = index
    series.next_run_at = run_at(anchor=series.starts_at, every=series.every, unit=series.unit, index=index)
    series.save(update_fields=["paused_at", "next_run_index", "next_run_at"])
    return series
