"""E-mail campaigns of a survey: schedule (once or recurring), follow (counts, failures, suppressions), cancel,
and pause or resume a recurring campaign's series."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxportal import roles
from cxportal.errors import ApplicationError, form_add_errors
from surveys import selectors, services
from surveys.forms import CampaignForm
from surveys.models import Campaign, Survey
from surveys.selectors.audience import campaign_language_mismatch


@roles.manager_required
@require_POST
def campaign_create(request, survey_id: int):
    survey = get_object_or_404(Survey, pk=survey_id)
    form = CampaignForm(request.POST)
    if form.is_valid():
        # Customers who prefer another language would get a survey they may not read: ask first.
        mismatch = campaign_language_mismatch(survey=survey, persona=form.cleaned_data["persona"])
        if mismatch and not request.POST.get("confirm_language"):
            return render(
                request, "surveys/campaign_confirm.html", {"survey": survey, "form": form, "mismatch": mismatch}
            )
        try:
            campaign = services.campaign_schedule(survey=survey, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            send_at = formats.date_format(timezone.localtime(campaign.send_at), "Y-m-d H:i")
            messages.success(
                request,
                _("Campaign “%(name)s” scheduled for %(send_at)s.") % {"name": campaign.name, "send_at": send_at},
            )
            if campaign.series_id:
                next_run = formats.date_format(timezone.localtime(campaign.series.next_run_at), "Y-m-d H:i")
                messages.info(request, _("It repeats; the next run is due %(next)s.") % {"next": next_run})
            return redirect("surveys:survey_detail", survey_id=survey.pk)
    messages.error(
        request,
        _("The campaign was not scheduled: %(errors)s")
        % {"errors": "; ".join(f"{field}: {' '.join(errs)}" for field, errs in form.errors.items())},
    )
    return redirect("surveys:survey_detail", survey_id=survey.pk)


@roles.manager_required
@require_POST
def campaign_cancel(request, campaign_id: int):
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    try:
        services.campaign_cancel(campaign=campaign)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Campaign “%(name)s” cancelled.") % {"name": campaign.name})
    if request.POST.get("back") == "campaign":
        return redirect("surveys:campaign_detail", campaign_id=campaign.pk)
    return redirect("surveys:survey_detail", survey_id=campaign.survey_id)


@roles.manager_required
def campaign_detail(request, campaign_id: int):
    try:
        campaign = selectors.campaign_detail(campaign_id=campaign_id)
    except Campaign.DoesNotExist:
        raise Http404(_("No such campaign.")) from None
    problems = Paginator(selectors.campaign_problems(campaign=campaign), 50).get_page(request.GET.get("page"))
    runs = selectors.series_runs(series_id=campaign.series_id)[:24] if campaign.series_id else []
    return render(request, "surveys/campaign_detail.html", {"campaign": campaign, "page": problems, "runs": runs})


def _series_change(request, campaign_id: int, change, done: str):
    campaign = get_object_or_404(Campaign.objects.select_related("series"), pk=campaign_id)
    if campaign.series is None:
        raise Http404("This campaign does not repeat.")
    try:
        change(series=campaign.series)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done % {"name": campaign.series.name})
    return redirect("surveys:campaign_detail", campaign_id=campaign.pk)


@roles.manager_required
@require_POST
def series_pause(request, campaign_id: int):
    return _series_change(
        request, campaign_id, services.series_pause, _("Recurring campaign “%(name)s” paused: no further runs.")
    )


@roles.manager_required
@require_POST
def series_resume(request, campaign_id: int):
    return _series_change(request, campaign_id, services.series_resume, _("Recurring campaign “%(name)s” resumed."))


urlpatterns = [
    path("<int:survey_id>/campaigns/new/", campaign_create, name="campaign_create"),
    path("campaigns/<int:campaign_id>/", campaign_detail, name="campaign_detail"),
    path("campaigns/<int:campaign_id>/cancel/", campaign_cancel, name="campaign_cancel"),
    path("campaigns/<int:campaign_id>/series/pause/", series_pause, name="series_pause"),
    path("campaigns/<int:campaign_id>/series/resume/", series_resume, name="series_resume"),
]
