"""``{% brand as brand %}``: the branding in effect, for respondent pages."""

from django import template

from cxportal.branding import branding_get

register = template.Library()


@register.simple_tag
def brand():
    return branding_get()
