"""The demo in German (`load_demo --language de`): the same company and numbers, nothing a person reads in English."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import models, transaction
from django.utils import timezone

from actionplans.models import Action, Department, Milestone
from demo.data import actions, customers, journeys, people, surveys
from demo.data.de import actions as de_actions
from demo.data.de import customers as de_customers
from demo.data.de import journeys as de_journeys
from demo.data.de import people as de_people
from demo.data.de import surveys as de_surveys
from demo.data.language import demo_data
from demo.loader import demo_load
from journeys.models import JourneyMap, Lane, Persona, Stage, Touchpoint
from metrics.kpis import REGISTRY
from metrics.models import ScopeType
from metrics.selectors import kpi_by_scope, kpi_series
from metrics.services import snapshots_recompute
from surveys.models import Answer, Survey

pytestmark = pytest.mark.django_db

User = get_user_model()

# Words a German reader would stumble over. CX vocabulary German teams use as is (DOMAIN.md: Customer Journey,
# Touchpoint, Moment of Truth, NPS, Service Blueprint, Frontstage/Backstage, After-Sales …) is not on the list.
ENGLISH_WORDS = [
    "the", "and", "with", "for", "our", "your", "you", "we", "of", "to", "are", "were", "would", "within",
    "without", "how", "what", "why", "delivery", "customer", "customers", "maintenance", "order", "invoice",
    "service visit", "spare part", "spare parts", "technician", "training", "machine", "quote", "request",
    "satisfied", "easy", "answer", "contact", "manual", "waiting", "recommend", "offer", "proposal",
    "purchasing", "review", "halfway", "call back", "head of", "lead",
]  # fmt: skip
ENGLISH = re.compile(r"\b(" + "|".join(re.escape(word) for word in ENGLISH_WORDS) + r")\b", re.IGNORECASE)
CX_TERMS = re.compile(r"Customer (Journey|Experience|Lifetime Value)|Moment of Truth|Service Blueprint", re.IGNORECASE)

DEMO_APPS = ("journeys", "surveys", "actionplans", "metrics", "voice", "cxportal", "auth")
# Not demo texts: identifiers and addresses, and what the product writes on its own (history summaries are the
# product's strings, translated with the rest of the UI, not the demo's; permissions are Django's).
NOT_TEXT = {"external_id", "email", "contact_email", "username", "password", "token", "slug", "key", "url"}
PRODUCT_WRITTEN = {("journeys", "mapchange"), ("auth", "permission")}


def _text_fields():
    for app_label in DEMO_APPS:
        if not apps.is_installed(app_label) and app_label != "auth":
            continue
        for model in apps.get_app_config(app_label).get_models():
            if (app_label, model._meta.model_name) in PRODUCT_WRITTEN:
                continue
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField) and not f.choices and f.name not in NOT_TEXT
            ]
            if fields:
                yield model, fields


def _english_in(value: str) -> list[str]:
    return ENGLISH.findall(CX_TERMS.sub("", value))


@pytest.fixture(scope="class")
def german_demo(django_db_setup, django_db_blocker):
    """One German load shared by a class of read-only tests, rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_load(language="de")
        transaction.set_rollback(True)


@pytest.fixture
def german(german_demo, db):
    return german_demo


