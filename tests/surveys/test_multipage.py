"""Multi-page surveys: progress, next and back keeping answers, nothing stored before the final submit."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from surveys import services
from surveys.models import Response
from tests.journeys.factories import TouchpointFactory
from tests.surveys.factories import nothing_stored

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def three_page_survey():
    """Page 1: NPS, a comment. Page 2: CSAT, "improve" (only if NPS ≤ 6). Page 3: a single choice."""
    survey = services.survey_create(
        title="Three pages",
        touchpoint=TouchpointFactory(),
        questions=[
            {"kind": "nps", "text": "Recommend us?"},
            {"kind": "short_text", "text": "Anything to add?", "required": False},
            {"kind": "csat", "text": "Satisfied?", "starts_page": True},
            {"kind": "single_choice", "text": "Channel?", "choices": ["Web", "Store"], "starts_page": True},
        ],
    )
    nps = survey.questions.get(kind="nps")
    services.question_add(
        survey=survey, kind="long_text", text="What should we improve?", show_if_question=nps, show_if_op="lte",
        show_if_value=6, position=3,
    )  # fmt: skip
    survey.questions.filter(kind="single_choice").update(position=4)
    return survey


@pytest.fixture
def q(three_page_survey):
    return {question.kind: question for question in three_page_survey.questions.all()}


def _url(survey, page=None):
    url = reverse("respondent:survey", args=[survey.public_token])
    return f"{url}?page={page}" if page else url


def test_first_page_shows_only_its_questions_and_the_progress(client, three_page_survey, q):
    page = client.get(_url(three_page_survey)).content.decode()

    assert "Page 1 of 3" in page
    assert '<progress id="survey-progress" value="1" max="3">' in page
    assert "Recommend us?" in page and "Anything to add?" in page
    assert "Satisfied?" not in page
    assert 'value="next">Next</button>' in page
    assert 'value="back"' not in page


def test_next_keeps_page_one_in_the_session_and_stores_nothing(client, three_page_survey, q):
    response = client.post(_url(three_page_survey), {"page": "1", "nav": "next", f"q{q['nps'].pk}": "9"})

    assert response.status_code == 302
    assert response["Location"] == _url(three_page_survey, 2)
    assert nothing_stored()
    page = client.get(response["Location"]).content.decode()
    assert "Page 2 of 3" in page and '<progress id="survey-progress" value="2" max="3">' in page
    assert "Satisfied?" in page
    assert "What should we improve?" not in page  # NPS 9: the follow-up is settled server-side
    assert 'value="back">Back</button>' in page


def test_missing_required_answer_stays_on_the_page(client, three_page_survey, q):
    response = client.post(_url(three_page_survey), {"page": "1", "nav": "next", f"q{q['short_text'].pk}": "typed"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Please answer this question." in page
    assert 'value="typed"' in page
    assert "Page 1 of 3" in page


def test_low_score_shows_the_follow_up_on_page_two_and_requires_it(client, three_page_survey, q):
    client.post(_url(three_page_survey), {"page": "1", "nav": "next", f"q{q['nps'].pk}": "4"})

    page = client.get(_url(three_page_survey, 2)).content.decode()
    refused = client.post(_url(three_page_survey), {"page": "2", "nav": "next", f"q{q['csat'].pk}": "2"})

    assert "What should we improve?" in page
    assert "(only if" not in page  # the condition is known to be met
    assert refused.status_code == 400
    assert f'id="id_q{q["long_text"].pk}-error"' in refused.content.decode()


def test_invalid_page_two_keeps_page_one_answers_and_back_shows_them(client, three_page_survey, q):
    client.post(
        _url(three_page_survey), {"page": "1", "nav": "next", f"q{q['nps'].pk}": "8", f"q{q['short_text'].pk}": "Hi"}
    )

    invalid = client.post(_url(three_page_survey), {"page": "2", "nav": "next", f"q{q['csat'].pk}": "9"})
    back = client.post(_url(three_page_survey), {"page": "2", "nav": "back", f"q{q['csat'].pk}": "4"})
    page_one = client.get(back["Location"]).content.decode()

    assert invalid.status_code == 400
    assert "Page 2 of 3" in invalid.content.decode()
    assert back["Location"] == _url(three_page_survey, 1)
    assert re.search(rf'name="q{q["nps"].pk}" id="[^"]+" value="8" checked', page_one)
    assert 'value="Hi"' in page_one
    # The answer given on page 2 before going back is kept too.
    page_two = client.get(_url(three_page_survey, 2)).content.decode()
    assert re.search(rf'name="q{q["csat"].pk}" id="[^"]+" value="4" checked', page_two)
    assert nothing_stored()


def test_final_submit_stores_all_pages_at_once(client, three_page_survey, q):
    client.post(
        _url(three_page_survey), {"page": "1", "nav": "next", f"q{q['nps'].pk}": "3", f"q{q['short_text'].pk}": "Hi"}
    )
    client.post(
        _url(three_page_survey),
        {"page": "2", "nav": "next", f"q{q['csat'].pk}": "2", f"q{q['long_text'].pk}": "Faster"},
    )
    assert nothing_stored()
    last = client.get(_url(three_page_survey, 3)).content.decode()
    assert "Page 3 of 3" in last and 'value="submit">Submit</button>' in last

    done = client.post(_url(three_page_survey), {"page": "3", "nav": "submit", f"q{q['single_choice'].pk}": "Store"})

    assert done.status_code == 302
    response = Response.objects.get()
    stored = {a.question_id: (a.value, a.text, a.choices) for a in response.answers.all()}
    assert stored == {
        q["nps"].pk: (3, "", []),
        q["short_text"].pk: (None, "Hi", []),
        q["csat"].pk: (2, "", []),
        q["long_text"].pk: (None, "Faster", []),
        q["single_choice"].pk: (None, "", ["Store"]),
    }
    # The kept answers are gone: a new visit starts empty.
    assert "checked" not in client.get(_url(three_page_survey)).content.decode()


def test_jumping_to_the_last_page_cannot_skip_required_answers(client, three_page_survey, q):
    response = client.post(_url(three_page_survey), {"page": "3", "nav": "submit", f"q{q['single_choice'].pk}": "Web"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Page 1 of 3" in page
    assert f'id="id_q{q["nps"].pk}-error"' in page
    assert nothing_stored()
    # What was answered on page 3 is kept for when the respondent gets there again.
    assert re.search(r'value="Web"[^>]*checked', client.get(_url(three_page_survey, 3)).content.decode())


def test_back_from_page_two_works_with_invalid_input_on_page_two(client, three_page_survey, q):
    client.post(_url(three_page_survey), {"page": "1", "nav": "next", f"q{q['nps'].pk}": "10"})

    back = client.post(_url(three_page_survey), {"page": "2", "nav": "back", f"q{q['csat'].pk}": "99"})

    assert back.status_code == 302
    assert re.search(
        rf'name="q{q["nps"].pk}" id="[^"]+" value="10" checked', client.get(back["Location"]).content.decode()
    )


def test_german_multi_page_survey_speaks_german(client, three_page_survey, q):
    three_page_survey.language = "de"
    three_page_survey.save(update_fields=["language"])
    client.post(_url(three_page_survey), {"page": "1", "nav": "next", f"q{q['nps'].pk}": "9"})

    page = client.get(_url(three_page_survey, 2)).content.decode()

    assert "Seite 2 von 3" in page
    assert ">Weiter</button>" in page
    assert ">Zurück</button>" in page


def test_question_texts_help_and_choices_are_escaped_on_the_respondent_page(client, three_page_survey, q):
    services.question_add(
        survey=three_page_survey,
        kind="multiple_choice",
        text="<script>alert('q')</script>",
        help_text="<img src=x onerror=alert(1)>",
        choices=["<b>bold</b>", "plain"],
        position=1,  # after the comment on page 1 (ties go by id)
        required=False,
    )

    page = client.get(_url(three_page_survey)).content.decode()

    assert "<script>alert('q')</script>" not in page
    assert "<img src=x onerror=alert(1)>" not in page
    assert "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&#x27;q&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_single_page_survey_has_no_progress_and_uses_no_session(client):
    survey = services.survey_create_nps(title="One page", touchpoint=None)
    nps = survey.questions.get(kind="nps")

    page = client.get(_url(survey)).content.decode()
    done = client.post(_url(survey), {f"q{nps.pk}": "7"})

    assert "<progress" not in page
    assert done.status_code == 302
    assert "sessionid" not in done.cookies
