"""Small helpers the loaders share: ASCII e-mail parts and the afternoon of a local day."""

import unicodedata
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.text import slugify


def ascii_slug(text: str) -> str:
    text = text.translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}))
    return slugify(unicodedata.normalize("NFKD", text))


def local_afternoon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(16, 0)))
