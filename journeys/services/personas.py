"""Writes of personas: create, update, delete, the photo upload, and assigning a persona's segment."""

import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxportal.errors import ApplicationError
from cxportal.images import png_reencode
from journeys.models import Channel, Persona

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_SIDE = 4000  # pixels of the upload; larger images are refused before they are decoded
PHOTO_STORED_SIDE = 512  # pixels of the re-encoded PNG

# Keys of customer attributes (and so of segment rules): they become JSON key lookups, so keep them plain.
# Not all digits (a JSON path would read an array index) and no "__" (Django's lookup separator).
ATTRIBUTE_KEY_RE = re.compile(r"^(?!.*__)[A-Za-z_][A-Za-z0-9_.\-]{0,63}$")
ATTRIBUTE_KEY_HELP = gettext_lazy("a letter or _ first, then letters, digits, single _, . or -; at most 64")

PERSONA_FIELDS = [
    "name",
    "role",
    "age_range",
    "gender",
    "location",
    "occupation",
    "description",
    "goals",
    "challenges",
    "preferences",
    "motivations",
    "preferred_channels",
    "quote",
    "attributes",
    "segment_rule",
]


def _channels_errors(channels) -> list[str]:
    if not isinstance(channels, list | tuple):
        return [_("Give a list of channels.")]
    known = set(Channel.values)
    unknown = [str(c) for c in channels if c not in known]
    if unknown:
        return [
            _("Unknown channel(s): %(unknown)s. Known: %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(Channel.values)}
        ]
    return []


def _attributes_errors(attributes) -> list[str]:
    """Custom attributes of a persona: a flat mapping of text to text."""
    if not isinstance(attributes, dict):
        return [_("Give a flat mapping of names to values.")]
    errors = []
    for key, value in attributes.items():
        if not isinstance(key, str) or not key.strip():
            errors.append(_("Attribute names must not be empty."))
        elif not isinstance(value, str):
            errors.append(_("“%(key)s”: the value must be text.") % {"key": key})
    return errors


def segment_rule_errors(rule) -> list[str]:
    """A segment rule: a flat mapping of customer attribute names to the value a member must have."""
    if not isinstance(rule, dict):
        return [_("Give a flat mapping of customer attribute names to values.")]
    errors = []
    for key, value in rule.items():
        if not isinstance(key, str) or not ATTRIBUTE_KEY_RE.match(key):
            errors.append(
                _("“%(key)s” is not a customer attribute name (%(rule)s).") % {"key": key, "rule": ATTRIBUTE_KEY_HELP}
            )
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            errors.append(_("“%(key)s”: the value must be text or a number.") % {"key": key})
    return errors


def _persona_validate(persona: Persona) -> None:
    """The rules beyond single fields; raises one ValidationError naming every bad field."""
    errors: dict[str, list[str]] = {}
    for field, check in (
        ("preferred_channels", _channels_errors),
        ("attributes", _attributes_errors),
        ("segment_rule", segment_rule_errors),
    ):
        if field_errors := check(getattr(persona, field)):
            errors[field] = field_errors
    if persona.name and Persona.objects.filter(name__iexact=persona.name.strip()).exclude(pk=persona.pk).exists():
        errors.setdefault("name", []).append(_("A persona with this name already exists."))
    if errors:
        raise ValidationError(errors)
    # Keep the order the user chose, once each.
    persona.preferred_channels = list(dict.fromkeys(persona.preferred_channels))
    persona.full_clean(exclude=["photo"], validate_unique=False)


def photo_reencode(upload) -> ContentFile:
    """Check an uploaded photo and return it re-encoded as a small PNG without metadata (cxportal.images)."""
    return png_reencode(
        upload,
        field="photo",
        max_bytes=PHOTO_MAX_BYTES,
        max_side=PHOTO_MAX_SIDE,
        stored_side=PHOTO_STORED_SIDE,
        name="photo.png",
    )


def _store_photo(persona: Persona, photo: ContentFile) -> None:
    """Save the re-encoded photo under the model's upload path; the old file goes once the change commits."""
    old = persona.photo.name if persona.photo else ""
    persona.photo.save(photo.name, photo, save=False)
    persona.save(update_fields=["photo", "updated_at"])
    if old:
        storage = persona.photo.storage
        transaction.on_commit(lambda: storage.delete(old))


def _drop_photo(persona: Persona) -> None:
    if not persona.photo:
        return
    old, storage = persona.photo.name, persona.photo.storage
    persona.photo = ""
    persona.save(update_fields=["photo", "updated_at"])
    transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def persona_create(
    *,
    name: str,
    role: str = "",
    age_range: str = "",
    gender: str = "",
    location: str = "",
    occupation: str = "",
    description: str = "",
    goals: str = "",
    challenges: str = "",
    preferences: str = "",
    motivations: str = "",
    preferred_channels: list[str] | None = None,
    quote: str = "",
    attributes: dict | None = None,
    segment_rule: dict | None = None,
    photo=None,
) -> Persona:
    """Create a persona; an uploaded ``photo`` is checked and re-encoded first, so a bad one stores nothing."""
    photo_file = photo_reencode(photo) if photo else None
    persona = Persona(
        name=name.strip(),
        role=role,
        age_range=age_range,
        gender=gender,
        location=location,
        occupation=occupation,
        description=description,
        goals=goals,
        challenges=challenges,
        preferences=preferences,
        motivations=motivations,
        preferred_channels=[] if preferred_channels is None else preferred_channels,
        quote=quote,
        attributes={} if attributes is None else attributes,
        segment_rule={} if segment_rule is None else segment_rule,
    )
    _persona_validate(persona)
    persona.save()
    if photo_file:
        _store_photo(persona, photo_file)
    return persona


@transaction.atomic
def persona_update(*, persona: Persona, data: dict, photo=None, photo_remove: bool = False) -> Persona:
    """Change the given fields of ``data`` (see PERSONA_FIELDS); replace or remove the photo."""
    photo_file = photo_reencode(photo) if photo else None
    changed = []
    for field in PERSONA_FIELDS:
        if field in data:
            value = data[field].strip() if field == "name" and isinstance(data[field], str) else data[field]
            if getattr(persona, field) != value:
                setattr(persona, field, value)
                changed.append(field)
    if changed:
        _persona_validate(persona)
        persona.save(update_fields=[*changed, "updated_at"])
    if photo_file:
        _store_photo(persona, photo_file)
    elif photo_remove:
        _drop_photo(persona)
    return persona


@transaction.atomic
def persona_photo_set(*, persona: Persona, upload) -> Persona:
    """Replace the persona's photo with the re-encoded upload (nothing changes when it is refused)."""
    _store_photo(persona, photo_reencode(upload))
    return persona


@transaction.atomic
def persona_delete(*, persona: Persona) -> None:
    """Delete the persona; its customers keep existing without a persona, its maps lose the link."""
    _drop_photo(persona)
    persona.delete()


@transaction.atomic
def persona_assign_segment(*, persona: Persona) -> int:
    """Set the persona of every customer its segment rule matches; returns how many customers changed."""
    from journeys.selectors import persona_segment_customers

    if not persona.segment_rule:
        raise ApplicationError(_("This persona has no segment rule, so no customers match it."))
    return (
        persona_segment_customers(persona=persona)
        .exclude(persona=persona)
        .update(persona=persona, updated_at=timezone.now())
    )
