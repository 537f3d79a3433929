"""The demo data in one language: ``demo_data("en")`` or ``demo_data("de")``.

English is the data modules as written. German is the same structure with the texts of ``demo.data.de`` laid
over it: every count, score profile, date offset, seed, channel and key still comes from the English modules,
so both languages load the same company with the same KPIs, and only what a person reads differs. The German
modules pair each text with its English partner (by touchpoint key, survey slug, or the English text itself);
a text without a partner is an error here, not an English word in the German demo.
"""

from dataclasses import dataclass, replace
from functools import cache
from typing import Any

LANGUAGES = ("en", "de")


@dataclass(frozen=True)
class DemoData:
    """Everything the loaders read, in one language (the attributes mirror the constants of ``demo.data``)."""

    language: str
    # people
    company: str
    mail_domain: str
    demo_logins: list[tuple[str, str, str]]
    people: list
    departments: dict[str, tuple[str, list[str], str]]
    personas: list[dict[str, Any]]
    head_of_production: str
    company_name: str
    accent_color: str
    # journeys
    maps: dict[str, tuple]
    touchpoint_types: dict[str, tuple[bool, bool, bool]]
    pain_points: list[tuple]
    opportunities: list[tuple]
    notes: dict[str, list[tuple[str, str]]]
    lane_names: dict[str, str]  # lane kind: name; empty: the product's default names
    blueprint_map: str
    blueprint_goal: str
    blueprint_scope: str
    blueprint: list[tuple]
    blueprint_types: list[tuple[bool, bool, bool]]
    # customers
    customer_count: int
    segments: list[tuple]
    regions: list[tuple]
    german_surnames: list[str]
    trades: dict[str, tuple]
    first_names: dict[str, list[str]]
    # surveys
    surveys: list
    public_titles: dict[str, dict[str, str]]
    reason_text: dict[str, str]
    mood_limits: dict[str, tuple[int, int]]
    comment_rate: dict[str, float]
    # actions
    actions: list
    follow_up_owners: dict[str, str]
    milestone_title: str

    @property
    def marker_map(self) -> str:
        """The name of the first demo map: whether it exists tells which language a database's demo is in."""
        return next(iter(self.maps))


@cache
def demo_data(language: str = "en") -> DemoData:
    if language not in LANGUAGES:
        raise ValueError(f"The demo speaks {', '.join(LANGUAGES)}, not {language!r}.")
    english = _english()
    return english if language == "en" else _german(english)


def _english() -> DemoData:
    from demo.data import actions, customers, journeys, people, scores, surveys

    return DemoData(
        language="en",
        company=people.COMPANY,
        mail_domain=people.MAIL_DOMAIN,
        demo_logins=people.DEMO_LOGINS,
        people=people.PEOPLE,
        departments=people.DEPARTMENTS,
        personas=people.PERSONAS,
        head_of_production=people.HEAD_OF_PRODUCTION,
        company_name=surveys.COMPANY_NAME,
        accent_color=surveys.ACCENT_COLOR,
        maps=journeys.MAPS,
        touchpoint_types=journeys.TOUCHPOINT_TYPES,
        pain_points=journeys.PAIN_POINTS,
        opportunities=journeys.OPPORTUNITIES,
        notes=journeys.NOTES,
        lane_names={},
        blueprint_map=journeys.BLUEPRINT_MAP,
        blueprint_goal=journeys.BLUEPRINT_GOAL,
        blueprint_scope=journeys.BLUEPRINT_SCOPE,
        blueprint=journeys.BLUEPRINT,
        blueprint_types=journeys.BLUEPRINT_TYPES,
        customer_count=customers.CUSTOMER_COUNT,
        segments=customers.SEGMENTS,
        regions=customers.REGIONS,
        german_surnames=customers.GERMAN_SURNAMES,
        trades=customers.TRADES,
        first_names=customers.FIRST_NAMES,
        surveys=surveys.SURVEYS,
        public_titles=surveys.PUBLIC_TITLES,
        reason_text=scores.REASON_TEXT,
        mood_limits=scores.MOOD_LIMITS,
        comment_rate=scores.COMMENT_RATE,
        actions=actions.ACTIONS,
        follow_up_owners=actions.FOLLOW_UP_OWNERS,
        milestone_title=actions.MILESTONE_TITLE,
    )


