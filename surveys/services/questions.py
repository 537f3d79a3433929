"""Writing questions: add, change, delete and reorder them, each validated by ``question_validate``.

Every question write goes through ``question_validate``: kinds, choices, scales and display logic are
checked in one place for the builder pages and the API alike.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from surveys import signals
from surveys.models import Answer, Question, Survey

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
            errors["choices"] = [_("Choices must be a list of texts.")]
        else:
            question.choices = choices = [c.strip() for c in choices if c.strip()]
            if len(choices) < 2:
                errors["choices"] = [_("A choice question needs at least two choices.")]
            elif len(set(choices)) != len(choices):
                errors["choices"] = [_("Each choice must be different.")]
            elif any(len(c) > 200 for c in choices):
                errors["choices"] = [_("Keep each choice under 200 characters.")]
    elif question.kind:
        question.choices = []
    if question.kind == Question.Kind.RATING and not (
        isinstance(question.scale_max, int) and 2 <= question.scale_max <= 10
    ):
        errors["scale_max"] = [_("A rating scale goes from 1 to between 2 and 10.")]
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
        errors["show_if_question"] = [_("Choose the earlier question the condition refers to.")]
    if question.show_if_op not in Question.Op.values:
        errors["show_if_op"] = [_("Choose how to compare: ≤, ≥ or =.")]
    if question.show_if_value is None:
        errors["show_if_value"] = [_("Enter the value to compare the answer with.")]
    if source is None:
        return errors
    if source.survey_id != question.survey_id:
        errors["show_if_question"] = [_("Choose a question of this survey.")]
    elif question.pk is not None and source.pk == question.pk:
        errors["show_if_question"] = [_("A question cannot depend on itself.")]
    elif source.kind not in Question.SCORED:
        errors["show_if_question"] = [_("Choose a scored question (NPS, CSAT, CES or rating).")]
    elif (source.position, source.pk) >= (question.position, question.pk or float("inf")):
        errors["show_if_question"] = [_("The condition must refer to an earlier question.")]
    elif question.show_if_value is not None:
        low, high = source.scale
        if not low <= question.show_if_value <= high:
            errors["show_if_value"] = [
                _("Choose a value from %(low)s to %(high)s (the scale of that question).") % {"low": low, "high": high}
            ]
    return errors


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
        errors["kind"] = [_("The kind cannot change once the question has answers.")]
    if (
        candidate.kind == Question.Kind.RATING
        and isinstance(candidate.scale_max, int)
        and answers.filter(value__gt=candidate.scale_max).exists()
    ):
        errors["scale_max"] = [_("Some answers are above this scale; keep the scale at least as high.")]
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
            _("Other questions are shown depending on this one (%(questions)s); remove their condition first.")
            % {"questions": ", ".join(f"“{t}”" for t in dependents)}
        )
    if Answer.objects.filter(question=question).exists():
        raise ValidationError(
            _(
                "This question has answers; deleting it would delete them. Make it optional instead, "
                "or deactivate the survey and build a new one."
            )
        )
    survey = question.survey
    question.delete()
    _renumber(survey)


@transaction.atomic
def question_move(*, question: Question, direction: str) -> Question:
    """Swap a question with its neighbour (``up`` or ``down``); a condition must keep pointing upwards."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a question up or down."))
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
            _(
                "“%(lower)s” is shown depending on “%(upper)s”, so it must stay below it. "
                "Remove or change the condition first."
            )
            % {"lower": lower.text, "upper": upper.text}
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
    if moved:
        signals.survey_touch(survey.pk)  # bulk_update sends no signal; respondents' pages must see the new order
