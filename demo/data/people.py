"""Who works at the demo company: its logins, departments and the two personas its maps are drawn for."""

from django.utils.translation import gettext_lazy as _

from cxportal import roles
from demo.data.specs import Person

COMPANY = "Kessler Verpackungstechnik GmbH"
MAIL_DOMAIN = "kessler-verpackung.example"

# The demo's logins, printed by `make run` and `load_demo`: (username, password, role).
DEMO_LOGINS = [
    ("cx.manager", "demo-cx-2026", _("CX manager (everything)")),
    ("sales.member", "demo-sales-2026", _("Sales department member")),
    ("service.member", "demo-service-2026", _("Customer Service department member")),
    ("sales.lead", "demo-sales-lead-2026", _("Sales department lead")),
    ("service.lead", "demo-service-lead-2026", _("Customer Service department lead")),
    ("marketing.lead", "demo-marketing-lead-2026", _("Marketing department lead")),
    ("product.lead", "demo-product-lead-2026", _("Product department lead")),
]

PEOPLE = [
    Person("cx.manager", "Katrin", "Vogel", roles.CX_MANAGER),
    Person("sales.member", "Jonas", "Becker", roles.DEPARTMENT_MEMBER),
    Person("service.member", "Lena", "Hoffmann", roles.DEPARTMENT_MEMBER),
    Person("sales.lead", "Markus", "Weber", roles.DEPARTMENT_MEMBER),
    Person("service.lead", "Sabine", "Krüger", roles.DEPARTMENT_MEMBER),
    Person("marketing.lead", "Tim", "Schäfer", roles.DEPARTMENT_MEMBER),
    Person("product.lead", "Anna", "Richter", roles.DEPARTMENT_MEMBER),
]

# name: (lead, members, contact e-mail)
DEPARTMENTS = {
    "Sales": ("sales.lead", ["sales.lead", "sales.member"], f"sales@{MAIL_DOMAIN}"),
    "Customer Service": ("service.lead", ["service.lead", "service.member"], f"service@{MAIL_DOMAIN}"),
    "Marketing": ("marketing.lead", ["marketing.lead"], f"marketing@{MAIL_DOMAIN}"),
    "Product": ("product.lead", ["product.lead"], f"product@{MAIL_DOMAIN}"),
}

HEAD_OF_PRODUCTION = "Head of production"
IT_LEAD = "IT lead"

PERSONAS = [
    {
        "name": HEAD_OF_PRODUCTION,
        "role": "Head of production (Produktionsleiter) at a food manufacturer",
        "description": (
            "Thomas Brandt, 48, runs production at a family-owned food manufacturer near Stuttgart: three "
            "packaging lines, 140 people in two shifts. Engineer by training, twenty years in the company; "
            "decides together with purchasing, maintenance and the managing director."
        ),
        "goals": (
            "Higher output and shorter format changeovers; predictable uptime; a supplier who answers quickly "
            "when a line stands still; investments that pay back within four years."
        ),
        "challenges": (
            "Ageing machines and discontinued spare parts; more products in smaller batches; too few skilled "
            "maintenance staff; long approval rounds with purchasing and finance."
        ),
        "quote": "Every hour the line stands still costs us more than the service contract for a year.",
        "segment_rule": {"segment": "manufacturing"},
    },
    {
        "name": IT_LEAD,
        "role": "Head of IT at a mid-sized company",
        "description": (
            "Sandra Keller, 41, leads a team of six at a wholesaler with 400 employees. Management sent her to "
            "find outside help because outdated systems slow the business down. She researches thoroughly and "
            "trusts her peers' recommendations more than brochures."
        ),
        "goals": (
            "A modern, maintainable system landscape; a partner who understands the business, not only the "
            "technology; a roadmap management will fund; a team that grows with the project."
        ),
        "challenges": (
            "A legacy ERP and home-grown interfaces; little time next to day-to-day operations; management "
            "expects quick results; consultants' competence is hard to judge in advance."
        ),
        "quote": "I don't need another slide deck — I need someone who has done this before in a company like ours.",
        "segment_rule": {"segment": "mid_market"},
    },
]
