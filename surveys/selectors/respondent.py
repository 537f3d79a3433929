"""The reads of a respondent's submit, made cheap: it is the busiest request of the product (issue 17, P1).

- ``invitation_by_token``: the invitation, its campaign, survey and customer, and whether it has its response
  — one statement written out once per process, not built by the ORM on every request.
- ``survey_questions``: the survey's questions in order, kept per process for as long as the survey's
  ``updated_at`` stays the same. Every change of a question touches its survey (``surveys.signals`` and
  ``surveys.services.questions``), so a changed survey is read again on the next request, in every process.
  Callers get copies: a view may annotate them (``condition_field``) without touching the kept ones.
"""

import copy
import functools
import threading
from collections import OrderedDict

from django.db import connection

from journeys.models import Customer
from surveys.models import Campaign, Invitation, Question, Response, Survey

_MODELS = (Invitation, Campaign, Survey, Customer)
KEEP_SURVEYS = 256


@functools.cache
def _invitation_query(vendor: str) -> tuple[str, list[list]]:
    """The statement and, per model, its fields with their database converters (as the ORM would apply them)."""
    q = connection.ops.quote_name
    aliases = ("i", "c", "s", "cu")
    columns, fields = [], []
    for model, alias in zip(_MODELS, aliases, strict=True):
        model_fields = []
        for field in model._meta.concrete_fields:
            columns.append(f"{alias}.{q(field.column)}")
            col = field.get_col(alias)
            converters = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
            model_fields.append((field, col, converters))
        fields.append(model_fields)
    t = {model: q(model._meta.db_table) for model in (*_MODELS, Response)}
    # Only quoted names go into the text; the token is a parameter.
    sql = (
        f"SELECT {', '.join(columns)}, "  # noqa: S608
        f"EXISTS (SELECT 1 FROM {t[Response]} r WHERE r.{q('invitation_id')} = i.{q('id')}) "
        f"FROM {t[Invitation]} i "
        f"JOIN {t[Campaign]} c ON c.{q('id')} = i.{q('campaign_id')} "
        f"JOIN {t[Survey]} s ON s.{q('id')} = c.{q('survey_id')} "
        f"JOIN {t[Customer]} cu ON cu.{q('id')} = i.{q('customer_id')} "
        f"WHERE i.{q('token')} = %s"
    )
    return sql, fields


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation (with its campaign, survey and customer loaded) and ``has_response``, or None."""
    sql, fields = _invitation_query(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [token])
        row = cursor.fetchone()
    if row is None:
        return None
    objects, start = [], 0
    for model, model_fields in zip(_MODELS, fields, strict=True):
        values = []
        for offset, (_field, col, converters) in enumerate(model_fields):
            value = row[start + offset]
            for converter in converters:
                value = converter(value, col, connection)
            values.append(value)
        start += len(model_fields)
        objects.append(model.from_db(connection.alias, [f.attname for f, _c, _v in model_fields], values))
    invitation, campaign, survey, customer = objects
    campaign.survey = survey
    invitation.campaign = campaign
    invitation.customer = customer
    invitation.has_response = bool(row[-1])
    return invitation


_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()


def _load_questions(survey: Survey) -> list[Question]:
    questions = list(Question.objects.filter(survey_id=survey.pk).order_by("position", "id"))
    _link_conditions(questions)
    return questions


def _link_conditions(questions: list[Question]) -> None:
    # A condition refers to an earlier question of the same survey: it is in the list already.
    by_id = {q.pk: q for q in questions}
    for question in questions:
        source = by_id.get(question.show_if_question_id)
        if source is not None:
            question.show_if_question = source


def survey_questions(*, survey: Survey) -> list[Question]:
    """The survey's questions in order, each linked to the question its display condition refers to."""
    key = (connection.alias, survey.pk, survey.updated_at)
    with _lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
    if kept is None:
        kept = _load_questions(survey)
        with _lock:
            _kept[key] = kept
            while len(_kept) > KEEP_SURVEYS:
                _kept.popitem(last=False)
    questions = [copy.copy(q) for q in kept]
    for question in questions:
        question._state = copy.copy(question._state)
        question._state.fields_cache = {}
    _link_conditions(questions)
    return questions


def forget_kept(*, survey_id: int | None = None) -> None:
    """Drop what this process keeps of one survey (or of all): other processes notice ``updated_at``."""
    with _lock:
        for key in [k for k in _kept if survey_id is None or k[1] == survey_id]:
            del _kept[key]
