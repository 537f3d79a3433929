"""Stage sets a new map can start from (DOMAIN.md: the classic funnel and the two B2B journeys).

Labels and stage names are translated lazily: a map started in German gets German stage names.
"""

from django.utils.translation import gettext_lazy as _

STAGE_TEMPLATES = {
    "blank": (_("Blank"), []),
    "classic": (
        _("Awareness → Advocacy"),
        [_("Awareness"), _("Consideration"), _("Purchase"), _("Retention"), _("Advocacy")],
    ),
    "b2b_purchase": (
        _("B2B purchase (industrial machine)"),
        [
            _("Need recognition"),
            _("Information search"),
            _("Vendor contact"),
            _("Offer"),
            _("Evaluation"),
            _("Negotiation"),
            _("Purchase decision"),
            _("Implementation"),
            _("After-sales service"),
        ],
    ),
    "b2b_consulting": (
        _("B2B consulting engagement"),
        [
            _("Problem recognition"),
            _("Market analysis"),
            _("First contact"),
            _("Presentations"),
            _("Selection"),
            _("Project start"),
            _("Completion and follow-up"),
        ],
    ),
}
