"""Departments read the why: members read the responses of the touchpoints their department owns or has
actions on — in the list, the detail, the API and from every link that leads there — and nothing else."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from actionplans.services.ownership import touchpoint_owner_set
from metrics.services import snapshots_recompute
from surveys.models import Response
from surveys.services import survey_create_nps
from surveys.services.privacy import customer_erase
from tests.actionplans.factories import ActionFactory
from tests.journeys.factories import CustomerFactory, JourneyMapFactory, StageFactory, TouchpointFactory
from tests.metrics.factories import add_answers
from tests.surveys.factories import answer, listed_responses

pytestmark = pytest.mark.django_db
LIST = reverse("surveys:response_list")


def detail(response):
    return reverse("surveys:response_detail", args=[response.pk])


@pytest.fixture
def shop(sales, manager):
    """Sales owns the web shop; the hotline belongs to nobody in Sales; the showroom has a Sales action."""
    journey_map = JourneyMapFactory(name="Spare parts")
    stage = StageFactory(journey_map=journey_map, name="Buy")
    web_shop = TouchpointFactory(stage=stage, name="Web shop")
    hotline = TouchpointFactory(stage=stage, name="Hotline")
    showroom = TouchpointFactory(stage=stage, name="Showroom")
    touchpoint_owner_set(touchpoint=web_shop, department=sales, by=manager)
    ActionFactory(department=sales, touchpoint=showroom, title="Tidy the showroom")
    return {
        "web_shop": survey_create_nps(title="Shop NPS", touchpoint=web_shop),
        "hotline": survey_create_nps(title="Hotline NPS", touchpoint=hotline),
        "showroom": survey_create_nps(title="Showroom NPS", touchpoint=showroom),
    }


class TestPages:
    def test_member_reads_a_detractors_comment_on_their_touchpoint(self, client, sales_member, shop):
        customer = CustomerFactory(name="Anna Berger")
        ours = answer(shop["web_shop"], 3, "The parts arrived broken.", customer=customer)
        client.force_login(sales_member)

        page = client.get(detail(ours))

        assert page.status_code == 200
        html = page.content.decode()
        assert "The parts arrived broken." in html and "Anna Berger" in html

    def test_another_touchpoints_response_is_not_found(self, client, sales_member, shop):
        theirs = answer(shop["hotline"], 2, "Nobody picked up.")
        client.force_login(sales_member)

        assert client.get(detail(theirs)).status_code == 404
        assert client.get(LIST, {"touchpoint": theirs.touchpoint_id}).status_code == 404

    def test_list_holds_only_owned_and_acted_on_touchpoints(self, client, sales_member, shop):
        ours, acted, theirs = answer(shop["web_shop"], 9), answer(shop["showroom"], 4), answer(shop["hotline"], 1)
        client.force_login(sales_member)

        assert listed_responses(client) == sorted([ours.pk, acted.pk])
        assert listed_responses(client, touchpoint=ours.touchpoint_id) == [ours.pk]
        assert listed_responses(client, band="detractor") == [acted.pk]
        # The hotline survey is not even a choice of the filter.
        page = client.get(LIST, {"survey": shop["hotline"].pk})
        assert theirs.pk not in [r.pk for r in page.context["page"].object_list]
        assert "Hotline NPS" not in page.content.decode()

    def test_a_survey_wide_list_keeps_only_what_the_member_may_read(self, client, sales_member, shop):
        survey = shop["web_shop"]
        ours = answer(survey, 9)
        # A campaign can attribute the same survey's answers to another touchpoint (the hotline).
        elsewhere = answer(survey, 2)
        Response.objects.filter(pk=elsewhere.pk).update(touchpoint=shop["hotline"].touchpoint)
        client.force_login(sales_member)

        assert listed_responses(client, survey=survey.pk) == [ours.pk]

    def test_members_see_no_export_and_no_data_subject_tools(self, client, sales_member, shop):
        answer(shop["web_shop"], 9)
        client.force_login(sales_member)

        html = client.get(LIST).content.decode()

        assert "Export CSV" not in html and "Data-subject request" not in html
        assert client.get(reverse("surveys:response_export", args=["csv"])).status_code == 403

    def test_anonymous_survey_hides_the_customer_from_members_too(self, client, sales_member, shop):
        survey = shop["web_shop"]
        survey.anonymous = True
        survey.save(update_fields=["anonymous"])
        response = answer(survey, 2, "Too slow.", customer=CustomerFactory(name="Anna Berger"))
        client.force_login(sales_member)

        html = client.get(detail(response)).content.decode()

        assert "Too slow." in html and "Anna Berger" not in html

    def test_an_erased_response_disappears_from_the_members_view(self, client, sales_member, manager, shop):
        customer = CustomerFactory(external_id="C-1", name="Anna Berger")
        erased = answer(shop["web_shop"], 2, "Call me back.", customer=customer)
        kept = answer(shop["web_shop"], 9)
        client.force_login(sales_member)
        assert listed_responses(client) == sorted([erased.pk, kept.pk])

        customer_erase(customer=customer, mode="delete", by=manager)

        assert listed_responses(client) == [kept.pk]
        assert client.get(detail(erased)).status_code == 404

    def test_list_queries_do_not_grow_with_the_rows(self, client, sales_member, shop, django_assert_max_num_queries):
        client.force_login(sales_member)
        answer(shop["web_shop"], 3, "one")
        with django_assert_max_num_queries(20) as few:
            client.get(LIST)
        for score in range(10):
            answer(shop["showroom"], score, f"comment {score}")
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert len(listed_responses(client)) == 11


class TestApi:
    def test_member_reads_their_touchpoints_responses_only(self, client, sales_member, shop):
        ours, theirs = answer(shop["web_shop"], 3, "Broken."), answer(shop["hotline"], 1)
        api = APIClient()
        api.force_authenticate(sales_member)

        body = api.get("/api/v1/responses/").json()
        assert [r["id"] for r in body["results"]] == [ours.pk]
        assert api.get(f"/api/v1/responses/{ours.pk}/").json()["answers"][1]["text"] == "Broken."
        assert api.get(f"/api/v1/responses/{theirs.pk}/").status_code == 404
        assert api.get("/api/v1/responses/", {"touchpoint": theirs.touchpoint_id}).status_code == 404
        assert api.get("/api/v1/responses/", {"survey": shop["hotline"].pk}).json()["count"] == 0
        assert api.post("/api/v1/responses/", {}, format="json").status_code == 403
        assert api.get("/api/v1/responses/export/", {"format": "csv"}).status_code == 403

    def test_an_api_key_with_the_surveys_scope_still_reads_everything(self, api_client_for, shop):
        ours, theirs = answer(shop["web_shop"], 3), answer(shop["hotline"], 1)
        body = api_client_for(["surveys:read"]).get("/api/v1/responses/").json()
        assert sorted(r["id"] for r in body["results"]) == sorted([ours.pk, theirs.pk])


class TestLinks:
    @pytest.fixture
    def measured(self, shop):
        day = timezone.localdate() - timedelta(days=2)
        for survey in (shop["web_shop"], shop["hotline"]):
            add_answers(survey.questions.get(kind="nps"), [10] * 6 + [3] * 6, day)
        snapshots_recompute()
        return shop

    def test_my_department_links_each_kpi_to_its_responses(self, client, sales_member, measured):
        client.force_login(sales_member)
        html = client.get(reverse("actionplans:my_department")).content.decode()
        web_shop = measured["web_shop"].touchpoint_id

        links = re.findall(r'href="(/surveys/responses/\?[^"]+)"', html)
        assert any(f"touchpoint={web_shop}" in link and "band=detractor" in link for link in links)
        for link in links:
            assert client.get(link.replace("&amp;", "&")).status_code == 200
        assert "last 90 days" in html

    def test_map_badges_lead_members_to_responses_they_may_read_and_elsewhere_to_the_trend(
        self, client, sales_member, measured
    ):
        client.force_login(sales_member)
        web_shop, hotline = measured["web_shop"].touchpoint, measured["hotline"].touchpoint
        html = client.get(
            reverse("metrics:map_kpis", args=[web_shop.stage.journey_map_id]), HTTP_HX_REQUEST="true"
        ).content.decode()

        ours = re.search(rf'<div id="tp-kpis-{web_shop.pk}".*?</div>', html, re.S).group(0)
        theirs = re.search(rf'<div id="tp-kpis-{hotline.pk}".*?</div>', html, re.S).group(0)
        assert f"/surveys/responses/?touchpoint={web_shop.pk}" in ours
        assert "/surveys/responses/" not in theirs and "/dashboards/trends/" in theirs

    def test_breakdown_offers_detractors_only_where_the_member_may_read(self, client, sales_member, measured):
        client.force_login(sales_member)
        day = timezone.localdate()
        html = client.get(
            "/dashboards/breakdown/",
            {"kpi": "nps", "by": "touchpoint", "from": (day - timedelta(days=30)).isoformat(), "to": day.isoformat()},
        ).content.decode()

        low_links = re.findall(r'class="low-link" href="([^"]+)"', html)
        assert len(low_links) == 1 and f"touchpoint={measured['web_shop'].touchpoint_id}" in low_links[0]
        assert client.get(low_links[0].replace("&amp;", "&")).status_code == 200

    def test_manager_links_are_unchanged(self, client, manager, measured):
        client.force_login(manager)
        hotline = measured["hotline"].touchpoint
        html = client.get(
            reverse("metrics:map_kpis", args=[hotline.stage.journey_map_id]), HTTP_HX_REQUEST="true"
        ).content.decode()
        assert f"/surveys/responses/?touchpoint={hotline.pk}" in html
