"""The responses list and detail for CX managers: filters, constant queries, escaping, permissions."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from surveys.services import survey_create, survey_create_nps
from tests.journeys.factories import CustomerFactory, TouchpointFactory
from tests.surveys.factories import answer, listed_responses

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
LIST = reverse("surveys:response_list")


class TestFilters:
    def test_filter_by_survey_and_touchpoint(self, client, manager, survey):
        other = survey_create_nps(title="Other", touchpoint=TouchpointFactory())
        mine, theirs = answer(survey, 9), answer(other, 9)
        client.force_login(manager)

        assert listed_responses(client, survey=survey.pk) == [mine.pk]
        assert listed_responses(client, touchpoint=other.touchpoint_id) == [theirs.pk]
        assert listed_responses(client) == sorted([mine.pk, theirs.pk])

    def test_dates_are_inclusive_days_in_the_site_time_zone(self, client, manager, survey):
        # 23:30 in Berlin on 9 March is 22:30 UTC: it belongs to the 9th, not the 10th.
        late = answer(survey, 9, at=datetime(2026, 3, 9, 23, 30, tzinfo=BERLIN))
        early = answer(survey, 9, at=datetime(2026, 3, 10, 0, 15, tzinfo=BERLIN))
        client.force_login(manager)

        assert listed_responses(client, date_from="2026-03-10") == [early.pk]
        assert listed_responses(client, date_to="2026-03-09") == [late.pk]
        assert listed_responses(client, date_from="2026-03-09", date_to="2026-03-10") == sorted([late.pk, early.pk])

    def test_nps_bands_select_detractors_passives_and_promoters(self, client, manager, survey):
        detractor, passive, promoter = answer(survey, 6), answer(survey, 7), answer(survey, 9)
        client.force_login(manager)

        assert listed_responses(client, band="detractor") == [detractor.pk]
        assert listed_responses(client, band="passive") == [passive.pk]
        assert listed_responses(client, band="promoter") == [promoter.pk]

    def test_csat_bands_low_mid_high(self, client, manager):
        csat = survey_create(
            title="CSAT", touchpoint=TouchpointFactory(), questions=[{"kind": "csat", "text": "Satisfied?"}]
        )
        low, mid, high = answer(csat, 2), answer(csat, 3), answer(csat, 4)
        client.force_login(manager)

        assert listed_responses(client, band="low") == [low.pk]
        assert listed_responses(client, band="mid") == [mid.pk]
        assert listed_responses(client, band="high") == [high.pk]

    def test_has_comment_filter(self, client, manager, survey):
        commented, silent = answer(survey, 9, "Quick delivery"), answer(survey, 9)
        client.force_login(manager)

        assert listed_responses(client, has_comment="yes") == [commented.pk]
        assert listed_responses(client, has_comment="no") == [silent.pk]

    def test_invalid_filter_shows_the_error_and_lists_everything(self, client, manager, survey):
        answer(survey, 9)
        client.force_login(manager)

        response = client.get(LIST, {"date_from": "2026-03-10", "date_to": "2026-03-01"})

        assert response.status_code == 200
        assert response.context["form"].errors["date_to"]
        assert response.context["page"].paginator.count == 1

    def test_list_query_count_does_not_grow_with_the_rows(self, client, manager, survey, django_assert_max_num_queries):
        client.force_login(manager)
        for i in range(3):
            answer(survey, i, "text", customer=CustomerFactory())
        with django_assert_max_num_queries(12) as few:
            client.get(LIST)
        for i in range(40):
            answer(survey, i % 11, "more text", customer=CustomerFactory())
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(LIST)
        assert response.context["page"].paginator.count == 43

    def test_list_is_paginated(self, client, manager, survey):
        for _ in range(55):
            answer(survey, 9)
        client.force_login(manager)

        first = client.get(LIST)
        second = client.get(LIST, {"page": 2})

        assert len(first.context["page"].object_list) == 50
        assert len(second.context["page"].object_list) == 5


class TestDetail:
    def test_detail_shows_answers_customer_campaign_and_source(self, client, manager, survey):
        customer = CustomerFactory(name="Erika Muster")
        response = answer(survey, 9, "Friendly staff", customer=customer)
        client.force_login(manager)

        page = client.get(reverse("surveys:response_detail", args=[response.pk]))

        html = page.content.decode()
        assert page.status_code == 200
        assert "Friendly staff" in html
        assert customer.external_id in html
        assert "Public link" in html  # the default source of response_submit

    def test_anonymous_survey_hides_the_customer(self, client, manager, survey):
        survey.anonymous = True
        survey.save(update_fields=["anonymous"])
        customer = CustomerFactory()
        response = answer(survey, 9, customer=customer)
        client.force_login(manager)

        html = client.get(reverse("surveys:response_detail", args=[response.pk])).content.decode()

        assert customer.external_id not in html
        assert "anonymous" in html

    def test_respondent_text_is_escaped_in_list_and_detail(self, client, manager, survey):
        evil = '<script>alert("x")</script>'
        response = answer(survey, 3, evil)
        client.force_login(manager)

        for url in (LIST, reverse("surveys:response_detail", args=[response.pk])):
            html = client.get(url).content.decode()
            assert evil not in html
            assert "&lt;script&gt;" in html

    def test_unknown_response_is_404(self, client, manager):
        client.force_login(manager)
        assert client.get(reverse("surveys:response_detail", args=[999999])).status_code == 404


class TestPermissions:
    def test_department_members_see_no_response_of_a_touchpoint_not_theirs(self, client, sales_member, survey):
        # Members read their department's touchpoints' responses (tests/surveys/test_member_responses.py);
        # this touchpoint is not Sales': its response does not exist for them, and exports are managers' only.
        response = answer(survey, 9)
        client.force_login(sales_member)

        assert listed_responses(client) == []
        assert client.get(reverse("surveys:response_detail", args=[response.pk])).status_code == 404
        assert client.get(reverse("surveys:response_export", args=["csv"])).status_code == 403

    def test_anonymous_visitors_are_sent_to_the_login_page(self, client):
        assert client.get(LIST).status_code == 302
