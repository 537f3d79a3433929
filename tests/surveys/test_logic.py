"""Display logic: a question shown only when an earlier score meets a condition — the same on the page and the API."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from surveys import services
from surveys.models import Answer, Response
from tests.journeys.factories import TouchpointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logic_survey():
    """NPS (required); "improve" required but only for NPS ≤ 6; "praise" optional only for NPS ≥ 9."""
    survey = services.survey_create(
        title="Logic", touchpoint=TouchpointFactory(), questions=[{"kind": "nps", "text": "Recommend us?"}]
    )
    nps = survey.questions.get()
    services.question_add(
        survey=survey, kind="long_text", text="What should we improve?", show_if_question=nps, show_if_op="lte",
        show_if_value=6,
    )  # fmt: skip
    services.question_add(
        survey=survey, kind="short_text", text="What did you like?", required=False, show_if_question=nps,
        show_if_op="gte", show_if_value=9,
    )  # fmt: skip
    return survey


def _ids(survey):
    nps, improve, praise = survey.questions.order_by("position")
    return nps.pk, improve.pk, praise.pk


def submit_by_page(client, api_client, survey, nps, improve=None, praise=None):
    """Submit through the public page; returns (ok, error keys)."""
    nps_id, improve_id, praise_id = _ids(survey)
    data = {f"q{nps_id}": str(nps), f"q{improve_id}": improve or "", f"q{praise_id}": praise or ""}
    response = client.post(reverse("respondent:survey", args=[survey.public_token]), data)
    if response.status_code == 302:
        return True, set()
    return False, set(response.context["form"].errors)


def submit_by_api(client, api_client, survey, nps, improve=None, praise=None):
    nps_id, improve_id, praise_id = _ids(survey)
    answers = [{"question": nps_id, "value": nps}]
    if improve is not None:
        answers.append({"question": improve_id, "text": improve})
    if praise is not None:
        answers.append({"question": praise_id, "text": praise})
    response = api_client.post("/api/v1/responses/", {"survey": survey.pk, "answers": answers}, format="json")
    if response.status_code == 201:
        return True, set()
    return False, set(response.json())


@pytest.fixture(params=[submit_by_page, submit_by_api], ids=["page", "api"])
def submit(request, client, api_client):
    return lambda *args, **kwargs: request.param(client, api_client, *args, **kwargs)


def _stored_texts() -> dict[int, str]:
    return dict(Answer.objects.exclude(text="").values_list("question_id", "text"))


def test_hidden_required_question_is_not_required(submit, logic_survey):
    ok, errors = submit(logic_survey, nps=9)

    assert ok, errors
    assert Response.objects.count() == 1


def test_answer_to_a_hidden_question_is_discarded(submit, logic_survey):
    nps_id, improve_id, praise_id = _ids(logic_survey)

    ok, _errors = submit(logic_survey, nps=10, improve="Nothing to improve, but I typed anyway", praise="Speed")

    assert ok
    assert _stored_texts() == {praise_id: "Speed"}


def test_shown_required_question_is_required(submit, logic_survey):
    nps_id, improve_id, _praise_id = _ids(logic_survey)

    ok, errors = submit(logic_survey, nps=6)

    assert not ok
    assert errors == {f"q{improve_id}"}
    assert Response.objects.count() == 0


def test_condition_met_keeps_the_answer(submit, logic_survey):
    nps_id, improve_id, _praise_id = _ids(logic_survey)

    ok, _errors = submit(logic_survey, nps=0, improve="Faster delivery", praise="ignored: 0 is not ≥ 9")

    assert ok
    assert _stored_texts() == {improve_id: "Faster delivery"}


def test_invalid_answer_to_a_hidden_question_does_not_block_the_submit(logic_survey):
    nps_id, _improve_id, praise_id = _ids(logic_survey)

    services.response_submit(
        survey=logic_survey, answers=[{"question": nps_id, "value": 7}, {"question": praise_id, "text": "x" * 500}]
    )

    assert Response.objects.count() == 1
    assert Answer.objects.filter(question_id=praise_id).count() == 0


def test_unanswered_source_hides_its_dependents_and_chains_follow(logic_survey):
    nps_id, improve_id, _praise_id = _ids(logic_survey)
    nps = logic_survey.questions.get(pk=nps_id)
    nps.required = False
    nps.save(update_fields=["required"])
    rating = services.question_add(
        survey=logic_survey, kind="rating", text="Rate the fix", scale_max=5, required=True, show_if_question=nps,
        show_if_op="lte", show_if_value=6,
    )  # fmt: skip
    follow = services.question_add(
        survey=logic_survey,
        kind="short_text",
        text="Why so low?",
        show_if_question=rating,
        show_if_op="lte",
        show_if_value=2,
    )

    # NPS unanswered → improve and rating hidden → "why so low" hidden (its source is hidden) → only the
    # unconditional questions count; nothing required is missing but the response would be empty.
    with pytest.raises(ValidationError) as exc:
        services.response_submit(
            survey=logic_survey,
            answers=[{"question": rating.pk, "value": 1}, {"question": follow.pk, "text": "hidden"}],
        )
    assert exc.value.message_dict == {"answers": ["Please answer at least one question."]}

    services.response_submit(
        survey=logic_survey,
        answers=[
            {"question": nps_id, "value": 2},
            {"question": improve_id, "text": "More staff"},
            {"question": rating.pk, "value": 1},
            {"question": follow.pk, "text": "Slow"},
        ],
    )
    assert set(Answer.objects.values_list("question_id", flat=True)) == {nps_id, improve_id, rating.pk, follow.pk}


def test_page_marks_a_conditional_question_and_wires_it_for_the_script(client, logic_survey):
    nps_id, improve_id, _praise_id = _ids(logic_survey)

    page = client.get(reverse("respondent:survey", args=[logic_survey.public_token])).content.decode()

    assert "(only if your answer to “Recommend us?” is 6 or less)" in page
    assert "(only if your answer to “Recommend us?” is 9 or more)" in page
    assert f'data-show-if-field="q{nps_id}" data-show-if-op="lte" data-show-if-value="6"' in page
    assert 'src="/static/surveys/display-logic.js" defer' in page


def test_german_page_marks_conditions_in_german(client, logic_survey):
    logic_survey.language = "de"
    logic_survey.save(update_fields=["language"])

    page = client.get(reverse("respondent:survey", args=[logic_survey.public_token])).content.decode()

    assert "(nur wenn Ihre Antwort auf „Recommend us?“ 6 oder weniger ist)" in page
    assert "(nur wenn Ihre Antwort auf „Recommend us?“ 9 oder mehr ist)" in page
