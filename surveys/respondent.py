"""The respondent's side: the form built from a page of questions, pages, and answers kept between pages."""

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


def pages_of(questions: list[Question]) -> list[list[Question]]:
    """Split the ordered questions into pages at each question that starts a page."""
    pages: list[list[Question]] = []
    for q in questions:
        if not pages or q.starts_page:
            pages.append([])
        pages[-1].append(q)
    return pages


def visible_pages(questions: list[Question], known: dict[int, dict]) -> list[list[Question]]:
    """The pages to show, given the answers of earlier pages.

    A question whose condition refers to an earlier page is settled already: it is left out when the
    condition is not met. One whose condition refers to its own page stays (the page marks it and a
    script hides it live; the service ignores it if the condition turns out false). Empty pages are skipped.
    """
    pages = pages_of(questions)
    page_of = {q.id: i for i, page in enumerate(pages) for q in page}
    hidden: set[int] = set()
    shown_pages = []
    for i, page in enumerate(pages):
        shown = []
        for q in page:
            source = q.show_if_question_id
            if q.has_condition and page_of.get(source, i) < i:
                value = None if source in hidden else known.get(source, {}).get("value")
                if not q.condition_holds(value):
                    hidden.add(q.id)
                    continue
            shown.append(q)
        if shown:
            shown_pages.append(shown)
    return shown_pages


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


class KeptAnswers:
    """Answers of earlier pages, kept in the session (server side) until the final submit stores them all."""

    def __init__(self, session, key: str):
        self.session = session
        self.key = f"surveys:answers:{key}"

    def load(self) -> dict[int, dict]:
        return {int(k): v for k, v in self.session.get(self.key, {}).items()}

    def keep(self, items: list[dict]) -> None:
        kept = self.session.get(self.key, {})
        kept.update({str(item["question"]): item for item in items})
        self.session[self.key] = kept

    def clear(self) -> None:
        self.session.pop(self.key, None)
