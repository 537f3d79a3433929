"""Pages say whether a change is significant or within noise, and mark periods that have not ended."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from metrics.periods import partial_label, period_label, site_today
from metrics.services import snapshots_recompute
from tests.journeys.factories import CustomerFactory, TouchpointFactory
from tests.metrics.factories import add_answers, nps_question_at

BERLIN = ZoneInfo("Europe/Berlin")
OVERVIEW = "/dashboards/"
MAY = {"date_from": "2026-05-01", "date_to": "2026-05-31", "bucket": "month"}


def card(content: str, kpi: str) -> str:
    return re.search(rf'<section class="card kpi-card h-100" id="card-{kpi}".*?</section>', content, re.S).group(0)


def test_a_rise_on_few_answers_is_within_noise_with_its_p_value(client, manager, april_and_may):
    client.force_login(manager)

    nps = card(client.get(OVERVIEW, MAY).content.decode(), "nps")

    # 40.0 (n 10) → 66.7 (n 12): z = 0.2667 / √(0.64/10 + 0.3889/12) = 0.859, p = 0.390.
    assert "+26.7 against the previous period: <strong>within noise</strong>" in nps
    assert "p = 0.390" in nps and 'data-significance="noise"' in nps
    assert "▲" not in nps


def test_a_significant_drop_says_worse_and_significant(client, manager, db):
    question = nps_question_at(TouchpointFactory())
    add_answers(question, [10] * 9 + [0], date(2026, 4, 15))  # 80.0
    add_answers(question, [10] * 5 + [0] * 5, date(2026, 5, 10))  # 0.0
    snapshots_recompute()
    client.force_login(manager)

    nps = card(client.get(OVERVIEW, MAY).content.decode(), "nps")

    assert 'data-significance="significant"' in nps
    assert "<strong>worse</strong>, <strong>significant</strong> (p = 0.030)" in nps


def test_german_cards_say_im_rauschen_and_bis_heute(client, manager, april_and_may):
    client.force_login(manager)

    content = client.get(OVERVIEW, MAY, HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "im Rauschen" in card(content, "nps")
    default = client.get(OVERVIEW, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "bis heute" in card(default, "nps") and "unvollständig" in card(default, "nps")


def _customer(acquired: date, churned: date | None = None):
    def at(day):
        return datetime.combine(day, time(12), tzinfo=BERLIN)

    return CustomerFactory(acquired_at=at(acquired), churned_at=at(churned) if churned else None)


def test_churn_of_the_running_month_is_not_shown_as_final(client, manager, db):
    today = site_today()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    for _ in range(8):
        _customer(date(2025, 1, 10))
    _customer(date(2025, 1, 10), last_month + timedelta(days=3))
    _customer(date(2025, 1, 10), last_month + timedelta(days=5))
    _customer(date(2025, 1, 10), this_month)  # 1 of 9 in the running month: 11.1 % so far
    snapshots_recompute()
    client.force_login(manager)

    content = client.get(
        OVERVIEW, {"date_from": last_month.isoformat(), "date_to": today.isoformat(), "bucket": "month"}
    ).content.decode()

    churn = card(content, "churn_rate")
    # The card's value is last month's (2 of 11 churned), the running month beside it without a value.
    assert period_label(last_month, "month") in churn
    assert '<span class="kpi-value">18.2</span>' in churn
    assert partial_label(this_month, "month", today=today) in churn
    assert "no final value until the period ends" in churn
    assert "11.1" not in churn


def test_overview_defaults_to_last_finished_month_with_the_running_one_beside(client, manager, db):
    question = nps_question_at(TouchpointFactory())
    today = site_today()
    add_answers(question, [10] * 30, today)
    snapshots_recompute()
    client.force_login(manager)

    nps = card(client.get(OVERVIEW).content.decode(), "nps")

    running = re.search(r'class="small mb-1 text-muted kpi-running".*?</p>', nps, re.S).group(0)
    assert partial_label(today.replace(day=1), "month", today=today) in running
    assert "100.0" in running and "not final" in running


def test_trends_table_marks_the_running_bucket_and_says_significance(client, manager, april_and_may):
    client.force_login(manager)

    content = client.get(
        "/dashboards/trends/", {"kpi": "nps", "from": "2026-04-01", "to": "2026-05-31", "bucket": "month"}
    ).content.decode()

    table = re.search(r'<section class="mb-4" id="trend-nps".*?</section>', content, re.S).group(0)
    assert "within noise" in table and "p = 0.390" in table
