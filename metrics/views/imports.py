"""The CSV import screens of touchpoint events and revenue transactions: upload → preview → confirm or cancel.

The staging, validation and storing are the service ``metrics.services.imports``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cxportal import roles
from cxportal.errors import ApplicationError
from cxportal.staged_import import IMPORT_MAX_BYTES
from metrics.forms import MetricsImportForm
from metrics.services.imports import (
    KIND_LABELS,
    metrics_import_cancel,
    metrics_import_confirm,
    metrics_import_preview,
    metrics_import_stage,
)
from metrics.services.ingestion import EVENTS, FIELDS, MAX_ROWS


@roles.manager_required
def import_upload(request):
    form = MetricsImportForm(request.POST or None, request.FILES or None, initial={"kind": EVENTS})
    if request.method == "POST" and form.is_valid():
        try:
            token = metrics_import_stage(
                kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            return redirect("metrics:import_preview", token=token)
    return render(
        request,
        "metrics/import.html",
        {
            "form": form,
            "fields": FIELDS,
            "max_mb": IMPORT_MAX_BYTES // 1024 // 1024,
            "max_rows": MAX_ROWS,
            "subnav": "trends",
        },
        status=400 if form.errors else 200,
    )


@roles.manager_required
def import_preview(request, token: str):
    try:
        preview = metrics_import_preview(token=token, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("metrics:import")
    return render(request, "metrics/import_preview.html", {"preview": preview, "kind_label": KIND_LABELS[preview.kind]})


@roles.manager_required
@require_POST
def import_confirm(request, token: str):
    try:
        kind, result, skipped = metrics_import_confirm(token=token, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("metrics:import")
    messages.success(
        request,
        _("Imported %(created)s %(kind)s; %(unchanged)s already stored")
        % {"created": result.created, "kind": KIND_LABELS[kind], "unchanged": result.unchanged}
        + (
            ngettext("; %(n)s invalid row skipped.", "; %(n)s invalid rows skipped.", skipped) % {"n": skipped}
            if skipped
            else "."
        ),
    )
    return redirect("metrics:import")


@roles.manager_required
@require_POST
def import_cancel(request, token: str):
    try:
        metrics_import_cancel(token=token, by=request.user)
    except ApplicationError:
        pass  # nothing staged under this token: nothing to cancel either
    messages.info(request, _("Import cancelled; nothing was imported."))
    return redirect("metrics:import")
