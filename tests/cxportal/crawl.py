"""Every page of the URL configuration, its path parameters filled from the demo data set.

Used by the "nothing leaves the machine" checks: ``tests/cxportal/test_no_external_requests.py`` (HTML through
the test client) and ``tests/e2e/test_every_page.py`` (a browser). The list is derived by walking the URL
resolver, so a new URL is crawled as soon as it exists; a new path parameter that :func:`demo_world` cannot
fill fails the crawl with its name, so it has to be taught here.

Left out, on purpose:
- the admin's object pages (Django's own templates, for superusers only): its sign-in page is crawled, and
  :func:`admin_pages` gives its index, lists and add forms, which the HTML test renders;
- API detail routes and format-suffix routes (``/api/v1/x/<pk>/``, ``x.json``): the browsable API renders them
  with the same template as the list routes, which are crawled.
POST-only URLs (they answer 405 to a GET) and file downloads (an attachment or a non-HTML answer) are found by
requesting each URL and are then skipped by the checks, which say so.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from demo.loader import demo_load
from voice.models import AnalysisRun, Topic

MANAGER = "cx.manager"
MEMBER = "service.member"  # a Customer Service department member in the demo


@dataclass(frozen=True)
class Page:
    name: str
    url: str


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield route, ":".join(filter(None, [namespace, pattern.name])), pattern


def url_names() -> list[tuple[str, str, list[str]]]:
    """(route, name, parameter names) of every named URL to crawl, in the order of the URL configuration."""
    found, seen = [], set()
    for route, name, pattern in _walk(get_resolver().url_patterns):
        params = list(pattern.pattern.regex.groupindex)
        if name.startswith("admin:") and name != "admin:login":
            continue
        if route.startswith("api/v1/") and (params or name in seen):
            continue  # detail and format-suffix routes: see the module docstring
        if name in seen:
            continue
        seen.add(name)
        found.append((route, name, params))
    return found


# ---------------------------------------------------------------- the data set


def demo_world(client_factory) -> dict:
    """Load the demo and pick (or make) one object for every path parameter of the URL configuration.

    ``client_factory()`` returns a fresh Django test client; the import previews are staged through the
    upload pages, as a person stages them.
    """
    from django.contrib.auth import get_user_model

    from actionplans.models import Action, ActionPlan, Department, Milestone, UnroutedFollowUp
    from cxportal.apikeys import api_key_create
    from cxportal.webhooks.models import WebhookDelivery, WebhookSubscription
    from journeys.models import Customer, JourneyMap, Lane, Opportunity, PainPoint, Persona
    from metrics.models import KpiTarget
    from metrics.services import snapshots_recompute
    from reports.models import ReportDefinition, ReportSend
    from surveys.models import Campaign, Invitation, Response, Survey

    demo_load()
    snapshots_recompute()  # the dashboards draw their charts from the snapshots
    users = get_user_model().objects
    manager, member = users.get(username=MANAGER), users.get(username=MEMBER)
    department = Department.objects.filter(members=member).order_by("pk").first()
    action = Action.objects.filter(department=department).order_by("pk").first()
    journey_map = JourneyMap.objects.filter(stages__touchpoints__isnull=False).order_by("pk").first()
    stage = journey_map.stages.order_by("position").first()
    touchpoint = stage.touchpoints.order_by("pk").first()
    survey = Survey.objects.filter(questions__isnull=False).order_by("pk").first()
    if not survey.public_link_enabled:
        Survey.objects.filter(pk=survey.pk).update(public_link_enabled=True)
    # The demo sends no campaign and plans nothing: one of each (a sent, unanswered invitation) for their pages.
    campaign = Campaign.objects.order_by("pk").first() or Campaign.objects.create(
        survey=survey, name="Crawl campaign", status=Campaign.Status.SENT, created_by=manager
    )
    invitation = Invitation.objects.create(
        campaign=campaign,
        customer=Customer.objects.filter(invitations__isnull=True).order_by("pk").first(),
        status=Invitation.Status.SENT,
        sent_at=timezone.now(),
        last_sent_at=timezone.now(),
    )
    plan = ActionPlan.objects.order_by("pk").first() or ActionPlan.objects.create(name="Crawl plan")
    response = Response.objects.filter(survey=survey).order_by("pk").first()
    unrouted = UnroutedFollowUp.objects.order_by("pk").first() or UnroutedFollowUp.objects.create(
        response=Response.objects.filter(unrouted_follow_up__isnull=True).order_by("pk").first(), score=2
    )
    milestone = Milestone.objects.filter(action=action).first() or Milestone.objects.create(
        action=action, title="Crawl milestone", due_date=action.due_date
    )
    api_key, _raw = api_key_create(name="Crawl key", scopes=["*"], created_by=manager)
    subscription = WebhookSubscription.objects.create(
        name="Crawl hook", url="https://hooks.example.com/cx", events=["response.created"], created_by=manager
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event_type="response.created",
        event_id="00000000-0000-4000-8000-000000000001",
        payload={"id": 1},
    )
    target = KpiTarget.objects.order_by("pk").first() or KpiTarget.objects.create(kpi="nps", value=30)
    report = ReportDefinition.objects.order_by("pk").first()
    report_send = ReportSend.objects.create(
        report=report,
        period_start=timezone.localdate().replace(day=1),
        period_end=timezone.localdate(),
        recipient="crawl@example.com",
        language="en",
        status=ReportSend.Status.SENT,
        pdf=b"%PDF-1.4 crawl",
    )

    staging = client_factory()
    staging.force_login(manager)
    upload = SimpleUploadedFile("c.csv", b"external_id,name,email\nCRAWL-1,Crawl,crawl@example.com\n", "text/csv")
    customer_token = _token(staging.post(reverse("journeys:customer_import"), {"file": upload}))
    upload = SimpleUploadedFile(
        "e.csv", f"external_id,touchpoint,kind,occurred_at\nx,{touchpoint.pk},visit,2026-01-01\n".encode(), "text/csv"
    )
    metrics_token = _token(staging.post(reverse("metrics:import"), {"kind": "events", "file": upload}))
    upload = SimpleUploadedFile("f.csv", b"external_id,text\ncrawl-1,Lieferung zu sp\xc3\xa4t.\n", "text/csv")
    voice_token = _token(staging.post(reverse("voice:import"), {"file": upload}))

    question = survey.questions.order_by("position").first()
    return {
        "users": {"manager": manager, "member": member},
        "map_id": journey_map.pk,
        "stage_id": stage.pk,
        "lane_id": Lane.objects.filter(journey_map=journey_map).order_by("position").first().pk,
        "touchpoint_id": touchpoint.pk,
        "persona_id": Persona.objects.order_by("pk").first().pk,
        "customer_id": Customer.objects.order_by("pk").first().pk,
        "survey_id": survey.pk,
        "question_id": question.pk,
        "campaign_id": campaign.pk,
        "response_id": response.pk,
        "entry_id": unrouted.pk,
        "target_id": target.pk,
        "action_id": action.pk,
        "milestone_id": milestone.pk,
        "plan_id": plan.pk,
        "department_id": department.pk,
        "subscription_id": subscription.pk,
        "delivery_id": delivery.pk,
        "report_id": report.pk,  # the demo's monthly report
        "send_id": report_send.pk,
        "batch": 1,
        "topic_id": Topic.objects.order_by("pk").first().pk,
        "run_id": (AnalysisRun.objects.order_by("pk").first() or AnalysisRun.objects.create(kind="rebuild")).pk,
        # Parameters whose meaning depends on the URL: by URL name prefix.
        "pk": {
            "journeys:pain_point_": PainPoint.objects.filter(journey_map=journey_map).first().pk,
            "journeys:opportunity_": Opportunity.objects.filter(journey_map=journey_map).first().pk,
            "apikey_": api_key.pk,
        },
        "token": {
            "journeys:customer_import_": customer_token,
            "metrics:import_": metrics_token,
            "voice:import_": voice_token,
            "respondent:invitation": invitation.token,
            "respondent:unsubscribe": invitation.token,
            "respondent:survey": Survey.objects.get(pk=survey.pk).public_token,
            "respondent:thanks": Survey.objects.get(pk=survey.pk).public_token,
        },
        "file_format": {
            "surveys:survey_qr_download": "svg",
            "surveys:response_export": "csv",
            "decisions:churn_risk_export": "csv",
        },
    }


def _token(response) -> str:
    assert response.status_code == 302, response.content.decode()[:1000]
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


def _value(world: dict, name: str, param: str):
    value = world.get(param)
    if isinstance(value, dict):
        value = next((v for prefix, v in value.items() if name.startswith(prefix)), None)
    return value


def pages(world: dict) -> list[Page]:
    """Every crawled URL with its parameters filled; fails naming any parameter the world cannot fill."""
    result, missing = [], []
    for route, name, params in url_names():
        kwargs = {param: _value(world, name, param) for param in params}
        unfilled = [param for param, value in kwargs.items() if value is None]
        if unfilled:
            missing.append(f"{name} ({route}): {', '.join(unfilled)}")
            continue
        result.append(Page(name, reverse(name, kwargs=kwargs)))
    assert not missing, "tests/cxportal/crawl.py cannot fill these path parameters:\n" + "\n".join(missing)
    return result


RESPONDENT_PREFIX = "respondent:"


def admin_pages() -> list[Page]:
    """The admin's index and, for every registered model, its list and its add form (for a superuser)."""
    from django.contrib import admin

    result = [Page("admin:index", reverse("admin:index"))]
    for model in admin.site._registry:
        for view in ("changelist", "add"):
            name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
            result.append(Page(name, reverse(name)))
    return result


