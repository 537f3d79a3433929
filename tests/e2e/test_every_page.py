"""Every page of the URL configuration in a browser, for each role: nothing is requested from another host,
the Content-Security-Policy is never violated, no script fails, and every chart is drawn without a cloud button.

The page list comes from walking the URL resolver (tests/cxportal/crawl.py) with the demo data set. Skipped,
and listed in the failure message when something else fails: URLs that answer a GET with 405 (POST only) and
file downloads (an attachment or a non-HTML answer). The admin's object pages and the API's detail routes are
left out (see crawl.py); the admin's index, lists and add forms are opened as a superuser. A department
member's 403/404 pages all render one template, so only the first of each is opened.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from tests.cxportal import crawl

# Each violation is reported as a console error, so the console listener collects everything.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


# What Chromium sends for a page: the API (JSON only) answers it with JSON, a bare "text/html" with 406.
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _classify(world, pages):
    """Per role, the pages to open in the browser (and what was skipped and why), decided by the test client."""
    clients = {"anonymous": Client()}
    for role in ("manager", "member"):
        clients[role] = Client()
        clients[role].force_login(world["users"][role])
    plan, skipped = {}, []
    for role, client in clients.items():
        plan[role], seen_errors = [], set()
        for page in pages:
            if role == "anonymous" and not (page.name.startswith(crawl.RESPONDENT_PREFIX) or page.name == "login"):
                continue
            response = client.get(page.url, HTTP_ACCEPT=BROWSER_ACCEPT)
            if response.status_code == 405:
                skipped.append(f"{page.url}: POST only")
            elif crawl.is_download(response):
                skipped.append(f"{page.url}: file download")
            elif response.status_code in (403, 404) and role == "member":
                if response.status_code not in seen_errors:
                    seen_errors.add(response.status_code)
                    plan[role].append((page, response.status_code))
            else:
                plan[role].append((page, response.status_code))
    # The admin, for a superuser: its index, every list and every add form (see crawl.admin_pages).
    clients["superuser"] = Client()
    clients["superuser"].force_login(
        get_user_model().objects.create_superuser("crawl-admin", "admin@example.com", "pw-crawl-admin")
    )
    plan["superuser"] = [(page, clients["superuser"].get(page.url).status_code) for page in crawl.admin_pages()]
    return plan, clients, skipped


def _context_for(browser, live_server, client, problems: list[str], **options):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, **options)
    own = urlsplit(live_server.url).netloc
    session = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
    if session is not None:
        context.add_cookies([{"name": session.key, "value": session.value, "url": live_server.url}])
    context.add_init_script(REPORT_VIOLATIONS)

    def route(request_route):
        url = request_route.request.url
        if urlsplit(url).netloc == own:
            request_route.continue_()
        else:
            problems.append(f"requested another host: {url}")
            request_route.abort()

    context.route("**/*", route)
    return context


def test_every_page_requests_nothing_from_another_host_and_breaks_no_policy(live_server, browser, settings, tmp_path):
    settings.VAR_DIR = tmp_path  # the staged import previews
    world = crawl.demo_world(Client)
    plan, clients, skipped = _classify(world, crawl.pages(world))
    assert len(plan["manager"]) > 100 and plan["member"] and plan["anonymous"]

    problems: list[str] = []
    opened = charts = 0
    for role, entries in plan.items():
        page_problems: list[str] = []
        context = _context_for(browser, live_server, clients[role], page_problems)
        tab = context.new_page()
        current = {"url": ""}

        def on_console(message, current=current, page_problems=page_problems):
            if message.type != "error":
                return
            # A 403/404 page reports its own status in the console; the page itself is what is checked.
            if message.text.startswith("Failed to load resource") and message.location.get("url") == current["url"]:
                return
            page_problems.append(f"console error: {message.text}")

        tab.on("console", on_console)
        tab.on("pageerror", lambda error, page_problems=page_problems: page_problems.append(f"script error: {error}"))
        for page, status in entries:
            current["url"] = live_server.url + page.url
            response = tab.goto(current["url"], wait_until="load")
            if tab.locator("[hx-trigger~='load'], #swagger-ui").count():
                tab.wait_for_load_state("networkidle")  # fragments and the API schema load after the page
            # Redirects are followed (to the page they lead to); everything else answers as it did to the client.
            expected = (response.status < 400) if 300 <= status < 400 else (response.status == status)
            assert expected, f"{role} {page.url}: {response.status}, the test client got {status}"
            drawn = tab.locator("[data-cx-chart]")
            for index in range(drawn.count()):
                expect(drawn.nth(index).locator(".js-plotly-plot")).to_have_count(1)
                charts += 1
            cloud = tab.locator(".modebar-btn[data-title^='Share'], .modebar-btn[data-attr*='Cloud']")
            if cloud.count():
                page_problems.append("a chart offers to share its data with a cloud service")
            problems.extend(f"{role} {page.url}: {p}" for p in page_problems)
            page_problems.clear()
            opened += 1
        context.close()

    assert charts > 5, "the crawl drew almost no chart: did charts.js run?"
    assert not problems, "\n".join(problems) + "\n\nSkipped:\n" + "\n".join(sorted(set(skipped)))
    assert opened > 120


def test_charts_offer_no_cloud_button_but_the_local_download(live_server, browser, settings, shots):
    world = crawl.demo_world(Client)
    client = Client()
    client.force_login(world["users"]["manager"])
    problems: list[str] = []
    context = _context_for(browser, live_server, client, problems)
    page = context.new_page()
    page.goto(f"{live_server.url}/dashboards/kpi/?kpi=nps")

    chart = page.locator("[data-cx-chart] .js-plotly-plot").first
    chart.hover()
    modebar = chart.locator(".modebar")
    expect(modebar.locator(".modebar-btn[data-title='Download plot as a PNG']")).to_have_count(1)
    titles = modebar.locator(".modebar-btn").evaluate_all("buttons => buttons.map(b => b.dataset.title)")
    assert not [t for t in titles if "share" in t.lower() or "cloud" in t.lower() or "studio" in t.lower()], titles
    assert not {"Box Select", "Lasso Select"} & set(titles), titles
    assert not page.locator(".modebar-btn[data-attr*='Cloud'], a.modebar-btn[href*='plotly']").count()
    shots(page, "chart-mode-bar")
    assert not problems, problems
    context.close()

    # A German browser gets German tool tips (the locale charts.js registers).
    context = _context_for(browser, live_server, client, problems, locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_server.url}/dashboards/kpi/?kpi=nps")
    chart = page.locator("[data-cx-chart] .js-plotly-plot").first
    chart.hover()
    expect(chart.locator(".modebar-btn[data-title='Diagramm als PNG herunterladen']")).to_have_count(1)
    assert not problems, problems
    context.close()


def test_behaviours_moved_out_of_inline_scripts_still_work(live_server, log_in, manager, page):
    """Print, confirm-before-delete and copy-the-key run from static/cxportal/behaviours.js under the policy."""
    from actionplans.models import Action
    from tests.actionplans.factories import ActionFactory
    from tests.surveys.factories import SurveyFactory

    errors: list[str] = []
    page.on(
        "console",
        # The browser asks for /favicon.ico on its own; that 404 is no behaviour of ours.
        lambda m: (
            errors.append(f"{m.text} {m.location}")
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script("window.print = function () { window.printed = (window.printed || 0) + 1; };")
    log_in(page, "manager", "pw-manager")

    page.goto(f"{live_server.url}/surveys/{SurveyFactory().pk}/qr/")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed") == 1

    action = ActionFactory()
    page.goto(f"{live_server.url}/actions/{action.pk}/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Delete action").click()
    page.wait_for_timeout(300)
    assert Action.objects.filter(pk=action.pk).exists()  # dismissed: nothing was posted
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete action").click()
    page.wait_for_url(f"{live_server.url}/actions/**")
    expect(page.get_by_role("button", name="Delete action")).to_have_count(0)
    assert not Action.objects.filter(pk=action.pk).exists()

    page.goto(f"{live_server.url}/settings/api-keys/new/")
    page.get_by_label("Name").fill("Copy test")
    page.locator("input[name='scopes'][value='*']").check()
    page.get_by_role("button", name="Create key").click()
    page.get_by_role("button", name="Copy").click()
    # Headless Chromium may refuse the clipboard: either way the script ran and said what happened.
    expect(page.locator("#copy-status")).to_have_text(
        re.compile(r"Copied to the clipboard\.|Copying failed; the key is selected, press Ctrl\+C\.")
    )
    assert not errors, errors
