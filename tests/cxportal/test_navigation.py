"""One look: the top navigation marks the current section, every section's sub-navigation is the same pattern,
the 403 page says why and links back, and the development outbox lives under Settings."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _current_links(html: str) -> list[str]:
    """The text of every link marked as the current page."""
    return [
        re.sub(r"<[^>]+>", "", text).strip()
        for text in re.findall(r'<a [^>]*aria-current="page"[^>]*>(.*?)</a>', html, flags=re.S)
    ]


def _main_nav(html: str) -> str:
    return html[html.index('aria-label="Main"') : html.index("</nav>")]


@pytest.mark.parametrize(
    ("url_name", "section", "subpage"),
    [
        ("journeys:map_list", "Journeys", "Journey maps"),
        ("journeys:persona_list", "Journeys", "Personas"),
        ("journeys:customer_list", "Journeys", "Customers"),
        ("surveys:survey_list", "Surveys", "Surveys"),
        ("surveys:response_list", "Surveys", "Responses"),
        ("metrics:overview", "Dashboards", "Overview"),
        ("metrics:trends", "Dashboards", "Trends"),
        ("metrics:breakdown", "Dashboards", "Breakdown"),
        ("metrics:target_list", "Dashboards", "Targets"),
        ("actionplans:action_list", "Actions", "List"),
        ("actionplans:action_kanban", "Actions", "Kanban"),
        ("actionplans:plan_list", "Actions", "Plans"),
        ("actionplans:follow_up_rules", "Actions", "Follow-up rules"),
        ("apikey_list", "Settings", "API keys"),
        ("webhooks:subscription_list", "Settings", "Webhooks"),
    ],
)
def test_the_current_section_and_subpage_are_marked(client, manager, url_name, section, subpage):
    client.force_login(manager)
    html = client.get(reverse(url_name)).content.decode()

    assert _current_links(_main_nav(html)) == [section]
    subnav = re.findall(r'<nav class="subnav[^"]*"[^>]*>.*?</nav>', html, flags=re.S)
    assert len(subnav) == 1, "exactly one sub-navigation, in the shared pattern"
    assert _current_links(subnav[0]) == [subpage]


def test_a_department_member_sees_their_sections_marked_and_no_manager_pages(client, sales_member):
    client.force_login(sales_member)
    html = client.get(reverse("actionplans:my_department")).content.decode()
    nav = _main_nav(html)
    assert _current_links(nav) == ["My department"]
    assert "Surveys" not in nav and "Settings" not in nav

    html = client.get(reverse("actionplans:action_kanban")).content.decode()
    assert _current_links(_main_nav(html)) == ["Actions"]
    assert "Follow-up rules" not in html and "New action" not in html


def test_a_detail_page_marks_its_list_in_the_sub_navigation(client, manager):
    client.force_login(manager)
    html = client.get(reverse("metrics:target_create")).content.decode()
    assert _current_links(html) == ["Dashboards", "Targets"]


class TestForbiddenPage:
    def test_it_says_why_and_links_home_and_to_the_section(self, client, sales_member):
        client.force_login(sales_member)
        response = client.get(reverse("actionplans:plan_list"), HTTP_REFERER="http://testserver/actions/kanban/")

        assert response.status_code == 403
        html = response.content.decode()
        assert "This page is for CX managers." in html
        assert 'href="http://testserver/actions/kanban/"' in html
        assert f'href="{reverse("home")}"' in html
        assert f'href="{reverse("actionplans:action_list")}">Go to Actions' in html

    def test_a_referrer_on_another_site_is_not_offered_as_the_way_back(self, client, sales_member):
        client.force_login(sales_member)
        response = client.get(reverse("actionplans:plan_list"), HTTP_REFERER="https://evil.example/x")
        assert response.status_code == 403
        assert "evil.example" not in response.content.decode()

    def test_the_reason_is_in_the_persons_language(self, client, sales_member):
        client.force_login(sales_member)
        response = client.get(reverse("actionplans:plan_list"), HTTP_ACCEPT_LANGUAGE="de")
        assert "Diese Seite ist nur für CX-Manager." in response.content.decode()


class TestOutboxPlace:
    def test_not_in_the_main_navigation_but_under_settings_in_development(self, client, manager, settings):
        settings.DEBUG = True
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        client.force_login(manager)

        home = client.get(reverse("metrics:overview")).content.decode()
        assert "Outbox" not in _main_nav(home)
        page = client.get(reverse("settings_index")).content.decode()
        assert f'href="{reverse("outbox")}"' in page

    @pytest.mark.parametrize(
        ("debug", "backend"),
        [
            (False, "django.core.mail.backends.locmem.EmailBackend"),
            (True, "django.core.mail.backends.smtp.EmailBackend"),
        ],
    )
    def test_hidden_in_production_or_with_a_real_mail_server(self, client, manager, settings, debug, backend):
        settings.DEBUG, settings.EMAIL_BACKEND = debug, backend
        client.force_login(manager)
        assert f'href="{reverse("outbox")}"' not in client.get(reverse("settings_index")).content.decode()
        assert client.get(reverse("outbox")).status_code == 404

    def test_in_memory_mail_is_listed(self, client, manager, settings, mailoutbox):
        from django.core.mail import send_mail

        settings.DEBUG = True
        send_mail("Your opinion counts", "Answer here", None, ["b@example.com"])
        client.force_login(manager)
        assert "Your opinion counts" in client.get(reverse("outbox")).content.decode()
