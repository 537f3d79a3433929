"""The respondent's pages (no account): answer (one page or several), thanks, unsubscribe; and the preview."""

from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import override
from django.views.decorators.csrf import csrf_exempt

from cxportal.errors import ApplicationError, form_add_errors
from surveys import ratelimit, selectors, services
from surveys.forms.respondent import RespondentForm, field_name, form_data
from surveys.models import Response
from surveys.paging import AnswerPages
from surveys.selectors import respondent as respondent_selectors

ANSWERED_SALT = "surveys.answered"


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
    if request.method == "GET":  # not HEAD: link checkers that only probe do not count as "started"
        services.invitation_mark_opened(invitation=invitation)
    return _respond(request, survey=invitation.campaign.survey, invitation=invitation)


def respond_preview(request, survey):
    """The respondent page for a CX manager: the same pages and checks, but a submit stores nothing."""
    return _respond(request, survey=survey, invitation=None, preview=True)


def _unavailable(request, *, language: str = "en", reason: str = "unknown", survey=None, status: int = 404):
    with override(language):
        return render(
            request,
            "surveys/respond_unavailable.html",
            {"reason": reason, "survey": survey, "language": language},
            status=status,
        )


def _answered_cookie(survey) -> str:
    return f"cx_answered_{survey.public_token[:16]}"


def _respond(request, *, survey, invitation, preview: bool = False):
    public = invitation is None and not preview
    with override(survey.language):
        questions = respondent_selectors.survey_questions(survey=survey)  # kept per process while unchanged
        if not preview and (not survey.is_open() or not questions):
            return _unavailable(request, language=survey.language, reason="closed", survey=survey, status=410)
        if (
            public
            and survey.one_response_per_browser
            and request.get_signed_cookie(_answered_cookie(survey), default=None, salt=ANSWERED_SALT)
        ):
            status = 409 if request.method == "POST" else 200
            return _unavailable(request, language=survey.language, reason="answered", survey=survey, status=status)

        session_key = "preview" if preview else (f"i{invitation.pk}" if invitation else "public")
        requested = request.POST.get("page") if request.method == "POST" else request.GET.get("page")
        pages = AnswerPages(
            session=request.session, key=f"{survey.pk}:{session_key}", questions=questions, requested=requested
        )
        number = pages.number

        if request.method != "POST":
            form = RespondentForm(initial=form_data(pages.page, pages.known), survey=survey, questions=pages.page)
            return _render_page(request, survey, form, pages, preview)

        form = RespondentForm(request.POST, survey=survey, questions=pages.page)
        nav = request.POST.get("nav") or ("submit" if pages.is_last else "next")
        final = nav != "back" and not (nav == "next" and not pages.is_last)
        if public and final:
            # Every final submit counts, valid or not; the page itself and "next"/"back" do not.
            retry_after = ratelimit.submit_limit_hit(
                survey_token=survey.public_token, client_ip=ratelimit.client_ip(request)
            )
            if retry_after is not None:
                response = _unavailable(
                    request, language=survey.language, reason="rate_limited", survey=survey, status=429
                )
                response["Retry-After"] = str(retry_after)
                return response
        if nav == "back":
            form.is_valid()
            pages.keep(form.partial_answers())
            return _to_page(request, max(1, number - 1))
        if not form.is_valid():
            return _render_page(request, survey, form, pages, preview)
        items = form.answers()
        merged = pages.merged(items)

        if not final:
            try:
                services.answers_validate(
                    survey=survey, answers=merged, page=[q.id for q in pages.page], questions=questions
                )
            except ValidationError as exc:
                form_add_errors(form, _rename_answer_errors(exc))
                return _render_page(request, survey, form, pages, preview)
            pages.keep(items)
            return _to_page(request, number + 1)

        try:
            if preview:
                services.answers_validate(survey=survey, answers=merged, questions=questions)
            else:
                services.response_submit(
                    survey=survey,
                    answers=merged,
                    source=Response.Source.PUBLIC_LINK,
                    invitation=invitation,
                    questions=questions,
                )
        except services.AlreadyAnswered:
            return _unavailable(request, language=survey.language)
        except ValidationError as exc:
            return _show_errors(request, survey, form, exc, pages, items, preview)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return _render_page(request, survey, form, pages, preview)
        pages.clear()
        if preview:
            return render(
                request, "surveys/respond_thanks.html", {"survey": survey, "language": survey.language, "preview": True}
            )
        if invitation is not None:
            return redirect("respondent:invitation_thanks", token=invitation.token)
        response = redirect("respondent:thanks", token=survey.public_token)
        if survey.one_response_per_browser:
            response.set_signed_cookie(
                _answered_cookie(survey),
                "1",
                salt=ANSWERED_SALT,
                max_age=365 * 24 * 3600,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response


def _show_errors(request, survey, form, exc, pages: AnswerPages, items, preview):
    """Errors of the final check go on the earliest page that has them (answers there were kept)."""
    exc = _rename_answer_errors(exc)
    target = pages.first_page_with_errors(exc.error_dict.keys() if hasattr(exc, "error_dict") else [])
    if target == pages.number:
        form_add_errors(form, exc)
        return _render_page(request, survey, form, pages, preview)
    pages.keep(items)
    questions = pages.questions_of(target)
    earlier = RespondentForm(form_data(questions, pages.known), survey=survey, questions=questions)
    earlier.is_valid()
    form_add_errors(earlier, ValidationError({k: v for k, v in exc.error_dict.items() if k in earlier.fields}))
    return _render_page(request, survey, earlier, pages, preview, number=target)


def _to_page(request, number: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{request.path}?page={number}")


def _render_page(request, survey, form, pages: AnswerPages, preview: bool, *, number: int | None = None):
    on_page = {q.id for q in form.questions}
    for q in form.questions:
        # A condition on this page is marked "(only if …)" and applied live by a script; one on an
        # earlier page is met already (else the question would not be on the page).
        q.condition_field = field_name(q.show_if_question) if q.show_if_question_id in on_page else None
    return render(
        request,
        "surveys/respond.html",
        {
            "survey": survey,
            "form": form,
            "language": survey.language,
            "page_number": pages.number if number is None else number,
            "page_count": pages.count,
            "preview": preview,
        },
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
            services.customer_unsubscribe(invitation=invitation)
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
