from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.http import url_has_allowed_host_and_scheme

from actionplans.filters import ActionFilterSet
from actionplans.models import Action
from cxportal.errors import ApplicationError, form_add_errors
from journeys.models import Touchpoint


def call_service(request, form, service, **kwargs):
    """Run a service for a bound form: its errors go onto the form; returns the result or None."""
    try:
        return service(**kwargs)
    except (ValidationError, ApplicationError) as exc:
        form_add_errors(form, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


def report_errors(request, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        text = " ".join(exc.messages)
    else:
        text = getattr(exc, "message", None) or str(exc)
    messages.error(request, text)


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def filtered_actions(request, actions):
    """The shared filters (department, status, overdue, map, plan, …); by default closed actions are hidden."""
    filterset = ActionFilterSet(request.GET or None, queryset=actions)
    status = request.GET.get("status", "")
    qs = filterset.qs if filterset.is_bound else actions
    if not status:
        qs = qs.exclude(status__in=Action.CLOSED)
    return filterset, qs


def touchpoint_from_post(request) -> Touchpoint | None:
    raw = request.POST.get("touchpoint", "")
    return Touchpoint.objects.select_related("stage").filter(pk=int(raw)).first() if raw.isdigit() else None
