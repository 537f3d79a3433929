"""Every write in surveys: building surveys and submitting responses."""

import functools
import logging
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from cxportal.errors import ApplicationError
from cxportal.tasks import task_queue
from cxportal.webhooks.services import webhook_emit
from journeys.models import Customer, Touchpoint
from surveys.models import Answer, Invitation, Question, Response, Survey

logger = logging.getLogger(__name__)
DETRACTOR_MAX = 6


class AlreadyAnswered(ApplicationError):
    """This invitation has its response already."""

    def __init__(self):
        super().__init__("This survey link has already been used.")


NPS_TEXT = {
    "en": "How likely is it that you would recommend us to a friend or colleague?",
    "de": "Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen weiterempfehlen?",
}
NPS_REASON_TEXT = {
    "en": "What is the most important reason for your score?",
    "de": "Was ist der wichtigste Grund für Ihre Bewertung?",
}


@transaction.atomic
def survey_create(
    *,
    title: str,
    touchpoint: Touchpoint | None = None,
    language: str = "en",
    questions: Iterable[dict],
    public_title: str = "",
    created_by=None,
    intro: str = "",
    thank_you_text: str = "",
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    is_active: bool = True,
    anonymous: bool = False,
    public_link_enabled: bool = True,
    one_response_per_browser: bool = False,
) -> Survey:
    """Create a survey with its questions, in the given order.

    Each question is a dict with ``kind`` and ``text`` and optionally ``required``, ``help_text``,
    ``choices`` and ``scale_max``.
    """
    survey = Survey(
        title=title,
        public_title=public_title,
        touchpoint=touchpoint,
        language=language,
        intro=intro,
        thank_you_text=thank_you_text,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=created_by,
        is_active=is_active,
        anonymous=anonymous,
        public_link_enabled=public_link_enabled,
        one_response_per_browser=one_response_per_browser,
    )
    survey.full_clean()
    survey.save()
    questions = list(questions)
    if not questions:
        raise ValidationError({"questions": "A survey needs at least one question."})
    for position, spec in enumerate(questions):
        question_add(survey=survey, position=position, **spec)
    return survey


def question_add(
    *,
    survey: Survey,
    kind: str,
    text: str,
    required: bool = True,
    help_text: str = "",
    choices: list[str] | None = None,
    scale_max: int = 5,
    position: int | None = None,
    starts_page: bool = False,
    show_if_question: Question | None = None,
    show_if_op: str = "",
    show_if_value: int | None = None,
) -> Question:
    """Add a question (at the end unless ``position`` is given), validated like every question write."""
    if position is None:
        position = survey.questions.count()
    question = Question(
        survey=survey,
        kind=kind,
        text=text,
        required=required,
        help_text=help_text,
        choices=choices or [],
        scale_max=scale_max,
        position=position,
        starts_page=starts_page,
        show_if_question=show_if_question,
        show_if_op=show_if_op or "",
        show_if_value=show_if_value,
    )
    question_validate(question)
    question.save()
    return question


def question_validate(question: Question) -> None:
    """Every rule a question must meet, as field errors: kind, choices, scale, display logic.

    Runs before the row checks, so a bad condition gets a clear message rather than a constraint name.
    """
    errors: dict[str, list[str]] = {}
    if question.kind in Question.CHOICE:
        choices = question.choices
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            errors["choices"] = ["Choices must be a list of texts."]
        else:
            question.choices = choices = [c.strip() for c in choices if c.strip()]
            if len(choices) < 2:
                errors["choices"] = ["A choice question needs at least two choices."]
            elif len(set(choices)) != len(choices):
                errors["choices"] = ["Each choice must be different."]
            elif any(len(c) > 200 for c in choices):
                errors["choices"] = ["Keep each choice under 200 characters."]
    elif question.kind:
        question.choices = []
    if question.kind == Question.Kind.RATING and not (
        isinstance(question.scale_max, int) and 2 <= question.scale_max <= 10
    ):
        errors["scale_max"] = ["A rating scale goes from 1 to between 2 and 10."]
    errors.update(_condition_errors(question))
    if errors:
        raise ValidationError(errors)
    question.full_clean()


def _condition_errors(question: Question) -> dict[str, list[str]]:
    source = question.show_if_question
    if source is None and not question.show_if_op and question.show_if_value is None:
        return {}
    errors: dict[str, list[str]] = {}
    if source is None:
        errors["show_if_question"] = ["Choose the earlier question the condition refers to."]
    if question.show_if_op not in Question.Op.values:
        errors["show_if_op"] = ["Choose how to compare: ≤, ≥ or =."]
    if question.show_if_value is None:
        errors["show_if_value"] = ["Enter the value to compare the answer with."]
    if source is None:
        return errors
    if source.survey_id != question.survey_id:
        errors["show_if_question"] = ["Choose a question of this survey."]
    elif question.pk is not None and source.pk == question.pk:
        errors["show_if_question"] = ["A question cannot depend on itself."]
    elif source.kind not in Question.SCORED:
        errors["show_if_question"] = ["Choose a scored question (NPS, CSAT, CES or rating)."]
    elif (source.position, source.pk) >= (question.position, question.pk or float("inf")):
        errors["show_if_question"] = ["The condition must refer to an earlier question."]
    elif question.show_if_value is not None:
        low, high = source.scale
        if not low <= question.show_if_value <= high:
            errors["show_if_value"] = [f"Choose a value from {low} to {high} (the scale of that question)."]
    return errors


