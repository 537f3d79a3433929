"""Survey management for CX managers: list, create from a template, settings, questions, preview, QR code."""

import io

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxportal import roles
from cxportal.errors import form_add_errors
from surveys import selectors, services
from surveys.forms import CampaignForm, QuestionForm, SurveyCreateForm, SurveySettingsForm
from surveys.models import Survey
from surveys.views.respondent import respond_preview


def _survey(survey_id: int) -> Survey:
    return get_object_or_404(selectors.survey_list(), pk=survey_id)


def _public_url(request, survey: Survey) -> str:
    return request.build_absolute_uri(reverse("respondent:survey", args=[survey.public_token]))


@roles.manager_required
def survey_list(request):
    return render(request, "surveys/survey_list.html", {"surveys": selectors.survey_list()})


@roles.manager_required
def survey_create(request):
    form = SurveyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create_from_template(created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Survey “%(title)s” created. Check its questions, then share its link.") % {"title": survey.title},
            )
            return redirect("surveys:survey_detail", survey_id=survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form})


@roles.manager_required
def survey_detail(request, survey_id: int):
    survey = _survey(survey_id)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "questions": selectors.survey_questions(survey=survey),
            "responses": selectors.responses_for_survey(survey=survey),
            "campaigns": selectors.campaigns_with_counts(survey=survey),
            "campaign_form": CampaignForm(),
            "public_url": _public_url(request, survey),
        },
    )


@roles.manager_required
def survey_settings(request, survey_id: int):
    survey = _survey(survey_id)
    initial = {f: getattr(survey, f) for f in services.SETTINGS_FIELDS}
    form = SurveySettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(survey=survey, data=form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Survey settings saved."))
            return redirect("surveys:survey_detail", survey_id=survey.pk)
    return render(
        request,
        "surveys/survey_settings_form.html",
        {"form": form, "survey": survey},
        status=400 if form.errors else 200,
    )


@roles.manager_required
def question_create(request, survey_id: int):
    survey = _survey(survey_id)
    form = QuestionForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_add(survey=survey, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Question added."))
            return redirect(reverse("surveys:survey_detail", args=[survey.pk]) + f"#q-{question.pk}")
    return _question_page(request, survey, form, question=None)


@roles.manager_required
def question_edit(request, survey_id: int, question_id: int):
    survey = _survey(survey_id)
    question = selectors.survey_question(survey=survey, question_id=question_id)
    if question is None:
        raise Http404(_("No such question in this survey."))
    form = QuestionForm(
        request.POST or None, survey=survey, question=question, initial=QuestionForm.initial_for(question)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=question, data=form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Question saved."))
            return redirect(reverse("surveys:survey_detail", args=[survey.pk]) + f"#q-{question.pk}")
    return _question_page(request, survey, form, question=question)


def _question_page(request, survey, form, *, question):
    return render(
        request,
        "surveys/survey_question_form.html",
        {"form": form, "survey": survey, "question": question},
        status=400 if form.errors else 200,
    )


@roles.manager_required
@require_POST
def question_delete(request, survey_id: int, question_id: int):
    survey = _survey(survey_id)
    question = get_object_or_404(survey.questions, pk=question_id)
    try:
        services.question_delete(question=question)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("surveys:survey_detail", args=[survey.pk]) + f"#q-{question.pk}")
    messages.success(request, _("Question “%(text)s” deleted.") % {"text": question.text})
    return redirect(reverse("surveys:survey_detail", args=[survey.pk]) + "#questions")


@roles.manager_required
@require_POST
def question_move(request, survey_id: int, question_id: int):
    survey = _survey(survey_id)
    question = get_object_or_404(survey.questions, pk=question_id)
    try:
        services.question_move(question=question, direction=request.POST.get("direction", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("surveys:survey_detail", args=[survey.pk]) + f"#q-{question.pk}")


@roles.manager_required
def survey_preview(request, survey_id: int):
    return respond_preview(request, _survey(survey_id))


def _qr(url: str):
    return segno.make(url, error="m")


@roles.manager_required
def survey_qr(request, survey_id: int):
    """A printable page: the QR code of the public link, the survey's title and the link as text."""
    survey = _survey(survey_id)
    url = _public_url(request, survey)
    svg = _qr(url).svg_inline(scale=8)  # no user text inside: the markup is inserted unescaped
    return render(request, "surveys/survey_qr.html", {"survey": survey, "url": url, "qr_svg": svg})


@roles.manager_required
def survey_qr_download(request, survey_id: int, file_format: str):
    survey = _survey(survey_id)
    buffer = io.BytesIO()
    if file_format == "svg":
        _qr(_public_url(request, survey)).save(buffer, kind="svg", scale=10, border=4, title=survey.title)
        content_type = "image/svg+xml"
    else:
        _qr(_public_url(request, survey)).save(buffer, kind="png", scale=10, border=4)
        content_type = "image/png"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-qr.{file_format}"'
    return response


urlpatterns = [
    path("", survey_list, name="survey_list"),
    path("new/", survey_create, name="survey_create"),
    path("<int:survey_id>/", survey_detail, name="survey_detail"),
    path("<int:survey_id>/settings/", survey_settings, name="survey_settings"),
    path("<int:survey_id>/questions/new/", question_create, name="question_create"),
    path("<int:survey_id>/questions/<int:question_id>/", question_edit, name="question_edit"),
    path("<int:survey_id>/questions/<int:question_id>/delete/", question_delete, name="question_delete"),
    path("<int:survey_id>/questions/<int:question_id>/move/", question_move, name="question_move"),
    path("<int:survey_id>/preview/", survey_preview, name="survey_preview"),
    path("<int:survey_id>/qr/", survey_qr, name="survey_qr"),
    path("<int:survey_id>/qr.<str:file_format>", survey_qr_download, name="survey_qr_download"),
]
