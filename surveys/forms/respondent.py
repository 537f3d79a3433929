"""The respondent's form: one field per question of a page, and kept answers as its data (pages: ``surveys.paging``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import Question, Survey


def field_name(question: Question) -> str:
    return f"q{question.id}"


class RespondentForm(forms.Form):
    """One field per question. Shape only; the survey service validates ranges and requiredness."""

    def __init__(self, *args, survey: Survey, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = questions
        for q in questions:
            name = field_name(q)
            if q.kind in Question.SCORED:
                low, high = q.scale
                self.fields[name] = forms.TypedChoiceField(
                    choices=[(str(v), str(v)) for v in range(low, high + 1)],
                    coerce=int,
                    required=False,
                    widget=forms.RadioSelect,
                    label=q.text,
                    help_text=q.help_text,
                )
            elif q.kind == Question.Kind.SINGLE_CHOICE:
                self.fields[name] = forms.ChoiceField(
                    choices=[(c, c) for c in q.choices],
                    required=False,
                    widget=forms.RadioSelect,
                    label=q.text,
                    help_text=q.help_text,
                )
            elif q.kind == Question.Kind.MULTIPLE_CHOICE:
                self.fields[name] = forms.MultipleChoiceField(
                    choices=[(c, c) for c in q.choices],
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    label=q.text,
                    help_text=q.help_text,
                )
            else:
                attrs = {"class": "form-control"}
                if q.kind == Question.Kind.LONG_TEXT:
                    widget = forms.Textarea(attrs={**attrs, "rows": 4})
                else:
                    widget = forms.TextInput(attrs=attrs)
                self.fields[name] = forms.CharField(
                    required=False, widget=widget, label=q.text, help_text=q.help_text, max_length=5000
                )
            self.fields[name].question = q
        self.error_messages_invalid = _("Please correct the answers marked below.")

    def answers(self) -> list[dict]:
        items = []
        for q in self.questions:
            raw = self.cleaned_data.get(field_name(q))
            if q.kind in Question.SCORED:
                items.append({"question": q.id, "value": None if raw in (None, "") else raw})
            elif q.kind in Question.CHOICE:
                items.append({"question": q.id, "choices": raw if isinstance(raw, list) else ([raw] if raw else [])})
            else:
                items.append({"question": q.id, "text": raw or ""})
        return items

    def partial_answers(self) -> list[dict]:
        """The answers whose shape is valid, for keeping them when the respondent goes back a page."""
        valid = [q for q in self.questions if field_name(q) not in self.errors]
        return [item for item in self.answers() if any(q.id == item["question"] for q in valid)]

    def bound_questions(self):
        """(question, bound field) pairs in order, for the template."""
        return [(q, self[field_name(q)]) for q in self.questions]


def form_data(questions: list[Question], known: dict[int, dict]) -> dict:
    """Kept answers as form data/initial values for a page of questions."""
    data = {}
    for q in questions:
        item = known.get(q.id)
        if not item:
            continue
        if q.kind in Question.SCORED:
            if item.get("value") is not None:
                data[field_name(q)] = str(item["value"])
        elif q.kind == Question.Kind.MULTIPLE_CHOICE:
            data[field_name(q)] = list(item.get("choices") or [])
        elif q.kind == Question.Kind.SINGLE_CHOICE:
            data[field_name(q)] = (item.get("choices") or [""])[0]
        else:
            data[field_name(q)] = item.get("text", "")
    return data
