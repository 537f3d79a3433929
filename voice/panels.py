"""How Voice read a customer's comment — its sentiment and topics — shown beside the comment on the response
page (registered into ``surveys.panels``) and on the page of an action opened from that response."""

from django.db.models import Prefetch
from django.template.loader import render_to_string

from voice.models import FeedbackItem, Topic


def comment_readings(response_id: int) -> list[FeedbackItem]:
    """The analysed feedback items made from the response's comments, with their visible topics; two queries."""
    visible = Topic.objects.filter(hidden=False, merged_into__isnull=True).order_by("label")
    return list(
        FeedbackItem.objects.filter(response_id=response_id, analysed_at__isnull=False)
        .order_by("pk")
        .prefetch_related(Prefetch("topics", queryset=visible))
    )


def comment_panel(response) -> str:
    readings = comment_readings(response.pk)
    if not readings:
        return ""
    return render_to_string("voice/_comment_reading.html", {"readings": readings})


def register() -> None:
    from surveys.panels import response_panel_register

    response_panel_register(comment_panel)
