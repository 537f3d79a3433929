"""A person's own page (``/profile/``: name and e-mail to read, the language to choose, whether they get the daily
e-mail of their actions and, for CX managers, how they hear of alerts) and the language switch of the navigation
(``/i18n/setlang/``), which works signed in (stored on the profile) and anonymous (cookie)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from cxportal import roles
from cxportal.alert_delivery import alert_choices, alert_choices_save, digest_wanted, digest_wanted_save
from cxportal.i18n import profile_language, profile_language_save
from cxportal.models import Profile


class ProfileForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        choices=[("", gettext_lazy("As my browser asks"))] + [(code, name) for code, name in settings.LANGUAGES],
        help_text=gettext_lazy("Pages and the e-mails you receive are written in this language."),
    )


class AlertsForm(forms.Form):
    """How a CX manager hears of the alerts that go to every CX manager (a field left out stays as it was)."""

    target_alerts = forms.ChoiceField(
        label=gettext_lazy("A KPI target missed or met again"), choices=Profile.AlertDelivery.choices, required=False
    )
    topic_alerts = forms.ChoiceField(
        label=gettext_lazy("An emerging topic in the customers' comments"),
        choices=Profile.AlertDelivery.choices,
        required=False,
    )


class DigestForm(forms.Form):
    """Whether the person gets the daily e-mail of their due and overdue actions (anyone with an address)."""

    action_digest = forms.BooleanField(
        label=gettext_lazy("Send me an e-mail on days when actions of mine are due soon or overdue"), required=False
    )


def _activate(request, response, language: str):
    """Switch this response and the next requests to ``language`` ("" clears the choice: the browser decides)."""
    if language:
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH)
    return response


@login_required
def profile(request):
    alerts_shown = roles.is_cx_manager(request.user)
    digest_shown = bool(request.user.email)  # the digest goes by e-mail only
    if request.method == "POST":
        form = ProfileForm(request.POST)
        alerts = AlertsForm(request.POST) if alerts_shown else None
        digest = DigestForm(request.POST) if digest_shown else None
        if form.is_valid() and (alerts is None or alerts.is_valid()) and (digest is None or digest.is_valid()):
            language = form.cleaned_data["language"]
            profile_language_save(request, request.user, language)
            if alerts is not None:
                alert_choices_save(request.user, alerts.cleaned_data)
            if digest is not None:
                digest_wanted_save(request.user, digest.cleaned_data["action_digest"])
            if language:
                translation.activate(language)
            messages.success(request, _("Your profile is saved."))
            return _activate(request, redirect("profile"), language)
    else:
        form = ProfileForm(initial={"language": profile_language(request.user)})
        alerts = AlertsForm(initial=alert_choices(request.user)) if alerts_shown else None
        digest = DigestForm(initial={"action_digest": digest_wanted(request.user)}) if digest_shown else None
    return render(request, "cxportal/profile.html", {"form": form, "alerts": alerts, "digest": digest})


@require_POST
def set_language(request):
    """Django's ``set_language`` (safe ``next``, language cookie); signed in, the choice goes to the profile too."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        profile_language_save(request, request.user, language)
    return response
