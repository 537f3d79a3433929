"""A CX manager pins a topic with keywords (it keeps its id and label across rebuilds and takes every comment
with a keyword, compounds and inflections included) and splits comments off into a new pinned topic; bad input
changes nothing and says why; department members cannot."""

import pytest
from django.urls import reverse

from tests.voice.factories import items
from voice import tasks  # noqa: F401 - registers the tasks the steering queues by name
from voice.models import FeedbackItem, Topic
from voice.services import analysis

pytestmark = pytest.mark.django_db

TEXTS = [
    "Die Lieferung der Ersatzteile kam zu spät.",
    "Ersatzteile wieder zu spät geliefert, die Lieferzeit ist zu lang.",
    "Lieferung der Ersatzteile verspätet, Rechnung ebenfalls falsch.",
    "Die Rechnung für die Ersatzteile war falsch.",
    "Ersatzteile: Rechnung doppelt gestellt.",
    "Ersatzteile kamen pünktlich, danke.",
]


@pytest.fixture
def spare_parts(db):
    items(*({"text": t, "language": "de"} for t in TEXTS), rebuild=True)
    topic = Topic.objects.filter(items__external_id="t1").order_by("-count").first()
    assert topic is not None
    return topic


def _topics_of(external_id: str) -> set[str]:
    return set(FeedbackItem.objects.get(external_id=external_id).topics.values_list("label", flat=True))


def test_split_off_moves_matching_comments_and_survives_a_rebuild(
    manager_client, spare_parts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = manager_client.post(
            reverse("voice:topic_split", args=[spare_parts.pk]), {"label": "Rechnungen", "keywords": "Rechnung"}
        )
    new = Topic.objects.get(label="Rechnungen")
    assert answer.status_code == 302 and new.pinned and new.keywords == ["Rechnung"]
    assert "Rechnungen" in _topics_of("t4") and "Rechnungen" in _topics_of("t5")
    assert "Rechnungen" not in _topics_of("t1")

    analysis.topics_rebuild()  # a full rebuild: the same id, label and comments
    kept = Topic.objects.get(pk=new.pk)
    assert (kept.label, kept.pinned) == ("Rechnungen", True)
    assert {i.external_id for i in kept.items.all()} == {"t3", "t4", "t5"}


def test_pin_matches_compounds_and_keeps_the_topic(manager_client, spare_parts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(reverse("voice:topic_pin", args=[spare_parts.pk]), {"keywords": "Lieferzeit, spät"})
    spare_parts.refresh_from_db()
    assert spare_parts.pinned and spare_parts.keywords == ["Lieferzeit", "spät"]
    analysis.topics_rebuild()
    spare_parts.refresh_from_db()
    members = {i.external_id for i in spare_parts.items.all()}
    assert {"t1", "t2"} <= members and "t6" not in members
    page = manager_client.get(reverse("voice:topic_detail", args=[spare_parts.pk])).content.decode()
    assert 'id="topic-pinned"' in page and "Lieferzeit, spät" in page


def test_bad_input_changes_nothing_and_says_why(manager_client, spare_parts):
    before = Topic.objects.count()
    answer = manager_client.post(
        reverse("voice:topic_split", args=[spare_parts.pk]),
        {"label": "Preise", "keywords": "Rabattstaffel"},
        follow=True,
    )
    assert "None of this topic&#x27;s comments contains these keywords." in answer.content.decode()
    answer = manager_client.post(
        reverse("voice:topic_pin", args=[spare_parts.pk]), {"keywords": " , "}, follow=True, HTTP_ACCEPT_LANGUAGE="de"
    )
    assert "Geben Sie mindestens ein Stichwort ein." in answer.content.decode()
    spare_parts.refresh_from_db()
    assert Topic.objects.count() == before and not spare_parts.pinned


def test_department_members_cannot_pin_or_split(client, sales_member, spare_parts):
    client.force_login(sales_member)
    assert client.post(reverse("voice:topic_pin", args=[spare_parts.pk]), {"keywords": "x"}).status_code == 403
    assert (
        client.post(reverse("voice:topic_split", args=[spare_parts.pk]), {"label": "x", "keywords": "x"}).status_code
        == 403
    )
    spare_parts.refresh_from_db()
    assert not spare_parts.pinned


def test_new_comments_join_a_pinned_topic_incrementally_as_a_full_rebuild_would(
    manager_client, spare_parts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(reverse("voice:topic_pin", args=[spare_parts.pk]), {"keywords": "Lieferzeit"})
        manager_client.post(
            reverse("voice:topic_split", args=[spare_parts.pk]), {"label": "Rechnungen", "keywords": "Rechnung"}
        )
    invoices = Topic.objects.get(label="Rechnungen")
    items(
        {"external_id": "n1", "text": "Die Lieferzeiten für Ersatzteile sind viel zu lang.", "language": "de"},
        {"external_id": "n2", "text": "Schon wieder eine falsche Sammelrechnung erhalten.", "language": "de"},
    )  # incremental: only the new comments are analysed
    incremental = {i.external_id: set(i.topics.values_list("pk", flat=True)) for i in FeedbackItem.objects.all()}
    assert spare_parts.pk in incremental["n1"] and invoices.pk in incremental["n2"]

    analysis.topics_rebuild()
    full = {i.external_id: set(i.topics.values_list("pk", flat=True)) for i in FeedbackItem.objects.all()}
    pinned = {spare_parts.pk, invoices.pk}
    assert {k: v & pinned for k, v in full.items()} == {k: v & pinned for k, v in incremental.items()}
    assert Topic.objects.get(pk=invoices.pk).label == "Rechnungen"
    assert Topic.objects.get(pk=spare_parts.pk).label == spare_parts.label
