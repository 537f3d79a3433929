"""The respondent's pages (no account): answer, thanks, unsubscribe."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import override
from django.views.decorators.csrf import csrf_exempt

from cxportal.errors import ApplicationError, form_add_errors
from surveys import distribution, selectors, services
from surveys.models import Response
from surveys.respondent import RespondentForm


def respond(request, token: str):
    """The public survey page: GET never changes anything; a valid POST stores one whole response."""
    survey = selectors.survey_by_public_token(token=token)
    if survey is None:
        return _unavailable(request)
    return _respond(request, survey=survey, invitation=None)


def respond_invitation(request, token: str):
    """A customer's single-use link. Opening it (GET/HEAD, e.g. a mail scanner) never uses it up."""
    invitation = selectors.invitation_by_token(token=token)
    # An unknown link and a used one look the same: the page reveals nothing about other links.
    if invitation is None or invitation.has_response:
        return _unavailable(request, language=invitation.campaign.survey.language if invitation else "en")
    return _respond(request, survey=invitation.campaign.survey, invitation=invitation)


def _unavailable(request, *, language: str = "en", reason: str = "unknown", survey=None, status: int = 404):
    with override(language):
        return render(
            request,
            "surveys/respond_unavailable.html",
            {"reason": reason, "survey": survey, "language": language},
            status=status,
        )


def _respond(request, *, survey, invitation):
    with override(survey.language):
        if not survey.is_open():
            return _unavailable(request, language=survey.language, reason="closed", survey=survey, status=410)
        questions = list(survey.questions.all())
        form = RespondentForm(request.POST or None, survey=survey, questions=questions)
        if request.method == "POST" and form.is_valid():
            try:
                services.response_submit(
                    survey=survey, answers=form.answers(), source=Response.Source.PUBLIC_LINK, invitation=invitation
                )
            except services.AlreadyAnswered:
                return _unavailable(request, language=survey.language)
            except ValidationError as exc:
                form_add_errors(form, _rename_answer_errors(exc))
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                if invitation is not None:
                    return redirect("respondent:invitation_thanks", token=invitation.token)
                return redirect("respondent:thanks", token=survey.public_token)
        return render(
            request,
            "surveys/respond.html",
            {"survey": survey, "form": form, "language": survey.language},
            status=400 if form.errors else 200,
        )


@csrf_exempt  # RFC 8058 one-click unsubscribe: mail clients POST without a session
def unsubscribe(request, token: str):
    invitation = selectors.invitation_by_token(token=token)
    if invitation is None:
        return _unavailable(request)
    language = invitation.customer.language
    with override(language):
        if request.method == "POST":
            distribution.customer_unsubscribe(invitation=invitation)
            return render(request, "surveys/unsubscribed.html", {"language": language, "done": True})
        return render(request, "surveys/unsubscribed.html", {"language": language, "done": False})


def _rename_answer_errors(exc: ValidationError) -> ValidationError:
    """The service names fields q<id>, as the form does; list-level problems go to the top."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({("__all__" if k == "answers" else k): v for k, v in exc.error_dict.items()})


def thanks(request, token: str):
    survey = selectors.survey_by_public_token(token=token)
    return _thanks(request, survey)


def invitation_thanks(request, token: str):
    invitation = selectors.invitation_by_token(token=token)
    return _thanks(request, invitation.campaign.survey if invitation else None)


def _thanks(request, survey):
    language = survey.language if survey else "en"
    with override(language):
        return render(request, "surveys/respond_thanks.html", {"survey": survey, "language": language})
