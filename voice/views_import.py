"""The CSV import of feedback (ticket and review exports): upload → preview → confirm or cancel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxportal import roles
from cxportal.errors import ApplicationError
from voice.forms import FeedbackImportForm
from voice.models import AnalysisRun
from voice.services.feedback_import import (
    feedback_import_cancel,
    feedback_import_preview,
    feedback_import_queue,
    feedback_import_stage,
)


@roles.manager_required
def import_upload(request):
    form = FeedbackImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            token = feedback_import_stage(upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            return redirect("voice:import_preview", token=token)
    return render(request, "voice/import.html", {"form": form}, status=400 if form.errors else 200)


@roles.manager_required
def import_preview(request, token: str):
    try:
        preview = feedback_import_preview(token=token, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("voice:import")
    return render(request, "voice/import_preview.html", {"preview": preview})


@roles.manager_required
@require_POST
def import_confirm(request, token: str):
    try:
        run = feedback_import_queue(token=token, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("voice:import")
    return redirect("voice:import_progress", run_id=run.pk)


@roles.manager_required
def import_progress(request, run_id: int):
    """The import's progress ("1,500 of 5,000 rows", by htmx polling) and, when done, what it did."""
    run = get_object_or_404(AnalysisRun, pk=run_id)
    return render(request, "voice/import_progress.html", {"run": run})


@roles.manager_required
@require_POST
def import_cancel(request, token: str):
    try:
        feedback_import_cancel(token=token, by=request.user)
    except ApplicationError:
        pass  # nothing staged under this token: nothing to cancel either
    messages.info(request, _("Import cancelled; nothing was imported."))
    return redirect("voice:import")
