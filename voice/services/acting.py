"""Acting on a topic: its pain point on the journey map where most of its comments are (kept linked to the
topic, ``TopicPainPoint``), and how a finding or an action names the topic it came from."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from journeys.models import PainPoint
from journeys.services.findings import pain_point_create
from voice.effect import topic_counts, topic_main_touchpoint, topic_summary, topic_touchpoints
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


def topic_quote(topic: Topic, touchpoint) -> str:
    """The latest negative comment on the topic at ``touchpoint`` (else its latest comment there): the evidence."""
    quote = (
        topic.items.filter(sentiment=Sentiment.NEGATIVE, touchpoint=touchpoint).order_by("-occurred_at").first()
        or topic.items.filter(touchpoint=touchpoint).order_by("-occurred_at").first()
    )
    return quote.text if quote else ""


def topic_pain_point_draft(topic: Topic) -> dict | None:
    """What the "Create pain point" form starts from: the topic's label, the touchpoint most of its comments name,
    severity 3, the topic's figures as description and its latest negative comment there as evidence (None when
    no comment names a touchpoint)."""
    touchpoint = topic_main_touchpoint(topic)
    if touchpoint is None:
        return None
    return {
        "title": topic.display_label[:200],
        "touchpoint": touchpoint,
        "severity": 3,
        "description": topic_evidence(topic),
        "evidence": topic_quote(topic, touchpoint),
    }


@transaction.atomic
def topic_pain_point_create(
    *,
    topic: Topic,
    link: str,
    by,
    touchpoint=None,
    title: str | None = None,
    severity: int = 3,
    description: str | None = None,
    evidence: str | None = None,
) -> PainPoint:
    """The topic as a pain point on the map, kept linked to it: at ``touchpoint`` (one its comments name; by
    default the one most name), with the draft's title, description and evidence where none is given. Refused
    (ValidationError) when no comment names a touchpoint, or when ``touchpoint`` is not one they name."""
    draft = topic_pain_point_draft(topic)
    if draft is None:
        raise ValidationError(_("None of this topic's comments names a touchpoint, so it has no place on a map."))
    if touchpoint is None:
        touchpoint = draft["touchpoint"]
    elif not topic_touchpoints(topic).filter(pk=touchpoint.pk).exists():
        raise ValidationError(_("None of this topic's comments names that touchpoint."))
    elif touchpoint.pk != draft["touchpoint"].pk and evidence is None:
        draft["evidence"] = topic_quote(topic, touchpoint)
    pain_point = pain_point_create(
        journey_map=touchpoint.stage.journey_map,
        title=(title if title is not None else draft["title"])[:200],
        severity=severity,
        stage=touchpoint.stage,
        touchpoint=touchpoint,
        description=description if description is not None else draft["description"],
        evidence=evidence if evidence is not None else draft["evidence"],
        source=topic_source(topic, link=link)[:200],
        by=by,
    )
    TopicPainPoint.objects.create(topic=topic, pain_point=pain_point)
    return pain_point
