"""Survey services: building NPS surveys and storing a response whole, or nothing at all."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cxportal.errors import ApplicationError
from surveys import services
from surveys.models import Answer, Question, Response, Survey
from tests.journeys.factories import CustomerFactory, TouchpointFactory
from tests.surveys.factories import QuestionFactory, SurveyFactory, nothing_stored

pytestmark = pytest.mark.django_db


@pytest.fixture
def touchpoint():
    return TouchpointFactory(name="Delivery")


@pytest.fixture
def delivery_survey(touchpoint):
    return services.survey_create_nps(title="Delivery NPS", touchpoint=touchpoint, language="en")


@pytest.fixture
def delivery_nps(delivery_survey):
    return delivery_survey.questions.get(kind=Question.Kind.NPS)


@pytest.fixture
def delivery_reason(delivery_survey):
    return delivery_survey.questions.get(kind=Question.Kind.LONG_TEXT)


class TestSurveyCreateNps:
    def test_english_survey_asks_the_score_then_an_optional_reason(self, touchpoint):
        survey = services.survey_create_nps(title="NPS", touchpoint=touchpoint, language="en")

        questions = list(survey.questions.order_by("position"))
        assert [q.kind for q in questions] == ["nps", "long_text"]
        assert questions[0].text == "How likely is it that you would recommend us to a friend or colleague?"
        assert questions[0].required is True
        assert questions[1].required is False
        assert survey.touchpoint == touchpoint
        assert survey.language == "en"

    def test_german_survey_has_german_question_texts(self, touchpoint):
        survey = services.survey_create_nps(title="Umfrage", touchpoint=touchpoint, language="de")

        texts = list(survey.questions.order_by("position").values_list("text", flat=True))
        assert texts == [
            "Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen weiterempfehlen?",
            "Was ist der wichtigste Grund für Ihre Bewertung?",
        ]
        assert survey.language == "de"

    def test_without_reason_only_the_score_is_asked(self, touchpoint):
        survey = services.survey_create_nps(title="Short", touchpoint=touchpoint, ask_reason=False)
        assert list(survey.questions.values_list("kind", flat=True)) == ["nps"]

    def test_survey_without_questions_is_refused_and_not_stored(self, touchpoint):
        with pytest.raises(ValidationError) as exc:
            services.survey_create(title="Empty", touchpoint=touchpoint, questions=[])
        assert "questions" in exc.value.message_dict
        assert Survey.objects.count() == 0

    def test_choice_question_with_one_choice_is_refused_and_the_survey_not_stored(self, touchpoint):
        with pytest.raises(ValidationError):
            services.survey_create(
                title="Bad choice",
                touchpoint=touchpoint,
                questions=[
                    {"kind": "nps", "text": "Score?"},
                    {"kind": "single_choice", "text": "Pick", "choices": ["A"]},
                ],
            )
        assert Survey.objects.count() == 0
        assert Question.objects.count() == 0


class TestResponseSubmit:
    def test_valid_answers_are_stored_with_the_surveys_touchpoint(
        self, delivery_survey, delivery_nps, delivery_reason, touchpoint
    ):
        customer = CustomerFactory()

        response = services.response_submit(
            survey=delivery_survey,
            customer=customer,
            answers=[
                {"question": delivery_nps.pk, "value": 9},
                {"question": delivery_reason.pk, "text": "  Fast delivery  "},
            ],
        )

        stored = Response.objects.get()
        assert stored == response
        assert stored.touchpoint == touchpoint
        assert stored.customer == customer
        assert stored.language == "en"
        answers = {a.question_id: a for a in stored.answers.all()}
        assert answers[delivery_nps.pk].value == 9
        assert answers[delivery_reason.pk].text == "Fast delivery"

    def test_nps_11_is_refused_keyed_by_question_and_nothing_is_stored(
        self, delivery_survey, delivery_nps, delivery_reason
    ):
        with pytest.raises(ValidationError) as exc:
            services.response_submit(
                survey=delivery_survey,
                answers=[{"question": delivery_nps.pk, "value": 11}, {"question": delivery_reason.pk, "text": "ok"}],
            )

        assert exc.value.message_dict == {f"q{delivery_nps.pk}": ["Choose a value from 0 to 10."]}
        assert nothing_stored()

    @pytest.mark.parametrize("value", [-1, 11, 100])
    def test_nps_outside_0_to_10_is_refused(self, delivery_survey, delivery_nps, value):
        with pytest.raises(ValidationError) as exc:
            services.response_submit(survey=delivery_survey, answers=[{"question": delivery_nps.pk, "value": value}])
        assert f"q{delivery_nps.pk}" in exc.value.message_dict
        assert nothing_stored()

    @pytest.mark.parametrize("value", ["abc", 9.5, "9.5", True, False, [9], {"v": 9}])
    def test_nps_that_is_not_a_whole_number_is_refused(self, delivery_survey, delivery_nps, value):
        with pytest.raises(ValidationError) as exc:
            services.response_submit(survey=delivery_survey, answers=[{"question": delivery_nps.pk, "value": value}])
        assert f"q{delivery_nps.pk}" in exc.value.message_dict
        assert nothing_stored()

    @pytest.mark.parametrize("value", [0, 10, "7", 8.0])
    def test_whole_numbers_in_range_are_accepted(self, delivery_survey, delivery_nps, value):
        services.response_submit(survey=delivery_survey, answers=[{"question": delivery_nps.pk, "value": value}])
        assert Answer.objects.get().value == int(value)

    def test_missing_required_answer_is_an_error_on_that_question(self, delivery_survey, delivery_nps, delivery_reason):
        with pytest.raises(ValidationError) as exc:
            services.response_submit(
                survey=delivery_survey, answers=[{"question": delivery_reason.pk, "text": "No score"}]
            )

        assert exc.value.message_dict == {f"q{delivery_nps.pk}": ["Please answer this question."]}
        assert nothing_stored()

    def test_empty_required_score_counts_as_missing(self, delivery_survey, delivery_nps):
        with pytest.raises(ValidationError) as exc:
            services.response_submit(survey=delivery_survey, answers=[{"question": delivery_nps.pk, "value": ""}])
        assert f"q{delivery_nps.pk}" in exc.value.message_dict
        assert nothing_stored()

    def test_optional_text_may_be_left_empty(self, delivery_survey, delivery_nps, delivery_reason):
        services.response_submit(
            survey=delivery_survey,
            answers=[{"question": delivery_nps.pk, "value": 3}, {"question": delivery_reason.pk, "text": "   "}],
        )
        assert list(Answer.objects.values_list("question_id", "value")) == [(delivery_nps.pk, 3)]

    def test_question_of_another_survey_is_refused(self, delivery_survey, delivery_nps):
        foreign = QuestionFactory(survey=SurveyFactory())

        with pytest.raises(ValidationError) as exc:
            services.response_submit(
                survey=delivery_survey,
                answers=[{"question": delivery_nps.pk, "value": 9}, {"question": foreign.pk, "value": 9}],
            )

        assert "answers" in exc.value.message_dict
        assert str(foreign.pk) in " ".join(exc.value.message_dict["answers"])
        assert nothing_stored()

    def test_same_question_answered_twice_is_refused(self, delivery_survey, delivery_nps):
        with pytest.raises(ValidationError):
            services.response_submit(
                survey=delivery_survey,
                answers=[{"question": delivery_nps.pk, "value": 9}, {"question": delivery_nps.pk, "value": 1}],
            )
        assert nothing_stored()

    def test_closed_survey_refuses_answers(self, delivery_survey, delivery_nps):
        Survey.objects.filter(pk=delivery_survey.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
        delivery_survey.refresh_from_db()

        with pytest.raises(ApplicationError):
            services.response_submit(survey=delivery_survey, answers=[{"question": delivery_nps.pk, "value": 9}])
        assert nothing_stored()

    def test_deactivated_survey_refuses_answers(self, delivery_survey, delivery_nps):
        Survey.objects.filter(pk=delivery_survey.pk).update(is_active=False)
        delivery_survey.refresh_from_db()

        with pytest.raises(ApplicationError):
            services.response_submit(survey=delivery_survey, answers=[{"question": delivery_nps.pk, "value": 9}])
        assert nothing_stored()

    def test_survey_that_has_not_opened_yet_refuses_answers(self, delivery_survey, delivery_nps):
        Survey.objects.filter(pk=delivery_survey.pk).update(opens_at=timezone.now() + timedelta(days=1))
        delivery_survey.refresh_from_db()

        with pytest.raises(ApplicationError):
            services.response_submit(survey=delivery_survey, answers=[{"question": delivery_nps.pk, "value": 9}])
        assert nothing_stored()

    def test_future_submitted_at_is_refused(self, delivery_survey, delivery_nps):
        with pytest.raises(ValidationError) as exc:
            services.response_submit(
                survey=delivery_survey,
                answers=[{"question": delivery_nps.pk, "value": 9}],
                submitted_at=timezone.now() + timedelta(hours=1),
            )
        assert "submitted_at" in exc.value.message_dict
        assert nothing_stored()

    def test_past_submitted_at_is_kept_for_imported_history(self, delivery_survey, delivery_nps):
        when = timezone.now() - timedelta(days=30)
        services.response_submit(
            survey=delivery_survey, answers=[{"question": delivery_nps.pk, "value": 9}], submitted_at=when
        )
        assert Response.objects.get().submitted_at == when

    def test_duplicate_external_id_is_refused(self, delivery_survey, delivery_nps):
        services.response_submit(
            survey=delivery_survey, answers=[{"question": delivery_nps.pk, "value": 9}], external_id="ERP-1"
        )

        with pytest.raises(ApplicationError) as exc:
            services.response_submit(
                survey=delivery_survey, answers=[{"question": delivery_nps.pk, "value": 2}], external_id="ERP-1"
            )

        assert "ERP-1" in exc.value.message
        assert Response.objects.count() == 1
        assert list(Answer.objects.values_list("value", flat=True)) == [9]

    def test_anonymous_survey_does_not_keep_the_customer(self, touchpoint):
        survey = services.survey_create(
            title="Anonymous", touchpoint=touchpoint, anonymous=True, questions=[{"kind": "nps", "text": "Score?"}]
        )
        question = survey.questions.get()

        services.response_submit(
            survey=survey, customer=CustomerFactory(), answers=[{"question": question.pk, "value": 5}]
        )

        assert Response.objects.get().customer is None

    def test_response_is_attributed_to_the_touchpoint_the_survey_measures(
        self, delivery_survey, delivery_nps, touchpoint
    ):
        response = services.response_submit(
            survey=delivery_survey, answers=[{"question": delivery_nps.pk, "value": 10}]
        )
        assert response.touchpoint_id == touchpoint.pk == delivery_survey.touchpoint_id

    def test_german_survey_gives_german_error_messages(self, touchpoint):
        survey = services.survey_create_nps(title="Umfrage", touchpoint=touchpoint, language="de")
        nps = survey.questions.get(kind="nps")

        with pytest.raises(ValidationError) as exc:
            services.response_submit(survey=survey, answers=[{"question": nps.pk, "value": 11}])

        assert exc.value.message_dict[f"q{nps.pk}"] == ["Bitte wählen Sie einen Wert von 0 bis 10."]

    def test_choice_answers_must_be_among_the_options(self, touchpoint):
        survey = services.survey_create(
            title="Channels",
            touchpoint=touchpoint,
            questions=[{"kind": "multiple_choice", "text": "Which?", "choices": ["Web", "Phone"]}],
        )
        question = survey.questions.get()

        with pytest.raises(ValidationError):
            services.response_submit(survey=survey, answers=[{"question": question.pk, "choices": ["Web", "Fax"]}])
        assert nothing_stored()

        services.response_submit(survey=survey, answers=[{"question": question.pk, "choices": ["Phone", "Web"]}])
        assert Answer.objects.get().choices == ["Phone", "Web"]
