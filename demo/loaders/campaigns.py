"""The demo's e-mail campaigns: a recurring quarterly relationship NPS with three past runs and a one-off pulse,
each with invitations in every state and the responses that came back through them (bulk-inserted, valid by
construction); and one churn in the current month, so the default period's churn and CLV have values.

Idempotent like the other loaders: campaigns are found by name, invitations by (campaign, customer), responses
by external id. Every random draw is made whether or not its row exists, so a partly loaded database is
completed with exactly the rows a full load makes.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext

from demo.data import campaigns as data
from demo.data.language import demo_data
from demo.data.scores import COMMENT_RATE, MOOD_LIMITS
from journeys.models import Customer
from metrics.models import Transaction
from surveys.models import Answer, Campaign, CampaignSeries, Invitation, Question, Response, Survey
from surveys.recurrence import MONTH, run_at
from surveys.services import survey_create
from surveys.services.series import series_run_name

PREFIX = "demo-cmp-"


def load_campaigns(surveys, touchpoints, created_by, seed, now, counts, *, language: str = "en") -> None:
    """The relationship-NPS series with its past runs, the pulse campaign, and this month's churn."""
    _churn_this_month(now, counts)  # first: the campaigns' audiences are then the same on every load
    survey = _relationship_survey(touchpoints, created_by, language, counts)
    series = _relationship_series(survey, created_by, now, language)
    rng = random.Random(f"{seed}:campaigns")  # noqa: S311 -- demo data, not secrets
    comments = data.RELATIONSHIP_COMMENTS[survey.language if survey.language in ("en", "de") else language]
    for index in range(data.RELATIONSHIP_PAST_RUNS):
        at = run_at(anchor=series.starts_at, every=series.every, unit=series.unit, index=index)
        campaign = _campaign(
            survey=survey,
            name=series_run_name(series, at),
            persona=None,
            at=at,
            created_by=created_by,
            series=series,
            counts=counts,
        )
        _invite(campaign, at, now, rng, data.RELATIONSHIP_WEIGHTS, comments, counts)

    pulse_survey = surveys.get(data.PULSE_SURVEY_SLUG)
    # The survey's spec in the demo's language: its comments are written in that language.
    spec = next(s for s in demo_data(language).surveys if s.slug == data.PULSE_SURVEY_SLUG)
    if pulse_survey is not None and pulse_survey.questions.filter(kind=Question.Kind.NPS).exists():
        month_start = timezone.localdate(now).replace(day=1)
        at = timezone.make_aware(datetime.combine(month_start - timedelta(days=data.PULSE_DAYS_BEFORE_MONTH), time(10)))
        campaign = _campaign(
            survey=pulse_survey,
            name=data.PULSE_NAME[language],
            # The persona of the survey's map (found by the map, not by name: the demo may be in German).
            persona=pulse_survey.touchpoint.stage.journey_map.personas.order_by("pk").first()
            if pulse_survey.touchpoint
            else None,
            at=at,
            created_by=created_by,
            series=None,
            counts=counts,
        )
        _invite(campaign, at, now, rng, spec.weights_now, spec.comments, counts)


def _relationship_survey(touchpoints, created_by, language, counts) -> Survey:
    titles = [texts["title"] for texts in data.RELATIONSHIP_SURVEY.values()]
    survey = Survey.objects.filter(title__in=titles).order_by("id").first()
    if survey is None:
        texts = data.RELATIONSHIP_SURVEY[language]
        survey = survey_create(
            title=texts["title"],
            public_title=texts["public_title"],
            touchpoint=touchpoints.get(data.RELATIONSHIP_TOUCHPOINT),
            language=language,
            created_by=created_by,
            questions=[
                {"kind": Question.Kind.NPS, "text": texts["question"]},
                {"kind": Question.Kind.LONG_TEXT, "text": texts["reason"], "required": False},
            ],
        )
        counts["surveys"] += 1
    return survey


