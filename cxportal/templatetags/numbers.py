"""Numbers in the person's language, one place for every template: ``{% load numbers %}``.

``{{ value|number:1 }}`` → 12,9 (German) / 12.9 (English), thousands grouped (1.234 / 1,234);
``{{ value|percent:1 }}`` → 12,9 % / 12.9%; ``{{ value|currency }}`` → 1.234,50 € / €1,234.50.
None and "" show as "–". CSV exports do not use these: they keep ``.`` decimals and ISO dates.
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()
DASH = "–"


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def number_format(value, decimals: int = 0) -> str:
    """``value`` rounded to ``decimals`` places with the language's separators and grouping."""
    amount = _decimal(value)
    if amount is None:
        return DASH
    rounded = round(amount, int(decimals))
    return formats.number_format(rounded, decimal_pos=int(decimals), use_l10n=True, force_grouping=True)


def _german() -> bool:
    return (get_language() or "en").split("-")[0] == "de"


@register.filter
def number(value, decimals=0):
    return number_format(value, decimals)


@register.filter
def percent(value, decimals=0):
    text = number_format(value, decimals)
    if text == DASH:
        return text
    return f"{text}\N{NO-BREAK SPACE}%" if _german() else f"{text}%"


@register.filter
def currency(value, decimals=2):
    text = number_format(value, decimals)
    if text == DASH:
        return text
    return f"{text}\N{NO-BREAK SPACE}€" if _german() else f"€{text}"