def survey_create_nps(
    *,
    title: str,
    touchpoint: Touchpoint | None,
    language: str = "en",
    ask_reason: bool = True,
    created_by=None,
    public_title: str = "",
) -> Survey:
    """The classic two-question NPS survey: the 0–10 score and an optional reason."""
    questions = [{"kind": Question.Kind.NPS, "text": NPS_TEXT[language]}]
    if ask_reason:
        questions.append({"kind": Question.Kind.LONG_TEXT, "text": NPS_REASON_TEXT[language], "required": False})
    return survey_create(
        title=title,
        touchpoint=touchpoint,
        language=language,
        questions=questions,
        created_by=created_by,
        public_title=public_title,
    )


def _clean_answer(question: Question, item: dict) -> dict | None:
    """Validate one raw answer for its question; returns the Answer fields, or None when left empty."""
    if question.kind in Question.SCORED:
        raw = item.get("value")
        if raw is None or raw == "":
            return None
        if isinstance(raw, bool):
            raise ValidationError(_("Choose a number."))
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ValidationError(_("Choose a number.")) from None
        if str(value) != str(raw).strip() and not (isinstance(raw, float) and raw == value):
            raise ValidationError(_("Choose a whole number."))
        low, high = question.scale
        if not low <= value <= high:
            raise ValidationError(_("Choose a value from %(low)s to %(high)s.") % {"low": low, "high": high})
        return {"value": value}
    if question.kind in Question.TEXT:
        text = item.get("text")
        if text is None:
            return None
        if not isinstance(text, str):
            raise ValidationError(_("Enter text."))
        text = text.strip()
        limit = 200 if question.kind == Question.Kind.SHORT_TEXT else 5000
        if len(text) > limit:
            raise ValidationError(_("Keep it under %(limit)s characters.") % {"limit": limit})
        return {"text": text} if text else None
    # Choice questions.
    chosen = item.get("choices")
    if chosen in (None, "", []):
        return None
    if isinstance(chosen, str):
        chosen = [chosen]
    if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
        raise ValidationError(_("Choose from the options given."))
    unknown = [c for c in chosen if c not in question.choices]
    if unknown:
        raise ValidationError(_("Choose from the options given."))
    if question.kind == Question.Kind.SINGLE_CHOICE and len(chosen) != 1:
        raise ValidationError(_("Choose one option."))
    return {"choices": list(dict.fromkeys(chosen))}


def answers_validate(
    *,
    survey: Survey,
    answers: list[dict],
    page: Iterable[int] | None = None,
    questions: list[Question] | None = None,
) -> dict[int, dict]:
    """Validate raw answers and apply the display logic; returns the Answer fields of each shown question.

    A question whose condition is not met (its source unanswered, hidden or out of range) is hidden:
    it is not required, and an answer to it is discarded. With ``page`` (question ids), only the errors
    of those questions count — the check a multi-page survey makes before moving on; nothing else differs.
    Errors are keyed ``q<question id>`` (``answers`` for the list itself), in the survey's language.
    ``questions`` are the survey's questions in order, when the caller has loaded them already.
    """
    with override(survey.language):
        questions = list(survey.questions.all()) if questions is None else questions
        by_id = {q.id: q for q in questions}
        errors: dict[str, list[str]] = {}
        seen: set[int] = set()
        cleaned: dict[int, dict] = {}
        for item in answers:
            if not isinstance(item, dict):
                errors.setdefault("answers", []).append("Each answer must be an object.")
                continue
            question_id = item.get("question")
            question = by_id.get(question_id) if isinstance(question_id, int) else None
            if question is None:
                errors.setdefault("answers", []).append(f"Question {question_id!r} is not a question of this survey.")
                continue
            if question_id in seen:
                errors.setdefault("answers", []).append(f"Question {question_id} is answered twice.")
                continue
            seen.add(question_id)
            try:
                fields = _clean_answer(question, item)
            except ValidationError as exc:
                errors[f"q{question_id}"] = exc.messages
                continue
            if fields is not None:
                cleaned[question_id] = fields
        # Questions come in survey order and a condition refers to an earlier one, so one pass settles chains.
        for question in questions:
            if question.has_condition:
                source = cleaned.get(question.show_if_question_id)
                if not question.condition_holds(source.get("value") if source else None):
                    cleaned.pop(question.id, None)
                    errors.pop(f"q{question.id}", None)
                    continue
            if question.required and question.id not in cleaned and f"q{question.id}" not in errors:
                errors[f"q{question.id}"] = [_("Please answer this question.")]
        if page is not None:
            page = set(page)
            errors = {k: v for k, v in errors.items() if k == "answers" or int(k[1:]) in page}
        if errors:
            raise ValidationError(errors)
        if page is None and not cleaned:
            raise ValidationError({"answers": [_("Please answer at least one question.")]})
    return cleaned


