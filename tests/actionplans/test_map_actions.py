"""The journey map shows each touchpoint's owning department and the open actions of touchpoints and pain
points, loaded by htmx from actionplans (journeys does not import actionplans)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans.models import Action
from actionplans.services import ownership
from journeys.services import pain_point_create
from tests.actionplans.factories import ActionFactory
from tests.journeys.factories import JourneyMapFactory, StageFactory, TouchpointFactory

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def _map(touchpoints: int = 2, pain_points: int = 1):
    journey_map = JourneyMapFactory(name="Onboarding")
    stage = StageFactory(journey_map=journey_map, name="Sign-up")
    tps = [TouchpointFactory(stage=stage, name=f"TP {i}") for i in range(touchpoints)]
    pps = [
        pain_point_create(journey_map=journey_map, stage=stage, touchpoint=tps[0], title=f"Pain {i}")
        for i in range(pain_points)
    ]
    return journey_map, tps, pps


def _block(html: str, element_id: str) -> str:
    """The out-of-band block for one card: from its opening tag to the next block."""
    start = html.index(f'<div id="{element_id}"')
    assert 'hx-swap-oob="true"' in html[start : html.index(">", start)]
    end = html.find('\n<div id="', start + 1)
    return html[start : end if end != -1 else None]


def _fragment(client, journey_map) -> str:
    response = client.get(reverse("actionplans:map_actions", args=[journey_map.pk]), **HX)
    assert response.status_code == 200
    return response.content.decode()


def test_map_page_has_the_slot_with_a_plain_link_fallback(client, manager):
    journey_map, tps, pps = _map()
    client.force_login(manager)
    page = client.get(reverse("journeys:map_detail", args=[journey_map.pk])).content.decode()
    url = reverse("actionplans:map_actions", args=[journey_map.pk])
    assert f'hx-get="{url}"' in page and f'href="{url}"' in page
    assert f'id="tp-actions-{tps[0].pk}"' in page
    assert f'id="pp-actions-{pps[0].pk}"' in page


def test_fragment_shows_owner_and_open_actions_per_touchpoint_and_pain_point(client, manager, sales):
    journey_map, tps, pps = _map()
    ownership.touchpoint_owner_set(touchpoint=tps[0], department=sales, by=manager)
    on_tp = ActionFactory(title="Call back faster", department=sales, touchpoint=tps[0])
    on_pp = ActionFactory(title="Fix the form", department=sales, pain_point=pps[0], touchpoint=tps[0])
    ActionFactory(title="Finished work", department=sales, touchpoint=tps[0], status=Action.Status.DONE)
    client.force_login(manager)

    html = _fragment(client, journey_map)

    first = _block(html, f"tp-actions-{tps[0].pk}")
    assert "Owner:</span> Sales" in first
    assert "Call back faster" in first and "Fix the form" in first
    assert reverse("actionplans:action_detail", args=[on_tp.pk]) in first
    assert on_tp.due_date.isoformat() in first and "Open" in first
    assert "Finished work" not in html
    pain = _block(html, f"pp-actions-{pps[0].pk}")
    assert "Fix the form" in pain and "Call back faster" not in pain
    assert reverse("actionplans:action_detail", args=[on_pp.pk]) in pain
    second = _block(html, f"tp-actions-{tps[1].pk}")
    assert "Owner" not in second
    assert "2 open actions on this map" in html


def test_manager_gets_prefilled_add_action_links(client, manager):
    journey_map, tps, pps = _map()
    client.force_login(manager)
    html = _fragment(client, journey_map)
    create = reverse("actionplans:action_create")
    assert f"{create}?touchpoint={tps[0].pk}" in html
    assert f"{create}?pain_point={pps[0].pk}" in html

    form = client.get(f"{create}?touchpoint={tps[1].pk}").content.decode()
    assert re.search(rf'<option value="{tps[1].pk}" selected>', form)
    form = client.get(f"{create}?pain_point={pps[0].pk}").content.decode()
    assert re.search(rf'<option value="{pps[0].pk}" selected>', form)


def test_members_see_only_their_departments_actions_and_no_add_links(client, sales, service, sales_member):
    journey_map, tps, pps = _map()
    ActionFactory(title="Ours", department=sales, touchpoint=tps[0])
    ActionFactory(title="Theirs", department=service, touchpoint=tps[0], pain_point=pps[0])
    client.force_login(sales_member)

    html = _fragment(client, journey_map)

    assert "Ours" in html
    assert "Theirs" not in html
    assert "+ action" not in html
    assert "1 open action on this map" in html


def test_user_text_is_escaped(client, manager, sales):
    journey_map, tps, pps = _map()
    sales.name = "<i>Sales</i>"
    sales.save()
    ownership.touchpoint_owner_set(touchpoint=tps[0], department=sales, by=manager)
    ActionFactory(title="<script>alert(1)</script>", department=sales, touchpoint=tps[0])
    tps[0].name = "<b>tp</b>"
    tps[0].save()
    client.force_login(manager)
    for html in (
        _fragment(client, journey_map),
        client.get(reverse("actionplans:map_actions", args=[journey_map.pk])).content.decode(),
    ):
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
        assert "<i>Sales</i>" not in html and "&lt;i&gt;Sales&lt;/i&gt;" in html
        assert "<b>tp</b>" not in html


def test_page_without_htmx_lists_touchpoints_and_pain_points(client, manager, sales):
    journey_map, tps, pps = _map()
    ActionFactory(title="Call back faster", department=sales, touchpoint=tps[0])
    client.force_login(manager)
    response = client.get(reverse("actionplans:map_actions", args=[journey_map.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page.lower()
    assert "Call back faster" in page and "Pain 0" in page and "TP 1" in page


def test_unknown_map_is_a_404_and_anonymous_is_redirected(client, manager):
    assert client.get(reverse("actionplans:map_actions", args=[1])).status_code in (302, 403)
    client.force_login(manager)
    assert client.get(reverse("actionplans:map_actions", args=[999]), **HX).status_code == 404


def _count(client, journey_map) -> int:
    _fragment(client, journey_map)
    with CaptureQueriesContext(connection) as queries:
        _fragment(client, journey_map)
    return len(queries)


@pytest.mark.parametrize("who", ["manager", "sales_member"])
def test_fragment_queries_do_not_grow_with_the_map(client, request, who, manager, sales, service):
    user = request.getfixturevalue(who)
    client.force_login(user)
    small, small_tps, small_pps = _map(2, 1)
    big, big_tps, big_pps = _map(20, 10)
    for tps, pps in ((small_tps, small_pps), (big_tps, big_pps)):
        for tp in tps:
            ownership.touchpoint_owner_set(touchpoint=tp, department=sales, by=manager)
            ActionFactory(department=sales, touchpoint=tp)
            ActionFactory(department=service, touchpoint=tp)
        for pp in pps:
            ActionFactory(department=sales, pain_point=pp, touchpoint=pp.touchpoint)

    assert _count(client, big) == _count(client, small)
