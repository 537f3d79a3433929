"""The whole CX loop as people do it, in a browser, with a real Celery worker on PostgreSQL and Redis.

A CX manager creates a persona, a journey map with stages and a touchpoint, an NPS survey for it and an
e-mail campaign; a Celery worker (a separate process on the same database) dispatches the campaign and
sends the e-mails to an SMTP sink; the respondent opens the link from the mail on a phone and answers;
beat's "recompute KPIs with new data" job runs on the worker; the dashboard and the map show the new NPS; the
manager opens an action for Sales, and a Sales member marks it done.

The project's Celery app is eager in tests, so the two places where the web process talks to the broker
are pointed at the worker: the campaign's "dispatch now" kick, and the beat ticks, which this test sends
itself (same task names as ``cxportal/schedule.py``), over an explicit connection to a queue of its own.
"""

import re
import subprocess
import time
import uuid
from datetime import timedelta

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.utils import timezone, translation
from playwright.sync_api import expect

from actionplans.models import Action
from cxportal.models import Profile
from journeys.models import Customer, JourneyMap, Touchpoint
from metrics.models import RecomputeRun
from surveys.models import Campaign, Invitation, Response
from surveys.services import distribution
from tests.actionplans.factories import ActionFactory
from tests.integration.conftest import postgresql_url, redis_url  # noqa: F401 - fixtures
from tests.integration.smtp_sink import SmtpSink
from tests.integration.test_celery_worker import ALL_QUEUES, stop, worker_command, worker_env

pytestmark = pytest.mark.integration

TIMEOUT = 60
CLASSIC_STAGES = ["Awareness", "Consideration", "Purchase", "Retention", "Advocacy"]


def _ui(language):
    """``t("Log out")`` → what the page says in ``language``, read from the catalogue the pages use."""

    def t(text, **values):
        with translation.override(language):
            said = translation.gettext(text)
            if said == text and text[:1].isupper():  # a form label from a model's verbose name, capitalised
                lower = translation.gettext(text[0].lower() + text[1:])
                said = lower[:1].upper() + lower[1:]
        return said % values if values else said

    def plural(singular, plural, count, **values):
        with translation.override(language):
            return translation.ngettext(singular, plural, count) % {"count": count, **values}

    t.plural = plural
    return t


LINK_RE = re.compile(r"https?://\S+/s/i/[A-Za-z0-9_-]+/")
UNSUBSCRIBE_RE = re.compile(r"https?://\S+/s/u/[A-Za-z0-9_-]+/")