@pytest.mark.usefixtures("german")
class TestTheGermanDemo:
    def test_nothing_a_person_reads_is_in_english(self):
        found = []
        walked = 0
        for model, fields in _text_fields():
            for row in model.objects.values_list("pk", *fields).iterator():
                for name, value in zip(fields, row[1:], strict=True):
                    if value:
                        walked += 1
                        if words := _english_in(value):
                            found.append(f"{model.__name__}.{name} #{row[0]}: {value!r} ({', '.join(words)})")
        assert walked > 2000  # the comments, maps, surveys, actions … were all read
        assert found == [], "\n".join(found[:40])

    def test_the_maps_stages_departments_and_personas_are_german(self):
        assert list(JourneyMap.objects.order_by("pk").values_list("name", flat=True)) == [
            "Kauf einer industriellen Verpackungsmaschine",
            "Beauftragung einer IT-Beratung",
            "Service Blueprint After-Sales (Maschinenstillstand)",
        ]
        machine = JourneyMap.objects.get(name="Kauf einer industriellen Verpackungsmaschine")
        assert list(machine.stages.values_list("name", flat=True))[:3] == [
            "Bedarfserkennung",
            "Informationssuche",
            "Kontakt zum Anbieter",
        ]
        assert Touchpoint.objects.filter(name="Aufstellung und Inbetriebnahme vor Ort").exists()
        assert set(machine.lanes.values_list("name", flat=True)) >= {"Schmerzpunkte", "Chancen", "Notizen / Zitate"}
        assert Lane.objects.filter(kind=Lane.Kind.SUPPORT, name="Unterstützende Prozesse / Systeme").exists()
        assert set(Department.objects.values_list("name", flat=True)) == {
            "Vertrieb",
            "Kundenservice",
            "Marketing",
            "Produktmanagement",
        }
        assert set(Persona.objects.values_list("name", flat=True)) == {"Produktionsleiter", "IT-Leiterin"}
        assert Milestone.objects.filter(title="Zwischenstand mit der Abteilungsleitung besprechen").exists()

    def test_every_survey_is_asked_in_german_in_the_sie_form(self):
        assert not Survey.objects.exclude(language="de").exists()
        assert set(Survey.objects.values_list("public_title", flat=True)) == {
            "Würden Sie uns weiterempfehlen?",
            "Wie zufrieden waren Sie?",
            "Wie einfach war es für Sie?",
            "Wie wahrscheinlich ist es, dass Sie Kessler weiterempfehlen?",  # the recurring relationship NPS
        }
        hotline = Survey.objects.get(title="CSAT – Service-Hotline")
        assert hotline.questions.first().text == "Wie zufrieden waren Sie mit unserer Service-Hotline?"
        nps = Survey.objects.get(title="NPS – After-Sales-Service").questions.first()
        assert "Sie" in nps.text
        assert not Answer.objects.exclude(response__language="de").exists()

    def test_customers_comment_in_german_about_delivery_dates_technicians_spare_parts_invoices_and_hotline(self):
        comments = set(Answer.objects.exclude(text="").values_list("text", flat=True))
        assert len(comments) > 100
        for word in ("Liefertermin", "Techniker", "Ersatzteil", "Rechnung", "Hotline", "nicht", "kein"):
            assert any(word in comment for comment in comments), word

    def test_an_action_keeps_its_department_touchpoint_and_owner(self):
        hotline = Action.objects.get(title="Jede Hotline-Anfrage innerhalb von 4 Stunden zurückrufen")
        assert hotline.department.name == "Kundenservice"
        assert hotline.touchpoint.name == "Service-Hotline"
        assert hotline.owner.username == "service.member"

    def test_the_command_says_the_demo_is_present_and_names_the_roles_in_german(self, settings):
        settings.DEBUG = True
        out = StringIO()
        call_command("load_demo", language="de", stdout=out)
        assert "nothing to add" in out.getvalue()
        assert "Mitglied Vertrieb" in out.getvalue()


def _kpis() -> dict:
    """Every KPI of the loaded demo, over the last year, for the company and per scope, keyed language-neutrally."""
    snapshots_recompute()
    today = timezone.localdate()
    year = {"date_from": today - timedelta(days=365), "date_to": today}
    map_rank = {pk: n for n, pk in enumerate(JourneyMap.objects.order_by("pk").values_list("pk", flat=True))}
    neutral = {
        ScopeType.MAP: {str(pk): n for pk, n in map_rank.items()},
        ScopeType.STAGE: {str(s.pk): (map_rank[s.journey_map_id], s.position) for s in Stage.objects.all()},
        ScopeType.TOUCHPOINT: {
            str(t.pk): (map_rank[t.stage.journey_map_id], t.stage.position, t.position)
            for t in Touchpoint.objects.select_related("stage")
        },
        ScopeType.PERSONA: {
            str(pk): n for n, pk in enumerate(Persona.objects.order_by("pk").values_list("pk", flat=True))
        },
        ScopeType.SURVEY: {
            str(pk): n for n, pk in enumerate(Survey.objects.order_by("pk").values_list("pk", flat=True))
        },
    }
    result = {}
    for kpi in REGISTRY:
        # The text KPIs read the comments, which are German in one demo and English in the other: the same
        # comments are drawn (n), their words and so their judged sentiment differ.
        text = kpi in ("sentiment", "negative_share")
        series = kpi_series(kpi=kpi, **year)
        total = series["total"]
        result[(kpi, "company")] = (total.n,) if text else (total.value, total.n, series["results"])
        for scope_type, keys in neutral.items():
            for key, value in kpi_by_scope(kpi=kpi, scope_type=scope_type, **year).items():
                result[(kpi, scope_type, keys[key])] = (value.n,) if text else (value.value, value.n)
        for key, value in kpi_by_scope(kpi=kpi, scope_type=ScopeType.CHANNEL, **year).items():
            result[(kpi, ScopeType.CHANNEL, key)] = (value.n,) if text else (value.value, value.n)
    return result


