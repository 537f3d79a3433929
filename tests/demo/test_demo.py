"""The demo data set: what `load_demo` creates, that a second run adds nothing, and the story its KPIs tell."""

from datetime import UTC, datetime, time, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from actionplans.models import Action, Department, TouchpointOwnership
from cxportal import roles
from cxportal.branding import branding_get
from demo.data.consulting_map import CONSULTING_MAP
from demo.data.machine_map import MACHINE_MAP
from demo.data.people import DEMO_LOGINS
from demo.loader import demo_load
from journeys.models import Customer, JourneyMap, Persona, Stage, Touchpoint
from journeys.stage_templates import STAGE_TEMPLATES
from metrics.models import KpiSnapshot, ScopeType
from metrics.selectors import kpi_by_scope, kpi_series
from metrics.services import snapshots_recompute
from surveys.models import Answer, Question, Response, Survey

pytestmark = pytest.mark.django_db

User = get_user_model()

MACHINE_STAGES = [
    "Need recognition",
    "Information search",
    "Vendor contact",
    "Offer",
    "Evaluation",
    "Negotiation",
    "Purchase decision",
    "Implementation",
    "After-sales service",
]
CONSULTING_STAGES = [
    "Problem recognition",
    "Market analysis",
    "First contact",
    "Presentations",
    "Selection",
    "Project start",
    "Completion and follow-up",
]
MODELS = [
    User,
    Department,
    Persona,
    JourneyMap,
    Stage,
    Touchpoint,
    Customer,
    Survey,
    Question,
    Response,
    Answer,
    Action,
    TouchpointOwnership,
]


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in MODELS}
    counts["department members"] = Department.members.through.objects.count()
    counts["user groups"] = User.groups.through.objects.count()
    return counts


@pytest.fixture
def demo():
    return demo_load()


