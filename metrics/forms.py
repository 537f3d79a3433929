from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from journeys.models import Channel, JourneyMap, Persona
from metrics.kpis import REGISTRY
from metrics.models import Bucket, KpiTarget, ScopeType
from metrics.periods import last_complete_period, site_today


def _map_field(label: str = _("Journey map"), empty_label: str = _("All")) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=JourneyMap.objects.order_by("name"),
        required=False,
        label=label,
        empty_label=empty_label,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def _persona_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Persona.objects.order_by("name"),
        required=False,
        label=_("Persona"),
        empty_label=_("All"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def _channel_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Channel"),
        choices=[("", _("All")), *Channel.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class FilterForm(forms.Form):
    """The filters of a KPI page: what the query asks for, or the defaults while it is empty or invalid
    (the form then shows its errors)."""

    @classmethod
    def defaults(cls) -> dict:
        form = cls({})
        form.is_valid()
        return form.cleaned_data

    @classmethod
    def read(cls, query) -> tuple["FilterForm", dict]:
        """The bound form (unbound for an empty query) and the filters in effect."""
        form = cls(query or None)
        return form, form.cleaned_data if form.is_bound and form.is_valid() else cls.defaults()


class PeriodForm(forms.Form):
    """From / to dates and a bucket, shared by the dashboard filters."""

    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    bucket = forms.ChoiceField(
        label=_("Bucket"),
        choices=Bucket.choices,
        initial=Bucket.MONTH,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class DashboardFilterForm(PeriodForm):
    field_order = ["kpi", "date_from", "date_to", "bucket"]
    kpi = forms.ChoiceField(
        label=_("KPI"),
        choices=[(k, d.label) for k, d in REGISTRY.items()],
        initial="nps",
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    @classmethod
    def with_defaults(cls, params) -> "DashboardFilterForm":
        """A bound form whose empty fields show the defaults in effect (last 365 days, monthly, NPS)."""
        today = timezone.localdate()
        data = {
            "kpi": "nps",
            "bucket": Bucket.MONTH,
            "date_to": today.isoformat(),
            "date_from": (today - timedelta(days=364)).isoformat(),
        }
        data.update({k: v for k, v in params.items() if v})
        return cls(data)

    def clean(self):
        data = super().clean()
        data["kpi"] = data.get("kpi") or "nps"
        data["bucket"] = data.get("bucket") or Bucket.MONTH
        data["date_to"] = data.get("date_to") or timezone.localdate()
        data["date_from"] = data.get("date_from") or data["date_to"] - timedelta(days=364)
        if data["date_from"] > data["date_to"]:
            self.add_error("date_from", _("“From” must not be after “To”."))
        return data


def _kpi_choices():
    # Read at form creation: colleagues add KPIs to the registry.
    return [(k, d.label) for k, d in REGISTRY.items()]


class OverviewFilterForm(FilterForm, PeriodForm):
    """Period, bucket and at most one scope (map, persona or channel) of the overview."""

    map = _map_field()
    persona = _persona_field()
    channel = _channel_field()

    def clean(self):
        data = super().clean()
        data["bucket"] = data.get("bucket") or Bucket.MONTH
        if not data.get("date_from") and not data.get("date_to"):
            # By default the last finished period of the bucket (the cards show the running one beside it).
            data["date_from"], data["date_to"] = last_complete_period(data["bucket"], today=site_today())
        data["date_to"] = data.get("date_to") or timezone.localdate()
        data["date_from"] = data.get("date_from") or data["date_to"] - timedelta(days=89)
        if data["date_from"] > data["date_to"]:
            self.add_error("date_from", _("“From” must not be after “To”."))
        chosen = [name for name in ("map", "persona", "channel") if data.get(name)]
        if len(chosen) > 1:
            raise forms.ValidationError(_("Choose at most one of journey map, persona and channel."))
        data["scope_type"], data["scope_key"] = ScopeType.COMPANY, ""
        if chosen:
            value = data[chosen[0]]
            data["scope_type"] = chosen[0]
            data["scope_key"] = value if chosen[0] == "channel" else str(value.pk)
        return data


class KpiTargetForm(forms.Form):
    kpi = forms.ChoiceField(label=_("KPI"), widget=forms.Select(attrs={"class": "form-select"}))
    scope_type = forms.ChoiceField(
        label=_("Scope"), choices=ScopeType.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    scope_key = forms.CharField(
        label=_("Scope id"),
        required=False,
        help_text=_(
            "The id of the map, stage, touchpoint, persona or survey; the channel identifier "
            "(e.g. website); empty for the whole company."
        ),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    comparison = forms.ChoiceField(
        label=_("Comparison"), choices=KpiTarget.Comparison.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    value = forms.FloatField(
        label=_("Target value"), widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"})
    )
    notify = forms.BooleanField(
        label=_("Notify the CX managers when the target is crossed"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    open_action = forms.BooleanField(
        label=_("Open an action for the touchpoint's department when missed"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].choices = _kpi_choices()


# ---------------------------------------------------------------- trends, breakdown, CSV import


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )


def _period_clean(form: forms.Form, data: dict, default_days: int) -> None:
    """Fill in the default period (ending today) and check its order; "from"/"to" are the query names."""
    data["date_to"] = data.get("to") or timezone.localdate()
    data["date_from"] = data.get("from") or data["date_to"] - timedelta(days=default_days - 1)
    if data["date_from"] > data["date_to"]:
        form.add_error("from", _("“From” must not be after “To”."))


def _show_default_period(form: forms.Form, days: int) -> None:
    """Show the period in effect when none is given (an unbound form renders these)."""
    today = timezone.localdate()
    form.fields["to"].initial = today
    form.fields["from"].initial = today - timedelta(days=days - 1)


class TrendsFilterForm(FilterForm):
    """KPIs, period ("from"/"to"), bucket and at most one scope of the trends page."""

    kpi = forms.MultipleChoiceField(
        label=_("KPIs"), required=False, widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 4})
    )
    bucket = forms.ChoiceField(
        label=_("Bucket"),
        choices=Bucket.choices,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    map = _map_field()
    persona = _persona_field()
    channel = _channel_field()
    # Ids only (a select of every stage or touchpoint would be long); set by links from the breakdown.
    stage = forms.IntegerField(label=_("Stage id"), required=False, min_value=1, widget=forms.HiddenInput)
    touchpoint = forms.IntegerField(label=_("Touchpoint id"), required=False, min_value=1, widget=forms.HiddenInput)

    SCOPES = ("map", "stage", "touchpoint", "persona", "channel")
    DEFAULT_DAYS = 365

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].choices = _kpi_choices()
        # "from" is a Python keyword, so the period fields are added here rather than declared.
        self.fields["from"] = _date_field(_("From"))
        self.fields["to"] = _date_field(_("To"))
        _show_default_period(self, self.DEFAULT_DAYS)
        self.fields["kpi"].initial = ["nps"]
        self.fields["bucket"].initial = Bucket.MONTH
        self.order_fields(["kpi", "from", "to", "bucket", "map", "persona", "channel", "stage", "touchpoint"])

    def clean(self):
        data = super().clean()
        data["kpi"] = data.get("kpi") or ["nps"]
        data["bucket"] = data.get("bucket") or Bucket.MONTH
        _period_clean(self, data, self.DEFAULT_DAYS)
        chosen = [name for name in self.SCOPES if data.get(name)]
        if len(chosen) > 1:
            raise forms.ValidationError(
                _("Choose at most one scope: journey map, stage, touchpoint, persona or channel.")
            )
        data["scope_type"], data["scope_key"] = ScopeType.COMPANY, ""
        if chosen:
            value = data[chosen[0]]
            data["scope_type"] = chosen[0]
            data["scope_key"] = str(value.pk) if hasattr(value, "pk") else str(value)
        return data


class BreakdownFilterForm(FilterForm):
    """KPI, dimension ("by"), period, and the map of the heatmap (also narrowing touchpoints and stages)."""

    kpi = forms.ChoiceField(label=_("KPI"), required=False, widget=forms.Select(attrs={"class": "form-select"}))
    by = forms.ChoiceField(
        label=_("Break down by"),
        choices=[
            (ScopeType.TOUCHPOINT, _("Touchpoint")),
            (ScopeType.STAGE, _("Stage")),
            (ScopeType.PERSONA, _("Persona")),
            (ScopeType.CHANNEL, _("Channel")),
        ],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    map = _map_field(_("Journey map (heatmap)"), _("Automatic (map of the best row)"))
    channel = _channel_field()
    stage = forms.IntegerField(label=_("Stage id"), required=False, min_value=1, widget=forms.HiddenInput)

    DEFAULT_DAYS = 90

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].choices = _kpi_choices()
        self.fields["from"] = _date_field(_("From"))
        self.fields["to"] = _date_field(_("To"))
        _show_default_period(self, self.DEFAULT_DAYS)
        self.fields["kpi"].initial = "nps"
        self.order_fields(["kpi", "by", "from", "to", "map", "channel", "stage"])

    def clean(self):
        data = super().clean()
        data["kpi"] = data.get("kpi") or "nps"
        data["by"] = data.get("by") or ScopeType.TOUCHPOINT
        _period_clean(self, data, self.DEFAULT_DAYS)
        return data


class MetricsImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[
            ("events", _("Touchpoint events (visits, conversions)")),
            ("transactions", _("Revenue transactions")),
        ],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8 (with or without BOM) or Windows-1252; “,” or “;” between columns; at most 5 MB and 10,000 rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
