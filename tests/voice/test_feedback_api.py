"""The Voice API: bulk ingestion by external id (per-row errors, all or nothing), the list with its filters,
topics with counts, scopes and the department rule, and erasure of a customer's items."""

import pytest
from django.urls import reverse

from actionplans.models import TouchpointOwnership
from surveys.services.privacy import customer_erase
from tests.helpers import get_queries
from tests.journeys.factories import CustomerFactory, PersonaFactory, TouchpointFactory
from tests.surveys.factories import answer
from tests.voice.factories import items
from voice import tasks  # noqa: F401 - registers the tasks the services queue by name
from voice.models import FeedbackItem, Topic
from voice.services import analysis
from voice.services.items import survey_comments_ingest

pytestmark = pytest.mark.django_db

BULK = "/api/v1/feedback/bulk/"
LIST = "/api/v1/feedback/"
TOPICS = "/api/v1/topics/"

DELIVERY = [
    "The delivery was late again and nobody called us.",
    "Delivery late, the spare parts arrived two weeks after the promised date.",
    "Late delivery of the spare parts, very annoying.",
    "Die Lieferung kam wieder zu spät, niemand hat angerufen.",
    "Lieferung verspätet, die Ersatzteile kamen zwei Wochen zu spät.",
    "Die Ersatzteile wurden zu spät geliefert, sehr ärgerlich.",
]


