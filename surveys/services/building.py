"""Building surveys: create one (from questions, the NPS pair or a template) and change its settings.

Questions are written by ``surveys.services.questions``; both the builder pages and the API call these.
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from journeys.models import Touchpoint
from surveys.models import Question, Survey
from surveys.services.questions import question_add

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
        raise ValidationError({"questions": gettext_now("A survey needs at least one question.")})
    for position, spec in enumerate(questions):
        question_add(survey=survey, position=position, **spec)
    return survey


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


K = Question.Kind

# Each template: (key, label) and per language the questions; ``show_if`` is (index of an earlier
# question, op, value). Texts are content in the survey's language, not interface strings.
TEMPLATES = {
    "relationship_nps": {
        "label": _("Relationship NPS — how likely customers are to recommend you"),
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
        "label": _("Transactional CSAT — after a support contact"),
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
        "label": _("CES — after a service request"),
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
    "blank": {"label": _("Blank — add your own questions"), "questions": {"en": [], "de": []}},
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
        raise ValidationError({"template": gettext_now("Choose one of the templates.")})
    if language not in TEMPLATES[template]["questions"]:
        raise ValidationError({"language": gettext_now("Choose English or German.")})
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
        raise ValidationError({"closes_at": gettext_now("The survey must close after it opens.")})
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
