"""The demo data set: Kessler Verpackungstechnik GmbH, a packaging-machine builder with an IT consulting arm.

``demo_load()`` is idempotent: every object is looked up by its natural key (username, department,
persona, map and survey name, customer and response external id, action title) and only what is missing
is created, so a second run adds nothing and a partly loaded database is completed. The data is drawn
from a seeded ``random.Random`` relative to today, so it always covers the last year (the same seed on
the same day gives the same data).

What is loaded lives in ``demo.data`` (plain data); how, in one loader per area (``demo.loaders``).
Journeys, surveys and actions go through the services. Customers, responses and answers are
bulk-inserted, already valid by construction: the services validate one row at a time, and a demo
that takes a minute to load is a demo nobody starts.

The KPI snapshots are left alone on purpose: the worker and beat compute them within a minute of
start-up, which is what the demo shows.
"""

from datetime import datetime, time

from django.db import transaction
from django.utils import timezone, translation

from demo.data.language import LANGUAGES, DemoData, demo_data
from demo.loaders.actionplans import load_actions
from demo.loaders.campaigns import load_campaigns
from demo.loaders.customers import load_customers
from demo.loaders.journeys import load_blueprint, load_findings, load_journey_maps
from demo.loaders.metrics import load_events_and_revenue
from demo.loaders.people import load_branding, load_departments, load_personas, load_users
from demo.loaders.plans import load_plan
from demo.loaders.reports import load_report
from demo.loaders.surveys import load_responses, load_surveys
from demo.loaders.voice import load_feedback
from journeys.models import JourneyMap

KINDS = (
    "users",
    "departments",
    "personas",
    "journey_maps",
    "stages",
    "touchpoints",
    "pain_points",
    "opportunities",
    "lane_cells",
    "customers",
    "surveys",
    "responses",
    "answers",
    "campaigns",
    "invitations",
    "actions",
    "plans",
    "events",
    "transactions",
    "reports",
    "feedback_items",
)


class DemoLanguageConflict(Exception):
    """The database holds the demo in another language; loading this one beside it would mix the two."""


def demo_language_present() -> str | None:
    """The language of the demo this database holds already, if any (told by the name of its first map)."""
    for language in LANGUAGES:
        if JourneyMap.objects.filter(name=demo_data(language).marker_map).exists():
            return language
    return None


@transaction.atomic
def demo_load(*, seed: int = 7, language: str = "en") -> dict[str, int]:
    """Load whatever part of the demo data set is missing; returns how many objects of each kind it created.

    ``language`` chooses the texts (``demo.data.language``); everything else is the same in every language.
    Product texts stored on the way (e.g. default lane names) are written in that language too.
    """
    data = demo_data(language)
    present = demo_language_present()
    if present not in (None, language):
        raise DemoLanguageConflict(present)
    with translation.override(language):
        return _load(data, seed=seed)


def _load(data: DemoData, *, seed: int) -> dict[str, int]:
    # Everything is drawn relative to the start of today (site time zone), not to this very second: a load
    # later the same day then draws the same random sequence and completes a partial data set exactly.
    now = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    counts = dict.fromkeys(KINDS, 0)
    users = load_users(data, counts)
    load_branding(data, users["cx.manager"])
    departments = load_departments(data, users, counts)
    personas = load_personas(data, counts)
    touchpoints = load_journey_maps(data, personas, users["cx.manager"], counts)
    load_findings(data, touchpoints, users["cx.manager"], counts)
    touchpoints.update(load_blueprint(data, personas, users["cx.manager"], counts))
    load_customers(data, personas, seed, now, counts)
    surveys = load_surveys(data, touchpoints, users["cx.manager"], counts)
    load_responses(data, surveys, seed, now, counts)
    load_actions(data, departments, users, touchpoints, counts)
    load_plan(touchpoints, users["cx.manager"], counts, language=data.language)
    load_events_and_revenue(seed, now, counts)
    load_campaigns(surveys, touchpoints, users["cx.manager"], seed, now, counts, language=data.language)
    load_report(data, users, touchpoints, counts)
    load_feedback(seed, now, counts, language=data.language)
    return counts