def _relationship_series(survey, created_by, now, language) -> CampaignSeries:
    series = CampaignSeries.objects.filter(survey=survey).order_by("id").first()
    if series is not None:
        return series
    # Three quarters and twenty days ago at 09:00: three runs lie behind, the fourth is due in about three weeks.
    today = timezone.localdate(now)
    month0 = today.month - 1 - data.RELATIONSHIP_EVERY_MONTHS * data.RELATIONSHIP_PAST_RUNS
    year, month = today.year + month0 // 12, month0 % 12 + 1
    first_day = today.replace(year=year, month=month, day=min(today.day, 28)) + timedelta(days=20)
    starts_at = timezone.make_aware(datetime.combine(first_day, time(9, 0)))
    index = data.RELATIONSHIP_PAST_RUNS
    every = data.RELATIONSHIP_EVERY_MONTHS
    return CampaignSeries.objects.create(
        survey=survey,
        name=data.RELATIONSHIP_NAME[language],
        persona=None,
        reminder_after_days=data.REMINDER_AFTER_DAYS,
        max_reminders=1,
        every=every,
        unit=MONTH,
        starts_at=starts_at,
        next_run_index=index,
        next_run_at=run_at(anchor=starts_at, every=every, unit=MONTH, index=index),
        created_by=created_by,
    )


def _campaign(*, survey, name, persona, at, created_by, series, counts) -> Campaign:
    campaign = Campaign.objects.filter(survey=survey, name=name).order_by("id").first()
    if campaign is None:
        campaign = Campaign.objects.create(
            survey=survey,
            name=name,
            persona=persona,
            send_at=at,
            status=Campaign.Status.SENT,
            reminder_after_days=data.REMINDER_AFTER_DAYS,
            max_reminders=1,
            dispatched_at=at,
            completed_at=at + timedelta(minutes=12),
            created_by=created_by,
            series=series,
            run_date=timezone.localdate(at) if series else None,
        )
        counts["campaigns"] += 1
    return campaign


def _audience(campaign: Campaign, at: datetime) -> list[Customer]:
    """The campaign's customers who were customers when it went out (churned ones are not asked)."""
    customers = Customer.objects.filter(external_id__startswith="CUST-", acquired_at__lt=at).exclude(churned_at__lt=at)
    if campaign.persona_id:
        customers = customers.filter(persona_id=campaign.persona_id)
    return list(customers.order_by("external_id"))


def _invite(campaign, at, now, rng, weights, comments, counts) -> None:
    """One invitation per customer of the audience, in every state; responses for the answered ones."""
    existing = set(campaign.invitations.values_list("customer_id", flat=True))
    question_ids = dict(campaign.survey.questions.values_list("kind", "id"))
    score_q = question_ids.get(Question.Kind.NPS)
    text_q = question_ids.get(Question.Kind.LONG_TEXT) or question_ids.get(Question.Kind.SHORT_TEXT)
    negative, neutral = MOOD_LIMITS[Question.Kind.NPS]
    latest = now - timedelta(minutes=30)
    reminder_at = at + timedelta(days=data.REMINDER_AFTER_DAYS)
    reminded_run = reminder_at < now
    invitations, answered = [], {}
    for customer in _audience(campaign, at):
        # Every draw first, so the sequence does not depend on what exists already.
        outcome, reply = rng.random(), rng.random()
        sent_at = at + timedelta(minutes=rng.uniform(1, 10))
        delay = timedelta(days=rng.uniform(0.05, 2.5))
        value = rng.choices(range(11), weights=weights)[0]
        mood = "neg" if value <= negative else "neu" if value <= neutral else "pos"
        pool, wanted, index = comments[mood], rng.random(), rng.random()
        comment = pool[int(index * len(pool))] if wanted < COMMENT_RATE[mood] else ""
        if customer.pk in existing:
            continue
        invitation = Invitation(campaign=campaign, customer=customer, created_at=at)
        if (customer.unsubscribed_at and customer.unsubscribed_at <= at) or customer.do_not_contact:
            invitation.status, invitation.error = Invitation.Status.SUPPRESSED, gettext(data.SUPPRESSED_UNSUBSCRIBED)
        elif outcome < data.BOUNCED:
            invitation.status, invitation.error, invitation.attempts = (
                Invitation.Status.FAILED,
                data.BOUNCE_ERROR,
                1,
            )
        else:
            invitation.status, invitation.attempts = Invitation.Status.SENT, 1
            invitation.sent_at = invitation.last_sent_at = sent_at
            after_reminder = reminded_run and reply < 0.3
            if outcome < data.BOUNCED + data.ANSWERED:
                submitted_at = min((reminder_at if after_reminder else sent_at) + delay, latest)
                invitation.status = Invitation.Status.RESPONDED
                invitation.opened_at = submitted_at - timedelta(minutes=3)
                if after_reminder:
                    invitation.reminders_sent, invitation.last_sent_at = 1, reminder_at
                answered[customer.external_id] = (customer, submitted_at, value, comment)
            else:
                if outcome < data.BOUNCED + data.ANSWERED + data.OPENED_ONLY:
                    invitation.opened_at = min(sent_at + delay, latest)
                if reminded_run:
                    invitation.reminders_sent, invitation.last_sent_at = 1, reminder_at
        invitations.append(invitation)
    Invitation.objects.bulk_create(invitations, batch_size=500)
    counts["invitations"] += len(invitations)
    # created_at is set on insert; the invitation was made when the campaign went out.
    campaign.invitations.filter(pk__in=[i.pk for i in invitations if i.pk]).update(created_at=at)
    if answered:
        _respond(campaign, answered, score_q, text_q, counts)


