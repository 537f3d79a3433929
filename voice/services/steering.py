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
