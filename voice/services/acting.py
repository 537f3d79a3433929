"""Acting on a topic: its pain point on the journey map where most of its comments are (kept linked to the
topic, ``TopicPainPoint``), and how a finding or an action names the topic it came from."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from journeys.models import PainPoint
from journeys.services.findings import pain_point_create
from voice.effect import topic_counts, topic_main_touchpoint, topic_summary
from voice.models import Sentiment, Topic, TopicPainPoint


def topic_source(topic: Topic, *, link: str) -> str:
    """How a finding or action names the topic it came from: the link to its page, label and counts."""
    n, negative = topic_counts(topic)
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


@transaction.atomic
def topic_pain_point_create(*, topic: Topic, link: str, by) -> PainPoint:
    """The topic as a pain point at the touchpoint most of its comments name, quoting its latest negative comment
    there; refused (ValidationError) when no comment names a touchpoint."""
    touchpoint = topic_main_touchpoint(topic)
    if touchpoint is None:
        raise ValidationError(_("None of this topic's comments names a touchpoint, so it has no place on a map."))
    quote = (
        topic.items.filter(sentiment=Sentiment.NEGATIVE, touchpoint=touchpoint).order_by("-occurred_at").first()
        or topic.items.filter(touchpoint=touchpoint).order_by("-occurred_at").first()
    )
    pain_point = pain_point_create(
        journey_map=touchpoint.stage.journey_map,
        title=topic.display_label[:200],
        stage=touchpoint.stage,
        touchpoint=touchpoint,
        description=topic_evidence(topic),
        evidence=quote.text if quote else "",
        source=topic_source(topic, link=link)[:200],
        by=by,
    )
    TopicPainPoint.objects.create(topic=topic, pain_point=pain_point)
    return pain_point
