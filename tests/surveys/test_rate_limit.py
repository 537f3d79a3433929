"""Public links: a submit rate limit per client IP and survey, and the optional one response per browser."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from surveys.models import Response, Survey
from surveys.services import distribution, survey_create_nps
from tests.journeys.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.SURVEY_SUBMIT_LIMIT = 3
    settings.SURVEY_SUBMIT_WINDOW = 600
    cache.clear()
    yield
    cache.clear()


def _post(client, survey, score="8", **extra):
    nps = survey.questions.get(kind="nps")
    return client.post(reverse("respondent:survey", args=[survey.public_token]), {f"q{nps.pk}": score}, **extra)


class TestRateLimit:
    def test_submit_over_the_limit_is_429_with_retry_after_and_stores_nothing(self, client, survey):
        for _ in range(3):
            assert _post(client, survey).status_code == 302

        refused = _post(client, survey)

        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 600
        assert "Your answers were not saved" in refused.content.decode()
        assert Response.objects.count() == 3

    def test_invalid_submits_count_too(self, client, survey):
        for _ in range(3):
            assert _post(client, survey, score="11").status_code == 400
        assert _post(client, survey).status_code == 429
        assert Response.objects.count() == 0

    def test_the_limit_is_per_ip_and_per_survey(self, client, survey):
        other_survey = survey_create_nps(title="Trade fair", touchpoint=None)
        for _ in range(3):
            _post(client, survey)

        assert _post(client, survey, REMOTE_ADDR="10.0.0.2").status_code == 302
        assert _post(client, other_survey).status_code == 302
        assert _post(client, survey).status_code == 429

    def test_rotating_ipv6_addresses_within_one_64_block_shares_one_budget(self, client, survey):
        for n in range(3):
            assert _post(client, survey, REMOTE_ADDR=f"2001:db8:1:2::{n + 1}").status_code == 302

        assert _post(client, survey, REMOTE_ADDR="2001:db8:1:2:ffff::9").status_code == 429
        assert _post(client, survey, REMOTE_ADDR="2001:db8:1:3::1").status_code == 302  # another subscriber

    def test_behind_a_trusted_proxy_each_client_counts_and_a_forged_header_does_not_help(
        self, client, survey, settings
    ):
        settings.TRUSTED_PROXIES = "1"
        proxy = {"REMOTE_ADDR": "10.0.0.2"}
        for n in range(3):
            forged = f"198.51.100.{n}, 203.0.113.7"  # the client's own entry, then what the proxy appended
            assert _post(client, survey, HTTP_X_FORWARDED_FOR=forged, **proxy).status_code == 302

        assert _post(client, survey, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 429
        assert _post(client, survey, HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy).status_code == 302

    def test_opening_the_page_does_not_count(self, client, survey):
        for _ in range(10):
            client.get(reverse("respondent:survey", args=[survey.public_token]))
        assert _post(client, survey).status_code == 302

    def test_german_429_page_is_in_german(self, client, survey):
        Survey.objects.filter(pk=survey.pk).update(language="de")
        for _ in range(3):
            _post(client, survey)

        page = _post(client, survey).content.decode()

        assert "Zu viele Antworten aus Ihrem Netzwerk" in page

    def test_invitation_links_are_not_rate_limited(self, client, survey):
        customers = [CustomerFactory() for _ in range(5)]
        for customer in customers:
            invitation = distribution.invitation_send_now(survey=survey, customer=customer)
            nps = survey.questions.get(kind="nps")
            response = client.post(reverse("respondent:invitation", args=[invitation.token]), {f"q{nps.pk}": "9"})
            assert response.status_code == 302
        assert Response.objects.count() == 5


class TestOneResponsePerBrowser:
    @pytest.fixture
    def once(self, survey):
        Survey.objects.filter(pk=survey.pk).update(one_response_per_browser=True)
        survey.refresh_from_db()
        return survey

    def test_second_visit_of_the_same_browser_shows_already_answered(self, client, once):
        assert _post(client, once).status_code == 302

        again = client.get(reverse("respondent:survey", args=[once.public_token]))
        second_submit = _post(client, once)

        assert again.status_code == 200
        assert "You have already answered this survey" in again.content.decode()
        assert second_submit.status_code == 409
        assert Response.objects.count() == 1

    def test_another_browser_can_still_answer(self, client, once):
        _post(client, once)
        assert _post(Client(), once).status_code == 302
        assert Response.objects.count() == 2

    def test_a_forged_cookie_is_ignored(self, client, once):
        cookie_name = next(iter(_post(Client(), once).cookies))
        client.cookies[cookie_name] = "1"

        assert _post(client, once).status_code == 302

    def test_without_the_flag_no_cookie_is_set_and_answering_again_works(self, client, survey):
        first = _post(client, survey)
        assert not [name for name in first.cookies if name.startswith("cx_answered_")]
        assert _post(client, survey).status_code == 302
