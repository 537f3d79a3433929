"""The customers pages of the journeys UI: list, detail, and the CSV import (upload → preview → confirm)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cxportal import roles
from cxportal.errors import ApplicationError
from cxportal.staged_import import IMPORT_MAX_BYTES
from journeys import selectors, services
from journeys.forms.people import CustomerImportForm, CustomerSearchForm
from journeys.models import Persona
from journeys.services.customer_import import CSV_COLUMNS
from journeys.services.customers import MAX_ROWS

PAGE_SIZE = 50


@roles.manager_required
def customer_list(request):
    form = CustomerSearchForm(request.GET or None, personas=Persona.objects.order_by("name"))
    search, persona = "", None
    if form.is_valid():
        search, persona = form.cleaned_data["q"], form.cleaned_data["persona"]
    page = Paginator(selectors.customer_list(search=search, persona=persona), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "journeys/customers/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "subnav": "customers"},
    )


@roles.manager_required
def customer_detail(request, customer_id: int):
    customer = selectors.customer_detail(customer_id=customer_id)
    return render(request, "journeys/customers/detail.html", {"customer": customer, "subnav": "customers"})


@roles.manager_required
def customer_import(request):
    form = CustomerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            token = services.customer_import_stage(upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            return redirect("journeys:customer_import_preview", token=token)
    return render(
        request,
        "journeys/customers/import.html",
        {
            "form": form,
            "columns": CSV_COLUMNS,
            "max_mb": IMPORT_MAX_BYTES // 1024 // 1024,
            "max_rows": MAX_ROWS,
            "subnav": "customers",
        },
    )


@roles.manager_required
def customer_import_preview(request, token: str):
    try:
        preview = services.customer_import_preview(token=token, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("journeys:customer_import")
    return render(
        request,
        "journeys/customers/import_preview.html",
        {"preview": preview, "columns": CSV_COLUMNS, "subnav": "customers"},
    )


@roles.manager_required
@require_POST
def customer_import_confirm(request, token: str):
    try:
        result = services.customer_import_confirm(token=token, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("journeys:customer_import")
    skipped = len(result.errors)
    messages.success(
        request,
        (
            ngettext(
                "Imported: %(created)d new, %(updated)d updated, %(count)d invalid row skipped.",
                "Imported: %(created)d new, %(updated)d updated, %(count)d invalid rows skipped.",
                skipped,
            )
            if skipped
            else _("Imported: %(created)d new, %(updated)d updated.")
        )
        % {"created": result.created, "updated": result.updated, "count": skipped},
    )
    return redirect("journeys:customer_list")


@roles.manager_required
@require_POST
def customer_import_cancel(request, token: str):
    try:
        services.customer_import_cancel(token=token, by=request.user)
    except ApplicationError:
        pass  # nothing staged under this token: there is nothing to cancel either
    messages.info(request, _("Import cancelled; nothing was imported."))
    return redirect("journeys:customer_list")


urlpatterns = [
    path("customers/", customer_list, name="customer_list"),
    path("customers/import/", customer_import, name="customer_import"),
    path("customers/import/<str:token>/", customer_import_preview, name="customer_import_preview"),
    path("customers/import/<str:token>/confirm/", customer_import_confirm, name="customer_import_confirm"),
    path("customers/import/<str:token>/cancel/", customer_import_cancel, name="customer_import_cancel"),
    path("customers/<int:customer_id>/", customer_detail, name="customer_detail"),
]
