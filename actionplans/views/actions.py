"""The action list, the member's department view, and the action page with milestones and comments."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actionplans import selectors, services
from actionplans.forms import ActionForm, ActionStatusForm, CommentForm, MilestoneForm
from actionplans.models import Action
from actionplans.selectors.closed_loop import response_comment
from actionplans.selectors.history import action_history_sentences
from actionplans.selectors.links import action_filter_choices
from actionplans.selectors.ownership import department_kpis
from actionplans.services.follow_up_queue import response_action_link
from actionplans.views._common import call_service, filtered_actions, report_errors
from actionplans.views.responses import follow_up_initial, response_for_action
from actionplans.views.topics import topic_effect_of, topic_for_action, topic_initial
from cxportal import roles
from cxportal.errors import ApplicationError
from metrics.selectors.scopes import scope_names
from voice.panels import comment_readings


def _visible_action(request, action_id: int) -> Action:
    # Another department's action is a 404: it is not said to exist.
    return get_object_or_404(selectors.actions_visible_to(user=request.user), pk=action_id)


@roles.role_required
def action_list(request):
    filterset, actions = filtered_actions(request, selectors.actions_visible_to(user=request.user))
    return render(
        request,
        "actionplans/action_list.html",
        {
            "actions": actions,
            "filters": filterset.form.data if filterset.is_bound else {},
            "status": request.GET.get("status", ""),
            "statuses": Action.Status.choices,
            **action_filter_choices(user=request.user),
            "today": timezone.localdate(),
            "title": _("Actions"),
        },
    )


@roles.role_required
def my_department(request):
    departments = list(selectors.departments_of(user=request.user))
    actions = selectors.actions_visible_to(user=request.user).filter(department__in=departments)
    return render(
        request,
        "actionplans/action_list.html",
        {
            "actions": actions,
            "departments": departments,
            "today": timezone.localdate(),
            "title": _("My department"),
            "owned_kpis": department_kpis(departments=departments),
            "statuses": Action.Status.choices,
            "status": "all",
        },
    )


@roles.manager_required
def action_create(request):
    initial = {}
    if plan_id := request.GET.get("plan", ""):
        initial["plan"] = plan_id if plan_id.isdigit() else None
    # "+ action" on the journey map prefills what the action addresses.
    for field in ("touchpoint", "pain_point", "opportunity"):
        if (value := request.GET.get(field, "")).isdigit():
            initial[field] = value
    # "Create action" on a response page: what the response is about, and the response as its source.
    source = response_for_action(request)
    if source is not None:
        initial.update(follow_up_initial(request, source))
    # "Create action" on a Voice topic's page: the topic prefills it and stays its source.
    topic = topic_for_action(request)
    if topic is not None:
        initial.update(topic_initial(request, topic))
    form = ActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        action = call_service(request, form, services.action_create, by=request.user, **form.cleaned_data)
        if action is not None and source is not None:
            response_action_link(action=action, response=source, by=request.user)
        if action is not None and topic is not None:
            Action.objects.filter(pk=action.pk).update(source_topic=topic)
        if action is not None:
            messages.success(
                request,
                _("Action “%(title)s” assigned to %(department)s.")
                % {"title": action.title, "department": action.department},
            )
            return redirect("actionplans:action_detail", action_id=action.pk)
    return render(request, "actionplans/action_form.html", {"form": form, "heading": _("New action")})


@roles.manager_required
def action_edit(request, action_id: int):
    action = _visible_action(request, action_id)
    form = ActionForm(request.POST or None, instance=action, with_status=True)
    if request.method == "GET":
        form.initial.update(status=action.status, progress=action.progress)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)  # the picked KPI scope arrives as scope_type + scope_key
        if call_service(request, form, services.action_update, action=action, data=data, by=request.user):
            messages.success(request, _("Action saved."))
            return redirect("actionplans:action_detail", action_id=action.pk)
    return render(
        request,
        "actionplans/action_form.html",
        {"form": form, "heading": _("Edit “%(title)s”") % {"title": action.title}},
    )


@roles.manager_required
@require_POST
def action_delete(request, action_id: int):
    action = _visible_action(request, action_id)
    services.action_delete(action=action, by=request.user)
    messages.success(request, _("Action “%(title)s” deleted.") % {"title": action.title})
    return redirect("actionplans:action_list")


@roles.role_required
def action_detail(request, action_id: int):
    action = _visible_action(request, action_id)
    form = ActionStatusForm(request.POST or None, instance=Action(status=action.status, progress=action.progress))
    if request.method == "POST" and form.is_valid():
        # Only what the user changed: "done" with the progress left as it was means 100 %.
        changed = {field: form.cleaned_data[field] for field in form.changed_data}
        if call_service(request, form, services.action_update, action=action, data=changed, by=request.user):
            messages.success(request, _("Action updated."))
            return redirect("actionplans:action_detail", action_id=action.pk)
    return _render_detail(request, action, form=form)


def _kpi_scope_name(action: Action) -> str:
    if not action.kpi:
        return ""
    scope = (action.scope_type or "", action.scope_key or "")
    return scope_names([scope])[scope]


def _render_detail(request, action, *, form=None, milestone_form=None, comment_form=None):
    return render(
        request,
        "actionplans/action_detail.html",
        {
            "action": action,
            "form": form or ActionStatusForm(instance=Action(status=action.status, progress=action.progress)),
            "milestone_form": milestone_form or MilestoneForm(),
            "comment_form": comment_form or CommentForm(),
            "milestones": list(action.milestones.all()),
            "comments": list(selectors.action_comments(action=action)),
            "history": action_history_sentences(selectors.action_history(action=action)[:100]),
            "kpi_scope_name": _kpi_scope_name(action),
            "today": timezone.localdate(),
            "is_manager": roles.is_cx_manager(request.user),
            "source_comment": response_comment(action.source_response) if action.source_response_id else "",
            "comment_readings": comment_readings(action.source_response_id) if action.source_response_id else [],
            "topic_effect": topic_effect_of(action),
        },
    )


@roles.role_required
@require_POST
def action_milestone_add(request, action_id: int):
    action = _visible_action(request, action_id)
    form = MilestoneForm(request.POST)
    if form.is_valid() and call_service(
        request, form, services.milestone_create, action=action, by=request.user, **form.cleaned_data
    ):
        messages.success(request, _("Milestone added."))
        return redirect("actionplans:action_detail", action_id=action.pk)
    return _render_detail(request, action, milestone_form=form)


@roles.role_required
@require_POST
def action_milestone_toggle(request, action_id: int, milestone_id: int):
    action = _visible_action(request, action_id)
    milestone = get_object_or_404(action.milestones, pk=milestone_id)
    try:
        services.milestone_complete(milestone=milestone, by=request.user, done=request.POST.get("done") == "1")
    except (ValidationError, PermissionDenied, ApplicationError) as exc:
        report_errors(request, exc)
    return redirect("actionplans:action_detail", action_id=action.pk)


@roles.role_required
@require_POST
def action_comment(request, action_id: int):
    action = _visible_action(request, action_id)
    form = CommentForm(request.POST)
    if form.is_valid() and call_service(
        request, form, services.comment_create, action=action, body=form.cleaned_data["body"], by=request.user
    ):
        return redirect(reverse("actionplans:action_detail", args=[action.pk]) + "#comments")
    return _render_detail(request, action, comment_form=form)
