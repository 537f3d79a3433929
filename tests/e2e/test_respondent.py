"""The respondent page in a real browser on a phone: display logic, page breaks, no JavaScript, keyboard only,
and an axe-core accessibility check of every page a respondent can see."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from surveys import services
from surveys.models import Answer, Response
from surveys.services import responses as response_services
from tests.journeys.factories import TouchpointFactory

RECOMMEND = "How likely are you to recommend our service to a colleague?"
IMPROVE = "What should we improve?"
PRAISE = "What did you like most?"
TECHNICIAN = "How satisfied were you with the technician?"
BOOKED = "How did you book the visit?"


@pytest.fixture(autouse=True)
def follow_ups(monkeypatch) -> list[int]:
    """Detractor answers queue a closed-loop follow-up by task name, which even an eager Celery app sends to
    the configured broker; here they are only recorded (the closed loop has tests of its own)."""
    queued: list[int] = []
    monkeypatch.setattr(response_services, "_queue_detractor_follow_up", queued.append)
    return queued


@pytest.fixture
def two_page_survey():
    """Page 1: NPS, "improve" (required, only if NPS ≤ 6), "praise" (optional, only if NPS ≥ 9).
    Page 2: CSAT and an optional single choice."""
    survey = services.survey_create(
        title="NPS – service visits (internal)",
        public_title="Your service visit",
        touchpoint=TouchpointFactory(name="Service visit"),
        intro="Two short pages.",
        questions=[{"kind": "nps", "text": RECOMMEND}],
    )
    nps = survey.questions.get()
    services.question_add(
        survey=survey, kind="long_text", text=IMPROVE, show_if_question=nps, show_if_op="lte", show_if_value=6
    )
    services.question_add(
        survey=survey,
        kind="short_text",
        text=PRAISE,
        required=False,
        show_if_question=nps,
        show_if_op="gte",
        show_if_value=9,
    )
    services.question_add(survey=survey, kind="csat", text=TECHNICIAN, starts_page=True)
    services.question_add(
        survey=survey, kind="single_choice", text=BOOKED, required=False, choices=["Phone", "Web form", "App"]
    )
    return survey


def public_url(live_server, survey) -> str:
    return live_server.url + reverse("respondent:survey", args=[survey.public_token])


def choose(page, question: str, value: int) -> None:
    """Tap a score button, as a person does (the radio itself is visually hidden behind its label)."""
    page.get_by_role("radiogroup", name=question).get_by_text(str(value), exact=True).click()


def question(page, text: str):
    return page.locator("fieldset").filter(has=page.locator("legend", has_text=text))


def stored_answers(survey) -> dict[str, object]:
    response = Response.objects.get(survey=survey)
    answers = Answer.objects.filter(response=response).select_related("question")
    return {a.question.text: a.value if a.value is not None else (a.text or a.choices) for a in answers}


def test_display_logic_and_page_breaks_work_on_a_phone(live_server, two_page_survey, phone, shots, follow_ups):
    page = phone
    page.goto(public_url(live_server, two_page_survey))
    expect(page.get_by_role("heading", name="Your service visit")).to_be_visible()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    # With JavaScript the conditional questions wait for their condition, and their "(only if …)" notes go.
    expect(question(page, IMPROVE)).to_be_hidden()
    expect(question(page, PRAISE)).to_be_hidden()
    shots(page, "page-1-nothing-chosen")

    choose(page, RECOMMEND, 3)
    expect(question(page, IMPROVE)).to_be_visible()
    expect(question(page, PRAISE)).to_be_hidden()
    # The note stays for screen readers only.
    expect(question(page, IMPROVE).locator(".condition-note")).to_have_class(re.compile(r"\bvisually-hidden\b"))
    shots(page, "detractor-sees-improve")

    choose(page, RECOMMEND, 10)
    expect(question(page, IMPROVE)).to_be_hidden()
    expect(question(page, PRAISE)).to_be_visible()
    shots(page, "promoter-sees-praise")

    choose(page, RECOMMEND, 4)
    page.get_by_label(IMPROVE).fill("Call before you come")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(page.get_by_role("radiogroup", name=TECHNICIAN)).to_be_visible()
    shots(page, "page-2")

    # Back keeps the answers of page 1, and the script shows the question their condition opens.
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    expect(page.get_by_role("radio", name="4", exact=True)).to_be_checked()
    expect(page.get_by_label(IMPROVE)).to_have_value("Call before you come")
    expect(question(page, PRAISE)).to_be_hidden()
    page.get_by_role("button", name="Next").click()

    choose(page, TECHNICIAN, 5)
    page.get_by_label("Web form").check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible()
    shots(page, "thank-you")

    assert follow_ups == [Response.objects.get().pk]  # a detractor: the closed loop is asked to follow up
    assert stored_answers(two_page_survey) == {
        RECOMMEND: 4,
        IMPROVE: "Call before you come",
        TECHNICIAN: 5,
        BOOKED: ["Web form"],
    }
    # The phone layout does not scroll sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_the_page_works_without_javascript(live_server, two_page_survey, phone_without_js, shots):
    page = phone_without_js
    page.goto(public_url(live_server, two_page_survey))
    # Every question shows, each conditional one with its condition spelled out.
    expect(question(page, IMPROVE)).to_be_visible()
    expect(question(page, PRAISE)).to_be_visible()
    expect(page.get_by_text(f"(only if your answer to “{RECOMMEND}” is 6 or less)")).to_be_visible()
    expect(page.get_by_text(f"(only if your answer to “{RECOMMEND}” is 9 or more)")).to_be_visible()
    shots(page, "page-1-without-js")

    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Please correct the answers marked below.")).to_be_visible()
    expect(question(page, RECOMMEND).locator(".field-error")).to_be_visible()
    shots(page, "answer-missing")

    choose(page, RECOMMEND, 9)
    page.get_by_label(IMPROVE).fill("Not asked for: the score is 9")
    page.get_by_label(PRAISE).fill("Fixed in ten minutes")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    choose(page, TECHNICIAN, 4)
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible()
    shots(page, "thank-you-without-js")

    # The answer to a question whose condition was not met is not stored.
    assert stored_answers(two_page_survey) == {RECOMMEND: 9, PRAISE: "Fixed in ten minutes", TECHNICIAN: 4}


def test_respondent_pages_pass_axe_core(live_server, two_page_survey, phone, axe, shots):
    page = phone
    page.goto(public_url(live_server, two_page_survey))
    choose(page, RECOMMEND, 2)
    axe(page)

    page.get_by_role("button", name="Next").click()  # "improve" is required and empty
    expect(page.get_by_text("Please correct the answers marked below.")).to_be_visible()
    expect(question(page, IMPROVE).locator(".field-error")).to_be_visible()
    axe(page)
    shots(page, "errors")

    page.get_by_label(IMPROVE).fill("Faster spare parts")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    axe(page)

    choose(page, TECHNICIAN, 3)
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible()
    axe(page)

    page.goto(live_server.url + reverse("respondent:invitation", args=["no-such-link"]))
    expect(page.get_by_role("heading", name="This survey is not available")).to_be_visible()
    axe(page)
    shots(page, "invalid-link")


def test_a_german_survey_is_announced_as_german(live_server, phone, axe):
    survey = services.survey_create(
        title="Ihr Serviceeinsatz", language="de", questions=[{"kind": "nps", "text": "Würden Sie uns empfehlen?"}]
    )
    phone.goto(public_url(live_server, survey))
    expect(phone.locator("html")).to_have_attribute("lang", "de")
    expect(phone.get_by_role("button", name="Absenden")).to_be_visible()
    axe(phone)


def test_nps_is_answered_with_the_keyboard_alone(live_server, page, shots):
    survey = services.survey_create(title="Quick question", questions=[{"kind": "nps", "text": RECOMMEND}])
    page.goto(public_url(live_server, survey))

    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.type, document.activeElement.value]")
    assert focused == ["radio", "0"], "the first Tab lands on the score scale"
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="8", exact=True)).to_be_checked()
    # The focused button shows where the keyboard is (the radio itself is hidden behind its label).
    outline = page.evaluate("() => getComputedStyle(document.activeElement.nextElementSibling).outlineStyle")
    assert outline == "solid"
    shots(page, "eight-chosen-with-arrow-keys")

    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Submit")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible()
    assert stored_answers(survey) == {RECOMMEND: 8}
    assert re.search(r"/thanks/$", page.url)


@pytest.mark.parametrize("width", [360, 390])
def test_the_nps_scale_is_one_row_with_its_end_labels_under_0_and_10(
    live_server, new_context, playwright, axe, shots, width
):
    """On a 360 and a 390 px phone all eleven buttons share one row, big enough to tap, with "Not at all
    likely" under 0 and "Extremely likely" under 10; the company's name, logo and accent colour are shown."""
    from cxportal.branding import branding_update
    from tests.cxportal.test_branding import png_upload

    branding_update(company_name="Müller Verpackungstechnik", accent_color="#1a5276", logo=png_upload())
    survey = services.survey_create(
        title="NPS – After-sales service (internal)", questions=[{"kind": "nps", "text": RECOMMEND}]
    )
    device = {k: v for k, v in playwright.devices["iPhone 12"].items() if k != "default_browser_type"}
    device["viewport"] = {"width": width, "height": 780}
    device["screen"] = {"width": width, "height": 780}
    # Bootstrap fades a chosen button's colours in; axe must see the end state, not a frame of the fade.
    page = new_context(**device, reduced_motion="reduce").new_page()
    page.goto(public_url(live_server, survey))

    expect(page.get_by_text("Müller Verpackungstechnik")).to_be_visible()
    expect(page.locator("img.respondent-logo")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your feedback")
    boxes = [label.bounding_box() for label in page.locator(".scale-11 label").all()]
    assert len(boxes) == 11
    tops = {round(box["y"]) for box in boxes}
    assert len(tops) == 1, f"the scale wraps into {len(tops)} rows at {width} px"
    assert all(box["width"] >= 24 and box["height"] >= 24 for box in boxes)  # WCAG 2.5.8 target size
    assert boxes[-1]["x"] + boxes[-1]["width"] <= width
    low, high = page.locator(".scale-ends span").all()
    low_box, high_box = low.bounding_box(), high.bounding_box()
    assert low_box["y"] > boxes[0]["y"] + boxes[0]["height"]
    assert abs(low_box["x"] - boxes[0]["x"]) < 2  # under 0
    assert abs((high_box["x"] + high_box["width"]) - (boxes[-1]["x"] + boxes[-1]["width"])) < 2  # under 10
    accent = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--cx-accent').trim()")
    assert accent == "#1a5276"
    choose(page, RECOMMEND, 10)
    axe(page)
    shots(page, f"nps-{width}px")
