"""The builder's forms: a new survey (from a template), its settings, a question, a campaign."""

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from journeys.models import Language, Persona
from journeys.selectors import touchpoint_choices
from surveys.models import CampaignSeries, Question
from surveys.services.building import TEMPLATE_CHOICES
from surveys.services.questions import QUESTION_FIELDS


class TouchpointChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.stage.journey_map.name} › {obj.stage.name} › {obj.name}"


class SurveyCreateForm(forms.Form):
    template = forms.ChoiceField(
        choices=TEMPLATE_CHOICES,
        required=False,
        initial="relationship_nps",
        widget=forms.RadioSelect,
        label=_("Start from"),
        help_text=_("Every template's questions can be changed afterwards."),
    )
    title = forms.CharField(max_length=200, label=gettext_lazy("Internal title"))
    public_title = forms.CharField(
        max_length=200,
        required=False,
        label=gettext_lazy("Title respondents see"),
        help_text=gettext_lazy(
            "On the survey page and in invitation e-mails, e.g. “How was your service visit?”. "
            "Empty: a neutral “Your feedback”. The title above is for your team only."
        ),
    )
    touchpoint = TouchpointChoiceField(
        label=_("Touchpoint"),
        queryset=touchpoint_choices(),
        required=False,
        help_text=_("The touchpoint this survey measures."),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=Language.choices, help_text=_("The language of the questions and the page.")
    )
    ask_reason = forms.BooleanField(
        label=_("Ask for the reason of the score (relationship NPS)"), required=False, initial=True
    )

    def clean_template(self):
        return self.cleaned_data["template"] or "relationship_nps"


DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SurveySettingsForm(forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("Internal title"))
    public_title = forms.CharField(
        max_length=200,
        required=False,
        label=gettext_lazy("Title respondents see"),
        help_text=gettext_lazy(
            "On the survey page and in invitation e-mails, e.g. “How was your service visit?”. "
            "Empty: a neutral “Your feedback”. The title above is for your team only."
        ),
    )
    touchpoint = TouchpointChoiceField(
        label=_("Touchpoint"),
        queryset=touchpoint_choices(),
        required=False,
        help_text=_("The touchpoint this survey measures."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    intro = forms.CharField(
        label=_("Intro"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Shown above page 1.")
    )
    thank_you_text = forms.CharField(
        label=_("Thank-you text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown after a submit."),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens at"), required=False, widget=DATETIME_WIDGET, help_text=_("Empty: open now.")
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), required=False, widget=DATETIME_WIDGET, help_text=_("Empty: never closes.")
    )
    is_active = forms.BooleanField(required=False, label=_("Active (accepts answers between the dates)"))
    public_link_enabled = forms.BooleanField(required=False, label=_("Public link on"))
    anonymous = forms.BooleanField(required=False, label=_("Anonymous (responses are not linked to customers)"))
    one_response_per_browser = forms.BooleanField(
        required=False, label=_("One response per browser on the public link")
    )


class ChoicesField(forms.CharField):
    """Choices typed one per line, read as a list."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    text = forms.CharField(max_length=500, label=_("Question"))
    help_text = forms.CharField(
        label=_("Help text"), max_length=500, required=False, help_text=_("A short hint shown below the question.")
    )
    required = forms.BooleanField(required=False, initial=True, label=_("An answer is required"))
    choices = ChoicesField(
        label=_("Choices"), required=False, help_text=_("Single and multiple choice: one option per line.")
    )
    scale_max = forms.IntegerField(
        required=False, initial=5, label=_("Rating scale goes to"), help_text=_("Rating questions: 1 to 2…10.")
    )
    starts_page = forms.BooleanField(required=False, label=_("Start a new page with this question"))
    show_if_question = forms.ModelChoiceField(
        queryset=Question.objects.none(),
        required=False,
        label=_("Show only when the answer to"),
        empty_label=_("(always show this question)"),
    )
    show_if_op = forms.ChoiceField(choices=[("", "—"), *Question.Op.choices], required=False, label=_("is"))
    show_if_value = forms.IntegerField(required=False, label=_("value"))

    def __init__(self, *args, survey, question=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Any scored question of this survey may be chosen; the service insists on an earlier one.
        others = survey.questions.filter(kind__in=Question.SCORED)
        if question is not None:
            others = others.exclude(pk=question.pk)
        self.fields["show_if_question"].queryset = others.order_by("position", "id")
        self.fields["show_if_question"].label_from_instance = lambda q: f"{q.position + 1}. {q.text}"

    def clean_scale_max(self):
        value = self.cleaned_data["scale_max"]
        return 5 if value is None else value

    @staticmethod
    def initial_for(question: Question) -> dict:
        return {f: getattr(question, f) for f in QUESTION_FIELDS}


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    persona = forms.ModelChoiceField(
        label=_("Persona"),
        queryset=Persona.objects.all(),
        required=False,
        empty_label=_("All customers"),
        help_text=_("Invite this persona's customers."),
    )
    reminder_after_days = forms.IntegerField(
        required=False, min_value=1, max_value=60, label=_("Remind non-responders after (days)")
    )
    max_reminders = forms.IntegerField(
        required=False, min_value=0, max_value=3, initial=0, label=_("At most … reminders")
    )
    send_at = forms.DateTimeField(
        required=False,
        label=_("Send at"),
        help_text=_("Leave empty to send now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    repeat_every = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=52,
        label=gettext_lazy("Repeat every"),
        help_text=gettext_lazy(
            "Optional: send this campaign again and again, e.g. every 3 months for a relationship NPS. "
            "Each run is a campaign of its own, under the quiet period and unsubscribes."
        ),
    )
    repeat_unit = forms.ChoiceField(
        required=False,
        choices=[("", gettext_lazy("does not repeat")), *CampaignSeries.Unit.choices],
        label=gettext_lazy("Repeat unit"),
    )

    def clean(self):
        cleaned = super().clean()
        every, unit = cleaned.get("repeat_every"), cleaned.get("repeat_unit")
        if every and not unit:
            self.add_error("repeat_unit", gettext_lazy("Choose weeks or months."))
        elif unit and not every:
            self.add_error("repeat_every", gettext_lazy("Say every how many weeks or months."))
        return cleaned
