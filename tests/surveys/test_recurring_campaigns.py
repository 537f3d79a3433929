"""Recurring campaigns: when their runs fall (Berlin month ends and DST), that each run is created and sent
once however often the dispatcher runs, that a pause stops runs, and the campaign page and API around it."""

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from surveys.models import Campaign, CampaignSeries, Invitation
from surveys.recurrence import run_at
from surveys.services import distribution, series_pause, series_resume, series_runs_create_due
from tests.journeys.factories import CustomerFactory

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def runs(anchor: datetime, every: int, unit: str, count: int) -> list[datetime]:
    return [run_at(anchor=anchor, every=every, unit=unit, index=i, tz=BERLIN) for i in range(count)]


class TestRunDates:
    def test_a_series_started_on_the_31st_runs_on_the_last_day_of_shorter_months_and_returns_to_the_31st(self):
        dates = [d.date().isoformat() for d in runs(berlin(2027, 1, 31, 9, 0), 1, "month", 6)]
        assert dates == ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30"]

    def test_a_leap_year_february_keeps_its_29th(self):
        assert run_at(anchor=berlin(2028, 1, 31, 9, 0), every=1, unit="month", index=1, tz=BERLIN).day == 29

    def test_quarterly_from_the_30th_of_november_crosses_the_year_and_february(self):
        dates = [d.date().isoformat() for d in runs(berlin(2026, 11, 30, 8, 0), 3, "month", 4)]
        assert dates == ["2026-11-30", "2027-02-28", "2027-05-30", "2027-08-30"]

    def test_runs_keep_their_berlin_wall_clock_time_across_both_daylight_saving_changes(self):
        spring = runs(berlin(2026, 3, 23, 9, 0), 1, "week", 2)  # clocks go forward on Sunday 29 March
        assert [d.astimezone(BERLIN).hour for d in spring] == [9, 9]
        assert [d.astimezone(UTC).hour for d in spring] == [8, 7]
        autumn = runs(berlin(2026, 10, 19, 9, 0), 1, "week", 2)  # clocks go back on Sunday 25 October
        assert [d.astimezone(UTC).hour for d in autumn] == [7, 8]
        quarter = runs(berlin(2026, 1, 15, 9, 0), 3, "month", 2)
        assert quarter[1] == datetime(2026, 4, 15, 7, 0, tzinfo=UTC)

    def test_a_time_that_does_not_exist_on_the_spring_forward_day_moves_on_with_the_clocks(self):
        run = run_at(anchor=berlin(2026, 3, 22, 2, 30), every=1, unit="week", index=1, tz=BERLIN)
        assert run == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
        assert run.astimezone(BERLIN).strftime("%H:%M") == "03:30"


def _schedule(survey, *, at: datetime, every: int = 3, unit: str = "month", **kwargs) -> Campaign:
    return distribution.campaign_schedule(
        survey=survey, name="Relationship NPS", send_at=at, repeat_every=every, repeat_unit=unit, **kwargs
    )


