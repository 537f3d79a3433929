"""Answering a survey: validate the answers (display logic included) and store a response whole."""

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
from journeys.models import Customer
from surveys import scales
from surveys.models import Answer, Invitation, Question, Response, Survey

logger = logging.getLogger(__name__)


class AlreadyAnswered(ApplicationError):
    """This invitation has its response already."""

    def __init__(self):
        super().__init__(_("This survey link has already been used."))


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
                errors.setdefault("answers", []).append(_("Each answer must be an object."))
                continue
            question_id = item.get("question")
            question = by_id.get(question_id) if isinstance(question_id, int) else None
            if question is None:
                errors.setdefault("answers", []).append(
                    _("Question %(id)r is not a question of this survey.") % {"id": question_id}
                )
                continue
            if question_id in seen:
                errors.setdefault("answers", []).append(_("Question %(id)s is answered twice.") % {"id": question_id})
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
            raise ApplicationError(_("The invitation is for another survey."))
        customer = invitation.customer
        source = Response.Source.INVITATION
    now = timezone.now()
    with override(survey.language):
        if submitted_at is None:
            if not survey.is_open(now):
                raise ApplicationError(_("This survey is not open for answers."))
            submitted_at = now
        elif submitted_at > now:
            raise ValidationError({"submitted_at": _("A response cannot be submitted in the future.")})
        if external_id and Response.objects.filter(external_id=external_id).exists():
            raise ApplicationError(_("A response with external_id %(id)r exists already.") % {"id": external_id})
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
        # No savepoint of its own: a conflict ends this transaction (the raise below rolls it back whole),
        # and two round trips fewer on every submit.
        response.save()
    except IntegrityError:
        if invitation is not None:
            raise AlreadyAnswered() from None
        raise ApplicationError(_("A response with external_id %(id)r exists already.") % {"id": external_id}) from None
    if invitation is not None:
        Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.RESPONDED)
    Answer.objects.bulk_create(
        Answer(response=response, question_id=question_id, **fields) for question_id, fields in cleaned.items()
    )
    nps_ids = {q.id for q in questions if q.kind == Question.Kind.NPS} & set(cleaned)
    scores = [cleaned[q].get("value") for q in nps_ids]
    webhook_data = functools.cache(lambda: _response_webhook_data(response, cleaned))
    webhook_emit(event_type="response.created", data=webhook_data)
    if any(fields.get("text") for fields in cleaned.values()):
        transaction.on_commit(lambda: _queue_comment_ingestion(response.pk))
    if any(scales.is_detractor(score) for score in scores):
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


def _queue_comment_ingestion(response_id: int) -> None:
    """Voice copies the comment into a feedback item and analyses it (reached by task name, never imported);
    the nightly topic rebuild picks up what a broker outage left out."""
    try:
        task_queue("voice.ingest_survey_comments", args=[[response_id]])
    except Exception:  # noqa: BLE001
        logger.warning("Could not queue the comment ingestion for response %s", response_id, exc_info=True)


def _queue_detractor_follow_up(response_id: int) -> None:
    """The closed loop lives in actionplans (reached by task name, never imported); a broker outage must not
    fail the submit."""
    try:
        task_queue("actionplans.detractor_follow_up", args=[response_id])
    except Exception:  # noqa: BLE001
        logger.warning("Could not queue the detractor follow-up for response %s", response_id, exc_info=True)
