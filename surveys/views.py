"""Survey management for CX managers, and the respondent's page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import override

from cxportal import roles
from cxportal.errors import ApplicationError, form_add_errors
from surveys import selectors, services
from surveys.forms import NpsSurveyForm
from surveys.models import Question, Response
from surveys.respondent import RespondentForm


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
            "public_url": request.build_absolute_uri(reverse("respondent:survey", args=[survey.public_token])),
        },
    )


def respond(request, token: str):
    """The public survey page: GET never changes anything; a valid POST stores one whole response."""
    survey = selectors.survey_by_public_token(token=token)
    if survey is None:
        return render(request, "surveys/respond_unavailable.html", {"reason": "unknown", "language": "en"}, status=404)
    with override(survey.language):
        if not survey.is_open():
            return render(
                request,
                "surveys/respond_unavailable.html",
                {"reason": "closed", "survey": survey, "language": survey.language},
                status=410,
            )
        questions = list(survey.questions.all())
        form = RespondentForm(request.POST or None, survey=survey, questions=questions)
        if request.method == "POST" and form.is_valid():
            try:
                services.response_submit(survey=survey, answers=form.answers(), source=Response.Source.PUBLIC_LINK)
            except ValidationError as exc:
                form_add_errors(form, _rename_answer_errors(exc))
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("respondent:thanks", token=token)
        return render(
            request,
            "surveys/respond.html",
            {
                "survey": survey,
                "form": form,
                "language": survey.language,
                "nps_question_ids": [q.id for q in questions if q.kind == Question.Kind.NPS],
            },
            status=400 if form.errors else 200,
        )


def _rename_answer_errors(exc: ValidationError) -> ValidationError:
    """The service names fields q<id>, as the form does; list-level problems go to the top."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({("__all__" if k == "answers" else k): v for k, v in exc.error_dict.items()})


def thanks(request, token: str):
    survey = selectors.survey_by_public_token(token=token)
    language = survey.language if survey else "en"
    with override(language):
        return render(request, "surveys/respond_thanks.html", {"survey": survey, "language": language})