def _de(table: dict, key):
    """The German partner of an English key or text; a missing one names itself."""
    try:
        return table[key]
    except KeyError:
        raise KeyError(f"demo.data.de has no German text for {key!r}") from None


def _german(en: DemoData) -> DemoData:  # noqa: C901 -- one overlay per kind of record, in the order of DemoData
    from demo.data.de import actions, customers, journeys, people, surveys

    persona = {spec["name"]: _de(people.PERSONAS, spec["name"])["name"] for spec in en.personas}
    department = {name: _de(people.DEPARTMENTS, name) for name in en.departments}

    maps = {}
    for name, (persona_name, _goal, _scope, stages) in en.maps.items():
        texts = _de(journeys.MAPS, name)
        de_stages = []
        for stage, _description, touchpoints in stages:
            de_stage, description = _de(texts["stages"], stage)
            de_touchpoints = [tp._replace(**_de(texts["touchpoints"], tp.key)) for tp in touchpoints]
            de_stages.append((de_stage, description, de_touchpoints))
        maps[texts["name"]] = (persona[persona_name], texts["goal"], texts["scope"], de_stages)
    stage_names = {stage: names[0] for texts in journeys.MAPS.values() for stage, names in texts["stages"].items()}

    pain_points = []
    for key, title, severity, *_texts in en.pain_points:
        de_title, description, evidence, source = _de(journeys.PAIN_POINTS, title)
        pain_points.append((key, de_title, severity, description, evidence, source))
    opportunities = []
    for key, title, impact, effort, _description in en.opportunities:
        de_title, description = _de(journeys.OPPORTUNITIES, title)
        opportunities.append((key, de_title, impact, effort, description))
    notes = {
        _de(journeys.MAPS, name)["name"]: [(stage_names[stage], _de(journeys.NOTES, text)) for stage, text in items]
        for name, items in en.notes.items()
    }
    blueprint = []
    for stage, (_name, channel, emotion, _action), *_lanes in en.blueprint:
        de_stage, name, action, front, back, support = _de(journeys.BLUEPRINT, stage)
        blueprint.append((de_stage, (name, channel, emotion, action), front, back, support))

    de_surveys = []
    for spec in en.surveys:
        texts = _de(surveys.SURVEYS, spec.slug)
        if bool(texts.get("question")) != bool(spec.question) or bool(texts.get("reason")) != bool(spec.reason):
            raise ValueError(f"demo.data.de.surveys[{spec.slug!r}] asks other questions than the English survey")
        de_surveys.append(
            spec._replace(
                title=texts["title"],
                question=texts.get("question", ""),
                reason=texts.get("reason", ""),
                comments=texts["comments"],
                persona=persona[spec.persona],
                language="de",
                pool_language=spec.pool_language or spec.language,
            )
        )

    de_actions = []
    for spec in en.actions:
        title, description = _de(actions.ACTIONS, spec.title)
        de_actions.append(spec._replace(title=title, description=description, department=department[spec.department]))

    return replace(
        en,
        language="de",
        demo_logins=[
            (username, password, _de(people.LOGIN_ROLES, username)) for username, password, _ in en.demo_logins
        ],
        departments={department[name]: spec for name, spec in en.departments.items()},
        personas=[{**spec, **_de(people.PERSONAS, spec["name"])} for spec in en.personas],
        head_of_production=persona[en.head_of_production],
        maps=maps,
        pain_points=pain_points,
        opportunities=opportunities,
        notes=notes,
        lane_names=journeys.LANE_NAMES,
        blueprint_map=journeys.BLUEPRINT_MAP,
        blueprint_goal=journeys.BLUEPRINT_GOAL,
        blueprint_scope=journeys.BLUEPRINT_SCOPE,
        blueprint=blueprint,
        segments=[(segment, persona.get(name), weight) for segment, name, weight in en.segments],
        regions=[(_de(customers.REGIONS, region), *rest) for region, *rest in en.regions],
        surveys=de_surveys,
        actions=de_actions,
        follow_up_owners={key: department[name] for key, name in en.follow_up_owners.items()},
        milestone_title=actions.MILESTONE_TITLE,
    )
