"""The survey builder: templates, settings, questions of every kind, reorder, delete — page and API, bad input."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from surveys import services
from surveys.models import Question, Response, Survey
from tests.journeys.factories import TouchpointFactory
from tests.surveys.factories import QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def _snapshot(survey: Survey) -> list[tuple]:
    return list(
        survey.questions.order_by("position", "id").values_list(
            "id", "kind", "text", "help_text", "required", "position", "choices", "scale_max",
            "starts_page", "show_if_question", "show_if_op", "show_if_value",
        )
    )  # fmt: skip


@pytest.fixture
def builder_survey():
    return services.survey_create(
        title="Builder",
        touchpoint=TouchpointFactory(),
        questions=[
            {"kind": "nps", "text": "Recommend us?"},
            {"kind": "long_text", "text": "Why?", "required": False},
            {"kind": "csat", "text": "Satisfied?"},
        ],
    )


def _q(survey, position) -> Question:
    return survey.questions.get(position=position)


class TestTemplates:
    @pytest.mark.parametrize(
        ("template", "kinds", "first_text"),
        [
            (
                "relationship_nps",
                ["nps", "long_text", "short_text", "multiple_choice"],
                "How likely is it that you would recommend us to a friend or colleague?",
            ),
            ("support_csat", ["csat", "single_choice", "long_text"], "How satisfied are you with the support"),
            ("service_ces", ["ces", "single_choice", "long_text"], "It was easy to get my request handled."),
        ],
    )
    def test_english_template_creates_its_questions_with_a_follow_up_for_low_scores(self, template, kinds, first_text):
        survey = services.survey_create_from_template(template=template, title="T", language="en")

        questions = list(survey.questions.order_by("position"))
        assert [q.kind for q in questions] == kinds
        assert questions[0].text.startswith(first_text)
        assert questions[0].required is True
        conditional = [q for q in questions if q.has_condition]
        assert len(conditional) == 1
        assert conditional[0].show_if_question == questions[0]
        assert conditional[0].show_if_op == "lte"
        assert conditional[0].required is False

    @pytest.mark.parametrize(
        ("template", "expected"),
        [
            ("relationship_nps", "Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen weiterempfehlen?"),
            ("support_csat", "Wie zufrieden sind Sie mit der Unterstützung, die Sie erhalten haben?"),
            ("service_ces", "Es war einfach, mein Anliegen erledigen zu lassen."),
        ],
    )
    def test_german_template_has_german_texts_and_choices(self, template, expected):
        survey = services.survey_create_from_template(template=template, title="T", language="de")

        questions = list(survey.questions.order_by("position"))
        assert survey.language == "de"
        assert questions[0].text == expected
        choices = [c for q in questions for c in q.choices]
        assert choices and not {"Yes", "No", "Once", "Price"} & set(choices)

    def test_nps_template_without_reason_leaves_the_reason_out_but_keeps_the_follow_up(self):
        survey = services.survey_create_from_template(template="relationship_nps", title="T", ask_reason=False)

        questions = list(survey.questions.order_by("position"))
        assert [q.kind for q in questions] == ["nps", "short_text", "multiple_choice"]
        assert questions[1].show_if_question == questions[0]
        assert [q.position for q in questions] == [0, 1, 2]

    def test_blank_template_creates_a_survey_without_questions_that_is_not_open(self, client):
        survey = services.survey_create_from_template(template="blank", title="Empty")

        assert survey.questions.count() == 0
        assert client.get(reverse("respondent:survey", args=[survey.public_token])).status_code == 410

    def test_unknown_template_is_refused(self):
        with pytest.raises(ValidationError) as exc:
            services.survey_create_from_template(template="nope", title="T")
        assert "template" in exc.value.message_dict
        assert Survey.objects.count() == 0

    def test_create_page_makes_the_chosen_template(self, manager_client):
        touchpoint = TouchpointFactory()
        response = manager_client.post(
            reverse("surveys:survey_create"),
            {"template": "service_ces", "title": "Service CES", "touchpoint": touchpoint.pk, "language": "de"},
        )

        assert response.status_code == 302
        survey = Survey.objects.get()
        assert survey.touchpoint == touchpoint
        assert survey.questions.first().kind == "ces"
        assert survey.questions.first().text == "Es war einfach, mein Anliegen erledigen zu lassen."

    def test_create_page_without_a_title_shows_the_error_and_creates_nothing(self, manager_client):
        response = manager_client.post(reverse("surveys:survey_create"), {"template": "blank", "language": "en"})

        assert response.status_code == 200
        assert "This field is required." in response.content.decode()
        assert Survey.objects.count() == 0


class TestSettings:
    def test_settings_page_saves_every_setting(self, manager_client, builder_survey):
        opens = timezone.localtime() + timedelta(days=1)
        response = manager_client.post(
            reverse("surveys:survey_settings", args=[builder_survey.pk]),
            {
                "title": "Renamed",
                "language": "de",
                "intro": "Hallo",
                "thank_you_text": "Danke!",
                "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
                "closes_at": (opens + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
                "anonymous": "on",
                "one_response_per_browser": "on",
                # is_active and public_link_enabled unticked
            },
        )

        assert response.status_code == 302
        builder_survey.refresh_from_db()
        assert (builder_survey.title, builder_survey.language, builder_survey.intro, builder_survey.thank_you_text) == (
            "Renamed",
            "de",
            "Hallo",
            "Danke!",
        )
        assert builder_survey.anonymous and builder_survey.one_response_per_browser
        assert not builder_survey.is_active and not builder_survey.public_link_enabled
        assert builder_survey.touchpoint is None
        assert timezone.localtime(builder_survey.opens_at).strftime("%Y-%m-%d %H:%M") == opens.strftime(
            "%Y-%m-%d %H:%M"
        )

    def test_closing_before_opening_is_refused_and_nothing_changes(self, manager_client, builder_survey):
        before = Survey.objects.filter(pk=builder_survey.pk).values().get()
        now = timezone.localtime()

        response = manager_client.post(
            reverse("surveys:survey_settings", args=[builder_survey.pk]),
            {
                "title": "Changed",
                "language": "en",
                "is_active": "on",
                "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
                "closes_at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            },
        )

        assert response.status_code == 400
        assert "The survey must close after it opens." in response.content.decode()
        assert Survey.objects.filter(pk=builder_survey.pk).values().get() == before


class TestQuestionWrites:
    @pytest.mark.parametrize(
        ("fields", "expected"),
        [
            ({"kind": "nps"}, {"kind": "nps"}),
            ({"kind": "csat"}, {"kind": "csat"}),
            ({"kind": "ces"}, {"kind": "ces"}),
            ({"kind": "rating", "scale_max": "10"}, {"kind": "rating", "scale_max": 10}),
            ({"kind": "single_choice", "choices": "Red\r\n\r\n Blue \r\n"}, {"choices": ["Red", "Blue"]}),
            ({"kind": "multiple_choice", "choices": "A\nB\nC"}, {"choices": ["A", "B", "C"]}),
            ({"kind": "short_text", "help_text": "One line"}, {"help_text": "One line"}),
            ({"kind": "long_text", "required": ""}, {"required": False}),
        ],
    )
    def test_every_kind_of_question_can_be_added_at_the_end(self, manager_client, builder_survey, fields, expected):
        data = {"text": "New question", "required": "on", "scale_max": "5", **fields}

        response = manager_client.post(reverse("surveys:question_create", args=[builder_survey.pk]), data)

        assert response.status_code == 302
        question = builder_survey.questions.get(text="New question")
        assert question.position == 3
        for field, value in expected.items():
            assert getattr(question, field) == value

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"kind": "single_choice", "choices": "Only one"}, "choices", "at least two choices"),
            ({"kind": "multiple_choice", "choices": "Same\nSame"}, "choices", "Each choice must be different"),
            ({"kind": "rating", "scale_max": "11"}, "scale_max", "between 2 and 10"),
            ({"kind": "rating", "scale_max": "1"}, "scale_max", "between 2 and 10"),
            ({"kind": "short_text", "text": ""}, "text", "This field is required"),
            ({"kind": "long_text", "show_if_question": "TEXT", "show_if_op": "lte", "show_if_value": "3"},
             "show_if_question", "Select a valid choice"),
            ({"kind": "long_text", "show_if_question": "NPS", "show_if_op": "lte", "show_if_value": "11"},
             "show_if_value", "Choose a value from 0 to 10"),
            ({"kind": "long_text", "show_if_question": "NPS", "show_if_op": "", "show_if_value": "6"},
             "show_if_op", "Choose how to compare"),
            ({"kind": "long_text", "show_if_question": "NPS", "show_if_op": "lte", "show_if_value": ""},
             "show_if_value", "Enter the value"),
            ({"kind": "long_text", "show_if_question": "", "show_if_op": "lte", "show_if_value": "6"},
             "show_if_question", "Choose the earlier question"),
        ],
    )  # fmt: skip
    def test_bad_new_question_shows_the_error_and_changes_nothing(
        self, manager_client, builder_survey, data, field, message
    ):
        ids = {"TEXT": str(_q(builder_survey, 1).pk), "NPS": str(_q(builder_survey, 0).pk)}
        data = {"text": "Bad", "required": "on", "scale_max": "5", **data}
        data = {k: ids.get(v, v) for k, v in data.items()}
        before = _snapshot(builder_survey)

        response = manager_client.post(reverse("surveys:question_create", args=[builder_survey.pk]), data)

        assert response.status_code == 400
        assert message in response.content.decode()
        assert field in response.context["form"].errors
        assert _snapshot(builder_survey) == before

    def test_condition_on_a_later_question_is_refused_on_edit(self, manager_client, builder_survey):
        why, csat = _q(builder_survey, 1), _q(builder_survey, 2)
        before = _snapshot(builder_survey)

        response = manager_client.post(
            reverse("surveys:question_edit", args=[builder_survey.pk, why.pk]),
            {"kind": "long_text", "text": "Why?", "show_if_question": csat.pk, "show_if_op": "lte", "show_if_value": 2},
        )

        assert response.status_code == 400
        assert "The condition must refer to an earlier question." in response.content.decode()
        assert _snapshot(builder_survey) == before

    def test_condition_on_another_surveys_question_is_refused_by_the_service_and_the_form(
        self, manager_client, builder_survey
    ):
        foreign = QuestionFactory(survey=SurveyFactory(), kind="nps")
        why = _q(builder_survey, 1)
        before = _snapshot(builder_survey)

        with pytest.raises(ValidationError) as exc:
            services.question_update(
                question=why, data={"show_if_question": foreign, "show_if_op": "lte", "show_if_value": 6}
            )
        assert exc.value.message_dict["show_if_question"] == ["Choose a question of this survey."]
        response = manager_client.post(
            reverse("surveys:question_edit", args=[builder_survey.pk, why.pk]),
            {
                "kind": "long_text",
                "text": "Why?",
                "show_if_question": foreign.pk,
                "show_if_op": "lte",
                "show_if_value": 6,
            },
        )
        assert response.status_code == 400
        assert "show_if_question" in response.context["form"].errors
        assert _snapshot(builder_survey) == before

    def test_edit_saves_text_help_requiredness_and_condition(self, manager_client, builder_survey):
        nps, why = _q(builder_survey, 0), _q(builder_survey, 1)

        response = manager_client.post(
            reverse("surveys:question_edit", args=[builder_survey.pk, why.pk]),
            {
                "kind": "long_text",
                "text": "What should we improve?",
                "help_text": "Be frank",
                "required": "on",
                "show_if_question": nps.pk,
                "show_if_op": "lte",
                "show_if_value": "6",
                "starts_page": "on",
            },
        )

        assert response.status_code == 302
        why.refresh_from_db()
        assert (why.text, why.help_text, why.required, why.starts_page) == (
            "What should we improve?",
            "Be frank",
            True,
            True,
        )
        assert (why.show_if_question, why.show_if_op, why.show_if_value) == (nps, "lte", 6)
        detail = manager_client.get(reverse("surveys:survey_detail", args=[builder_survey.pk])).content.decode()
        assert "Only if “Recommend us?” ≤ 6" in detail

    def test_choosing_always_show_clears_the_whole_condition(self, builder_survey):
        nps, why = _q(builder_survey, 0), _q(builder_survey, 1)
        services.question_update(question=why, data={"show_if_question": nps, "show_if_op": "gte", "show_if_value": 9})

        services.question_update(question=why, data={"show_if_question": None, "show_if_op": "gte", "show_if_value": 9})

        why.refresh_from_db()
        assert (why.show_if_question, why.show_if_op, why.show_if_value) == (None, "", None)

    def test_source_of_a_condition_cannot_become_a_text_question_or_shrink_below_its_value(self, builder_survey):
        services.question_update(
            question=_q(builder_survey, 1),
            data={"show_if_question": _q(builder_survey, 0), "show_if_op": "eq", "show_if_value": 9},
        )
        nps = _q(builder_survey, 0)
        before = _snapshot(builder_survey)

        with pytest.raises(ValidationError) as exc:
            services.question_update(question=nps, data={"kind": "long_text"})
        assert "kind" in exc.value.message_dict
        with pytest.raises(ValidationError):
            services.question_update(question=nps, data={"kind": "csat"})
        assert _snapshot(builder_survey) == before

    def test_kind_cannot_change_once_answered(self, builder_survey):
        nps = _q(builder_survey, 0)
        services.response_submit(
            survey=builder_survey,
            answers=[{"question": nps.pk, "value": 9}, {"question": _q(builder_survey, 2).pk, "value": 4}],
        )

        with pytest.raises(ValidationError) as exc:
            services.question_update(question=nps, data={"kind": "csat"})
        assert "kind" in exc.value.message_dict
        assert Question.objects.get(pk=nps.pk).kind == "nps"


class TestDeleteAndReorder:
    def test_delete_removes_the_question_and_closes_the_gap(self, manager_client, builder_survey):
        why = _q(builder_survey, 1)

        response = manager_client.post(reverse("surveys:question_delete", args=[builder_survey.pk, why.pk]))

        assert response.status_code == 302
        assert list(builder_survey.questions.order_by("position").values_list("text", "position")) == [
            ("Recommend us?", 0),
            ("Satisfied?", 1),
        ]

    def test_delete_is_refused_while_another_question_depends_on_it(self, manager_client, builder_survey):
        nps = _q(builder_survey, 0)
        services.question_update(
            question=_q(builder_survey, 1), data={"show_if_question": nps, "show_if_op": "lte", "show_if_value": 6}
        )
        before = _snapshot(builder_survey)

        response = manager_client.post(
            reverse("surveys:question_delete", args=[builder_survey.pk, nps.pk]), follow=True
        )

        assert "remove their condition first" in response.content.decode()
        assert _snapshot(builder_survey) == before

    def test_delete_is_refused_when_the_question_has_answers(self, builder_survey):
        nps, csat = _q(builder_survey, 0), _q(builder_survey, 2)
        services.response_submit(
            survey=builder_survey, answers=[{"question": nps.pk, "value": 3}, {"question": csat.pk, "value": 2}]
        )

        with pytest.raises(ValidationError):
            services.question_delete(question=csat)
        assert Question.objects.filter(pk=csat.pk).exists()
        assert Response.objects.get().answers.count() == 2

    def test_move_up_and_down_swaps_neighbours(self, manager_client, builder_survey):
        nps, why, csat = _q(builder_survey, 0), _q(builder_survey, 1), _q(builder_survey, 2)

        manager_client.post(reverse("surveys:question_move", args=[builder_survey.pk, csat.pk]), {"direction": "up"})
        assert list(builder_survey.questions.order_by("position").values_list("pk", flat=True)) == [
            nps.pk,
            csat.pk,
            why.pk,
        ]

        manager_client.post(reverse("surveys:question_move", args=[builder_survey.pk, nps.pk]), {"direction": "down"})
        assert list(builder_survey.questions.order_by("position").values_list("pk", flat=True)) == [
            csat.pk,
            nps.pk,
            why.pk,
        ]
        assert list(builder_survey.questions.order_by("position").values_list("position", flat=True)) == [0, 1, 2]

    def test_moving_the_first_question_up_changes_nothing(self, manager_client, builder_survey):
        before = _snapshot(builder_survey)
        response = manager_client.post(
            reverse("surveys:question_move", args=[builder_survey.pk, _q(builder_survey, 0).pk]), {"direction": "up"}
        )
        assert response.status_code == 302
        assert _snapshot(builder_survey) == before

    def test_move_that_would_put_a_condition_below_its_dependent_is_refused(self, manager_client, builder_survey):
        nps, why = _q(builder_survey, 0), _q(builder_survey, 1)
        services.question_update(question=why, data={"show_if_question": nps, "show_if_op": "lte", "show_if_value": 6})
        before = _snapshot(builder_survey)

        response = manager_client.post(
            reverse("surveys:question_move", args=[builder_survey.pk, why.pk]), {"direction": "up"}, follow=True
        )

        assert "must stay below it" in response.content.decode()
        assert _snapshot(builder_survey) == before

    def test_reorder_buttons_are_labelled_forms_usable_by_keyboard(self, manager_client, builder_survey):
        page = manager_client.get(reverse("surveys:survey_detail", args=[builder_survey.pk])).content.decode()

        assert 'aria-label="Move question 2 up"' in page
        assert 'aria-label="Move question 2 down"' in page
        assert 'type="submit" disabled aria-label="Move question 1 up"' in page


class TestEscapingAndPermissions:
    def test_html_in_question_texts_help_and_choices_is_escaped_on_builder_pages(self, manager_client, builder_survey):
        question = services.question_add(
            survey=builder_survey,
            kind="single_choice",
            text="<script>alert('t')</script>",
            help_text="<b>help</b>",
            choices=["<img src=x onerror=alert(1)>", "ok"],
        )

        detail = manager_client.get(reverse("surveys:survey_detail", args=[builder_survey.pk])).content.decode()
        edit = manager_client.get(
            reverse("surveys:question_edit", args=[builder_survey.pk, question.pk])
        ).content.decode()

        for page in (detail, edit):
            assert "<script>alert('t')</script>" not in page
            assert "<img src=x onerror=alert(1)>" not in page
        assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in detail
        assert "&lt;b&gt;help&lt;/b&gt;" in detail

    @pytest.mark.parametrize(
        "name",
        ["survey_create", "survey_settings", "question_create", "question_edit", "question_move", "question_delete"],
    )
    def test_department_members_get_403_on_builder_pages(self, client, sales_member, builder_survey, name):
        args = {
            "survey_create": [],
            "survey_settings": [builder_survey.pk],
            "question_create": [builder_survey.pk],
        }.get(name, [builder_survey.pk, _q(builder_survey, 1).pk])
        client.force_login(sales_member)
        before = _snapshot(builder_survey)

        assert client.get(reverse(f"surveys:{name}", args=args)).status_code == 403
        assert client.post(reverse(f"surveys:{name}", args=args), {"direction": "down"}).status_code == 403
        assert _snapshot(builder_survey) == before


QUESTIONS = "/api/v1/questions/"


class TestApi:
    def test_question_with_logic_is_created_and_read_back(self, api_client, builder_survey):
        nps = _q(builder_survey, 0)

        response = api_client.post(
            QUESTIONS,
            {
                "survey": builder_survey.pk,
                "kind": "long_text",
                "text": "Improve?",
                "show_if_question": nps.pk,
                "show_if_op": "lte",
                "show_if_value": 6,
                "starts_page": True,
            },
            format="json",
        )

        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["show_if_question"], body["show_if_op"], body["show_if_value"], body["starts_page"]) == (
            nps.pk,
            "lte",
            6,
            True,
        )
        nested = api_client.get(f"/api/v1/surveys/{builder_survey.pk}/").json()["questions"][-1]
        assert nested["show_if_question"] == nps.pk and nested["position"] == 3

    @pytest.mark.parametrize(
        ("logic", "field"),
        [
            ({"show_if_question": "LATER", "show_if_op": "lte", "show_if_value": 3}, "show_if_question"),
            ({"show_if_question": "TEXT", "show_if_op": "lte", "show_if_value": 3}, "show_if_question"),
            ({"show_if_question": "FOREIGN", "show_if_op": "lte", "show_if_value": 3}, "show_if_question"),
            ({"show_if_question": "NPS", "show_if_op": "gte", "show_if_value": 12}, "show_if_value"),
            ({"show_if_question": "NPS", "show_if_op": "", "show_if_value": 3}, "show_if_op"),
        ],
    )
    def test_bad_logic_on_update_is_400_with_field_errors_and_nothing_changes(
        self, api_client, builder_survey, logic, field
    ):
        ids = {
            "LATER": _q(builder_survey, 2).pk,
            "TEXT": _q(builder_survey, 1).pk,
            "NPS": _q(builder_survey, 0).pk,
            "FOREIGN": QuestionFactory(survey=SurveyFactory(), kind="nps").pk,
        }
        logic = {k: ids.get(v, v) for k, v in logic.items()}
        before = _snapshot(builder_survey)

        response = api_client.patch(f"{QUESTIONS}{_q(builder_survey, 1).pk}/", logic, format="json")

        assert response.status_code == 400
        assert field in response.json()
        assert _snapshot(builder_survey) == before

    def test_bad_choices_and_scale_are_400_on_create(self, api_client, builder_survey):
        one_choice = api_client.post(
            QUESTIONS,
            {"survey": builder_survey.pk, "kind": "single_choice", "text": "Pick", "choices": ["A"]},
            format="json",
        )
        scale_11 = api_client.post(
            QUESTIONS, {"survey": builder_survey.pk, "kind": "rating", "text": "Rate", "scale_max": 11}, format="json"
        )

        assert one_choice.status_code == 400 and "choices" in one_choice.json()
        assert scale_11.status_code == 400 and "scale_max" in scale_11.json()
        assert builder_survey.questions.count() == 3

    def test_move_action_reorders_and_delete_goes_through_the_rules(self, api_client, builder_survey):
        nps, why, csat = _q(builder_survey, 0), _q(builder_survey, 1), _q(builder_survey, 2)
        services.question_update(question=why, data={"show_if_question": nps, "show_if_op": "lte", "show_if_value": 6})

        moved = api_client.post(f"{QUESTIONS}{csat.pk}/move/", {"direction": "up"}, format="json")
        refused_move = api_client.post(f"{QUESTIONS}{csat.pk}/move/", {"direction": "sideways"}, format="json")
        refused_delete = api_client.delete(f"{QUESTIONS}{nps.pk}/")
        deleted = api_client.delete(f"{QUESTIONS}{csat.pk}/")

        assert moved.status_code == 200 and moved.json()["position"] == 1
        assert refused_move.status_code == 400
        assert refused_delete.status_code == 400
        assert deleted.status_code == 204
        assert list(builder_survey.questions.order_by("position").values_list("pk", "position")) == [
            (nps.pk, 0),
            (why.pk, 1),
        ]

    def test_survey_exposes_one_response_per_browser(self, api_client, builder_survey):
        response = api_client.patch(
            f"/api/v1/surveys/{builder_survey.pk}/", {"one_response_per_browser": True}, format="json"
        )

        assert response.status_code == 200
        assert response.json()["one_response_per_browser"] is True
        assert Survey.objects.get(pk=builder_survey.pk).one_response_per_browser is True

    def test_survey_patch_is_checked_like_the_settings_form(self, api_client, builder_survey):
        """The API's PATCH goes through the builder's settings service: a survey closing before it opens is
        refused with the form's message, and nothing changes."""
        opens = timezone.now() + timedelta(days=2)
        response = api_client.patch(
            f"/api/v1/surveys/{builder_survey.pk}/",
            {"title": "Renamed", "opens_at": opens.isoformat(), "closes_at": (opens - timedelta(days=1)).isoformat()},
            format="json",
        )

        assert response.status_code == 400
        assert response.json()["closes_at"] == ["The survey must close after it opens."]
        stored = Survey.objects.get(pk=builder_survey.pk)
        assert (stored.title, stored.opens_at, stored.closes_at) == (
            builder_survey.title,
            builder_survey.opens_at,
            builder_survey.closes_at,
        )
