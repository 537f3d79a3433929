"""The surveys of the demo touchpoints and a year of responses to each (bulk-inserted, valid by construction)."""

import random
from datetime import datetime, timedelta

from django.utils import timezone

from demo.data.specs import SurveySpec
from journeys.models import Customer
from surveys.models import Answer, Question, Response, Survey
from surveys.services import survey_create, survey_create_nps

RESPONSE_PREFIX = "demo-"


def load_surveys(data, touchpoints, created_by, counts) -> dict[str, Survey]:
    surveys = {}
    for spec in data.surveys:
        survey = Survey.objects.filter(title=spec.title).order_by("id").first()
        public_title = data.public_titles[spec.kind][spec.language]
        if survey is None:
            touchpoint = touchpoints.get(spec.touchpoint)
            if spec.kind == Question.Kind.NPS:
                survey = survey_create_nps(
                    title=spec.title,
                    touchpoint=touchpoint,
                    language=spec.language,
                    created_by=created_by,
                    public_title=public_title,
                )
            else:
                score_text, reason_text = spec.question, spec.reason or data.reason_text[spec.language]
                survey = survey_create(
                    title=spec.title,
                    public_title=public_title,
                    touchpoint=touchpoint,
                    language=spec.language,
                    created_by=created_by,
                    questions=[
                        {"kind": spec.kind, "text": score_text},
                        {"kind": Question.Kind.LONG_TEXT, "text": reason_text, "required": False},
                    ],
                )
            counts["surveys"] += 1
        elif not survey.public_title:  # a demo loaded before surveys had a title for respondents
            survey.public_title = public_title
            survey.save(update_fields=["public_title"])
        surveys[spec.slug] = survey
    return surveys


def _business_moment(rng: random.Random, now: datetime, span: timedelta) -> datetime:
    """A moment in (now − span, now], mostly on weekdays during office hours in the site's time zone."""
    tz = timezone.get_current_timezone()
    while True:
        moment = now - span * rng.random()
        local = moment.astimezone(tz)
        if local.weekday() >= 5 and rng.random() < 0.85:
            continue
        if not 7 <= local.hour < 19 and rng.random() < 0.9:
            continue
        return moment


def _profile_shift(spec: SurveySpec, *, days_ago: float) -> float:
    """How far a response that many days old has moved from the old score profile (0) to today's (1)."""
    if spec.changed_days_ago is None:
        return 1 - days_ago / 365
    return min(max((spec.changed_days_ago - days_ago) / 30, 0.0), 1.0)


def _pick_customer(rng: random.Random, pool: list[dict], at: datetime) -> int | None:
    """A customer of the pool who was a customer at that moment (a few tries; else an unknown respondent)."""
    for _attempt in range(8):
        candidate = rng.choice(pool)
        acquired_at, churned_at = candidate["acquired_at"], candidate["churned_at"]
        if (acquired_at is None or acquired_at <= at) and (churned_at is None or churned_at >= at):
            return candidate["id"]
    return None


def load_responses(data, surveys, seed, now, counts) -> None:
    """A year of responses to each demo survey, ending now; their scores drift from one profile to another."""
    existing = set(
        Response.objects.filter(external_id__startswith=RESPONSE_PREFIX).values_list("external_id", flat=True)
    )
    customers = list(
        Customer.objects.filter(external_id__startswith="CUST-").values(
            "id", "language", "acquired_at", "churned_at", "persona__name"
        )
    )
    year = timedelta(days=365)
    responses: list[Response] = []
    answers: dict[str, list[tuple[int, int | None, str]]] = {}
    for spec in data.surveys:
        survey = surveys[spec.slug]
        questions = list(survey.questions.all())
        score_q = next((q for q in questions if q.kind == spec.kind), None)
        text_q = next((q for q in questions if q.kind in Question.TEXT), None)
        if score_q is None:  # someone rebuilt the survey; leave it alone
            continue
        low, high = score_q.scale
        negative, neutral = data.mood_limits[spec.kind]
        persona_pool = [c for c in customers if c["persona__name"] == spec.persona]
        pool = [c for c in persona_pool if c["language"] == (spec.pool_language or spec.language)] or persona_pool
        rng = random.Random(f"{seed}:{spec.slug}")  # noqa: S311 -- demo data, not secrets
        for n in range(1, spec.count + 1):
            # Draw everything first, so the sequence is the same whether or not this response exists already.
            submitted_at = _business_moment(rng, now, year)
            shift = _profile_shift(spec, days_ago=(now - submitted_at) / timedelta(days=1))
            weights = [a + (b - a) * shift for a, b in zip(spec.weights_then, spec.weights_now, strict=True)]
            value = rng.choices(range(low, high + 1), weights=weights)[0]
            customer_id = None
            if pool and rng.random() >= spec.without_customer:
                customer_id = _pick_customer(rng, pool, submitted_at)
            mood = "neg" if value <= negative else "neu" if value <= neutral else "pos"
            comment = ""
            if rng.random() < data.comment_rate[mood]:
                # One draw whatever the pool's size, so a language's pools may be longer without changing the scores.
                comments = spec.comments[mood]
                comment = comments[int(rng.random() * len(comments))]
            external_id = f"{RESPONSE_PREFIX}{spec.slug}-{n:04d}"
            if external_id in existing:
                continue
            responses.append(
                Response(
                    survey=survey,
                    customer_id=None if survey.anonymous else customer_id,
                    touchpoint_id=survey.touchpoint_id,
                    external_id=external_id,
                    source=Response.Source.IMPORT,
                    language=survey.language,
                    submitted_at=submitted_at,
                )
            )
            answers[external_id] = [(score_q.id, value, "")]
            if comment and text_q is not None:
                answers[external_id].append((text_q.id, None, comment))
    if not responses:
        return
    Response.objects.bulk_create(responses, batch_size=500)
    # Fetch the new ids by external id: not every database returns them from a bulk insert.
    ids = dict(Response.objects.filter(external_id__startswith=RESPONSE_PREFIX).values_list("external_id", "id"))
    rows = [
        Answer(response_id=ids[external_id], question_id=question_id, value=value, text=text)
        for external_id, items in answers.items()
        for question_id, value, text in items
    ]
    Answer.objects.bulk_create(rows, batch_size=1000)
    counts["responses"] += len(responses)
    counts["answers"] += len(rows)
