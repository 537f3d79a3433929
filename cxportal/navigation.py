"""The navigation: the top-level sections, which section a page belongs to, and each section's sub-navigation.

One definition of every menu item, read by the context processor (which section is current) and by the
``{% subnav %}`` tag (one pattern for every section's sub-navigation). An item names who sees it: everyone
with a role, CX managers only, department members only, or nobody unless the development outbox exists.
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cxportal import roles

ANYONE, MANAGER, MEMBER, DEV_OUTBOX = "anyone", "manager", "member", "dev_outbox"


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    # Pages (view names, shell patterns) on which this item is the current one.
    pages: tuple[str, ...]
    audience: str = ANYONE
    button: bool = False  # the section's main action (e.g. "New action"), drawn as a button at the end


SETTINGS_PAGES = ("settings_index", "apikey_*", "audit_log*", "outbox", "webhooks:*")
# The top navigation; settings sits at the right of the bar and is marked current the same way.
SECTIONS = [
    NavItem("journeys", _("Journeys"), "journeys:map_list", ("journeys:*",)),
    NavItem("surveys", _("Surveys"), "surveys:survey_list", ("surveys:*",), MANAGER),
    NavItem("dashboards", _("Dashboards"), "metrics:overview", ("metrics:*", "reports:*", "decisions:*")),
    NavItem("voice", _("Voice"), "voice:overview", ("voice:*",)),
    NavItem("actions", _("Actions"), "actionplans:action_list", ("actionplans:*",)),
    NavItem("my_department", _("My department"), "actionplans:my_department", ("actionplans:my_department",), MEMBER),
    NavItem("settings", _("Settings"), "settings_index", SETTINGS_PAGES, MANAGER),
]

SUBNAV = {
    "journeys": [
        NavItem("maps", _("Journey maps"), "journeys:map_list", ("journeys:*",)),
        NavItem("personas", _("Personas"), "journeys:persona_list", ("journeys:persona_*",)),
        NavItem("customers", _("Customers"), "journeys:customer_list", ("journeys:customer_*",), MANAGER),
    ],
    "surveys": [
        NavItem("surveys", _("Surveys"), "surveys:survey_list", ("surveys:*",), MANAGER),
        # Department members reach the responses of their touchpoints (surveys/selectors/access.py), nothing else here.
        NavItem("responses", _("Responses"), "surveys:response_list", ("surveys:response_*",)),
        NavItem("privacy", _("Data-subject requests"), "surveys:privacy_lookup", ("surveys:privacy_*",), MANAGER),
    ],
    "dashboards": [
        NavItem("overview", _("Overview"), "metrics:overview", ("metrics:overview", "metrics:dashboard")),
        NavItem("trends", _("Trends"), "metrics:trends", ("metrics:trends",)),
        NavItem("breakdown", _("Breakdown"), "metrics:breakdown", ("metrics:breakdown",)),
        NavItem("drivers", _("Key drivers"), "decisions:drivers", ("decisions:drivers",)),
        NavItem("churn_risk", _("Churn risk"), "decisions:churn_risk", ("decisions:churn_*",), MANAGER),
        NavItem("targets", _("Targets"), "metrics:target_list", ("metrics:target_*",)),
        NavItem("notifications", _("Notifications"), "metrics:notification_list", ("metrics:notification*",)),
        NavItem("import", _("Import events / transactions"), "metrics:import", ("metrics:import*",), MANAGER),
        NavItem("reports", _("Reports"), "reports:report_list", ("reports:*",), MANAGER),
    ],
    "actions": [
        NavItem("list", _("List"), "actionplans:action_list", ("actionplans:action_*",)),
        NavItem("kanban", _("Kanban"), "actionplans:action_kanban", ("actionplans:action_kanban",)),
        NavItem("matrix", _("Impact/effort matrix"), "actionplans:action_matrix", ("actionplans:action_matrix",)),
        NavItem("timeline", _("Timeline"), "actionplans:action_timeline", ("actionplans:action_timeline",)),
        NavItem("plans", _("Plans"), "actionplans:plan_list", ("actionplans:plan_*",), MANAGER),
        NavItem("departments", _("Departments"), "actionplans:department_list", ("actionplans:department_*",), MANAGER),
        NavItem(
            "follow_up", _("Follow-up rules"), "actionplans:follow_up_rules", ("actionplans:follow_up_rule*",), MANAGER
        ),
        NavItem(
            "follow_up_queue",
            _("Needs a department"),
            "actionplans:follow_up_queue",
            ("actionplans:follow_up_queue*",),
            MANAGER,
        ),
        NavItem("review", _("Needs review"), "actionplans:review_list", ("actionplans:review*",), MANAGER),
        NavItem("new", _("New action"), "actionplans:action_create", ("actionplans:action_create",), MANAGER, True),
    ],
    "settings": [
        NavItem("apikeys", _("API keys"), "apikey_list", ("apikey_*",), MANAGER),
        NavItem("webhooks", _("Webhooks"), "webhooks:subscription_list", ("webhooks:*",), MANAGER),
        NavItem("outbox", _("Outbox (development)"), "outbox", ("outbox",), DEV_OUTBOX),
    ],
}


def outbox_available() -> bool:
    """The development outbox: DEBUG on and mail kept on this machine (file or in-memory backend)."""
    backend = settings.EMAIL_BACKEND
    return settings.DEBUG and ("filebased" in backend or "locmem" in backend)


def _sees(user, audience: str) -> bool:
    if audience == MANAGER:
        return roles.is_cx_manager(user)
    if audience == MEMBER:
        return roles.is_department_member(user)
    if audience == DEV_OUTBOX:
        return roles.is_cx_manager(user) and outbox_available()
    return roles.has_any_role(user)


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else ""


def _current(items: list[NavItem], view_name: str) -> str | None:
    # The most specific pattern wins: "actionplans:my_department" over "actionplans:*".
    best = None
    for item in items:
        for pattern in item.pages:
            if fnmatchcase(view_name, pattern) and (best is None or len(pattern) > best[0]):
                best = (len(pattern), item.key)
    return best[1] if best else None


def menu(request, items: list[NavItem], current: str | None = None) -> list[dict]:
    """The items the user may see, each with its URL and whether it is the current page's."""
    current = current or _current(items, _view_name(request))
    return [
        {
            "key": item.key,
            "label": item.label,
            "url": reverse(item.url_name),
            "current": item.key == current,
            "button": item.button,
        }
        for item in items
        if _sees(request.user, item.audience)
    ]


def language_switch(request) -> list[dict]:
    """The languages a person can switch to (a POST to ``set_language``, back to the same page)."""
    current = get_language()
    return [{"code": code, "name": name, "current": code == current} for code, name in settings.LANGUAGES]


def navigation_context(request) -> dict:
    """Template context: the top navigation's items with the current section marked, and the language switch."""
    languages = language_switch(request)
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_sections": [], "nav_languages": languages}
    return {"nav_sections": menu(request, SECTIONS), "nav_languages": languages}
