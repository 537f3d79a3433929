"""The report pages: list, create/edit, preview and PDF, history of sends, send now with progress."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxportal import roles
from cxportal.errors import form_add_errors
from reports import selectors, tasks
from reports.forms import ReportForm
from reports.models import Language, ReportDefinition, ReportSend
from reports.schedule import report_latest_due, report_next_due
from reports.sections import SECTIONS
from reports.services import definitions, rendering, sending


@roles.manager_required
def report_list(request):
    now = timezone.now()
    reports = list(selectors.report_list())
    for report in reports:
        report.next_due = report_next_due(report, now=now) if report.active else None
    return render(request, "reports/report_list.html", {"reports": reports})


def _save(request, report=None):
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            addresses = definitions.parse_addresses(form.cleaned_data["addresses"])
            data = {f: form.cleaned_data[f] for f in definitions.FIELDS if f != "sections"}
            data["sections"] = form.cleaned_data["sections"]
            saved = definitions.report_save(
                report=report, data=data, users=form.cleaned_data["users"], addresses=addresses, by=request.user
            )
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Report “%(name)s” saved.") % {"name": saved.name})
            return redirect("reports:report_detail", saved.pk)
    return render(request, "reports/report_form.html", {"form": form, "report": report})


@roles.manager_required
def report_section_picker(request):
    """htmx: the chosen sections in the order the report shows them, what each shows, and what is missing."""
    chosen = [SECTIONS[key] for key in SECTIONS if key in request.GET.getlist("sections")]
    has_map = bool(request.GET.get("journey_map"))
    return render(request, "reports/_section_picker.html", {"chosen": chosen, "has_map": has_map})


@roles.manager_required
def report_create(request):
    return _save(request)


@roles.manager_required
def report_edit(request, report_id: int):
    return _save(request, get_object_or_404(ReportDefinition, pk=report_id))


def _period(request, report) -> tuple[datetime.date, datetime.date]:
    date_from, date_to = parse_date(request.GET.get("from") or ""), parse_date(request.GET.get("to") or "")
    if date_from and date_to and date_from <= date_to:
        return date_from, date_to
    _moment, date_from, date_to = report_latest_due(report, now=timezone.now())
    return date_from, date_to


def _language(request) -> str:
    language = request.GET.get("language") or (get_language() or "en")[:2]
    return language if language in Language.values else "en"


@roles.manager_required
def report_detail(request, report_id: int):
    """The preview: the report for its latest finished period (or ?from=&to=) in the reader's language."""
    report = get_object_or_404(
        ReportDefinition.objects.select_related("journey_map", "persona", "department"), pk=report_id
    )
    date_from, date_to = _period(request, report)
    context = rendering.report_context(report=report, date_from=date_from, date_to=date_to)
    context.update(
        {
            "next_due": report_next_due(report, now=timezone.now()) if report.active else None,
            "recipients": report.recipients.select_related("user"),
        }
    )
    return render(request, "reports/report_detail.html", context)


@roles.manager_required
def report_pdf(request, report_id: int):
    report = get_object_or_404(
        ReportDefinition.objects.select_related("journey_map", "persona", "department"), pk=report_id
    )
    date_from, date_to = _period(request, report)
    pdf = rendering.report_pdf(report=report, date_from=date_from, date_to=date_to, language=_language(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = rendering.pdf_filename(report=report, date_from=date_from)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@roles.manager_required
def report_history(request, report_id: int):
    report = get_object_or_404(ReportDefinition, pk=report_id)
    return render(
        request, "reports/report_history.html", {"report": report, "sends": selectors.report_sends(report=report)}
    )


@roles.manager_required
def report_sent_pdf(request, report_id: int, send_id: int):
    """The PDF exactly as it went out with one send."""
    send = get_object_or_404(
        ReportSend.objects.select_related("report"), pk=send_id, report_id=report_id, pdf__isnull=False
    )
    response = HttpResponse(bytes(send.pdf), content_type="application/pdf")
    filename = rendering.pdf_filename(report=send.report, date_from=send.period_start)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@roles.manager_required
@require_POST
def report_send_now(request, report_id: int):
    report = get_object_or_404(ReportDefinition, pk=report_id)
    send_ids = sending.report_send_now(report=report)
    if not send_ids:
        messages.error(request, _("This report has no recipient with an e-mail address."))
        return redirect("reports:report_detail", report.pk)
    batch = report.sends.get(pk=send_ids[0]).batch
    tasks.send_now.delay_on_commit(send_ids)
    return redirect("reports:report_send_progress", report.pk, batch)


@roles.manager_required
def report_send_progress(request, report_id: int, batch: int):
    report = get_object_or_404(ReportDefinition, pk=report_id)
    context = {"report": report, "batch": batch, **selectors.batch_progress(report=report, batch=batch)}
    template = "reports/_send_progress.html" if request.htmx else "reports/send_progress.html"
    return render(request, template, context)
