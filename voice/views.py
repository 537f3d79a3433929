"""The Voice pages: topics ranked by volume and negative share with their trend, a topic's comments with the
topic's words marked, and the steering of topics (CX managers). Department members see the items of their
department's touchpoints only, read-only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxportal import roles
from cxportal.errors import form_add_errors
from cxportal.tasks import task_queue
from metrics import voice_kpis
from voice import selectors
from voice.forms import TopicMergeForm, TopicPinForm, TopicRenameForm, TopicSplitForm, VoiceFilterForm
from voice.models import AnalysisRun, Topic
from voice.services import analysis, steering


def _items(request):
    form = VoiceFilterForm(request.GET or None)
    items = selectors.items_visible_to(user=request.user)
    return form, (form.filter(items) if form.is_bound else items)


@roles.role_required
def overview(request):
    form, items = _items(request)
    stats = selectors.topic_stats(items=items, now=timezone.now())
    order = request.GET.get("order", "count")
    if order == "negative":
        stats.sort(key=lambda s: (-(s.negative_share or 0), -s.count))
    return render(
        request,
        "voice/overview.html",
        {
            "form": form,
            "stats": [s for s in stats if s.count],
            "kpis": voice_kpis.sentiment_kpis(items),
            "order": order,
            "query": request.GET.urlencode(),
            "run": AnalysisRun.objects.first(),
            "is_manager": roles.is_cx_manager(request.user),
        },
    )


@roles.role_required
def topic_detail(request, topic_id: int):
    topic = get_object_or_404(Topic, pk=topic_id)
    form, items = _items(request)
    items = items.filter(topics=topic).select_related("touchpoint").order_by("-occurred_at", "-pk")
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    model, _ids = analysis.topic_model_load()
    rows = []
    for item in page.object_list:
        try:
            spans = model.highlight(item.text, topic.key, item.language or None)
        except (ValueError, KeyError):
            spans = []
        rows.append((item, spans))
    is_manager = roles.is_cx_manager(request.user)
    return render(
        request,
        "voice/topic_detail.html",
        {
            "topic": topic,
            "form": form,
            "page": page,
            "rows": rows,
            "kpis": voice_kpis.sentiment_kpis(items),
            "is_manager": is_manager,
            "rename_form": TopicRenameForm(initial={"label": topic.custom_label}) if is_manager else None,
            "merge_form": TopicMergeForm(topic=topic) if is_manager else None,
            "pin_form": TopicPinForm(initial={"keywords": ", ".join(topic.keywords)}) if is_manager else None,
            "split_form": TopicSplitForm() if is_manager else None,
            "links": selectors.topic_links(topic) if is_manager else ([], []),
        },
    )


@roles.manager_required
@require_POST
def topic_rename(request, topic_id: int):
    topic = get_object_or_404(Topic, pk=topic_id)
    form = TopicRenameForm(request.POST)
    if form.is_valid():
        steering.topic_rename(topic=topic, label=form.cleaned_data["label"])
        messages.success(request, _("The topic is now called “%(label)s”.") % {"label": topic.display_label})
    else:
        messages.error(request, _("The label was not changed: %(errors)s") % {"errors": " ".join(form.errors["label"])})
    return redirect("voice:topic_detail", topic_id=topic.pk)


@roles.manager_required
@require_POST
def topic_merge(request, topic_id: int):
    topic = get_object_or_404(Topic, pk=topic_id)
    form = TopicMergeForm(request.POST, topic=topic)
    if form.is_valid():
        try:
            steering.topic_merge(topic=topic, target=form.cleaned_data["target"])
        except ValidationError as exc:
            form_add_errors(form, exc)
    if form.errors:
        messages.error(
            request,
            _("The topics were not merged: %(errors)s")
            % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
        return redirect("voice:topic_detail", topic_id=topic.pk)
    messages.success(
        request,
        _("“%(topic)s” is merged into “%(target)s”; its comments are assigned again in the background.")
        % {"topic": topic.display_label, "target": form.cleaned_data["target"].display_label},
    )
    return redirect("voice:topic_detail", topic_id=form.cleaned_data["target"].pk)


@roles.manager_required
@require_POST
def topic_hide(request, topic_id: int):
    topic = get_object_or_404(Topic, pk=topic_id)
    hidden = request.POST.get("hidden") == "1"
    steering.topic_hide(topic=topic, hidden=hidden)
    if hidden:
        messages.success(request, _("“%(topic)s” is hidden as noise.") % {"topic": topic.display_label})
        return redirect("voice:overview")
    messages.success(request, _("“%(topic)s” is shown again.") % {"topic": topic.display_label})
    return redirect("voice:topic_detail", topic_id=topic.pk)


@roles.manager_required
@require_POST
def rebuild(request):
    run = analysis.run_start(AnalysisRun.Kind.REBUILD)
    try:
        task_queue("voice.rebuild_topics", kwargs={"run_id": run.pk})
    except Exception:  # noqa: BLE001 - the broker is down: say so, change nothing else
        run.status, run.message = AnalysisRun.Status.FAILED, _("The worker could not be reached; try again later.")
        run.save(update_fields=["status", "message"])
    return redirect("voice:overview")


@roles.role_required
def run_status(request, run_id: int):
    run = get_object_or_404(AnalysisRun, pk=run_id)
    return render(request, "voice/partials/run.html", {"run": run})
