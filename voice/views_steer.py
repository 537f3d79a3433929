"""Pinning and splitting topics (CX managers): a pinned topic keeps its id and label across rebuilds and takes
every comment with one of its keywords; a split moves the comments with given keywords into a new pinned topic.
Bad input changes nothing and says why."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxportal import roles
from voice.forms import TopicPinForm, TopicSplitForm
from voice.models import Topic
from voice.services import steering


def _errors(exc_or_form) -> str:
    errors = exc_or_form.message_dict if isinstance(exc_or_form, ValidationError) else exc_or_form.errors
    return " ".join(str(e) for field_errors in errors.values() for e in field_errors)


@roles.manager_required
@require_POST
def topic_pin(request, topic_id: int):
    topic = get_object_or_404(Topic, pk=topic_id, merged_into__isnull=True)
    if request.POST.get("unpin"):
        steering.topic_unpin(topic=topic)
        messages.success(request, _("“%(topic)s” is no longer pinned.") % {"topic": topic.display_label})
        return redirect("voice:topic_detail", topic_id=topic.pk)
    form = TopicPinForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        steering.topic_pin(topic=topic, keywords=form.cleaned_data["keywords"])
    except ValidationError as exc:
        messages.error(request, _("The topic was not pinned: %(errors)s") % {"errors": _errors(exc)})
        return redirect("voice:topic_detail", topic_id=topic.pk)
    messages.success(
        request,
        _("“%(topic)s” is pinned to %(keywords)s; comments are assigned again in the background.")
        % {"topic": topic.display_label, "keywords": ", ".join(topic.keywords)},
    )
    return redirect("voice:topic_detail", topic_id=topic.pk)


@roles.manager_required
@require_POST
def topic_split(request, topic_id: int):
    topic = get_object_or_404(Topic, pk=topic_id, merged_into__isnull=True)
    form = TopicSplitForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        new = steering.topic_split(
            topic=topic, label=form.cleaned_data["label"], keywords=form.cleaned_data["keywords"]
        )
    except ValidationError as exc:
        messages.error(request, _("Nothing was split off: %(errors)s") % {"errors": _errors(exc)})
        return redirect("voice:topic_detail", topic_id=topic.pk)
    messages.success(
        request,
        _("“%(new)s” is split off from “%(topic)s”; comments are assigned again in the background.")
        % {"new": new.display_label, "topic": topic.display_label},
    )
    return redirect("voice:topic_detail", topic_id=new.pk)