def _loaded(language: str) -> tuple[dict, dict]:
    with transaction.atomic():
        counts = demo_load(language=language)
        kpis = _kpis()
        transaction.set_rollback(True)
    return counts, kpis


def test_the_german_demo_has_the_same_numbers_and_kpis_as_the_english_one():
    english_counts, english = _loaded("en")
    german_counts, german = _loaded("de")

    assert german_counts == english_counts
    assert len(english) > 100  # company, maps, stages, touchpoints, personas, surveys and channels
    assert {k for k, (value, *_rest) in english.items() if value is not None} >= {
        ("nps", "company"),
        ("clv", "company"),
    }
    assert german == english


def test_the_other_language_is_refused_on_a_database_with_a_demo_and_nothing_is_loaded(settings):
    settings.DEBUG = True
    JourneyMap.objects.create(name=demo_data("en").marker_map)

    with pytest.raises(CommandError, match="holds the demo in 'en'"):
        call_command("load_demo", language="de", stdout=StringIO())

    assert not User.objects.exists()
    assert JourneyMap.objects.count() == 1


class TestEveryGermanTextHasAnEnglishPartner:
    """The German modules pair each text with its English one: none missing (the load would fail), none left over."""

    def test_maps_stages_and_touchpoints(self):
        assert set(de_journeys.MAPS) == set(journeys.MAPS)
        for name, (_persona, _goal, _scope, stages) in journeys.MAPS.items():
            texts = de_journeys.MAPS[name]
            assert set(texts["stages"]) == {stage for stage, _d, _t in stages}
            assert set(texts["touchpoints"]) == {tp.key for _s, _d, tps in stages for tp in tps}
        assert set(de_journeys.BLUEPRINT) == {stage for stage, *_rest in journeys.BLUEPRINT}

    def test_findings_notes_surveys_actions_people_and_regions(self):
        assert set(de_journeys.PAIN_POINTS) == {title for _k, title, *_rest in journeys.PAIN_POINTS}
        assert set(de_journeys.OPPORTUNITIES) == {title for _k, title, *_rest in journeys.OPPORTUNITIES}
        assert set(de_journeys.NOTES) == {text for notes in journeys.NOTES.values() for _stage, text in notes}
        assert set(de_surveys.SURVEYS) == {spec.slug for spec in surveys.SURVEYS}
        assert set(de_actions.ACTIONS) == {spec.title for spec in actions.ACTIONS}
        assert set(de_people.DEPARTMENTS) == set(people.DEPARTMENTS)
        assert set(de_people.PERSONAS) == {p["name"] for p in people.PERSONAS}
        assert set(de_people.LOGIN_ROLES) == {username for username, _p, _r in people.DEMO_LOGINS}
        assert set(de_customers.REGIONS) == {region for region, *_rest in customers.REGIONS}

    def test_german_names_are_as_unique_as_the_english_ones_and_only_texts_differ(self):
        en, de = demo_data("en"), demo_data("de")
        for attribute in ("surveys", "actions"):
            assert len({spec.title for spec in getattr(de, attribute)}) == len(getattr(en, attribute))
        assert len(de.departments) == len(en.departments)

        def numbers(spec):
            return (spec.slug, spec.kind, spec.touchpoint, spec.count, spec.weights_then, spec.weights_now,
                    spec.without_customer, spec.changed_days_ago, spec.pool_language or spec.language)  # fmt: skip

        assert [numbers(s) for s in de.surveys] == [numbers(s) for s in en.surveys]
        assert {mood for spec in de.surveys for mood, pool in spec.comments.items() if pool} == {"neg", "neu", "pos"}
        assert [a._replace(title="", description="", department="") for a in de.actions] == [
            a._replace(title="", description="", department="") for a in en.actions
        ]
