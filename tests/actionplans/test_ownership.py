"""Touchpoint ownership: managed by CX managers on the department page and over the API; the "My department"
KPI panel of the touchpoints a member's departments own."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actionplans.models import TouchpointOwnership
from actionplans.selectors.ownership import department_kpis, department_touchpoints
from actionplans.services import ownership
from metrics.models import KpiSnapshot
from tests.helpers import session_client
from tests.journeys.factories import JourneyMapFactory, StageFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


def _touchpoints(count: int, *, map_name: str = "Onboarding"):
    stage = StageFactory(journey_map=JourneyMapFactory(name=map_name))
    return [TouchpointFactory(stage=stage, name=f"{map_name} TP {i}") for i in range(count)]


# ---------------------------------------------------------------- services


class TestServices:
    def test_owner_set_assigns_and_moves_a_touchpoint(self, sales, service, manager):
        tp = TouchpointFactory()
        ownership.touchpoint_owner_set(touchpoint=tp, department=sales, by=manager)
        ownership.touchpoint_owner_set(touchpoint=tp, department=service, by=manager)

        assert TouchpointOwnership.objects.get(touchpoint=tp).department == service
        assert TouchpointOwnership.objects.count() == 1

    def test_members_cannot_assign_touchpoints(self, sales, sales_member):
        with pytest.raises(PermissionDenied):
            ownership.touchpoint_owner_set(touchpoint=TouchpointFactory(), department=sales, by=sales_member)
        assert not TouchpointOwnership.objects.exists()

    def test_owner_remove(self, sales, manager):
        tp = TouchpointFactory()
        ownership.touchpoint_owner_set(touchpoint=tp, department=sales, by=manager)
        ownership.touchpoint_owner_remove(touchpoint=tp, by=manager)
        assert not TouchpointOwnership.objects.exists()

    def test_deleting_the_touchpoint_deletes_its_ownership(self, sales, manager):
        from journeys.services import touchpoint_delete

        tp = TouchpointFactory()
        ownership.touchpoint_owner_set(touchpoint=tp, department=sales, by=manager)
        touchpoint_delete(touchpoint=tp, by=manager)
        assert not TouchpointOwnership.objects.exists()

    def test_department_touchpoints_are_grouped_by_map(self, sales, manager):
        first, second = _touchpoints(2, map_name="Alpha"), _touchpoints(1, map_name="Beta")
        for tp in [*first, *second]:
            ownership.touchpoint_owner_set(touchpoint=tp, department=sales, by=manager)
        groups = department_touchpoints(department=sales)
        assert [(g["map"].name, [tp.name for tp in g["touchpoints"]]) for g in groups] == [
            ("Alpha", ["Alpha TP 0", "Alpha TP 1"]),
            ("Beta", ["Beta TP 0"]),
        ]


# ---------------------------------------------------------------- department page


class TestDepartmentPage:
    def test_manager_adds_and_removes_a_touchpoint(self, client, manager, sales):
        tp = TouchpointFactory(name="Quote call")
        client.force_login(manager)
        page = client.get(reverse("actionplans:department_touchpoints", args=[sales.pk]))
        assert page.status_code == 200
        assert "owns no touchpoints yet" in page.content.decode()

        response = client.post(reverse("actionplans:department_touchpoint_add", args=[sales.pk]), {"touchpoint": tp.pk})
        assert response.status_code == 302
        page = client.get(reverse("actionplans:department_touchpoints", args=[sales.pk])).content.decode()
        assert "Quote call" in page and tp.stage.journey_map.name in page

        client.post(reverse("actionplans:department_touchpoint_remove", args=[sales.pk]), {"touchpoint": tp.pk})
        assert not TouchpointOwnership.objects.exists()

    def test_add_without_a_touchpoint_changes_nothing(self, client, manager, sales):
        client.force_login(manager)
        response = client.post(
            reverse("actionplans:department_touchpoint_add", args=[sales.pk]), {"touchpoint": "x"}, follow=True
        )
        assert "Choose a touchpoint" in response.content.decode()
        assert not TouchpointOwnership.objects.exists()

    def test_members_cannot_edit_ownership(self, client, sales_member, sales):
        tp = TouchpointFactory()
        client.force_login(sales_member)
        assert client.get(reverse("actionplans:department_touchpoints", args=[sales.pk])).status_code == 403
        response = client.post(reverse("actionplans:department_touchpoint_add", args=[sales.pk]), {"touchpoint": tp.pk})
        assert response.status_code == 403
        assert not TouchpointOwnership.objects.exists()

    def test_names_are_escaped(self, client, manager, sales):
        tp = TouchpointFactory(name="<script>alert(1)</script>")
        ownership.touchpoint_owner_set(touchpoint=tp, department=sales, by=manager)
        client.force_login(manager)
        page = client.get(reverse("actionplans:department_touchpoints", args=[sales.pk])).content.decode()
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)" in page

    def test_department_list_links_to_the_touchpoints(self, client, manager, sales):
        client.force_login(manager)
        page = client.get(reverse("actionplans:department_list")).content.decode()
        assert reverse("actionplans:department_touchpoints", args=[sales.pk]) in page


# ---------------------------------------------------------------- API


class TestApi:
    URL = "/api/v1/touchpoint-owners/"

    def test_manager_crud(self, manager, sales, service):
        tp, other = TouchpointFactory(), TouchpointFactory()
        client = session_client(manager)
        created = client.post(self.URL, {"touchpoint": tp.pk, "department": sales.pk}, format="json")
        assert created.status_code == 201, created.content
        pk = created.json()["id"]
        assert client.patch(f"{self.URL}{pk}/", {"department": service.pk}, format="json").status_code == 200
        assert TouchpointOwnership.objects.get(pk=pk).department == service
        duplicate = client.post(self.URL, {"touchpoint": tp.pk, "department": sales.pk}, format="json")
        assert duplicate.status_code == 400
        assert "touchpoint" in duplicate.json()
        ownership.touchpoint_owner_set(touchpoint=other, department=sales, by=manager)
        moved = client.patch(f"{self.URL}{pk}/", {"touchpoint": other.pk}, format="json")
        assert moved.status_code == 400
        assert client.delete(f"{self.URL}{pk}/").status_code == 204
        assert list(TouchpointOwnership.objects.values_list("touchpoint_id", flat=True)) == [other.pk]

    def test_unknown_department_is_a_400(self, manager):
        response = session_client(manager).post(
            self.URL, {"touchpoint": TouchpointFactory().pk, "department": 999}, format="json"
        )
        assert response.status_code == 400
        assert "department" in response.json()

    def test_members_read_only_their_departments_ownerships(self, manager, sales, service, sales_member):
        mine, theirs = TouchpointFactory(), TouchpointFactory()
        ownership.touchpoint_owner_set(touchpoint=mine, department=sales, by=manager)
        other = ownership.touchpoint_owner_set(touchpoint=theirs, department=service, by=manager)
        client = session_client(sales_member)

        listed = client.get(self.URL).json()
        assert [row["touchpoint"] for row in listed["results"]] == [mine.pk]
        assert client.get(f"{self.URL}{other.pk}/").status_code == 404
        response = client.post(self.URL, {"touchpoint": TouchpointFactory().pk, "department": sales.pk}, format="json")
        assert response.status_code == 403
        assert client.delete(f"{self.URL}{other.pk}/").status_code in (403, 404)
        assert TouchpointOwnership.objects.count() == 2

    def test_api_key_scopes(self, api_client_for, sales):
        tp = TouchpointFactory()
        reader = api_client_for(["actions:read"])
        assert reader.get(self.URL).status_code == 200
        assert reader.post(self.URL, {"touchpoint": tp.pk, "department": sales.pk}, format="json").status_code == 403
        writer = api_client_for(["actions:write", "actions:read"])
        assert writer.post(self.URL, {"touchpoint": tp.pk, "department": sales.pk}, format="json").status_code == 201
        assert api_client_for(["journeys:read"]).get(self.URL).status_code == 403

    def test_list_queries_do_not_grow(self, manager, sales, django_assert_max_num_queries):
        client = session_client(manager)
        for tp in _touchpoints(2):
            ownership.touchpoint_owner_set(touchpoint=tp, department=sales, by=manager)
        client.get(self.URL)
        with CaptureQueriesContext(connection) as small:
            client.get(self.URL)
        for tp in _touchpoints(20, map_name="Big"):
            ownership.touchpoint_owner_set(touchpoint=tp, department=sales, by=manager)
        with CaptureQueriesContext(connection) as big:
            client.get(self.URL)
        assert len(big) == len(small)


# ---------------------------------------------------------------- My department KPIs


def _snapshot(tp, *, kpi="nps", n, promoters=0, passives=0, detractors=0, days_ago=5):
    KpiSnapshot.objects.create(
        kpi=kpi,
        scope_type="touchpoint",
        scope_key=str(tp.pk),
        bucket="day",
        period_start=timezone.localdate() - timedelta(days=days_ago),
        n=n,
        total=promoters - detractors,
        total_sq=promoters + detractors,
        count_a=promoters,
        count_b=passives,
        count_c=detractors,
        computed_at=timezone.now(),
    )


class TestMyDepartmentKpis:
    def test_panel_shows_the_kpis_of_owned_touchpoints_only(self, client, manager, sales, service, sales_member):
        owned, few, foreign = (
            TouchpointFactory(name="Quote call"),
            TouchpointFactory(name="Visit"),
            TouchpointFactory(name="Hotline"),
        )
        ownership.touchpoint_owner_set(touchpoint=owned, department=sales, by=manager)
        ownership.touchpoint_owner_set(touchpoint=few, department=sales, by=manager)
        ownership.touchpoint_owner_set(touchpoint=foreign, department=service, by=manager)
        _snapshot(owned, n=12, promoters=8, passives=2, detractors=2)
        _snapshot(owned, n=100, promoters=100, days_ago=200)  # outside the 90 days
        _snapshot(few, n=3, promoters=3)
        _snapshot(foreign, n=50, promoters=50)

        client.force_login(sales_member)
        page = client.get(reverse("actionplans:my_department")).content.decode()
        panel = page[page.index('id="department-kpis"') :]
        assert "Quote call" in panel and "Visit" in panel
        assert "Hotline" not in panel
        assert "<strong>50.0</strong>" in panel and "n = 12" in panel
        assert "± " in panel
        assert "not enough responses (n = 3" in panel

    def test_panel_without_owned_touchpoints(self, client, sales_member):
        client.force_login(sales_member)
        page = client.get(reverse("actionplans:my_department")).content.decode()
        assert "owns no touchpoints yet" in page

    def test_panel_names_are_escaped(self, client, manager, sales, sales_member):
        tp = TouchpointFactory(name="<b>bold</b>")
        ownership.touchpoint_owner_set(touchpoint=tp, department=sales, by=manager)
        client.force_login(sales_member)
        page = client.get(reverse("actionplans:my_department")).content.decode()
        assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page

    def test_panel_queries_do_not_grow_with_owned_touchpoints(self, client, manager, sales, sales_member):
        def count() -> int:
            client.get(reverse("actionplans:my_department"))
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("actionplans:my_department")).status_code == 200
            return len(queries)

        client.force_login(sales_member)
        for tp in _touchpoints(2):
            ownership.touchpoint_owner_set(touchpoint=tp, department=sales, by=manager)
            _snapshot(tp, n=12, promoters=6)
        small = count()
        for tp in _touchpoints(20, map_name="Big"):
            ownership.touchpoint_owner_set(touchpoint=tp, department=sales, by=manager)
            _snapshot(tp, n=12, promoters=6)
        assert count() == small

    def test_selector_runs_a_constant_number_of_queries(self, manager, sales, django_assert_num_queries):
        for tp in _touchpoints(5):
            ownership.touchpoint_owner_set(touchpoint=tp, department=sales, by=manager)
        with django_assert_num_queries(4):  # touchpoints + NPS, CSAT, CES
            data = department_kpis(departments=[sales])
        assert len(data["rows"]) == 5