class Worker:
    """A Celery worker process (solo pool) listening on a queue of its own, and a sender for that queue."""

    def __init__(self, *, database_url: str, broker_url: str, site_url: str, email_url: str, tmp_path):
        self.broker_url = broker_url
        self.queue = f"cxportal-e2e-{uuid.uuid4().hex}"
        self.log_path = tmp_path / "worker.log"
        env = worker_env(database_url=database_url, broker_url=broker_url, var_dir=tmp_path / "var")
        env.update(
            DJANGO_SETTINGS_MODULE="tests.e2e.worker_settings",
            PYTHONPATH=str(settings.BASE_DIR),
            CX_E2E_QUEUE=self.queue,
            EMAIL_URL=email_url,
            SITE_URL=site_url,
            CX_MIN_SAMPLE_SIZE="1",
        )
        command = worker_command(f"{self.queue},{ALL_QUEUES}", f"{self.queue}@%h")
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        self.sender = Celery("cxportal-e2e-sender", set_as_current=False)

    def send(self, task: str) -> None:
        """Queue a task by name, as beat does."""
        with self.sender.connection_for_write(self.broker_url) as broker:
            self.sender.send_task(task, queue=self.queue, connection=broker)

    def wait_until(self, condition, what: str):
        deadline = time.monotonic() + TIMEOUT
        while not (result := condition()):
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited while waiting for {what}:\n{self.log_path.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; worker log:\n{self.log_path.read_text()}")
            time.sleep(0.1)
        return result

    def close(self) -> None:
        self.sender.close()
        if self.process.poll() is None:
            try:
                stop(self.process, timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        client = redis.Redis.from_url(self.broker_url)
        for queue in (self.queue, *settings.CX_CELERY_QUEUES):
            client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        client.close()


@pytest.fixture
def sink():
    with SmtpSink() as running:
        yield running


@pytest.fixture
def worker(postgresql_url, redis_url, live_server, sink, tmp_path, monkeypatch):  # noqa: F811
    running = Worker(
        database_url=postgresql_url,
        broker_url=redis_url,
        site_url=live_server.url,
        email_url=sink.url,
        tmp_path=tmp_path,
    )
    # "Dispatch now" after a campaign is scheduled goes to this worker instead of running eagerly here.
    monkeypatch.setattr(distribution, "_kick_dispatch", lambda: running.send("surveys.dispatch_due_campaigns"))
    try:
        yield running
    finally:
        running.close()


@pytest.fixture
def customers():
    """What a CRM sync would have brought in: two customers in manufacturing, one in retail."""
    return [
        Customer.objects.create(
            external_id="C-1",
            email="anna@example.com",
            name="Berger Maschinenbau GmbH",
            contact_name="Anna Berger",
            attributes={"segment": "manufacturing"},
        ),
        Customer.objects.create(
            external_id="C-2", email="ben@example.com", name="Ben Kraus", attributes={"segment": "manufacturing"}
        ),
        Customer.objects.create(
            external_id="C-3", email="carla@example.com", name="Carla Diaz", attributes={"segment": "retail"}
        ),
    ]


@pytest.mark.parametrize("language", ["en", "de"])
def test_cx_loop_in_the_browser_with_a_real_worker(
    language,
    live_server,
    log_in,
    worker,
    sink,
    customers,
    manager,
    sales,
    service,
    sales_member,
    page,
    phone,
    shots,
    axe_check,
    settings,
):
    settings.CX_MIN_SAMPLE_SIZE = 1  # one answer is enough to show a value in this story
    elsewhere = ActionFactory(department=service, title="Shorten the hold time")
    log_in(page, "manager", "pw-manager")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    if language == "de":  # the CX manager chooses Deutsch in the navigation; the rest of the story is German
        page.locator("#language-switch").get_by_role("button", name="Deutsch").click()
        expect(page.locator("html")).to_have_attribute("lang", "de")
        Profile.objects.update_or_create(user=sales_member, defaults={"language": "de"})
    t = _ui(language)
    decimal = "," if language == "de" else "."
    expect(page.get_by_role("button", name=t("Log out"))).to_be_visible()
    shots(page, "manager-logged-in")

    # --- Map: a persona, a journey map with stages, a touchpoint ------------------------------------------
    page.get_by_role("link", name=t("Journeys"), exact=True).click()
    page.get_by_role("link", name=t("Personas"), exact=True).click()
    page.get_by_role("link", name=t("New persona")).click()
    page.get_by_label(t("Name")).fill("Maintenance lead")
    page.get_by_label(t("Role / job title")).fill("Head of maintenance")
    page.get_by_label(t("Segment rule")).fill("segment: manufacturing")
    shots(page, "persona-form")
    page.get_by_role("button", name=t("Create persona")).click()
    expect(page.get_by_text(t("Persona “%(name)s” created.", name="Maintenance lead"))).to_be_visible()
    page.get_by_role("button", name=t("Assign matching customers to this persona")).click()
    expect(
        page.get_by_text(
            t.plural(
                "%(count)d customer assigned to “%(name)s”.",
                "%(count)d customers assigned to “%(name)s”.",
                2,
                name="Maintenance lead",
            )
        )
    ).to_be_visible()
    shots(page, "persona")

    page.get_by_role("link", name=t("Journeys"), exact=True).click()
    page.get_by_role("link", name=t("New journey map")).click()
    page.get_by_label(t("Name")).fill("Spare parts purchase")
    page.get_by_label(t("Personas")).select_option(label="Maintenance lead")
    page.get_by_label(t("Start with stages")).select_option(value="classic")  # Awareness … Advocacy
    page.get_by_role("button", name=t("Create map")).click()
    expect(page.get_by_role("heading", name="Spare parts purchase")).to_be_visible()
    journey_map = JourneyMap.objects.get(name="Spare parts purchase")

    stage_form = page.locator("form", has=page.get_by_role("button", name=t("Add stage")))
    stage_form.get_by_label(t("Name")).fill("Repair")
    stage_form.get_by_role("button", name=t("Add stage")).click()
    stage_names = page.locator("th.stage .stage-name")
    expect(stage_names).to_have_text([f"{n}. {t(name)}" for n, name in enumerate(CLASSIC_STAGES, 1)] + ["6. Repair"])
    page.get_by_role("link", name=t("+ touchpoint in %(stage)s", stage=t("Purchase"))).click()
    page.get_by_label(t("Name")).fill("Order confirmation")
    page.get_by_label(t("Channel")).select_option(value="email")
    page.get_by_label(t("Emotion score")).fill("-1")
    page.get_by_role("button", name=t("Add touchpoint")).click()
    expect(page.locator(".touchpoint-card", has_text="Order confirmation")).to_be_visible()
    touchpoint = Touchpoint.objects.get(name="Order confirmation", stage__journey_map=journey_map)
    assert touchpoint.stage.name == t("Purchase")
    shots(page, "journey-map")

    # --- Ask: an NPS survey for the touchpoint, sent by e-mail to the persona's customers ---------------------
    page.get_by_role("link", name=t("Surveys"), exact=True).click()
    page.get_by_role("link", name=t("New survey")).click()
    page.get_by_label(t("Internal title")).fill("Spare parts order NPS")
    page.get_by_label(t("Title respondents see")).fill("How was your spare parts order?")
    page.get_by_label(t("Touchpoint")).select_option(
        label=f"Spare parts purchase › {t('Purchase')} › Order confirmation"
    )
    page.get_by_role("combobox", name=t("Language")).select_option(value="en")
    shots(page, "survey-form")
    page.get_by_role("button", name=t("Create survey")).click()
    expect(page.get_by_role("heading", name="Spare parts order NPS")).to_be_visible()

    page.get_by_text(t("Send this survey by e-mail…")).click()
    campaign_form = page.locator("form", has=page.get_by_role("button", name=t("Schedule campaign")))
    campaign_form.get_by_label(t("Name")).fill("Spring wave")
    campaign_form.get_by_label(t("Persona")).select_option(label="Maintenance lead")
    shots(page, "campaign-form")
    campaign_form.get_by_role("button", name=t("Schedule campaign")).click()
    scheduled = t("Campaign “%(name)s” scheduled for %(send_at)s.", name="Spring wave", send_at="{at}")
    expect(page.get_by_text(re.compile(re.escape(scheduled).replace(re.escape("{at}"), ".+")))).to_be_visible()

    # The worker dispatches the campaign and sends one e-mail to each of the persona's two customers.
    mails = worker.wait_until(lambda: len(sink.handler.snapshot()) >= 2 and sink.handler.snapshot(), "two e-mails")
    assert sorted(r for m in mails for r in m.recipients) == ["anna@example.com", "ben@example.com"]
    worker.send("surveys.dispatch_due_campaigns")  # beat's next tick closes the finished campaign
    worker.wait_until(lambda: Campaign.objects.filter(status=Campaign.Status.SENT).exists(), "the campaign to close")
    page.reload()
    row = page.locator("#campaigns tbody tr", has_text="Spring wave")
    expect(row).to_contain_text(t("Sent"))
    expect(row.locator("td").nth(5)).to_have_text("2")  # sent
    shots(page, "campaign-sent")

    # --- The respondent opens the link from her e-mail on a phone and answers -------------------------------
    anna = next(m for m in mails if m.recipients == ["anna@example.com"])
    assert "Hello Anna Berger," in anna.body  # the contact person, not the company
    assert anna.subject == "Your opinion on How was your spare parts order?"
    link = LINK_RE.search(anna.body).group(0)
    assert link.startswith(live_server.url)
    phone.goto(link)
    expect(phone.get_by_role("heading", name="How was your spare parts order?")).to_be_visible()
    axe_check(phone)
    shots(phone, "respondent-opens-the-link")
    phone.get_by_role("radiogroup").first.get_by_text("9", exact=True).click()
    phone.get_by_role("textbox").fill("The parts came the next day.")
    shots(phone, "respondent-answered")
    phone.get_by_role("button", name="Submit").click()
    expect(phone.get_by_role("heading", name="Thank you!")).to_be_visible()
    axe_check(phone)
    shots(phone, "respondent-thank-you")
    response = Response.objects.get()
    assert response.customer.email == "anna@example.com"
    assert response.touchpoint_id == touchpoint.pk
    assert Invitation.objects.get(customer__email="anna@example.com").status == Invitation.Status.RESPONDED
    # The link is single-use.
    phone.goto(link)
    expect(phone.get_by_role("heading", name="This survey is not available")).to_be_visible()

    # Ben would rather not get these e-mails: the unsubscribe link in his e-mail, on his phone.
    ben = next(m for m in mails if m.recipients == ["ben@example.com"])
    phone.goto(UNSUBSCRIBE_RE.search(ben.body).group(0))
    axe_check(phone)
    phone.get_by_role("button", name="Unsubscribe").click()
    expect(phone.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    shots(phone, "unsubscribed")
    assert Customer.objects.get(email="ben@example.com").unsubscribed_at is not None

    # --- Measure: beat's "recompute KPIs with new data" runs on the worker ----------------------------------
    worker.send("metrics.recompute_changed")
    worker.wait_until(lambda: RecomputeRun.objects.filter(finished_at__isnull=False).exists(), "the recomputation")

    page.goto(f"{live_server.url}/dashboards/kpi/")
    expect(page.locator("#company-value")).to_have_text(f"100{decimal}0")
    tp_row = page.locator("#touchpoint-table tbody tr", has_text="Order confirmation")
    expect(tp_row.locator("td").nth(1)).to_have_text(t("Purchase"))
    expect(tp_row.locator("td").nth(3)).to_have_text(f"100{decimal}0")  # NPS: one promoter
    expect(tp_row.locator("td").last).to_have_text("1")  # n
    shots(page, "dashboard")

    page.get_by_role("link", name=t("Journeys"), exact=True).click()
    page.get_by_role("link", name="Spare parts purchase").click()
    expect(page.locator(f"#tp-kpis-{touchpoint.pk}")).to_contain_text(f"NPS 100{decimal}0 · n = 1")
    shots(page, "map-with-nps")

    # --- Act: an action for Sales ----------------------------------------------------------------------------
    page.get_by_role("link", name=t("Actions"), exact=True).click()
    page.get_by_role("link", name=t("New action")).click()
    page.get_by_label(t("Title")).fill("Confirm spare parts orders within the hour")
    page.get_by_label(t("Department")).select_option(label="Sales")
    page.get_by_label(t("Owner")).select_option(label="sam")
    page.get_by_label(t("Touchpoint")).select_option(value=str(touchpoint.pk))
    page.get_by_label(t("KPI it should move")).select_option(value="nps")
    page.get_by_label(t("Due date")).fill((timezone.localdate() + timedelta(days=14)).isoformat())
    shots(page, "action-form")
    page.get_by_role("button", name=t("Assign action")).click()
    expect(page.get_by_role("heading", name="Confirm spare parts orders within the hour")).to_be_visible()
    shots(page, "action")
    page.get_by_role("button", name=t("Log out")).click()

    # --- A Sales member sees only Sales's actions and marks this one done -----------------------------------
    log_in(page, "sam", "pw-sam")
    page.get_by_role("link", name=t("My department")).click()
    expect(page.get_by_role("link", name="Confirm spare parts orders within the hour")).to_be_visible()
    expect(page.get_by_text(elsewhere.title)).to_have_count(0)
    shots(page, "member-my-department")
    page.get_by_role("link", name="Confirm spare parts orders within the hour").click()
    page.get_by_label(t("Status")).select_option(label=t("Done"))
    page.get_by_role("button", name=t("Save")).click()
    expect(page.locator("#action-status")).to_contain_text(t("Done"))
    expect(page.locator("#action-status")).to_contain_text("100 %")
    shots(page, "member-marked-done")

    action = Action.objects.get(title="Confirm spare parts orders within the hour")
    assert (action.department, action.owner, action.status) == (sales, sales_member, Action.Status.DONE)