def is_download(response) -> bool:
    content_type = response.get("Content-Type", "")
    return "attachment" in response.get("Content-Disposition", "") or not (
        content_type.startswith("text/html") or content_type.startswith("application/json")
    )


# ---------------------------------------------------------------- what an HTML page points at

OWN_HOSTS = {"testserver", "127.0.0.1", "localhost", urlsplit(settings.SITE_URL).hostname}
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "poster", "data", "srcset", "background", "manifest"}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []
        self.inline_scripts: list[str] = []
        self.handlers: list[str] = []
        self._in_script = None
        self._pre = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "pre":
            self._pre += 1
        if tag == "a" and self._pre:
            return  # a link the browsable API made of a value in the JSON it shows (a webhook's target URL)
        for key, value in attrs:
            if value is None:
                continue
            if key in URL_ATTRIBUTES:
                candidates = [part.strip().split(" ")[0] for part in value.split(",")] if key == "srcset" else [value]
                self.urls.extend((f"<{tag} {key}>", url) for url in candidates)
            elif key == "style":
                self.urls.extend((f"<{tag} style>", url) for url in CSS_URL.findall(value))
            if key.startswith("on") or key.startswith("hx-on"):
                self.handlers.append(f"<{tag} {key}={value!r}>")
        if tag == "script" and "src" not in attributes:
            kind = (attributes.get("type") or "text/javascript").lower()
            self._in_script = kind not in ("application/json", "application/ld+json")

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts.append(data.strip()[:120])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None
        if tag == "pre":
            self._pre = max(0, self._pre - 1)


def page_problems(html: str) -> list[str]:
    """What in a page would load from another host or need an inline script (forbidden by our CSP)."""
    collector = _Collector()
    collector.feed(html)
    problems = []
    for where, url in collector.urls:
        url = url.strip()
        if url.lower().startswith("javascript:"):
            problems.append(f"{where} runs a javascript: URL: {url[:80]}")
            continue
        parts = urlsplit(url)
        if url.startswith("//") or parts.scheme in ("http", "https", "ws", "wss", "ftp"):
            if parts.hostname not in OWN_HOSTS:
                problems.append(f"{where} points to another host: {url[:120]}")
    for css in re.findall(r"<style[^>]*>(.*?)</style>", html, flags=re.S | re.I):
        for url in CSS_URL.findall(css):
            if url.startswith("//") or urlsplit(url).scheme in ("http", "https"):
                problems.append(f"<style> loads from another host: {url[:120]}")
        if "@import" in css:
            problems.append("<style> uses @import")
    problems.extend(f"inline script: {code!r}" for code in collector.inline_scripts)
    problems.extend(f"inline event handler: {handler}" for handler in collector.handlers)
    return problems
