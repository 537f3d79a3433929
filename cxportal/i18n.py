"""A person's language: their profile's choice, else what their browser asks for, else ``LANGUAGE_CODE``.

- ``ProfileLanguageMiddleware`` (after ``AuthenticationMiddleware``) activates a signed-in person's profile
  language (kept in the session at sign-in, so no query per page); without one, ``LocaleMiddleware``'s choice
  (language cookie from the switch, then ``Accept-Language``, then ``LANGUAGE_CODE``) stands.
- ``override_for(user)`` renders an e-mail to a staff member in that person's language, whatever the language
  of the request or task that sends it. E-mails to customers use the customer's language instead.
"""

from contextlib import contextmanager

from django.conf import settings
from django.utils import translation

SESSION_KEY = "_profile_language"


def profile_language(user) -> str:
    """The language stored on the person's profile, or "" (none chosen, anonymous, or no profile yet)."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "pk", None):
        return ""
    from cxportal.models import Profile

    language = Profile.objects.filter(user_id=user.pk).values_list("language", flat=True).first() or ""
    return language if language in dict(settings.LANGUAGES) else ""


def language_for(user) -> str:
    """The language to write to this person in: the profile's, else ``LANGUAGE_CODE``."""
    return profile_language(user) or settings.LANGUAGE_CODE


@contextmanager
def company_language():
    """``with company_language(): …`` — text the system writes into shared records (a follow-up action's title,
    read by a whole department) is written in the site language, ``LANGUAGE_CODE``, not the language of
    whichever request or task happens to open it."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@contextmanager
def override_for(user):
    """``with override_for(user): …`` — strings, dates and numbers inside follow the person's language."""
    with translation.override(language_for(user)):
        yield


def profile_language_save(request, user, language: str) -> None:
    """Store the person's choice on their profile and remember it in the session for the next requests."""
    from cxportal.models import Profile

    Profile.objects.update_or_create(user=user, defaults={"language": language})
    if hasattr(request, "session"):
        request.session[SESSION_KEY] = language


def remember_on_sign_in(sender, request, user, **kwargs) -> None:
    """``user_logged_in``: keep the profile language in the session, so pages need no query to find it."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = profile_language(user)


class ProfileLanguageMiddleware:
    """Activates a signed-in person's profile language (kept in the session at sign-in and on each change)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is not None and user is not None and user.is_authenticated:
            language = session.get(SESSION_KEY, "")
            if language in dict(settings.LANGUAGES):
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
