"""Who a campaign would reach, seen before it is sent: the audience's preferred languages against the survey's."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from journeys.models import Customer, Persona
from surveys.models import Survey

# The customers an e-mail may reach at all: not unsubscribed, not "do not contact", with an address.
CONTACTABLE = Q(unsubscribed_at__isnull=True, do_not_contact=False) & ~Q(email="")

LANGUAGE_NAMES = {"en": gettext_lazy("English"), "de": gettext_lazy("German")}


def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))


@dataclass(frozen=True)
class LanguageMismatch:
    other_language: str  # the language most of the others prefer
    others: int  # customers who prefer another language than the survey's
    total: int  # contactable customers in the audience
    survey_language: str

    def message(self) -> str:
        return _("%(others)d of %(total)d customers prefer %(language)s; this survey is in %(survey_language)s.") % {
            "others": self.others,
            "total": self.total,
            "language": language_name(self.other_language),
            "survey_language": language_name(self.survey_language),
        }


def campaign_language_mismatch(*, survey: Survey, persona: Persona | None) -> LanguageMismatch | None:
    """The audience customers who prefer another language than the survey's (one query), or None if none do."""
    audience = Customer.objects.filter(CONTACTABLE)
    if persona is not None:
        audience = audience.filter(persona=persona)
    counts = dict(audience.values_list("language").annotate(n=Count("pk")).order_by())
    others = {language: n for language, n in counts.items() if language != survey.language}
    if not others:
        return None
    return LanguageMismatch(
        other_language=max(others, key=others.get),
        others=sum(others.values()),
        total=sum(counts.values()),
        survey_language=survey.language,
    )
