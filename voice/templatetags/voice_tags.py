"""``{% highlighted item topic_key %}``: a comment with the words of a topic marked — every part escaped."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def highlighted(text: str, spans) -> str:
    """``text`` with ``<mark>`` around each (start, end) span; the customer's text is escaped, never trusted."""
    parts, at = [], 0
    for start, end in spans or []:
        parts.append(("{}", (text[at:start],)))
        parts.append(("<mark>{}</mark>", (text[start:end],)))
        at = end
    parts.append(("{}", (text[at:],)))
    return format_html_join("", "{}", ((format_html(fmt, *args),) for fmt, args in parts))
