"""Nothing leaves the machine, seen in the HTML: no page points a src/href at another host, and no page needs
an inline script (our Content-Security-Policy forbids them); every answer carries the policy.

The browser twin of this test is tests/e2e/test_every_page.py (same page list, tests/cxportal/crawl.py).
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cxportal.apikeys import api_key_create
from cxportal.charts import plotly_config
from surveys.services import survey_create_nps
from tests.cxportal import crawl
from tests.journeys.factories import JourneyMapFactory, TouchpointFactory


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # the staged import previews


def _csp(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} answered without a Content-Security-Policy"
    directives = [part.strip().split() for part in header.split(";") if part.strip()]
    return {d[0]: d[1:] for d in directives}


def _assert_strict(policy: dict[str, list[str]]) -> None:
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["connect-src"][0] == "'self'"
    assert set(policy["img-src"]) >= {"'self'", "data:"}
    assert policy["default-src"] == ["'self'"]


@pytest.mark.django_db
def test_no_page_of_any_role_points_to_another_host_or_runs_an_inline_script():
    world = crawl.demo_world(Client)
    pages = crawl.pages(world)
    assert len(pages) > 120  # the walk found the URL configuration (about 150 pages today)
    clients = {"anonymous": Client()}
    for role in ("manager", "member"):
        clients[role] = Client()
        clients[role].force_login(world["users"][role])

    problems, skipped, checked = [], set(), 0
    for role, client in clients.items():
        for page in pages:
            if role == "anonymous" and not page.name.startswith(crawl.RESPONDENT_PREFIX):
                continue  # signed out, every other page redirects to the sign-in page (crawled as "login")
            response = client.get(page.url, HTTP_ACCEPT="text/html")
            assert response.status_code < 500, f"{role} {page.url} answered {response.status_code}"
            if response.status_code == 405:
                skipped.add(f"{page.url} (POST only)")
                continue
            if crawl.is_download(response):
                skipped.add(f"{page.url} (file download)")
                continue
            _assert_strict(_csp(response))
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            checked += 1
            content = b"".join(response.streaming_content) if response.streaming else response.content
            problems.extend(f"{role} {page.url}: {p}" for p in crawl.page_problems(content.decode()))
    superuser = Client()
    superuser.force_login(get_user_model().objects.create_superuser("crawl-admin", "admin@example.com", "pw"))
    for page in crawl.admin_pages():
        response = superuser.get(page.url)
        # Some models may not be added by hand (API keys: only with their secret shown once): 403 there.
        allowed = (200, 403) if page.name.endswith("_add") else (200,)
        assert response.status_code in allowed, f"superuser {page.url} answered {response.status_code}"
        _assert_strict(_csp(response))
        checked += 1
        problems.extend(f"superuser {page.url}: {p}" for p in crawl.page_problems(response.content.decode()))
    assert checked > 200
    assert any("(POST only)" in s for s in skipped) and any("(file download)" in s for s in skipped)
    assert not problems, "\n".join(problems)


def test_the_checker_finds_what_it_is_meant_to_find():
    html = (
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto">'
        '<script src="//cdn.example.org/x.js"></script><img srcset="/a.png 1x, http://img.example.org/b.png 2x">'
        '<script>alert(1)</script><button onclick="go()">x</button><a href="javascript:history.back()">x</a>'
        '<script type="application/json">{"ok": true}</script><a href="/local/">ok</a>'
        "<a href='http://testserver/s/x/'>own host</a><style>@import url(https://x.example.org/a.css);</style>"
        '<pre>{"url": <a href="https://hooks.example.org/">https://hooks.example.org/</a>}</pre>'
    )

    problems = crawl.page_problems(html)

    assert any("fonts.googleapis.com" in p for p in problems)
    assert any("cdn.example.org" in p for p in problems)
    assert any("img.example.org" in p for p in problems)
    assert any("inline script: 'alert(1)'" in p for p in problems)
    assert any("onclick" in p for p in problems)
    assert any("javascript:" in p for p in problems)
    assert any("@import" in p for p in problems)
    assert len(problems) == 8, problems  # the JSON data block, the local and own-host links, the API's data pass


class TestContentSecurityPolicy:
    def test_html_pages_carry_the_policy(self, client, manager):
        client.force_login(manager)

        _assert_strict(_csp(client.get(reverse("home"))))
        _assert_strict(_csp(client.get(reverse("login"))))

    def test_the_api_carries_the_policy(self, db):
        _key, raw = api_key_create(name="k", scopes=["*"])
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")

        response = api.get("/api/v1/journey-maps/")

        assert response.status_code == 200
        _assert_strict(_csp(response))
        _assert_strict(_csp(api.get("/api/v1/no-such-thing/")))

    def test_respondent_pages_carry_the_policy(self, client, db):
        survey = survey_create_nps(title="After-sales service", touchpoint=TouchpointFactory(), language="de")

        page = client.get(reverse("respondent:survey", args=[survey.public_token]))
        unknown = client.get(reverse("respondent:survey", args=["no-such-token"]))

        assert page.status_code == 200 and "<form" in page.content.decode()
        _assert_strict(_csp(page))
        _assert_strict(_csp(unknown))

    def test_styles_may_be_inline_but_scripts_never(self, client, manager):
        client.force_login(manager)

        policy = _csp(client.get(reverse("journeys:map_detail", args=[JourneyMapFactory().pk])))

        assert "'unsafe-inline'" in policy["style-src"]  # plotly.js writes style attributes as it draws
        assert not any("unsafe" in source for source in policy["script-src"])


class TestApiDocs:
    def test_redoc_which_shows_a_logo_from_its_vendors_cdn_gives_way_to_swagger_ui(self, client, db):
        response = client.get("/api/redoc/")

        assert response.status_code == 301 and response["Location"] == reverse("api-docs")

    def test_swagger_starts_from_a_script_url_not_an_inline_script(self, client, db):
        response = client.get(reverse("api-docs"))

        assert crawl.page_problems(response.content.decode()) == []
        script = client.get(reverse("api-docs") + "?script=")
        assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
        assert "SwaggerUIBundle" in script.content.decode()


def test_every_chart_config_switches_off_the_cloud_button_and_the_selection_tools():
    config = plotly_config()

    assert config["showSendToCloud"] is False
    assert config["plotlyServerURL"] == ""
    assert config["displaylogo"] is False
    assert {"sendChartToCloud", "select2d", "lasso2d"} <= set(config["modeBarButtonsToRemove"])
    assert plotly_config(mode_bar=False)["displayModeBar"] is False
