"""The filters of the responses list, shared by the page, its exports and the API export."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from journeys.selectors import touchpoint_choices
from surveys import scales
from surveys.forms.builder import TouchpointChoiceField
from surveys.models import Survey

BAND_CHOICES = [
    ("", _("Any score")),
    ("detractor", format_lazy(_("NPS detractors ({low}–{high})"), low=0, high=scales.NPS_DETRACTOR_MAX)),
    (
        "passive",
        format_lazy(_("NPS passives ({low}–{high})"), low=scales.NPS_PASSIVE_MIN, high=scales.NPS_PASSIVE_MAX),
    ),
    ("promoter", format_lazy(_("NPS promoters ({low}–{high})"), low=scales.NPS_PROMOTER_MIN, high=10)),
    ("low", _("CSAT/CES low")),
    ("mid", _("CSAT/CES middle")),
    ("high", _("CSAT/CES high")),
]
COMMENT_CHOICES = [("", _("Any")), ("yes", _("With a comment")), ("no", _("Without a comment"))]


class ResponseFilterForm(forms.Form):
    survey = forms.ModelChoiceField(
        label=_("Survey"), queryset=Survey.objects.order_by("title"), required=False, empty_label=_("All")
    )
    touchpoint = TouchpointChoiceField(
        label=_("Touchpoint"), queryset=touchpoint_choices(), required=False, empty_label=_("All")
    )
    # A browser's date field needs an ISO value, whatever the language's date format.
    date_from = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    band = forms.ChoiceField(choices=BAND_CHOICES, required=False, label=_("Score band"))
    has_comment = forms.ChoiceField(choices=COMMENT_CHOICES, required=False, label=_("Comment"))

    def __init__(self, *args, readable_touchpoints=None, readable_surveys=None, **kwargs):
        """``readable_touchpoints`` and ``readable_surveys`` (querysets of ids, None = all; the rule is
        ``surveys.selectors.access``) narrow the choices to what the user reads."""
        super().__init__(*args, **kwargs)
        if readable_touchpoints is not None:
            self.fields["touchpoint"].queryset = self.fields["touchpoint"].queryset.filter(pk__in=readable_touchpoints)
        if readable_surveys is not None:
            self.fields["survey"].queryset = self.fields["survey"].queryset.filter(pk__in=readable_surveys)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def selector_kwargs(self) -> dict:
        """The cleaned filters as keyword arguments of ``selectors.response_list``."""
        data = self.cleaned_data
        return response_filter_kwargs(
            survey=data.get("survey"),
            touchpoint=data.get("touchpoint"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            band=data.get("band"),
            has_comment={"yes": True, "no": False}.get(data.get("has_comment") or ""),
        )


def response_filter_kwargs(*, survey=None, touchpoint=None, date_from=None, date_to=None, band=None, has_comment=None):
    return {
        "survey_id": survey.pk if survey else None,
        "touchpoint_id": touchpoint.pk if touchpoint else None,
        "date_from": date_from,
        "date_to": date_to,
        "band": band or None,
        "has_comment": has_comment,
    }
