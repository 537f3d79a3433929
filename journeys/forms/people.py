"""Forms for personas and customers: the shape of the input; the rules live in the services."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from journeys.models import Channel, Persona
from journeys.services.personas import PHOTO_MAX_BYTES

# The persona's own fields, in the order the form shows them.
PERSONA_TEXT_FIELDS = [
    "name",
    "role",
    "age_range",
    "gender",
    "location",
    "occupation",
    "quote",
    "description",
    "goals",
    "challenges",
    "preferences",
    "motivations",
]


def key_value_lines_format(mapping: dict) -> str:
    return "\n".join(f"{key}: {value}" for key, value in (mapping or {}).items())


def key_value_lines_parse(text: str) -> dict[str, str]:
    """``key: value`` per line (blank lines ignored); raises one ValidationError listing every bad line."""
    result, errors = {}, []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            errors.append(_("Line %(number)d: write “name: value”.") % {"number": number})
        elif key in result:
            errors.append(_("Line %(number)d: “%(key)s” is given twice.") % {"number": number, "key": key})
        else:
            result[key] = value
    if errors:
        raise forms.ValidationError(errors)
    return result


class PersonaForm(forms.Form):
    photo = forms.FileField(
        label=gettext_lazy("Photo"),
        required=False,
        help_text=format_lazy(
            gettext_lazy("PNG, JPEG, WebP or GIF, at most {size} MB; stored as a PNG of at most 512 px."),
            size=PHOTO_MAX_BYTES // 1024 // 1024,
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
    )
    photo_remove = forms.BooleanField(label=gettext_lazy("Remove the current photo"), required=False)
    preferred_channels = forms.MultipleChoiceField(
        label=gettext_lazy("Preferred channels"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attributes = forms.CharField(
        label=gettext_lazy("Custom attributes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line, “name: value”, e.g. “Company size: 200–500”."),
    )
    segment_rule = forms.CharField(
        label=gettext_lazy("Segment rule"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Which customers belong to this persona: one customer attribute per line, “name: value”, "
            "e.g. “segment: manufacturing”. A customer must match every line."
        ),
    )

    field_order = [*PERSONA_TEXT_FIELDS, "preferred_channels", "attributes", "segment_rule", "photo", "photo_remove"]

    def __init__(self, *args, persona: Persona | None = None, **kwargs):
        if persona is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(persona, name) for name in PERSONA_TEXT_FIELDS},
                "preferred_channels": persona.preferred_channels,
                "attributes": key_value_lines_format(persona.attributes),
                "segment_rule": key_value_lines_format(persona.segment_rule),
            }
        super().__init__(*args, **kwargs)
        for name in PERSONA_TEXT_FIELDS:
            model_field = Persona._meta.get_field(name)
            formfield = model_field.formfield()
            if isinstance(formfield.widget, forms.Textarea):
                formfield.widget.attrs["rows"] = 3
            self.fields[name] = formfield
        if persona is None or not persona.photo:
            del self.fields["photo_remove"]
        self.order_fields(self.field_order)

    def clean_attributes(self):
        return key_value_lines_parse(self.cleaned_data["attributes"])

    def clean_segment_rule(self):
        return key_value_lines_parse(self.cleaned_data["segment_rule"])

    def persona_data(self) -> dict:
        """The cleaned persona fields, without the photo."""
        return {k: v for k, v in self.cleaned_data.items() if k not in ("photo", "photo_remove")}


class CustomerImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "UTF-8 (with or without BOM) or Windows-1252; “,” or “;” between columns; at most 5 MB and 10,000 rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class CustomerSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search"), required=False, help_text=gettext_lazy("Name, e-mail or external id")
    )
    persona = forms.ChoiceField(label=gettext_lazy("Persona"), required=False)

    def __init__(self, *args, personas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].choices = [
            ("", _("All")),
            ("none", _("No persona")),
            *((p.pk, p.name) for p in personas),
        ]
