"""A CX manager steers topics: rename, merge into another, hide as noise (and show again). Each change is
applied to the stored items at once (their topics are assigned again by the worker's analysis)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from voice.models import Topic
from voice.services.queueing import reassign_request


def topic_rename(*, topic: Topic, label: str) -> Topic:
    topic.custom_label = label.strip()
    topic.save(update_fields=["custom_label", "updated_at"])
    return topic


@transaction.atomic
def topic_merge(*, topic: Topic, target: Topic) -> Topic:
    if target.pk == topic.pk or target.merged_into_id == topic.pk:
        raise ValidationError({"target": [_("A topic cannot be merged into itself.")]})
    Topic.objects.filter(merged_into=topic).update(merged_into=target)  # earlier merges follow along
    topic.merged_into = target
    topic.save(update_fields=["merged_into", "updated_at"])
    reassign_request()
    return topic


def topic_hide(*, topic: Topic, hidden: bool) -> Topic:
    topic.hidden = hidden
    topic.save(update_fields=["hidden", "updated_at"])
    reassign_request()
    return topic


MAX_KEYWORDS = 20


def _keywords(raw: str | list[str]) -> list[str]:
    """Keywords from a comma- or line-separated text; each a word or phrase (a text matches one when it has
    all of its words, in any inflection or compound: "Lieferzeit" matches "Lieferzeiten")."""
    parts = raw if isinstance(raw, list) else raw.replace("\n", ",").split(",")
    keywords = list(dict.fromkeys(k.strip() for k in parts if k.strip()))
    if not keywords:
        raise ValidationError({"keywords": [_("Enter at least one keyword.")]})
    if len(keywords) > MAX_KEYWORDS or any(len(k) > 80 for k in keywords):
        raise ValidationError(
            {"keywords": [_("At most %(count)s keywords of up to 80 characters each.") % {"count": MAX_KEYWORDS}]}
        )
    return keywords


def keyword_matches(*, topic: Topic, keywords: list[str], language: str | None) -> int:
    """How many of ``topic``'s comments the keywords match (the way the analysis matches pinned keywords)."""
    from voice.analysis.topics import PinnedTopic, TopicModel, TopicSteering

    model = TopicModel([], TopicSteering(pinned={"probe": PinnedTopic("probe", tuple(keywords), language)}))
    return sum(
        1
        for text, item_language in topic.items.values_list("text", "language")
        if "probe" in model.assign(text, item_language or language)
    )


@transaction.atomic
def topic_pin(*, topic: Topic, keywords: str | list[str]) -> Topic:
    """Pin the topic: it keeps its id and label across rebuilds, and every comment with one of the keywords
    is assigned to it (pinned keywords win over discovered topics)."""
    topic.keywords = _keywords(keywords)
    topic.pinned = True
    topic.save(update_fields=["keywords", "pinned", "updated_at"])
    reassign_request()
    return topic


@transaction.atomic
def topic_unpin(*, topic: Topic) -> Topic:
    topic.pinned = False
    topic.save(update_fields=["pinned", "updated_at"])
    reassign_request()
    return topic


@transaction.atomic
def topic_split(*, topic: Topic, label: str, keywords: str | list[str]) -> Topic:
    """Split off the comments of ``topic`` that have one of the keywords into a new pinned topic ``label``."""
    from voice.analysis.topics import slug

    label = label.strip()
    if not label:
        raise ValidationError({"label": [_("Give the new topic a name.")]})
    keywords = _keywords(keywords)
    language = topic.language or None
    if not keyword_matches(topic=topic, keywords=keywords, language=language):
        raise ValidationError({"keywords": [_("None of this topic's comments contains these keywords.")]})
    key = f"pin-{slug(label)}"
    suffix = 2
    while Topic.objects.filter(key=key).exists():
        key, suffix = f"pin-{slug(label)}-{suffix}", suffix + 1
    new = Topic.objects.create(
        key=key, language=topic.language, label=label[:200], keywords=keywords, pinned=True, terms=[]
    )
    reassign_request()
    return new
