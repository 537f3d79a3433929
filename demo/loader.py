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
from django.utils import timezone

from demo.loaders.actionplans import load_actions
from demo.loaders.campaigns import load_campaigns
from demo.loaders.customers import load_customers
from demo.loaders.journeys import load_blueprint, load_findings, load_journey_maps
from demo.loaders.metrics import load_events_and_revenue
from demo.loaders.people import load_branding, load_departments, load_personas, load_users
from demo.loaders.plans import load_plan
from demo.loaders.surveys import load_responses, load_surveys

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
)


@transaction.atomic
def demo_load(*, seed: int = 7) -> dict[str, int]:
    """Load whatever part of the demo data set is missing; returns how many objects of each kind it created."""
    # Everything is drawn relative to the start of today (site time zone), not to this very second: a load
    # later the same day then draws the same random sequence and completes a partial data set exactly.
    now = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    counts = dict.fromkeys(KINDS, 0)
    users = load_users(counts)
    load_branding(users["cx.manager"])
    departments = load_departments(users, counts)
    personas = load_personas(counts)
    touchpoints = load_journey_maps(personas, users["cx.manager"], counts)
    load_findings(touchpoints, users["cx.manager"], counts)
    touchpoints.update(load_blueprint(personas, users["cx.manager"], counts))
    load_customers(personas, seed, now, counts)
    surveys = load_surveys(touchpoints, users["cx.manager"], counts)
    load_responses(surveys, seed, now, counts)
    load_actions(departments, users, touchpoints, counts)
    load_plan(touchpoints, users["cx.manager"], counts)
    load_events_and_revenue(seed, now, counts)
    load_campaigns(surveys, touchpoints, users["cx.manager"], seed, now, counts)
    return counts