def test_bulk_creates_then_updates_by_external_id_and_detects_the_language(
    api_client, django_capture_on_commit_callbacks
):
    body = [
        {"external_id": "zd-1", "text": "Der Techniker war sehr freundlich und kompetent.", "source": "ticket"},
        {
            "external_id": "rv-1",
            "text": "Terrible support, nobody answered my emails.",
            "source": "review",
            "language": None,
            "channel": "review_portal",
        },
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(BULK, body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"created": 2, "updated": 0, "errors": []}
    # The worker ran (eager in tests): language detected, sentiment set.
    stored = {i.external_id: i for i in FeedbackItem.objects.all()}
    assert stored["zd-1"].language == "de" and stored["zd-1"].sentiment == "positive"
    assert stored["rv-1"].language == "en" and stored["rv-1"].sentiment == "negative"

    body[0]["text"] = "Der Techniker kam nicht, sehr enttäuschend."
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(BULK, body, format="json")
    assert response.json() == {"created": 0, "updated": 2, "errors": []}
    assert FeedbackItem.objects.count() == 2
    assert FeedbackItem.objects.get(external_id="zd-1").sentiment == "negative"


def test_a_bad_row_stores_nothing_unless_partial(api_client):
    TouchpointFactory()
    body = [
        {"external_id": "ok-1", "text": "Great service."},
        {"external_id": "bad-1", "text": "", "touchpoint": 999999},
        {"external_id": "bad-2", "text": "Fine.", "source": "survey", "customer": "nobody"},
    ]
    response = api_client.post(BULK, body, format="json")
    assert response.status_code == 400
    errors = {e["index"]: e["errors"] for e in response.json()["errors"]}
    assert set(errors) == {1, 2}
    assert set(errors[1]) == {"text", "touchpoint"}
    assert set(errors[2]) == {"source", "customer"}
    assert not FeedbackItem.objects.exists()

    response = api_client.post(BULK + "?partial=true", body, format="json")
    assert response.status_code == 200
    assert response.json()["created"] == 1 and len(response.json()["errors"]) == 2
    assert list(FeedbackItem.objects.values_list("external_id", flat=True)) == ["ok-1"]


def test_a_body_that_is_not_a_list_is_refused(api_client):
    response = api_client.post(BULK, {"external_id": "x", "text": "y"}, format="json")
    assert response.status_code == 400
    assert not FeedbackItem.objects.exists()


def test_survey_comments_become_items_once(survey, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = answer(survey, 2, "The installation took far too long and the technician was rude.")
    item = FeedbackItem.objects.get()
    assert item.response == response and item.source == "survey" and item.score == 2
    assert item.touchpoint_id == survey.touchpoint_id
    assert item.sentiment == "negative"
    assert survey_comments_ingest() == 0  # idempotent: the backfill finds nothing new
    answer(survey, 9)  # no comment: no item
    assert survey_comments_ingest() == 0
    assert FeedbackItem.objects.count() == 1


def test_list_filters_and_topics(api_client):
    touchpoint = TouchpointFactory()
    items(
        *({"text": text, "touchpoint": touchpoint.pk} for text in DELIVERY),
        {"text": "Sehr freundliche Beratung am Telefon, danke!", "source": "review"},
        rebuild=True,
    )
    delivery = next(t for t in Topic.objects.all() if "deliver" in t.label.lower() or "late" in t.label.lower())

    def ids(**params):
        response = api_client.get(LIST, params)
        assert response.status_code == 200, response.json()
        return sorted(row["external_id"] for row in response.json()["results"])

    assert ids(sentiment="negative", language="de") == ["t4", "t5", "t6"]
    assert ids(source="review") == ["t7"]
    assert ids(touchpoint=touchpoint.pk) == ["t1", "t2", "t3", "t4", "t5", "t6"]
    assert ids(stage=touchpoint.stage_id) == ids(touchpoint=touchpoint.pk)
    assert set(ids(topic=delivery.pk)) >= {"t1", "t2", "t3"}
    assert ids(external_id__startswith="t7") == ["t7"]
    row = api_client.get(LIST, {"external_id": "t1"}).json()["results"][0]
    assert row["sentiment"]["label"] == "negative" and -1 <= row["sentiment"]["score"] < 0
    assert {"id": delivery.pk, "label": delivery.display_label} in row["topics"]
    assert api_client.get(LIST, {"sentimen": "negative"}).status_code == 400  # a typo is no silent "all"

    topics = api_client.get(TOPICS).json()["results"]
    first = next(t for t in topics if t["id"] == delivery.pk)
    assert first["count"] >= 3 and first["negative_share"] == 100.0
    assert first["trend"]["direction"] in ("rising", "falling", "flat")
    assert api_client.get(TOPICS, {"source": "review"}).json()["results"][0]["count"] <= 1
    assert api_client.get(TOPICS, {"ordering": "size"}).status_code == 400


def test_list_filters_by_map_persona_language_and_period(api_client):
    here, elsewhere = TouchpointFactory(), TouchpointFactory()
    assert here.stage.journey_map_id != elsewhere.stage.journey_map_id
    persona = PersonaFactory()
    buyer = CustomerFactory(persona=persona)
    items(
        {
            "text": "Die Lieferung kam zu spät.",
            "touchpoint": here.pk,
            "customer": buyer.external_id,
            "occurred_at": "2026-03-02T10:00:00Z",
        },
        {"text": "The delivery was late.", "touchpoint": here.pk, "occurred_at": "2026-05-04T10:00:00Z"},
        {
            "text": "The invoice was wrong.",
            "touchpoint": elsewhere.pk,
            "customer": buyer.external_id,
            "occurred_at": "2026-05-05T10:00:00Z",
        },
    )

    def ids(**params):
        response = api_client.get(LIST, params)
        assert response.status_code == 200, response.json()
        return sorted(row["external_id"] for row in response.json()["results"])

    assert ids(map=here.stage.journey_map_id) == ["t1", "t2"]
    assert ids(map=elsewhere.stage.journey_map_id) == ["t3"]
    assert ids(persona=persona.pk) == ["t1", "t3"]
    assert ids(persona=persona.pk, map=here.stage.journey_map_id) == ["t1"]
    assert ids(language="de") == ["t1"]
    assert ids(language="en") == ["t2", "t3"]
    assert ids(occurred_at__gte="2026-05-01T00:00:00Z") == ["t2", "t3"]
    assert ids(occurred_at__lte="2026-04-01T00:00:00Z") == ["t1"]
    assert api_client.get(LIST, {"language": "fr"}).status_code == 400  # an unknown language is refused
    assert api_client.get(LIST, {"persona": "x"}).status_code == 400


def test_list_queries_do_not_grow_with_items(api_client):
    items(*({"text": text} for text in DELIVERY[:2]), rebuild=True)
    few = get_queries(api_client, LIST, warm_up=True)
    items(*({"text": text, "external_id": f"more-{i}"} for i, text in enumerate(DELIVERY * 3)), rebuild=True)
    assert get_queries(api_client, LIST) == few


def test_scopes(api_client_for):
    items({"text": "Good."})
    assert api_client_for(["surveys:read"]).get(LIST).status_code == 403
    reader = api_client_for(["feedback:read"])
    assert reader.get(LIST).status_code == 200 and reader.get(TOPICS).status_code == 200
    assert reader.post(BULK, [], format="json").status_code == 403
    assert api_client_for(["feedback:write"]).post(BULK, [], format="json").status_code == 200


def test_department_members_read_their_touchpoints_only(client, sales_member, sales):
    mine, other = TouchpointFactory(), TouchpointFactory()
    TouchpointOwnership.objects.create(touchpoint=mine, department=sales)
    items({"text": "Mine.", "touchpoint": mine.pk}, {"text": "Not mine.", "touchpoint": other.pk}, {"text": "None."})
    client.force_login(sales_member)
    response = client.get(LIST)
    assert [row["external_id"] for row in response.json()["results"]] == ["t1"]
    assert client.post(BULK, [], content_type="application/json").status_code == 403


def test_erasure_removes_the_customers_items_and_their_topic_links(survey, manager):
    customer = CustomerFactory()
    answer(survey, 1, "Lieferung zu spät, Ersatzteile fehlen.", customer=customer)
    items({"text": "Ersatzteile kamen zu spät.", "customer": customer.external_id}, *({"text": t} for t in DELIVERY))
    survey_comments_ingest()
    analysis.topics_rebuild()
    assert FeedbackItem.objects.filter(customer=customer).count() == 2
    links = FeedbackItem.topics.through.objects.count()
    customer_erase(customer=customer, mode="anonymise", by=manager)
    assert FeedbackItem.objects.count() == len(DELIVERY)
    assert not FeedbackItem.objects.filter(text__contains="fehlen").exists()
    assert FeedbackItem.topics.through.objects.count() < links


def test_incremental_analysis_equals_a_full_run():
    items(*({"text": t} for t in DELIVERY), rebuild=True)
    items(
        *(
            {"text": t, "external_id": f"n{i}"}
            for i, t in enumerate(
                ["Nicht schlecht, die Lieferung war pünktlich.", "The spare parts were not helpful at all."]
            )
        )
    )
    incremental = {
        i.external_id: (i.language, i.sentiment, i.sentiment_score, sorted(i.topics.values_list("pk", flat=True)))
        for i in FeedbackItem.objects.prefetch_related("topics")
    }
    analysis.items_analyse(everything=True)
    full = {
        i.external_id: (i.language, i.sentiment, i.sentiment_score, sorted(i.topics.values_list("pk", flat=True)))
        for i in FeedbackItem.objects.prefetch_related("topics")
    }
    assert incremental == full
    assert full["n0"][1] != "negative"  # "nicht schlecht"
    assert full["n1"][1] == "negative"  # "not helpful"


def test_feedback_pages_are_listed_in_the_api_root(api_client):
    assert reverse("feedback-list") == LIST
