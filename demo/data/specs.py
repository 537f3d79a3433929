"""The shapes of the demo data: one named tuple per kind of record the data modules list."""

from typing import NamedTuple


class Person(NamedTuple):
    username: str
    first_name: str
    last_name: str
    group: str


class Tp(NamedTuple):
    key: str
    name: str
    channel: str
    customer_action: str
    thoughts: str
    emotion_score: int
    is_moment_of_truth: bool = False


class SurveySpec(NamedTuple):
    slug: str  # the middle of the responses' external ids: demo-<slug>-0001
    title: str
    kind: str
    touchpoint: str
    language: str
    persona: str
    count: int
    # Relative weights of each score (low to high) a year ago and today; interpolated in between.
    weights_then: tuple[int, ...]
    weights_now: tuple[int, ...]
    comments: dict[str, tuple[str, ...]]  # by mood: "neg", "neu", "pos"
    without_customer: float = 0.0  # share of respondents who are prospects, not customers
    # Days ago an action changed this touchpoint: the scores move from one profile to the other within a month
    # from then. Without it they drift over the whole year.
    changed_days_ago: int | None = None
    question: str = ""  # the CSAT/CES question (NPS surveys ask the standard one)
    reason: str = ""  # the optional text question after a CSAT/CES score; empty: REASON_TEXT
    # The language of the customers its respondents are drawn from; empty: the survey's language. The German
    # demo asks every survey in German but draws the same respondents as the English one, so its KPIs match.
    pool_language: str = ""


class ActionSpec(NamedTuple):
    title: str
    department: str
    owner: str
    touchpoint: str
    kpi: str
    priority: str
    start_days: int  # relative to today
    due_days: int
    status: str
    progress: int
    description: str
    done_days: int | None = None
