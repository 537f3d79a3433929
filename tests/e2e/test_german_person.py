"""A CX manager switches to Deutsch in the navigation: the same page comes back in German — the navigation,
a dashboard chart's month names (plotly's locale from our JavaScript catalogue) and its number format."""

import re

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from cxportal.models import Profile
from tests.cxportal import crawl

ENGLISH_MONTHS = re.compile(r"\b(Mar|May|Oct|Dec|March|October|December)\b")
GERMAN_MONTHS = re.compile(r"\b(Jan|Feb|Mär|Apr|Mai|Jun|Jul|Aug|Sep|Okt|Nov|Dez)")


def test_cx_manager_switches_to_german(live_server, browser, settings, tmp_path, shots):
    settings.VAR_DIR = tmp_path
    world = crawl.demo_world(Client)
    manager = world["users"]["manager"]
    client = Client()
    client.force_login(manager)
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    session = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": session.key, "value": session.value, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/dashboards/trends/?kpi=nps")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Actions", exact=True)).to_be_visible()
    page.locator("[data-cx-chart] .js-plotly-plot").first.wait_for()
    english_ticks = page.locator("[data-cx-chart] .xtick text").all_text_contents()
    shots(page, "english")

    page.locator("#language-switch").get_by_role("button", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert page.url.endswith("/dashboards/trends/?kpi=nps")
    nav = page.locator("#nav")
    expect(nav.get_by_role("link", name="Maßnahmen", exact=True)).to_be_visible()
    expect(nav.get_by_role("button", name="Abmelden")).to_be_visible()
    page.locator("[data-cx-chart] .js-plotly-plot").first.wait_for()
    ticks = page.locator("[data-cx-chart] .xtick text").all_text_contents()
    separators = page.locator("[data-cx-chart] .js-plotly-plot").first.evaluate("plot => plot._fullLayout.separators")
    shots(page, "deutsch")
    assert any(ENGLISH_MONTHS.search(t) for t in english_ticks), english_ticks
    assert any(GERMAN_MONTHS.search(t) for t in ticks), ticks
    assert not any(ENGLISH_MONTHS.search(t) for t in ticks), ticks
    # Axis and hover numbers in German: decimal comma, thousands point (12,9 and 1.234).
    assert separators == ",.", separators
    assert Profile.objects.get(user=get_user_model().objects.get(pk=manager.pk)).language == "de"
    context.close()
