"""German pages (part b): every page under /surveys/, /dashboards/ and /actions/ — taken from the URL
configuration, not a hand-kept list — rendered with German chosen in the browser, as a CX manager and as a
department member, shows no English UI word outside user data.

The demo company is loaded (in English: its texts are user data and are taken out before the check), with
a campaign, a KPI target, a notification, computed KPIs and an import preview added, so that the pages show
their tables and not only their empty states. The top navigation of base.html is checked elsewhere.
"""

import re
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

NAMESPACES = ("surveys", "metrics", "actionplans")

# English words a German page must not show (whole words, case-sensitive: UI words are capitalised).
# Not listed: words German writes the same way (Status, Export, Filter, Trends, Plan, Name, Start, Dashboard, per).
ENGLISH = [
    "Overview",
    "Targets",
    "Responses",
    "Response",
    "New action",
    "Due",
    "Owner",
    "Department",
    "Save",
    "Cancel",
    "Delete",
    "Edit",
    "Show",
    "Survey",
    "Surveys",
    "Campaign",
    "Actions",
    "Action",
    "Breakdown",
    "Settings",
    "Submitted",
    "Customer",
    "Answers",
    "Questions",
    "Journey map",
    "Stage",
    "Touchpoints",
    "Milestones",
    "Comments",
    "History",
    "Period",
    "Notifications",
    "not enough responses",
    "No ",
    "Add",
    "Open",
    "Download",
    "Print",
    "Preview",
    "Schedule",
    "Reminders",
    "Invited",
    "Sent",
    "Failed",
    "Priority",
    "Impact",
    "Effort",
    "Pain point",
    "Opportunity",
    "Mark",
    "Previous",
    "Next",
    "Page",
    "Back",
    "Lead",
    "Members",
    "Promoters",
    "Detractors",
    "Passives",
    "target",
    "due",
    "overdue",
    "none",
    "yes",
    "the",
    "and",
    "of",
    "with",
    "at least",
    "answers",
]
WORDS = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w.strip()) for w in ENGLISH) + r")(?![\w-])")

# What a test cannot know the value of in advance: the kwargs of the URL patterns, from the loaded data.
KWARG_MODELS = {
    "survey_id": ("surveys", "Survey"),
    "campaign_id": ("surveys", "Campaign"),
    "response_id": ("surveys", "Response"),
    "customer_id": ("journeys", "Customer"),
    "target_id": ("metrics", "KpiTarget"),
    "map_id": ("journeys", "JourneyMap"),
    "persona_id": ("journeys", "Persona"),
    "action_id": ("actionplans", "Action"),
    "plan_id": ("actionplans", "ActionPlan"),
    "department_id": ("actionplans", "Department"),
    "touchpoint_id": ("journeys", "Touchpoint"),
}


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _VisibleText(HTMLParser):
    """The text a person reads, minus what this check leaves to others.

    Left out: scripts and styles, the top navigation (base.html, checked with it), and the options of
    selects and the content of text areas (user data: names of maps, departments, people …). Form labels,
    help texts, errors and status badges are checked like any other text.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []

    @staticmethod
    def _left_out(tag: str, attrs: dict) -> bool:
        classes = (attrs.get("class") or "").split()
        return tag in {"script", "style", "template", "select", "textarea"} or (
            tag == "nav" and (attrs.get("aria-label") == "Main" or "navbar" in classes)
        )

    @property
    def skipping(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skip = self._left_out(tag, attrs)
        if not skip and not self.skipping:
            # Attribute text a person meets (screen readers, tooltips, placeholders) counts too.
            self.parts.extend(attrs[name] for name in ("title", "aria-label", "placeholder", "alt") if attrs.get(name))
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " \n ".join(parser.parts)


def _user_data() -> re.Pattern:
    """Every text value stored in the apps' tables (names, titles, answers …): user data, not UI."""
    values: set[str] = set()
    for config in apps.get_app_configs():
        if not config.name.startswith(
            ("journeys", "surveys", "voice", "metrics", "actionplans", "django.contrib.auth")
        ):
            continue
        for model in config.get_models():
            fields = [
                f.name
                for f in model._meta.get_fields()
                if isinstance(f, models.CharField | models.TextField) and not f.choices and f.concrete
            ]
            if not fields:
                continue
            for row in model.objects.values_list(*fields):
                values.update(v.strip() for v in row if isinstance(v, str) and len(v.strip()) >= 2)
            for field in model._meta.get_fields():
                if isinstance(field, models.JSONField) and field.concrete:
                    for value in model.objects.values_list(field.name, flat=True):
                        if isinstance(value, list):
                            values.update(v for v in value if isinstance(v, str) and len(v) >= 2)
    # The templates shorten long texts with truncatechars (40, 60, 120): the shortened forms are user data too.
    values.update(v[: n - 1] for v in list(values) for n in (40, 60, 120) if len(v) > n)
    ordered = sorted(values, key=len, reverse=True)
    return re.compile("|".join(re.escape(v) for v in ordered))


def _checked_text(html: str, user_data: re.Pattern) -> str:
    # "Customer Journey (Map)", "Moment of Truth" and "Customer Lifetime Value" are the German terms too (DOMAIN.md).
    return (
        re.sub(r"\s+", " ", user_data.sub(" ", visible_text(html)))
        .replace("Customer Journey", " ")
        .replace("Customer Lifetime Value", " ")
        .replace("Moments of Truth", " ")
        .replace("Moment of Truth", " ")
    )


def english_words(html: str, user_data: re.Pattern) -> list[str]:
    return sorted(set(WORDS.findall(_checked_text(html, user_data))))