@pytest.fixture(scope="class")
def demo_for_class(django_db_setup, django_db_blocker):
    """One load shared by a class of read-only tests (each runs in a savepoint inside), rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_load()
        transaction.set_rollback(True)


@pytest.fixture
def demo_loaded(demo_for_class, db):
    return demo_for_class


@pytest.mark.usefixtures("demo_loaded")
class TestWhatTheDemoContains:
    def test_the_maps_show_pain_points_opportunities_and_a_blueprint_below_the_line(self, client):
        from demo.data.journeys import BLUEPRINT_MAP
        from journeys.models import Lane, LaneCell, Opportunity, PainPoint

        for map_name in (MACHINE_MAP, CONSULTING_MAP):
            assert PainPoint.objects.filter(journey_map__name=map_name).exists()
            assert Opportunity.objects.filter(journey_map__name=map_name).exists()
        blueprint = JourneyMap.objects.get(name=BLUEPRINT_MAP)
        assert blueprint.kind == JourneyMap.Kind.SERVICE_BLUEPRINT
        stages = blueprint.stages.count()
        for kind in (Lane.Kind.FRONTSTAGE, Lane.Kind.BACKSTAGE, Lane.Kind.SUPPORT):
            assert LaneCell.objects.filter(lane__journey_map=blueprint, lane__kind=kind).count() == stages

        client.login(username="cx.manager", password="demo-cx-2026")
        page = client.get(f"/journeys/{blueprint.pk}/").content.decode()
        assert page.index("Frontstage") < page.lower().index("line of visibility") < page.index("Backstage")
        assert "warehouse ships the part overnight" in page

    def test_the_demo_logins_and_departments_exist_with_their_roles(self):
        manager = User.objects.get(username="cx.manager")
        assert roles.is_cx_manager(manager)
        assert manager.first_name and manager.last_name and manager.email
        sales, service = Department.objects.get(name="Sales"), Department.objects.get(name="Customer Service")
        assert sales.members.filter(username="sales.member").exists()
        assert service.members.filter(username="service.member").exists()
        for username in ("sales.member", "service.member"):
            assert roles.is_department_member(User.objects.get(username=username))
        assert set(Department.objects.values_list("name", flat=True)) == {
            "Sales",
            "Customer Service",
            "Marketing",
            "Product",
        }
        assert not Department.objects.filter(lead__isnull=True).exists()
        assert {u for u, _p, _r in DEMO_LOGINS} <= set(User.objects.values_list("username", flat=True))

    def test_both_personas_carry_a_segment_rule_their_customers_match(self):
        for name, segment in (("Head of production", "manufacturing"), ("IT lead", "mid_market")):
            persona = Persona.objects.get(name=name)
            assert persona.segment_rule == {"segment": segment}
            assert persona.role and persona.goals and persona.challenges and persona.quote
            assert persona.customers.count() > 50
            assert not persona.customers.exclude(attributes__segment=segment).exists()

    @pytest.mark.parametrize(
        ("map_name", "stages", "template"),
        [(MACHINE_MAP, MACHINE_STAGES, "b2b_purchase"), (CONSULTING_MAP, CONSULTING_STAGES, "b2b_consulting")],
    )
    def test_journey_maps_have_the_domain_stages_in_order_with_two_or_three_touchpoints(
        self, map_name, stages, template
    ):
        journey_map = JourneyMap.objects.get(name=map_name)
        assert journey_map.kind == JourneyMap.Kind.CURRENT_STATE
        assert journey_map.personas.count() == 1
        assert list(journey_map.stages.order_by("position").values_list("name", flat=True)) == stages
        assert stages == STAGE_TEMPLATES[template][1]
        per_stage = journey_map.stages.annotate(n=Count("touchpoints")).values_list("n", flat=True)
        assert all(2 <= n <= 3 for n in per_stage)
        touchpoints = Touchpoint.objects.filter(stage__journey_map=journey_map)
        assert not touchpoints.filter(Q(emotion_score__isnull=True) | Q(customer_action="") | Q(thoughts="")).exists()
        assert touchpoints.filter(is_moment_of_truth=True).exists()
        assert touchpoints.values("channel").distinct().count() >= 5

    def test_social_media_plays_no_role_in_the_machine_journey(self):
        machine = Touchpoint.objects.filter(stage__journey_map__name=MACHINE_MAP)
        assert not machine.filter(channel="social_media").exists()
        assert machine.filter(channel="event").exists()

    def test_touchpoints_are_typed_like_the_real_thing(self):
        """A trade fair stand is physical, a newsletter cannot be answered, a trade article is not ours to shape."""
        fair = Touchpoint.objects.get(name="Trade fair stand (interpack)")
        assert (fair.is_direct, fair.is_two_way, fair.is_digital) == (True, True, False)
        newsletter = Touchpoint.objects.get(name="Customer newsletter: new FlowPack generation")
        assert (newsletter.is_two_way, newsletter.is_digital) == (False, True)
        article = Touchpoint.objects.get(name="Trade article on packaging-line efficiency")
        assert (article.is_direct, article.is_two_way) == (False, False)
        chat = Touchpoint.objects.get(name="Live chat on the website")
        assert (chat.is_two_way, chat.is_digital) == (True, True)
        for flag in ("is_direct", "is_two_way", "is_digital"):
            assert Touchpoint.objects.filter(**{flag: False}).count() >= 3, flag

    def test_about_300_customers_in_both_languages_with_churn_after_acquisition(self):
        customers = Customer.objects.all()
        assert customers.count() == 300
        assert customers.filter(external_id="CUST-0001").exists()
        assert customers.filter(language="de").count() > 30
        assert customers.filter(language="en").count() > 30
        assert 15 <= customers.filter(churned_at__isnull=False).count() <= 45
        assert not customers.filter(churned_at__lt=F("acquired_at")).exists()
        assert customers.filter(Q(unsubscribed_at__isnull=False) | Q(do_not_contact=True)).exists()
        assert not customers.filter(acquired_at__isnull=True).exists()
        oldest = customers.aggregate(m=Min("acquired_at"))["m"]
        assert timezone.now() - oldest > timedelta(days=2 * 365)
        assert all({"segment", "region"} <= set(c.attributes) for c in customers)

    def test_nps_csat_and_ces_surveys_measure_touchpoints(self):
        kinds = set(Question.objects.values_list("kind", flat=True))
        assert {"nps", "csat", "ces"} <= kinds
        assert Survey.objects.filter(questions__kind="nps").distinct().count() >= 6
        assert not Survey.objects.filter(touchpoint__isnull=True).exists()
        assert Survey.objects.filter(touchpoint__name="Service hotline", questions__kind="csat").exists()

    def test_respondents_read_a_public_title_the_company_and_their_contact_greeted_by_name(self):
        assert not Survey.objects.filter(public_title="").exists()
        assert not Customer.objects.filter(contact_name="").exists()
        survey = Survey.objects.first()
        german = Survey.objects.filter(language="de").first()
        assert german.public_title.startswith(("Würden", "Wie"))
        assert survey.title not in survey.public_title
        assert branding_get().company_name == "Kessler Verpackungstechnik GmbH"

    def test_a_year_of_responses_all_attributed_to_their_surveys_touchpoint(self):
        responses = Response.objects.all()
        assert 2000 <= responses.count() <= 6000
        assert not responses.filter(touchpoint__isnull=True).exists()
        assert not responses.exclude(touchpoint=F("survey__touchpoint")).exists()
        assert not responses.exclude(external_id__startswith="demo-").exists()
        # Imported, or answered through a demo campaign's invitation (and then linked to it).
        assert not responses.exclude(source__in=[Response.Source.IMPORT, Response.Source.INVITATION]).exists()
        assert not responses.filter(source=Response.Source.INVITATION, invitation__isnull=True).exists()
        span = responses.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
        now = timezone.now()
        start_of_today = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
        assert span["last"] <= start_of_today  # the year ends at the start of today, so same-day loads agree
        assert now - span["last"] < timedelta(days=7)
        assert timedelta(days=350) < start_of_today - span["first"] <= timedelta(days=365)
        # Respondents who are customers were customers at the time.
        assert not responses.filter(customer__acquired_at__gt=F("submitted_at")).exists()
        assert Answer.objects.exclude(text="").count() > 100

    @pytest.mark.parametrize(("kind", "low", "high"), [("nps", 0, 10), ("csat", 1, 5), ("ces", 1, 7)])
    def test_every_score_is_on_its_scale(self, kind, low, high):
        answers = Answer.objects.filter(question__kind=kind)
        assert answers.exists()
        assert not answers.filter(Q(value__isnull=True) | Q(value__lt=low) | Q(value__gt=high)).exists()
        assert answers.filter(value=low).exists() and answers.filter(value=high).exists()

    def test_actions_are_owned_by_members_of_their_department(self):
        actions = Action.objects.select_related("department", "owner")
        assert actions.count() >= 8
        for action in actions:
            assert action.owner is not None
            assert action.department.members.filter(pk=action.owner_id).exists(), action.title
            assert action.touchpoint_id is not None
            assert action.kpi in {"nps", "csat", "ces"}
        assert actions.values("department").distinct().count() == 4
        statuses = set(actions.values_list("status", flat=True))
        assert {Action.Status.OPEN, Action.Status.IN_PROGRESS, Action.Status.DONE} <= statuses
        today = timezone.localdate()
        overdue = actions.exclude(status__in=Action.CLOSED).filter(due_date__lt=today)
        assert overdue.count() == 1
        assert not actions.filter(status=Action.Status.DONE, done_at__isnull=True).exists()

    def test_loading_leaves_the_snapshots_to_the_worker(self):
        assert not KpiSnapshot.objects.exists()


class TestIdempotence:
    def test_second_run_creates_nothing_and_changes_no_counts(self, demo):
        assert demo["responses"] > 0
        before = _counts()
        again = demo_load()
        assert set(again.values()) == {0}
        assert _counts() == before

    def test_a_partly_loaded_database_is_completed(self, django_user_model):
        """Users from an earlier, interrupted load (or created by hand) are kept; the rest is added."""
        demo_load()
        full = _counts()
        Action.objects.all().delete()
        Response.objects.filter(external_id__startswith="demo-nps-after-sales-").delete()
        Customer.objects.filter(external_id__gt="CUST-0250").delete()
        JourneyMap.objects.filter(name=CONSULTING_MAP).delete()
        Survey.objects.filter(title__startswith="NPS – IT consulting").delete()

        added = demo_load()

        assert added["actions"] == full["Action"]
        assert added["customers"] == 50
        assert added["journey_maps"] == 1
        assert _counts() == full

    def test_a_load_later_the_same_day_completes_the_data_set_exactly(self):
        morning = datetime(2026, 3, 10, 7, 5, tzinfo=UTC)  # 08:05 in Berlin
        with mock.patch("django.utils.timezone.now", return_value=morning):
            demo_load()
        full = _counts()
        Response.objects.filter(external_id__startswith="demo-nps-after-sales-").delete()
        Customer.objects.filter(external_id__gt="CUST-0250").delete()

        with mock.patch("django.utils.timezone.now", return_value=morning + timedelta(hours=9, minutes=17)):
            demo_load()

        assert _counts() == full

    def test_existing_users_and_departments_are_kept(self, django_user_model):
        user = django_user_model.objects.create_user(username="sales.member", password="my-own-password")
        Department.objects.create(name="Sales")

        demo_load()

        user.refresh_from_db()
        assert user.check_password("my-own-password")
        assert Department.objects.get(name="Sales").members.filter(pk=user.pk).exists()
        assert Action.objects.filter(owner=user).exists()


def test_demo_logins_work_with_their_documented_passwords(client, demo):
    for username, password, _role in DEMO_LOGINS:
        assert client.login(username=username, password=password), username
        client.logout()


def test_load_demo_command_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="published passwords"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.filter(username="cx.manager").exists()


def test_load_demo_command_prints_the_summary_and_logins(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "300 customers" in text
    assert "nothing to add" in text
    assert "cx.manager" in text and "demo-cx-2026" in text


def test_after_recompute_the_dashboards_tell_the_demo_story(demo):
    snapshots_recompute()
    today = timezone.localdate()
    year = {"date_from": today - timedelta(days=365), "date_to": today}

    company = kpi_series(kpi="nps", **year)["total"]
    assert company.value is not None
    assert company.n == Answer.objects.filter(question__kind="nps").count()

    nps = kpi_by_scope(kpi="nps", scope_type=ScopeType.TOUCHPOINT, **year)
    after_sales = Touchpoint.objects.get(name="On-site maintenance and repairs")
    implementation = Touchpoint.objects.get(name="Installation and commissioning")
    assert nps[str(after_sales.pk)].value < 0 < nps[str(implementation.pk)].value
    assert nps[str(after_sales.pk)].value + 20 < nps[str(implementation.pk)].value

    # The hotline's CSAT rose after the call-back action was done.
    hotline = Touchpoint.objects.get(name="Service hotline")
    done = Action.objects.get(title__startswith="Call back every hotline request").done_at
    scope = {"kpi": "csat", "scope_type": ScopeType.TOUCHPOINT, "scope_key": str(hotline.pk)}
    before = kpi_series(**scope, date_from=year["date_from"], date_to=timezone.localdate(done))["total"]
    after = kpi_series(**scope, date_from=timezone.localdate(done) + timedelta(days=30), date_to=today)["total"]
    assert before.value < after.value

    assert kpi_series(kpi="ces", **year)["total"].value is not None


def test_on_first_start_most_touchpoints_of_both_b2b_maps_show_numbers_and_follow_ups_have_a_department(demo):
    from actionplans.selectors.closed_loop import follow_up_rule_list
    from metrics.selectors.dashboards import map_kpis
    from metrics.views.maps import MAP_KPI_DAYS

    snapshots_recompute()
    today = timezone.localdate()
    window = {"date_from": today - timedelta(days=MAP_KPI_DAYS - 1), "date_to": today}
    min_n = settings.CX_MIN_SAMPLE_SIZE
    for map_name in (MACHINE_MAP, CONSULTING_MAP):
        journey_map = JourneyMap.objects.get(name=map_name)
        data = map_kpis(map_id=journey_map.pk, **window)
        measured = [b for b in data["badges"] if any(i["enough"] and i["result"].n >= min_n for i in b["items"])]
        assert len(measured) >= 0.7 * len(data["badges"]), map_name
        # CSAT/CES measured in most stages, so the measured emotion curve has points across the map.
        points = [point for point in data["curve"] if point["measured"] is not None]
        assert len(points) >= len(data["curve"]) - 1, map_name

    # The story: negotiation and after-sales are clearly weaker than implementation.
    nps = kpi_by_scope(kpi="nps", scope_type=ScopeType.TOUCHPOINT, **window)
    negotiation = Touchpoint.objects.get(name="Price and delivery-time negotiation")
    implementation = Touchpoint.objects.get(name="Installation and commissioning")
    assert nps[str(negotiation.pk)].value + 30 < nps[str(implementation.pk)].value

    rules_on = [tp for tp in follow_up_rule_list() if tp.rule_on]
    assert len(rules_on) >= 6
    assert [tp.name for tp in rules_on if tp.rule_department is None] == []
