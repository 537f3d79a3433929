"""Responses: list and detail for CX managers and (their touchpoints only) department members; export and
data-subject requests for CX managers. Who reads what is ``surveys.selectors.access``, applied by the selectors."""

import json

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cxportal import roles
from cxportal.errors import ApplicationError
from journeys.models import Customer
from surveys import exports, selectors, services
from surveys.forms.responses import ResponseFilterForm
from surveys.models import PrivacyRequest, Response
from surveys.panels import response_panels

PAGE_SIZE = 50


def _filtered(request):
    """The filter form bound to the query string, and the responses it selects (all the user may read when
    it is invalid). A touchpoint the user may not read is not found, like its responses."""
    form = ResponseFilterForm(
        request.GET or None,
        readable_touchpoints=selectors.readable_touchpoints(user=request.user),
        readable_surveys=selectors.readable_surveys(user=request.user),
    )
    valid = form.is_bound and form.is_valid()
    if form.is_bound and "touchpoint" in form.errors and not selectors.reads_all_responses(request.user):
        raise Http404(_("No such touchpoint."))
    kwargs = form.selector_kwargs() if valid else {}
    return form, selectors.response_list(user=request.user, **kwargs)


@roles.role_required
def response_list(request):
    form, responses = _filtered(request)
    page = Paginator(responses, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "surveys/responses/response_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            **(
                {"privacy_form": CustomerLookupForm(), "privacy_requests": selectors.privacy_requests()}
                if roles.is_cx_manager(request.user)
                else {}
            ),
        },
    )


@roles.role_required
def response_detail(request, response_id: int):
    try:
        response = selectors.response_detail(response_id=response_id, user=request.user)
    except Response.DoesNotExist:
        raise Http404(_("No such response.")) from None
    return render(
        request,
        "surveys/responses/response_detail.html",
        {"response": response, "panels": response_panels(response)},
    )


@roles.manager_required
def response_export(request, file_format: str):
    if file_format not in exports.FORMATS:
        raise Http404(_("Unknown export format."))
    form, responses = _filtered(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Fix the filters before exporting."))
        return redirect("surveys:response_list")
    return exports.responses_export(responses=responses, file_format=file_format)


# --- Data-subject requests -------------------------------------------------------------------------


class CustomerLookupForm(forms.Form):
    customer = forms.CharField(max_length=254, label=gettext_lazy("Customer external id or e-mail address"))


class EraseForm(forms.Form):
    mode = forms.ChoiceField(
        label=gettext_lazy("Mode"),
        choices=[
            (
                PrivacyRequest.Action.ANONYMISE,
                gettext_lazy("Anonymise: keep the scores for the KPIs, remove the person"),
            ),
            (PrivacyRequest.Action.DELETE, gettext_lazy("Delete: delete the responses and answers too")),
        ],
        widget=forms.RadioSelect,
    )
    confirm = forms.CharField(max_length=100, label=gettext_lazy("Type the customer's external id to confirm"))

    def __init__(self, *args, customer: Customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip()
        if value != self.customer.external_id:
            raise forms.ValidationError(_("This is not the customer's external id; nothing was erased."))
        return value


@roles.manager_required
def privacy_lookup(request):
    form = CustomerLookupForm(request.GET or None)
    customers = selectors.customer_find(query=form.cleaned_data["customer"]) if form.is_valid() else []
    if len(customers) == 1:
        return redirect("surveys:privacy_customer", customer_id=customers[0].pk)
    return render(request, "surveys/responses/privacy_lookup.html", {"form": form, "customers": customers})


@roles.manager_required
def privacy_customer(request, customer_id: int):
    customer = get_object_or_404(Customer, pk=customer_id)
    erase_form = EraseForm(request.POST or None, customer=customer)
    if request.method == "POST" and erase_form.is_valid():
        try:
            entry = services.customer_erase(customer=customer, mode=erase_form.cleaned_data["mode"], by=request.user)
        except ApplicationError as exc:
            erase_form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Customer %(id)s erased (%(action)s); the audit entry is kept.")
                % {"id": entry.customer_external_id, "action": entry.get_action_display().lower()},
            )
            return redirect("surveys:response_list")
    return render(
        request,
        "surveys/responses/privacy_customer.html",
        {
            "customer": customer,
            "erase_form": erase_form,
            "response_count": selectors.customer_responses(customer=customer).count(),
            "invitation_count": customer.invitations.count(),
        },
        status=400 if erase_form.errors else 200,
    )


@roles.manager_required
@require_POST
def privacy_export(request, customer_id: int):
    customer = get_object_or_404(Customer, pk=customer_id)
    data = services.customer_export(customer=customer, by=request.user)
    download = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    stamp = timezone.localtime().strftime("%Y%m%d")
    download["Content-Disposition"] = f'attachment; filename="customer-{customer.pk}-{stamp}.json"'
    return download


urlpatterns = [
    path("responses/", response_list, name="response_list"),
    path("responses/<int:response_id>/", response_detail, name="response_detail"),
    path("responses/export.<str:file_format>", response_export, name="response_export"),
    path("privacy/", privacy_lookup, name="privacy_lookup"),
    path("privacy/customers/<int:customer_id>/", privacy_customer, name="privacy_customer"),
    path("privacy/customers/<int:customer_id>/export/", privacy_export, name="privacy_export"),
]
