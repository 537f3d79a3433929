"""Acting on a topic: "Create pain point" puts it on the journey map where most of its comments are, with the
topic named as the evidence's source (a link back, ``voice.services.acting``); "Create action" opens the
new-action form prefilled (``actionplans.views.topics``), and the action keeps the topic (``Action.source_topic``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxportal import roles
from voice.models import Topic
from voice.services.acting import topic_pain_point_create


def topic_link(request, topic: Topic) -> str:
    return request.build_absolute_uri(reverse("voice:topic_detail", args=[topic.pk]))


@roles.manager_required
@require_POST
def topic_pain_point(request, topic_id: int):
    topic = get_object_or_404(Topic, pk=topic_id, merged_into__isnull=True)
    try:
        pain_point = topic_pain_point_create(topic=topic, link=topic_link(request, topic), by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("voice:topic_detail", topic_id=topic.pk)
    journey_map = pain_point.journey_map
    messages.success(
        request,
        _("Pain point “%(title)s” added to the map “%(map)s” at %(touchpoint)s.")
        % {"title": pain_point.title, "map": journey_map.name, "touchpoint": pain_point.touchpoint.name},
    )
    return redirect("journeys:map_findings", map_id=journey_map.pk)
