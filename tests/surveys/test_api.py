"""The surveys API: surveys with nested questions, and responses submitted whole or refused with field errors."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from surveys.models import Answer, Question, Response, Survey
from surveys.services import response_submit, survey_create_nps
from tests.journeys.factories import CustomerFactory, TouchpointFactory
from tests.surveys.factories import QuestionFactory, SurveyFactory, nothing_stored

pytestmark = pytest.mark.django_db

RESPONSES = "/api/v1/responses/"
SURVEYS = "/api/v1/surveys/"


class TestResponses:
    def test_valid_response_is_201_with_its_answers(self, api_client, survey, nps, reason):
        customer = CustomerFactory()

        response = api_client.post(
            RESPONSES,
            {
                "survey": survey.pk,
                "customer": customer.pk,
                "answers": [{"question": nps.pk, "value": 10}, {"question": reason.pk, "text": "Great onboarding"}],
            },
            format="json",
        )

        assert response.status_code == 201
        body = response.json()
        assert body["survey"] == survey.pk
        assert body["customer"] == customer.pk
        assert body["touchpoint"] == survey.touchpoint_id
        assert body["source"] == "api"
        assert {a["question"]: (a["value"], a["text"]) for a in body["answers"]} == {
            nps.pk: (10, ""),
            reason.pk: (None, "Great onboarding"),
        }
        assert Response.objects.get().pk == body["id"]

    def test_nps_11_is_400_keyed_by_question_and_nothing_stored(self, api_client, survey, nps, reason):
        response = api_client.post(
            RESPONSES,
            {"survey": survey.pk, "answers": [{"question": nps.pk, "value": 11}, {"question": reason.pk, "text": "x"}]},
            format="json",
        )

        assert response.status_code == 400
        assert response.json() == {f"q{nps.pk}": ["Choose a value from 0 to 10."]}
        assert nothing_stored()

    @pytest.mark.parametrize("value", ["abc", 9.5, True])
    def test_score_that_is_not_a_whole_number_is_400(self, api_client, survey, nps, value):
        response = api_client.post(
            RESPONSES, {"survey": survey.pk, "answers": [{"question": nps.pk, "value": value}]}, format="json"
        )
        assert response.status_code == 400
        assert f"q{nps.pk}" in response.json()
        assert nothing_stored()

    def test_question_of_another_survey_is_400(self, api_client, survey, nps):
        foreign = QuestionFactory(survey=SurveyFactory())

        response = api_client.post(
            RESPONSES,
            {"survey": survey.pk, "answers": [{"question": nps.pk, "value": 9}, {"question": foreign.pk, "value": 9}]},
            format="json",
        )

        assert response.status_code == 400
        assert "answers" in response.json()
        assert nothing_stored()

    def test_missing_required_answer_is_400(self, api_client, survey, nps, reason):
        response = api_client.post(
            RESPONSES, {"survey": survey.pk, "answers": [{"question": reason.pk, "text": "no score"}]}, format="json"
        )
        assert response.status_code == 400
        assert response.json() == {f"q{nps.pk}": ["Please answer this question."]}
        assert nothing_stored()

    def test_empty_answer_list_is_400(self, api_client, survey):
        response = api_client.post(RESPONSES, {"survey": survey.pk, "answers": []}, format="json")
        assert response.status_code == 400
        assert "answers" in response.json()
        assert nothing_stored()

    def test_unknown_survey_is_400(self, api_client, nps):
        response = api_client.post(
            RESPONSES, {"survey": 999999, "answers": [{"question": nps.pk, "value": 9}]}, format="json"
        )
        assert response.status_code == 400
        assert "survey" in response.json()

    def test_future_submitted_at_is_400(self, api_client, survey, nps):
        response = api_client.post(
            RESPONSES,
            {
                "survey": survey.pk,
                "submitted_at": (timezone.now() + timedelta(days=1)).isoformat(),
                "answers": [{"question": nps.pk, "value": 9}],
            },
            format="json",
        )
        assert response.status_code == 400
        assert "submitted_at" in response.json()
        assert nothing_stored()

    def test_closed_survey_is_400_with_a_message(self, api_client, survey, nps):
        Survey.objects.filter(pk=survey.pk).update(is_active=False)
        response = api_client.post(
            RESPONSES, {"survey": survey.pk, "answers": [{"question": nps.pk, "value": 9}]}, format="json"
        )
        assert response.status_code == 400
        assert "not open" in response.json()["detail"]
        assert nothing_stored()

    def test_duplicate_external_id_is_400_and_keeps_the_first(self, api_client, survey, nps):
        body = {"survey": survey.pk, "external_id": "CRM-77", "answers": [{"question": nps.pk, "value": 9}]}
        assert api_client.post(RESPONSES, body, format="json").status_code == 201

        again = api_client.post(RESPONSES, {**body, "answers": [{"question": nps.pk, "value": 1}]}, format="json")

        assert again.status_code == 400
        assert "CRM-77" in again.json()["detail"]
        assert list(Answer.objects.values_list("value", flat=True)) == [9]

    def test_responses_can_be_listed_by_survey(self, api_client, survey, nps):
        response_submit(survey=survey, answers=[{"question": nps.pk, "value": 4}])
        other = survey_create_nps(title="Other", touchpoint=None)
        response_submit(survey=other, answers=[{"question": other.questions.get(kind="nps").pk, "value": 8}])

        body = api_client.get(f"{RESPONSES}?survey={survey.pk}").json()

        assert body["count"] == 1
        assert body["results"][0]["answers"][0]["value"] == 4

    def test_surveys_read_scope_cannot_submit_responses(self, api_client_for, survey, nps):
        client = api_client_for(["surveys:read"])
        response = client.post(
            RESPONSES, {"survey": survey.pk, "answers": [{"question": nps.pk, "value": 9}]}, format="json"
        )
        assert response.status_code == 403
        assert nothing_stored()


class TestSurveys:
    def test_list_nests_each_surveys_questions_in_order(self, api_client, survey):
        body = api_client.get(SURVEYS).json()

        assert body["count"] == 1
        listed = body["results"][0]
        assert listed["title"] == "Onboarding NPS"
        assert [q["kind"] for q in listed["questions"]] == ["nps", "long_text"]
        assert [q["required"] for q in listed["questions"]] == [True, False]
        assert listed["public_url"].endswith(f"/s/{survey.public_token}/")

    def test_creating_a_survey_with_questions_stores_them_in_order(self, api_client):
        touchpoint = TouchpointFactory()

        response = api_client.post(
            SURVEYS,
            {
                "title": "Support CSAT",
                "touchpoint": touchpoint.pk,
                "language": "de",
                "questions": [
                    {"kind": "csat", "text": "Wie zufrieden waren Sie?"},
                    {"kind": "single_choice", "text": "Kanal?", "choices": ["Telefon", "E-Mail"], "required": False},
                ],
            },
            format="json",
        )

        assert response.status_code == 201
        survey = Survey.objects.get()
        assert survey.title == "Support CSAT"
        assert survey.touchpoint == touchpoint
        assert list(survey.questions.order_by("position").values_list("kind", "text", "required", "choices")) == [
            ("csat", "Wie zufrieden waren Sie?", True, []),
            ("single_choice", "Kanal?", False, ["Telefon", "E-Mail"]),
        ]
        assert [q["id"] for q in response.json()["questions"]] == list(
            survey.questions.order_by("position").values_list("pk", flat=True)
        )

    def test_survey_not_tied_to_a_touchpoint_can_be_created(self, api_client):
        response = api_client.post(
            SURVEYS, {"title": "General NPS", "questions": [{"kind": "nps", "text": "Score?"}]}, format="json"
        )
        assert response.status_code == 201
        assert response.json()["touchpoint"] is None
        assert Survey.objects.get().questions.count() == 1

    def test_survey_without_questions_is_400_and_not_stored(self, api_client):
        response = api_client.post(SURVEYS, {"title": "Empty", "questions": []}, format="json")
        assert response.status_code == 400
        assert "questions" in response.json()
        assert Survey.objects.count() == 0

    def test_survey_with_an_unknown_question_kind_is_400_and_not_stored(self, api_client):
        response = api_client.post(
            SURVEYS, {"title": "Odd", "questions": [{"kind": "emoji", "text": "How?"}]}, format="json"
        )
        assert response.status_code == 400
        assert Survey.objects.count() == 0
        assert Question.objects.count() == 0

    def test_survey_with_a_bad_second_question_stores_nothing(self, api_client):
        response = api_client.post(
            SURVEYS,
            {
                "title": "Half",
                "questions": [
                    {"kind": "nps", "text": "Score?"},
                    {"kind": "single_choice", "text": "Only one option", "choices": ["A"]},
                ],
            },
            format="json",
        )
        assert response.status_code == 400
        assert Survey.objects.count() == 0
        assert Question.objects.count() == 0

    def test_survey_list_queries_do_not_grow_with_surveys(self, api_client, django_assert_max_num_queries):
        survey_create_nps(title="One", touchpoint=None)
        api_client.get(SURVEYS)  # first use of the key records last_used_at
        with CaptureQueriesContext(connection) as few:
            api_client.get(SURVEYS)
        for n in range(19):
            survey_create_nps(title=f"More {n}", touchpoint=None)

        with django_assert_max_num_queries(len(few.captured_queries)):
            body = api_client.get(SURVEYS).json()
        assert body["count"] == 20
