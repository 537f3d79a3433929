from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from journeys.models import Channel, JourneyMap, Language, Persona, Stage, Touchpoint
from surveys.forms.builder import TouchpointChoiceField
from voice.models import Sentiment, Source, Topic


class VoiceFilterForm(forms.Form):
    map = forms.ModelChoiceField(JourneyMap.objects.all(), required=False, label=_("Journey map"))
    stage = forms.ModelChoiceField(Stage.objects.all(), required=False, label=_("Stage"))
    touchpoint = forms.ModelChoiceField(Touchpoint.objects.all(), required=False, label=_("Touchpoint"))
    persona = forms.ModelChoiceField(Persona.objects.all(), required=False, label=_("Persona"))
    source = forms.ChoiceField(choices=[("", "—"), *Source.choices], required=False, label=_("Source"))
    channel = forms.ChoiceField(choices=[("", "—"), *Channel.choices], required=False, label=_("Channel"))
    sentiment = forms.ChoiceField(choices=[("", "—"), *Sentiment.choices], required=False, label=_("Sentiment"))
    language = forms.ChoiceField(choices=[("", "—"), *Language.choices], required=False, label=_("Language"))
    date_from = forms.DateField(required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def filter(self, items):
        if not self.is_valid():
            return items.none()
        data = self.cleaned_data
        if data["map"]:
            items = items.filter(touchpoint__stage__journey_map=data["map"])
        if data["stage"]:
            items = items.filter(touchpoint__stage=data["stage"])
        if data["touchpoint"]:
            items = items.filter(touchpoint=data["touchpoint"])
        if data["persona"]:
            items = items.filter(customer__persona=data["persona"])
        for name in ("source", "channel", "sentiment", "language"):
            if data[name]:
                items = items.filter(**{name: data[name]})
        if data["date_from"]:
            items = items.filter(occurred_at__date__gte=data["date_from"])
        if data["date_to"]:
            items = items.filter(occurred_at__date__lte=data["date_to"])
        return items


class TopicRenameForm(forms.Form):
    label = forms.CharField(
        label=_("New label"), max_length=200, required=False, help_text=_("Empty: back to the discovered label.")
    )


class TopicMergeForm(forms.Form):
    target = forms.ModelChoiceField(Topic.objects.none(), label=_("Merge into"))

    def __init__(self, *args, topic: Topic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Topic.objects.filter(merged_into__isnull=True, hidden=False).exclude(
            pk=topic.pk
        )


class FeedbackImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: <code>external_id</code> and <code>text</code> (required), <code>language</code>, "
            "<code>channel</code>, <code>source</code>, <code>touchpoint</code>, <code>customer</code>, "
            "<code>occurred_at</code>. UTF-8 or Windows-1252; “,” or “;” between columns; at most 5 MB and "
            "10,000 rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class TopicPinForm(forms.Form):
    keywords = forms.CharField(
        label=_("Keywords"),
        max_length=2000,
        help_text=_("Comma-separated words or phrases; a comment with one of them belongs to this topic."),
    )


class TopicSplitForm(forms.Form):
    label = forms.CharField(label=_("Name of the new topic"), max_length=200)
    keywords = forms.CharField(
        label=_("Keywords"),
        max_length=2000,
        help_text=_("Comma-separated; this topic's comments with one of them move to the new topic."),
    )


class _NamedTouchpointField(TouchpointChoiceField):
    """A touchpoint as the builder names it (map › stage › touchpoint), with how many of the topic's comments name
    it (the queryset's ``comments``)."""

    def label_from_instance(self, obj):
        place = super().label_from_instance(obj)
        return ngettext("%(place)s (%(n)s comment)", "%(place)s (%(n)s comments)", obj.comments) % {
            "place": place,
            "n": obj.comments,
        }


class TopicPainPointForm(forms.Form):
    """The pain point a topic becomes (prefilled from ``voice.services.acting.topic_pain_point_draft``): where on the
    map — one of the touchpoints its comments name — how severe, and its words."""

    title = forms.CharField(label=_("Title"), max_length=200)
    touchpoint = _NamedTouchpointField(
        label=_("Touchpoint"),
        queryset=Touchpoint.objects.none(),
        empty_label=None,
        help_text=_("The touchpoints this topic's comments name, most named first."),
    )
    severity = forms.TypedChoiceField(
        label=_("Severity"),
        coerce=int,
        choices=[
            (1, _("1 — minor")),
            (2, "2"),
            (3, "3"),
            (4, "4"),
            (5, _("5 — critical")),
        ],
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("A customer's own words, quoted on the map."),
    )

    def __init__(self, *args, touchpoints, **kwargs):
        """``touchpoints``: ``voice.effect.topic_touchpoints`` of the topic."""
        super().__init__(*args, **kwargs)
        self.fields["touchpoint"].queryset = touchpoints