def _respond(campaign, answered, score_q, text_q, counts) -> None:
    survey = campaign.survey
    key = f"{PREFIX}{campaign.pk}-"
    invitation_ids = dict(
        campaign.invitations.filter(customer__external_id__in=list(answered)).values_list("customer__external_id", "pk")
    )
    have = set(Response.objects.filter(external_id__startswith=key).values_list("external_id", flat=True))
    responses, answers = [], {}
    for external_id, (customer, submitted_at, value, comment) in answered.items():
        response_id = f"{key}{external_id}"
        if response_id in have:
            # Kept from before the customer was removed and loaded again: link it to the new invitation.
            Response.objects.filter(external_id=response_id).update(
                customer=customer, invitation_id=invitation_ids[external_id]
            )
            continue
        responses.append(
            Response(
                survey=survey,
                customer=customer,
                touchpoint_id=survey.touchpoint_id,
                external_id=response_id,
                invitation_id=invitation_ids[external_id],
                source=Response.Source.INVITATION,
                language=survey.language,
                submitted_at=submitted_at,
            )
        )
        answers[response_id] = [(score_q, value, "")] + ([(text_q, None, comment)] if comment and text_q else [])
    Response.objects.bulk_create(responses, batch_size=500)
    ids = dict(Response.objects.filter(external_id__in=list(answers)).values_list("external_id", "id"))
    rows = [
        Answer(response_id=ids[rid], question_id=qid, value=value, text=text)
        for rid, items in answers.items()
        for qid, value, text in items
    ]
    Answer.objects.bulk_create(rows, batch_size=1000)
    counts["responses"] += len(responses)
    counts["answers"] += len(rows)


def _churn_this_month(now, counts) -> None:
    """One customer leaves at the start of this month (unless one did already), with revenue of the month."""
    month_start = timezone.make_aware(datetime.combine(timezone.localdate(now).replace(day=1), time.min))
    customers = Customer.objects.filter(external_id__startswith="CUST-")
    if not customers.filter(churned_at__gte=month_start).exists():
        leaving = (
            customers.filter(
                churned_at__isnull=True,
                unsubscribed_at__isnull=True,
                do_not_contact=False,
                acquired_at__lt=month_start - timedelta(days=90),
            )
            .order_by("external_id")
            .first()
        )
        if leaving is not None:
            Customer.objects.filter(pk=leaving.pk).update(churned_at=month_start)
    # Revenue of the month so far, so its ARPC is not 0 on the first days of a month.
    if not Transaction.objects.filter(occurred_at__gte=month_start).exists():
        active = customers.filter(acquired_at__lt=month_start).exclude(churned_at__lt=month_start)
        rows = [
            Transaction(
                external_id=f"demo-tx-mtd-{c.external_id}-{month_start:%Y%m}",
                customer=c,
                amount=Decimal(120 + (int(c.external_id[-3:]) * 37) % 280),
                occurred_at=month_start,
            )
            for c in active.order_by("external_id")[:40]
        ]
        Transaction.objects.bulk_create(rows, ignore_conflicts=True)
        counts["transactions"] += len(rows)