@transaction.atomic
def response_submit(
    *,
    survey: Survey,
    answers: list[dict],
    customer: Customer | None = None,
    submitted_at: datetime | None = None,
    source: str = Response.Source.PUBLIC_LINK,
    external_id: str | None = None,
    invitation: Invitation | None = None,
    questions: list[Question] | None = None,
) -> Response:
    """Validate every answer and store the response whole, or raise and store nothing.

    ``answers`` are ``{"question": id, "value" | "text" | "choices": …}``; see ``answers_validate`` for
    the rules (display logic included) and the error keys. ``submitted_at`` in the past is accepted for
    importing history; respondents submit "now". With an ``invitation`` the response is its customer's,
    and a second one is refused: the database holds at most one response per invitation, however many
    submits race. ``questions`` are the survey's questions in order, when the caller has loaded them already
    (the respondent view has).
    """
    if invitation is not None:
        if invitation.campaign.survey_id != survey.pk:
            raise ApplicationError("The invitation is for another survey.")
        customer = invitation.customer
        source = Response.Source.INVITATION
    now = timezone.now()
    with override(survey.language):
        if submitted_at is None:
            if not survey.is_open(now):
                raise ApplicationError(_("This survey is not open for answers."))
            submitted_at = now
        elif submitted_at > now:
            raise ValidationError({"submitted_at": "A response cannot be submitted in the future."})
        if external_id and Response.objects.filter(external_id=external_id).exists():
            raise ApplicationError(f"A response with external_id {external_id!r} exists already.")
    if questions is None:
        questions = list(survey.questions.all())
    cleaned = answers_validate(survey=survey, answers=answers, questions=questions)

    response = Response(
        survey=survey,
        invitation=invitation,
        customer=None if survey.anonymous else customer,
        touchpoint_id=survey.touchpoint_id,
        external_id=external_id or None,
        source=source,
        language=survey.language,
        submitted_at=submitted_at,
    )
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        if invitation is not None:
            raise AlreadyAnswered() from None
        raise ApplicationError(f"A response with external_id {external_id!r} exists already.") from None
    if invitation is not None:
        Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.RESPONDED)
    Answer.objects.bulk_create(
        Answer(response=response, question_id=question_id, **fields) for question_id, fields in cleaned.items()
    )
    nps_ids = {q.id for q in questions if q.kind == Question.Kind.NPS} & set(cleaned)
    scores = [cleaned[q].get("value") for q in nps_ids]
    webhook_data = functools.cache(lambda: _response_webhook_data(response, cleaned))
    webhook_emit(event_type="response.created", data=webhook_data)
    if any(score is not None and score <= DETRACTOR_MAX for score in scores):
        webhook_emit(event_type="response.detractor", data=webhook_data)
        transaction.on_commit(lambda: _queue_detractor_follow_up(response.pk))
    return response


def _response_webhook_data(response: Response, cleaned: dict[int, dict]) -> dict:
    """What webhook subscribers learn about a response: ids, the NPS score, the comment and every answer."""
    kinds = dict(response.survey.questions.values_list("id", "kind"))
    answers = [{"question": q, "kind": kinds.get(q), **fields} for q, fields in cleaned.items()]
    score = next((f.get("value") for q, f in cleaned.items() if kinds.get(q) == Question.Kind.NPS), None)
    comment = next((f["text"] for q, f in cleaned.items() if kinds.get(q) in Question.TEXT and f.get("text")), "")
    customer = response.customer
    return {
        "response": response.pk,
        "survey": response.survey_id,
        "survey_title": response.survey.title,
        "touchpoint": response.touchpoint_id,
        "invitation": response.invitation_id,
        "customer": customer.pk if customer else None,
        "customer_external_id": customer.external_id if customer else None,
        "source": response.source,
        "language": response.language,
        "submitted_at": response.submitted_at,
        "score": score,
        "comment": comment,
        "answers": answers,
    }


def _queue_detractor_follow_up(response_id: int) -> None:
    """The closed loop lives in actionplans (reached by task name, never imported); a broker outage must not
    fail the submit."""
    try:
        task_queue("actionplans.detractor_follow_up", args=[response_id])
    except Exception:  # noqa: BLE001
        logger.warning("Could not queue the detractor follow-up for response %s", response_id, exc_info=True)