@pytest.mark.django_db
class TestRuns:
    def test_each_due_run_is_a_campaign_of_its_own_created_and_sent_once_however_often_dispatch_runs(self, survey):
        customers = CustomerFactory.create_batch(3)
        start = timezone.now() - timedelta(days=1)
        first = _schedule(survey, at=start)
        for _ in range(3):
            distribution.campaigns_dispatch_due()
        series = first.series
        assert Campaign.objects.filter(series=series).count() == 1
        assert len(mail.outbox) == 3

        second_at = run_at(anchor=series.starts_at, every=3, unit="month", index=1)
        for minute in range(4):  # beat every minute, and the run is due from the first of them
            distribution.campaigns_dispatch_due(now=second_at + timedelta(minutes=minute))

        assert Campaign.objects.filter(series=series).count() == 2
        second = Campaign.objects.filter(series=series).latest("send_at")
        assert second.pk != first.pk and second.run_date == timezone.localtime(second_at).date()
        assert second.status in (Campaign.Status.SENDING, Campaign.Status.SENT)
        assert sorted(second.invitations.values_list("customer__email", flat=True)) == sorted(
            c.email for c in customers
        )
        assert len(mail.outbox) == 6, "everyone once per run"
        series.refresh_from_db()
        assert series.next_run_at == run_at(anchor=series.starts_at, every=3, unit="month", index=2)

    def test_a_dispatcher_that_read_the_series_before_another_moved_it_on_creates_no_second_run(self, survey):
        start = timezone.now() - timedelta(days=100)
        first = _schedule(survey, at=start)
        series = first.series
        assert series_runs_create_due() == 1
        # A second dispatcher still holding the old state (no row locks on this database): the unique
        # (series, run date) refuses the run it would create again.
        CampaignSeries.objects.filter(pk=series.pk).update(
            next_run_index=1, next_run_at=run_at(anchor=series.starts_at, every=3, unit="month", index=1)
        )
        assert series_runs_create_due() == 0
        assert Campaign.objects.filter(series=series).count() == 2

    def test_a_paused_series_creates_no_runs_and_resumes_with_the_next_run_from_now(self, survey):
        CustomerFactory()
        start = timezone.now() - timedelta(days=200)
        first = _schedule(survey, at=start)
        series_pause(series=first.series)

        distribution.campaigns_dispatch_due()
        distribution.campaigns_dispatch_due(now=timezone.now() + timedelta(days=120))

        assert Campaign.objects.filter(series=first.series).count() == 1, "only the first run, made when scheduled"
        series = series_resume(series=first.series)
        assert series.next_run_at > timezone.now()
        assert series.next_run_at - timezone.now() <= timedelta(days=93)
        distribution.campaigns_dispatch_due()
        assert Campaign.objects.filter(series=first.series).count() == 1, "runs that fell in the pause are skipped"

    def test_each_run_keeps_the_quiet_period_and_unsubscribes_and_reminds_on_its_own(self, survey, settings):
        settings.CX_QUIET_PERIOD_DAYS = 30
        stays, leaves = CustomerFactory.create_batch(2)
        long_ago = timezone.now() - timedelta(days=40)
        first = _schedule(survey, at=long_ago, every=5, unit="week", reminder_after_days=3, max_reminders=1)
        distribution.campaigns_dispatch_due(now=long_ago)
        first.invitations.update(sent_at=long_ago, last_sent_at=long_ago, created_at=long_ago)
        leaves.unsubscribed_at = timezone.now()
        leaves.save(update_fields=["unsubscribed_at"])

        distribution.campaigns_dispatch_due()

        second = Campaign.objects.filter(series=first.series).latest("send_at")
        assert second.reminder_after_days == 3
        statuses = dict(second.invitations.values_list("customer_id", "status"))
        assert statuses == {stays.pk: Invitation.Status.SENT, leaves.pk: Invitation.Status.SUPPRESSED}

    def test_runs_closer_than_the_quiet_period_are_refused_with_a_clear_error(self, survey, settings):
        settings.CX_QUIET_PERIOD_DAYS = 14
        with pytest.raises(Exception, match="quiet period") as refused:
            _schedule(survey, at=timezone.now(), every=1, unit="week")
        assert "repeat_every" in refused.value.message_dict
        assert not Campaign.objects.exists() and not CampaignSeries.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_dispatchers_running_at_once_create_each_due_run_once(survey):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises the dispatchers, so there is no race to test")
    first = _schedule(survey, at=timezone.now() - timedelta(days=100))
    dispatchers = 6
    barrier = threading.Barrier(dispatchers)
    errors: list[BaseException] = []

    def dispatch() -> None:
        try:
            barrier.wait(timeout=30)
            series_runs_create_due()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatch) for _ in range(dispatchers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Campaign.objects.filter(series=first.series).count() == 2


@pytest.mark.django_db
class TestPagesAndApi:
    def test_the_form_schedules_a_recurring_campaign_and_its_page_shows_the_next_run_and_pauses_it(
        self, manager_client, survey
    ):
        response = manager_client.post(
            reverse("surveys:campaign_create", args=[survey.pk]),
            {"name": "Relationship NPS", "repeat_every": 3, "repeat_unit": "month", "max_reminders": 0},
            follow=True,
        )
        assert "next run is due" in response.content.decode()
        campaign = Campaign.objects.get()
        page = manager_client.get(reverse("surveys:campaign_detail", args=[campaign.pk])).content.decode()
        next_run = timezone.localtime(campaign.series.next_run_at)
        assert "every 3 months" in page and next_run.strftime("%Y-%m-%d %H:%M") in page
        assert 'id="series-runs"' in page and "Pause series" in page

        manager_client.post(reverse("surveys:series_pause", args=[campaign.pk]))

        page = manager_client.get(reverse("surveys:campaign_detail", args=[campaign.pk])).content.decode()
        assert "paused" in page and "Resume series" in page
        assert CampaignSeries.objects.get().is_paused

    def test_the_form_says_which_part_of_the_rhythm_is_missing(self, manager_client, survey):
        response = manager_client.post(
            reverse("surveys:campaign_create", args=[survey.pk]), {"name": "X", "repeat_every": 3}, follow=True
        )
        assert "Choose weeks or months" in response.content.decode()
        assert not Campaign.objects.exists()

    def test_the_page_speaks_german(self, manager_client, survey):
        first = _schedule(survey, at=timezone.now())
        response = manager_client.get(
            reverse("surveys:campaign_detail", args=[first.pk]), HTTP_ACCEPT_LANGUAGE="de"
        ).content.decode()
        assert "alle 3 Monate" in response and "Nächster Versand" in response

    def test_the_api_schedules_a_recurring_campaign_and_pauses_and_resumes_it(self, api_client, survey):
        created = api_client.post(
            "/api/v1/campaigns/",
            {"survey": survey.pk, "name": "Relationship NPS", "repeat_every": 3, "repeat_unit": "month"},
            format="json",
        )
        assert created.status_code == 201, created.content
        body = created.json()
        assert body["repeat_every"] == 3 and body["repeat_unit"] == "month" and body["series"]
        assert body["next_run_at"] and body["series_paused"] is False

        paused = api_client.post(f"/api/v1/campaigns/{body['id']}/pause/").json()
        assert paused["series_paused"] is True and paused["next_run_at"] is None
        resumed = api_client.post(f"/api/v1/campaigns/{body['id']}/resume/").json()
        assert resumed["series_paused"] is False and resumed["next_run_at"]

    def test_the_api_refuses_a_rhythm_inside_the_quiet_period_and_a_one_off_has_no_series(self, api_client, survey):
        refused = api_client.post(
            "/api/v1/campaigns/",
            {"survey": survey.pk, "name": "Too often", "repeat_every": 1, "repeat_unit": "week"},
            format="json",
        )
        assert refused.status_code == 400 and "repeat_every" in refused.json()
        once = api_client.post("/api/v1/campaigns/", {"survey": survey.pk, "name": "Once"}, format="json").json()
        assert once["series"] is None and once["repeat_every"] is None and once["next_run_at"] is None
        assert api_client.post(f"/api/v1/campaigns/{once['id']}/pause/").status_code == 400
