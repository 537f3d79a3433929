"""Acting on a topic: "Create pain point" shows the pain point it would become — on the journey map where most of
its comments are, any other touchpoint they name to choose — to check and change before it is created, with the
topic named as the evidence's source (a link back, ``voice.services.acting``); "Create action" opens the
new-action form prefilled (``actionplans.views.topics``), and the action keeps the topic (``Action.source_topic``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cxportal import roles
from voice.effect import topic_touchpoints
from voice.forms import TopicPainPointForm
from voice.models import Topic
from voice.services.acting import topic_pain_point_create, topic_pain_point_draft


def topic_link(request, topic: Topic) -> str:
    return request.build_absolute_uri(reverse("voice:topic_detail", args=[topic.pk]))


@roles.manager_required
def topic_pain_point(request, topic_id: int):
    """GET: the pain point the topic would become, to check and change (where on the map, severity, words);
    POST: create it. A topic whose comments name no touchpoint goes back to its page, saying why."""
    topic = get_object_or_404(Topic, pk=topic_id, merged_into__isnull=True)
    draft = topic_pain_point_draft(topic)
    if draft is None:
        messages.error(request, _("None of this topic's comments names a touchpoint, so it has no place on a map."))
        return redirect("voice:topic_detail", topic_id=topic.pk)
    touchpoints = topic_touchpoints(topic)
    if request.method == "POST":
        form = TopicPainPointForm(request.POST, touchpoints=touchpoints)
        if form.is_valid():
            try:
                pain_point = topic_pain_point_create(
                    topic=topic, link=topic_link(request, topic), by=request.user, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(
                    request,
                    _("Pain point “%(title)s” added to the map “%(map)s” at %(touchpoint)s.")
                    % {
                        "title": pain_point.title,
                        "map": pain_point.journey_map.name,
                        "touchpoint": pain_point.touchpoint.name,
                    },
                )
                return redirect("journeys:map_findings", map_id=pain_point.journey_map_id)
        status = 400
    else:
        form = TopicPainPointForm(initial={**draft, "touchpoint": draft["touchpoint"].pk}, touchpoints=touchpoints)
        status = 200
    context = {
        "topic": topic,
        "form": form,
        "existing": topic.pain_point_links.select_related("pain_point__journey_map", "pain_point__touchpoint"),
    }
    return render(request, "voice/topic_pain_point.html", context, status=status)
