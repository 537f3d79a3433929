"""Acting on a topic: "Create pain point" puts it on the journey map where most of its comments are, with the
topic named as the evidence's source (a link back); "Create action" opens the new-action form prefilled
(``actionplans.views.topics``), and the action keeps the topic (``Action.source_topic``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxportal import roles
from journeys.services.findings import pain_point_create
from voice.effect import topic_counts, topic_main_touchpoint, topic_summary
from voice.models import Sentiment, Topic, TopicPainPoint


def topic_source(request, topic: Topic) -> str:
    """How a finding or action names the topic it came from: label, counts and the link to its page."""
    n, negative = topic_counts(topic)
    link = request.build_absolute_uri(reverse("voice:topic_detail", args=[topic.pk]))
    return _("Voice topic %(link)s — “%(label)s”: %(n)s comments, %(negative)s negative") % {
        "label": topic.display_label,
        "n": n,
        "negative": negative,
        "link": link,
    }


def topic_evidence(topic: Topic) -> str:
    """The pain point's description: topic label, number of comments, negative share and period."""
    row = topic_summary(topic)
    if not row["n"]:
        return ""
    return _("Voice topic “%(label)s”: %(n)s comments from %(first)s to %(last)s, %(share)s %% of them negative.") % {
        "label": topic.display_label,
        "n": row["n"],
        "first": date_format(timezone.localtime(row["first"]).date(), "SHORT_DATE_FORMAT"),
        "last": date_format(timezone.localtime(row["last"]).date(), "SHORT_DATE_FORMAT"),
        "share": number_format(round(100 * row["negative"] / row["n"])),
    }


@roles.manager_required
@require_POST
def topic_pain_point(request, topic_id: int):
    topic = get_object_or_404(Topic, pk=topic_id, merged_into__isnull=True)
    touchpoint = topic_main_touchpoint(topic)
    if touchpoint is None:
        messages.error(request, _("None of this topic's comments names a touchpoint, so it has no place on a map."))
        return redirect("voice:topic_detail", topic_id=topic.pk)
    quote = (
        topic.items.filter(sentiment=Sentiment.NEGATIVE, touchpoint=touchpoint).order_by("-occurred_at").first()
        or topic.items.filter(touchpoint=touchpoint).order_by("-occurred_at").first()
    )
    try:
        with transaction.atomic():
            pain_point = pain_point_create(
                journey_map=touchpoint.stage.journey_map,
                title=topic.display_label[:200],
                stage=touchpoint.stage,
                touchpoint=touchpoint,
                description=topic_evidence(topic),
                evidence=quote.text if quote else "",
                source=topic_source(request, topic)[:200],
                by=request.user,
            )
            TopicPainPoint.objects.create(topic=topic, pain_point=pain_point)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("voice:topic_detail", topic_id=topic.pk)
    messages.success(
        request,
        _("Pain point “%(title)s” added to the map “%(map)s” at %(touchpoint)s.")
        % {"title": pain_point.title, "map": touchpoint.stage.journey_map.name, "touchpoint": touchpoint.name},
    )
    return redirect("journeys:map_findings", map_id=touchpoint.stage.journey_map_id)
