"""Survey management for CX managers: list, create, detail."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from cxportal import roles
from cxportal.errors import form_add_errors
from surveys import selectors, services
from surveys.forms import CampaignForm, NpsSurveyForm


@roles.manager_required
def survey_list(request):
    return render(request, "surveys/survey_list.html", {"surveys": selectors.survey_list()})


@roles.manager_required
def survey_create(request):
    form = NpsSurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create_nps(created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, f"Survey “{survey.title}” created. Share its public link to collect answers.")
            return redirect("surveys:survey_detail", survey_id=survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form})


@roles.manager_required
def survey_detail(request, survey_id: int):
    survey = get_object_or_404(selectors.survey_list(), pk=survey_id)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "questions": list(survey.questions.all()),
            "responses": selectors.responses_for_survey(survey=survey),
            "campaigns": selectors.campaigns_with_counts(survey=survey),
            "campaign_form": CampaignForm(),
            "public_url": request.build_absolute_uri(reverse("respondent:survey", args=[survey.public_token])),
        },
    )


urlpatterns = [
    path("", survey_list, name="survey_list"),
    path("new/", survey_create, name="survey_create"),
    path("<int:survey_id>/", survey_detail, name="survey_detail"),
]