def english_in_context(html: str, user_data: re.Pattern) -> list[str]:
    """Each English word with the text around it, for the failure message."""
    text = _checked_text(html, user_data)
    return sorted({f"{m[0]!r} in …{text[max(0, m.start() - 40) : m.end() + 40]}…" for m in WORDS.finditer(text)})


@pytest.fixture(scope="module")
def german_site(django_db_setup, django_db_blocker):
    """The demo company plus one of everything the pages list; rolled back after the module."""
    from actionplans.models import Action, ActionPlan, Milestone
    from demo.loader import demo_load
    from metrics.models import Notification
    from metrics.services import snapshots_recompute, targets
    from surveys.models import Survey
    from surveys.services import distribution

    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        snapshots_recompute()
        survey = Survey.objects.filter(questions__isnull=False).order_by("pk").first()
        with mock.patch.object(distribution, "_queue_chunk"):
            distribution.campaign_schedule(survey=survey, name="Spring pulse", reminder_after_days=3, max_reminders=2)
        User = apps.get_model("auth", "User")
        manager = User.objects.get(username="cx.manager")
        member = User.objects.get(username="sales.member")
        targets.target_create(kpi="nps", value=30, by=manager)
        Notification.objects.create(user=manager, title="NPS target missed", body="NPS 12 < 30")
        # A plan with the sales department's first action in it, and a milestone on that action.
        action = Action.objects.filter(department__members=member).order_by("pk").first()
        action.plan = ActionPlan.objects.create(name="Service 2027", owner=manager, goal="Faster repairs")
        action.save(update_fields=["plan"])
        Milestone.objects.create(action=action, title="Pilot in Stuttgart", due_date=timezone.localdate())
        ids = {
            kwarg: apps.get_model(*model).objects.order_by("pk").values_list("pk", flat=True).first()
            for kwarg, model in KWARG_MODELS.items()
        }
        ids["question_id"] = survey.questions.order_by("pk").first().pk
        ids["survey_id"] = survey.pk
        ids["milestone_id"] = action.milestones.order_by("pk").first().pk
        ids["action_id"] = action.pk
        yield {"manager": manager, "member": member, "ids": ids, "user_data": _user_data()}
        transaction.set_rollback(True)


def _pages() -> list[tuple[str, list[str]]]:
    """(namespace:name, its kwargs) of every pattern in our namespaces; downloads excluded."""
    resolver = get_resolver()
    pages = []
    for namespace in NAMESPACES:
        for pattern in resolver.namespace_dict[namespace][1].url_patterns:
            assert isinstance(pattern, URLPattern)
            kwargs = list(pattern.pattern.converters)
            if "file_format" in kwargs:
                continue  # CSV/XLSX/SVG/PNG downloads: no page
            pages.append((f"{namespace}:{pattern.name}", kwargs))
    return pages


def _import_preview_url(client) -> str:
    from journeys.models import Touchpoint

    touchpoint = Touchpoint.objects.order_by("pk").first()
    text = (
        "external_id;touchpoint;kind;customer;occurred_at\n"
        f"de-b-1;{touchpoint.pk};visit;;2026-03-01\n"
        "x;1;click;;2999-01-01\n"
    )
    file = SimpleUploadedFile("events.csv", text.encode(), content_type="text/csv")
    response = client.post(reverse("metrics:import"), {"kind": "events", "file": file})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


@pytest.mark.parametrize("role", ["manager", "member"])
def test_every_page_of_surveys_dashboards_and_actions_speaks_german(client, german_site, role, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(german_site[role])
    ids = german_site["ids"]
    checked, problems = [], {}
    for name, kwargs in _pages():
        if name == "surveys:survey_preview":
            continue  # the respondent's page, in the survey's language (English in the demo) by design
        if name.startswith("metrics:import_"):
            if name != "metrics:import_preview" or role != "manager":
                continue
            url = _import_preview_url(client)
        else:
            url = reverse(name, kwargs={k: ids.get(k, 1) for k in kwargs})
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="de")
        if response.status_code in (302, 403, 404, 405) or "html" not in response.get("Content-Type", ""):
            continue  # POST-only endpoints, redirects, and pages the role may not see
        assert response.status_code == 200, (name, response.status_code)
        html = response.content.decode()
        if "<html" in html:
            assert '<html lang="de"' in html, name
        checked.append(name)
        found = english_in_context(html, german_site["user_data"])
        if found:
            problems[f"{name} ({url})"] = found
    assert not problems, "English words on German pages:\n" + "\n".join(
        f"{k}:\n  " + "\n  ".join(v) for k, v in problems.items()
    )
    must = {
        "manager": {
            "surveys:survey_list",
            "surveys:survey_detail",
            "surveys:campaign_detail",
            "surveys:response_list",
            "surveys:response_detail",
            "metrics:overview",
            "metrics:trends",
            "metrics:breakdown",
            "metrics:target_list",
            "metrics:import_preview",
            "actionplans:action_list",
            "actionplans:action_detail",
            "actionplans:action_kanban",
            "actionplans:plan_list",
            "actionplans:follow_up_rules",
        },
        "member": {
            "actionplans:my_department",
            "actionplans:action_list",
            "actionplans:action_detail",
            "surveys:response_list",
        },
    }[role]
    assert must <= set(checked), f"not rendered: {sorted(must - set(checked))}"


def test_the_check_finds_english_in_visible_text_but_not_in_user_data_or_markup():
    user_data = re.compile(re.escape("Save the date campaign"))
    html = (
        '<html lang="de"><nav class="navbar" aria-label="Main"><a>Surveys</a></nav>'
        '<p class="Status">Save the date campaign</p><script>var Cancel = 1;</script>'
        '<input value="Delete"><button title="Edit">Bearbeiten</button><td>Owner</td></html>'
    )
    assert english_words(html, user_data) == ["Edit", "Owner"]
