"""``{% subnav "actions" %}``: a section's sub-navigation, the same pattern in every section."""

from django import template

from cxportal.navigation import SECTIONS, SUBNAV, menu

register = template.Library()


@register.inclusion_tag("_subnav.html", takes_context=True)
def subnav(context, section: str, current: str | None = None):
    """The section's items the user may see; ``current`` names the current item when the page is not its own."""
    request = context["request"]
    label = next(item.label for item in SECTIONS if item.key == section)
    return {"label": label, "items": menu(request, SUBNAV[section], current)}
