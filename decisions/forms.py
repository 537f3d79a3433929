from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from metrics.periods import site_today


class DriversFilterForm(forms.Form):
    kpi = forms.ChoiceField(
        label=_("Score to explain"),
        choices=[("nps", _("Relationship NPS")), ("csat", _("Relationship CSAT"))],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )

    def clean(self):
        data = super().clean()
        data["kpi"] = data.get("kpi") or "nps"
        data["date_to"] = data.get("date_to") or site_today()
        data["date_from"] = data.get("date_from") or data["date_to"] - timedelta(days=364)
        if data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The first day must not be after the last day."))
        return data

    @classmethod
    def read(cls, params):
        form = cls(params)
        if form.is_valid():
            return form, form.cleaned_data
        today = site_today()
        return form, {"kpi": "nps", "date_from": today - timedelta(days=364), "date_to": today}
