"""A newcomer's first look at the demo: after the first recompute every card and chart of the overview, trends,
breakdown, map, persona and action pages has data, and the campaigns show invitations in every state."""

import pytest
from django.db import transaction
from django.urls import reverse

from actionplans.models import Action
from demo.data.consulting_map import CONSULTING_MAP
from demo.data.machine_map import MACHINE_MAP
from demo.loader import demo_load
from journeys.models import JourneyMap, Persona
from metrics.services import snapshots_recompute
from surveys.models import Campaign, CampaignSeries, Invitation, Response
from tests import chart_html

EMPTY_STATES = ("No data in this period", "No answers in this period", "not computed yet", "No actions here.")


@pytest.fixture(scope="module")
def first_start(django_db_setup, django_db_blocker):
    """The demo as `make run` starts it: loaded, then the worker's first recompute; rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        snapshots_recompute()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def manager_page(first_start, db, client):
    client.login(username="cx.manager", password="demo-cx-2026")

    def get(name, *args, query=""):
        response = client.get(reverse(name, args=args) + query)
        assert response.status_code == 200, (name, response.status_code)
        return response

    return get


def _drawn(figure: dict) -> bool:
    """A chart with at least one drawn value (a bar, a point, a line)."""
    for trace in figure["data"]:
        for key in ("x", "y", "values", "z"):
            values = trace.get(key)
            if isinstance(values, dict):  # plotly's packed arrays
                values = values.get("bdata") or values.get("_inputArray")
            if values and any(v is not None for v in (values if isinstance(values, list) else [values])):
                return True
    return False


def _assert_full(response, *, charts: int = 1):
    content = response.content.decode()
    figures = chart_html.figures(content)
    assert len(figures) >= charts, f"{response.request['PATH_INFO']}: {len(figures)} charts"
    empty = [f.get("layout", {}).get("title") for f in figures if not _drawn(f)]
    assert not empty, f"{response.request['PATH_INFO']}: empty charts {empty}"
    for phrase in EMPTY_STATES:
        assert phrase not in content, f"{response.request['PATH_INFO']}: {phrase!r}"
    return content


def test_every_overview_card_has_a_value_and_a_sparkline_including_response_rate_and_clv(manager_page):
    response = manager_page("metrics:overview")
    cards = response.context["cards"]
    assert {str(c.kpi) for c in cards} >= {"nps", "csat", "ces", "response_rate", "churn_rate", "clv"}
    assert [str(c.kpi) for c in cards if not c.enough] == []
    _assert_full(response, charts=len(cards))


@pytest.mark.parametrize("name", ["metrics:trends", "metrics:breakdown", "metrics:dashboard"])
def test_trends_breakdown_and_kpi_pages_draw_data(manager_page, name):
    _assert_full(manager_page(name))


@pytest.mark.parametrize("map_name", [MACHINE_MAP, CONSULTING_MAP])
def test_both_maps_show_kpi_badges_and_the_measured_emotion_curve(manager_page, map_name):
    journey_map = JourneyMap.objects.get(name=map_name)
    _assert_full(manager_page("journeys:map_detail", journey_map.pk))
    fragment = manager_page("metrics:map_kpis", journey_map.pk).content.decode()
    assert "kpi-badge" in fragment or "data-kpi" in fragment


def test_each_persona_page_shows_its_kpis(manager_page):
    for persona in Persona.objects.filter(journey_maps__isnull=False).distinct():
        manager_page("journeys:persona_detail", persona.pk)
        fragment = manager_page("metrics:persona_kpis", persona.pk)
        content = fragment.content.decode()
        for phrase in EMPTY_STATES:
            assert phrase not in content, (persona.name, phrase)


@pytest.mark.parametrize(
    ("name", "charts"),
    [
        ("actionplans:action_list", 0),
        ("actionplans:action_kanban", 0),
        ("actionplans:action_timeline", 1),
        ("actionplans:action_matrix", 1),
        ("actionplans:plan_list", 0),
        ("actionplans:department_list", 0),
    ],
)
def test_the_action_pages_are_filled(manager_page, name, charts):
    content = _assert_full(manager_page(name), charts=charts)
    assert "No " not in content.split("<main", 1)[-1] or name == "actionplans:action_kanban", name


def test_an_action_done_months_ago_shows_its_effect_before_and_after(manager_page):
    done = Action.objects.filter(status=Action.Status.DONE).order_by("done_at").first()
    content = manager_page("actionplans:action_detail", done.pk).content.decode()
    assert "effect" in content.lower()


def test_the_campaigns_show_invitations_in_every_state_and_a_recurring_relationship_nps(first_start, db):
    states = set(Invitation.objects.values_list("status", flat=True))
    assert {"sent", "responded", "suppressed", "failed"} <= states
    assert Invitation.objects.filter(status="sent", opened_at__isnull=False).exists(), "opened, not answered"
    assert Invitation.objects.filter(reminders_sent__gt=0).exists(), "reminded"
    assert Response.objects.filter(source=Response.Source.INVITATION, invitation__isnull=False).count() > 50
    series = CampaignSeries.objects.get()
    assert series.every == 3 and series.unit == "month" and not series.is_paused
    assert Campaign.objects.filter(series=series).count() == 3
    assert series.next_run_at > max(Campaign.objects.filter(series=series).values_list("send_at", flat=True))


def test_the_campaign_page_shows_its_funnel_and_its_series(manager_page):
    run = Campaign.objects.filter(series__isnull=False).order_by("-send_at").first()
    response = manager_page("surveys:campaign_detail", run.pk)
    c = response.context["campaign"]
    assert c.invited > c.sent > c.started > c.responded > 0 and c.suppressed > 0 and c.failed > 0
    content = response.content.decode()
    assert 'id="series-runs"' in content and "every 3 months" in content
