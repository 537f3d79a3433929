"""Building surveys in the UI and API: templates, settings, and editing, deleting and reordering questions.

Every question write goes through ``services.question_validate``: kinds, choices, scales and display
logic are checked in one place for the builder pages and the API alike.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from journeys.models import Touchpoint
from surveys.models import Answer, Question, Survey
from surveys.services import NPS_REASON_TEXT, NPS_TEXT, question_add, question_validate

K = Question.Kind

# Each template: (key, label) and per language the questions; ``show_if`` is (index of an earlier
# question, op, value). Texts are content in the survey's language, not interface strings.
TEMPLATES = {
    "relationship_nps": {
        "label": "Relationship NPS — how likely customers are to recommend you",
        "questions": {
            "en": [
                {"kind": K.NPS, "text": NPS_TEXT["en"]},
                {"kind": K.LONG_TEXT, "text": NPS_REASON_TEXT["en"], "required": False, "reason": True},
                {
                    "kind": K.SHORT_TEXT,
                    "text": "What is the one thing we should improve?",
                    "required": False,
                    "show_if": (0, Question.Op.LTE, 6),
                },
                {
                    "kind": K.MULTIPLE_CHOICE,
                    "text": "What matters most to you in working with us?",
                    "required": False,
                    "choices": ["Product quality", "Service and support", "Price", "Delivery reliability", "Advice"],
                },
            ],
            "de": [
                {"kind": K.NPS, "text": NPS_TEXT["de"]},
                {"kind": K.LONG_TEXT, "text": NPS_REASON_TEXT["de"], "required": False, "reason": True},
                {
                    "kind": K.SHORT_TEXT,
                    "text": "Was sollten wir vor allem verbessern?",
                    "required": False,
                    "show_if": (0, Question.Op.LTE, 6),
                },
                {
                    "kind": K.MULTIPLE_CHOICE,
                    "text": "Was ist Ihnen in der Zusammenarbeit mit uns am wichtigsten?",
                    "required": False,
                    "choices": ["Produktqualität", "Service und Support", "Preis", "Liefertreue", "Beratung"],
                },
            ],
        },
    },
    "support_csat": {
        "label": "Transactional CSAT — after a support contact",
        "questions": {
            "en": [
                {"kind": K.CSAT, "text": "How satisfied are you with the support you received?"},
                {"kind": K.SINGLE_CHOICE, "text": "Was your issue resolved?", "choices": ["Yes", "Partly", "No"]},
                {
                    "kind": K.LONG_TEXT,
                    "text": "What could we have done better?",
                    "required": False,
                    "show_if": (0, Question.Op.LTE, 3),
                },
            ],
            "de": [
                {"kind": K.CSAT, "text": "Wie zufrieden sind Sie mit der Unterstützung, die Sie erhalten haben?"},
                {
                    "kind": K.SINGLE_CHOICE,
                    "text": "Wurde Ihr Anliegen gelöst?",
                    "choices": ["Ja", "Teilweise", "Nein"],
                },
                {
                    "kind": K.LONG_TEXT,
                    "text": "Was hätten wir besser machen können?",
                    "required": False,
                    "show_if": (0, Question.Op.LTE, 3),
                },
            ],
        },
    },
    "service_ces": {
        "label": "CES — after a service request",
        "questions": {
            "en": [
                {
                    "kind": K.CES,
                    "text": "It was easy to get my request handled.",
                    "help_text": "How much do you agree with this statement?",
                },
                {
                    "kind": K.SINGLE_CHOICE,
                    "text": "How many times did you have to contact us?",
                    "required": False,
                    "choices": ["Once", "Twice", "Three times or more"],
                },
                {
                    "kind": K.LONG_TEXT,
                    "text": "What made it difficult?",
                    "required": False,
                    "show_if": (0, Question.Op.LTE, 4),
                },
            ],
            "de": [
                {
                    "kind": K.CES,
                    "text": "Es war einfach, mein Anliegen erledigen zu lassen.",
                    "help_text": "Wie sehr stimmen Sie dieser Aussage zu?",
                },
                {
                    "kind": K.SINGLE_CHOICE,
                    "text": "Wie oft mussten Sie uns kontaktieren?",
                    "required": False,
                    "choices": ["Einmal", "Zweimal", "Dreimal oder öfter"],
                },
                {
                    "kind": K.LONG_TEXT,
                    "text": "Was hat es Ihnen schwer gemacht?",
                    "required": False,
                    "show_if": (0, Question.Op.LTE, 4),
                },
            ],
        },
    },
    "blank": {"label": "Blank — add your own questions", "questions": {"en": [], "de": []}},
}
TEMPLATE_CHOICES = [(key, spec["label"]) for key, spec in TEMPLATES.items()]

SETTINGS_FIELDS = [
    "title",
    "public_title",
    "touchpoint",
    "language",
    "intro",
    "thank_you_text",
    "opens_at",
    "closes_at",
    "anonymous",
    "public_link_enabled",
    "is_active",
    "one_response_per_browser",
]
QUESTION_FIELDS = [
    "kind",
    "text",
    "help_text",
    "required",
    "choices",
    "scale_max",
    "starts_page",
    "show_if_question",
    "show_if_op",
    "show_if_value",
]


@transaction.atomic
def survey_create_from_template(
    *,
    template: str,
    title: str,
    touchpoint: Touchpoint | None = None,
    language: str = "en",
    ask_reason: bool = True,
    created_by=None,
    public_title: str = "",
) -> Survey:
    """A new survey with the template's questions in its language; ``blank`` has none yet."""
    if template not in TEMPLATES:
        raise ValidationError({"template": "Choose one of the templates."})
    if language not in TEMPLATES[template]["questions"]:
        raise ValidationError({"language": "Choose English or German."})
    survey = Survey(
        title=title, public_title=public_title, touchpoint=touchpoint, language=language, created_by=created_by
    )
    survey.full_clean()
    survey.save()
    added: list[Question] = []
    for spec in TEMPLATES[template]["questions"][language]:
        spec = dict(spec)
        if spec.pop("reason", False) and not ask_reason:
            continue
        show_if = spec.pop("show_if", None)
        if show_if is not None:
            index, op, value = show_if
            spec.update(show_if_question=added[index], show_if_op=op, show_if_value=value)
        added.append(question_add(survey=survey, position=len(added), **spec))
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, data: dict) -> Survey:
    """Change a survey's settings (the ``SETTINGS_FIELDS`` present in ``data``); all or nothing."""
    values = {f: data[f] for f in SETTINGS_FIELDS if f in data}
    opens_at = values.get("opens_at", survey.opens_at)
    closes_at = values.get("closes_at", survey.closes_at)
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError({"closes_at": "The survey must close after it opens."})
    changed = [f for f, v in values.items() if getattr(survey, f) != v]
    if not changed:
        return survey
    candidate = Survey.objects.get(pk=survey.pk)
    for field in changed:
        setattr(candidate, field, values[field])
    candidate.full_clean()
    candidate.save(update_fields=[*changed, "updated_at"])
    for field in [*changed, "updated_at"]:
        setattr(survey, field, getattr(candidate, field))
    return survey


