"""Actions opened on a Voice topic: "Create action" on a topic's page prefills the new-action form (title,
where, who owns it, the topic as the source) and the action keeps the topic; its page then shows the topic
before and after the action started (``voice.effect``)."""

from django.utils.translation import gettext as _

from actionplans.selectors.closed_loop import owning_department
from voice.effect import topic_effect, topic_main_touchpoint
from voice.models import Topic
from voice.services.acting import topic_source
from voice.views_act import topic_link


def topic_for_action(request) -> Topic | None:
    """The topic named by ``?topic=`` of the new-action page (a visible one)."""
    raw = request.GET.get("topic", "")
    if not raw.isdigit():
        return None
    return Topic.objects.filter(pk=int(raw), merged_into__isnull=True, hidden=False).first()


def topic_initial(request, topic: Topic) -> dict:
    initial = {
        "title": _("Address Voice topic “%(label)s”") % {"label": topic.display_label},
        "description": topic_source(topic, link=topic_link(request, topic)),
    }
    touchpoint = topic_main_touchpoint(topic)
    if touchpoint is not None:
        initial["touchpoint"] = touchpoint.pk
        department = owning_department(touchpoint)
        if department is not None:
            initial["department"] = department.pk
    return initial


def topic_effect_of(action):
    """The topic's effect panel of an action opened on one (None otherwise)."""
    if action.source_topic_id is None:
        return None
    return topic_effect(action.source_topic, at=action.created_at)