@transaction.atomic
def question_update(*, question: Question, data: dict) -> Question:
    """Change a question (the ``QUESTION_FIELDS`` present in ``data``), validated like a new one.

    The kind cannot change once there are answers, a rating scale cannot shrink below given answers,
    and questions that depend on this one must stay valid (a scored source, values within its scale).
    """
    candidate = Question.objects.select_for_update().get(pk=question.pk)
    changed = [f for f in QUESTION_FIELDS if f in data and getattr(candidate, f) != data[f]]
    if not changed:
        return question
    for field in changed:
        setattr(candidate, field, data[field])
    # Clearing the source clears the whole condition (the builder's "no condition" choice).
    if "show_if_question" in changed and candidate.show_if_question is None:
        candidate.show_if_op, candidate.show_if_value = "", None
    errors: dict[str, list[str]] = {}
    answers = Answer.objects.filter(question=question)
    if "kind" in changed and answers.exists():
        errors["kind"] = ["The kind cannot change once the question has answers."]
    if (
        candidate.kind == Question.Kind.RATING
        and isinstance(candidate.scale_max, int)
        and answers.filter(value__gt=candidate.scale_max).exists()
    ):
        errors["scale_max"] = ["Some answers are above this scale; keep the scale at least as high."]
    for dependent in question.dependents.all():
        if candidate.kind not in Question.SCORED:
            errors.setdefault("kind", []).append(
                f"“{dependent.text}” is shown depending on this question; it must stay a scored question."
            )
        elif not candidate.scale[0] <= dependent.show_if_value <= candidate.scale[1]:
            errors.setdefault("scale_max" if candidate.kind == Question.Kind.RATING else "kind", []).append(
                f"“{dependent.text}” is shown depending on the value {dependent.show_if_value}, outside this scale."
            )
    try:
        question_validate(candidate)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    fields = list(dict.fromkeys([*changed, "choices", "show_if_op", "show_if_value"]))
    candidate.save(update_fields=fields)
    for field in fields:
        setattr(question, field, getattr(candidate, field))
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    """Delete a question that has no answers and no questions depending on it; close the gap in positions."""
    dependents = list(question.dependents.values_list("text", flat=True))
    if dependents:
        raise ValidationError(
            "Other questions are shown depending on this one (" + ", ".join(f"“{t}”" for t in dependents) + "); "
            "remove their condition first."
        )
    if Answer.objects.filter(question=question).exists():
        raise ValidationError(
            "This question has answers; deleting it would delete them. Make it optional instead, "
            "or deactivate the survey and build a new one."
        )
    survey = question.survey
    question.delete()
    _renumber(survey)


@transaction.atomic
def question_move(*, question: Question, direction: str) -> Question:
    """Swap a question with its neighbour (``up`` or ``down``); a condition must keep pointing upwards."""
    if direction not in ("up", "down"):
        raise ValidationError("Move a question up or down.")
    # Lock the survey's questions so two reorders cannot interleave.
    questions = list(
        Question.objects.select_for_update().filter(survey_id=question.survey_id).order_by("position", "id")
    )
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(questions):
        return question
    upper, lower = sorted([questions[index], questions[other]], key=questions.index)
    if lower.show_if_question_id == upper.pk:
        raise ValidationError(
            f"“{lower.text}” is shown depending on “{upper.text}”, so it must stay below it. "
            "Remove or change the condition first."
        )
    questions[index], questions[other] = questions[other], questions[index]
    _renumber(question.survey, ordered=questions)
    question.refresh_from_db(fields=["position"])
    return question


def _renumber(survey: Survey, *, ordered: list[Question] | None = None) -> None:
    """Positions 0..n-1 in the given (or current) order, saving only rows whose position changed."""
    if ordered is None:
        ordered = list(Question.objects.filter(survey=survey).order_by("position", "id"))
    moved = []
    for position, q in enumerate(ordered):
        if q.position != position:
            q.position = position
            moved.append(q)
    Question.objects.bulk_update(moved, ["position"])
