"""The benchmark data set in PostgreSQL: answers, customers, invitations, revenue and touchpoint events.

A fresh database gets the schema by ``migrate``; the few structural rows (personas, three journey maps
with stages and touchpoints on several channels, twelve surveys with two scored questions each,
campaigns, a CX manager to log in with) are made with the ORM, and the bulk with ``INSERT … SELECT …
generate_series`` inside PostgreSQL, so nothing goes row by row through Python. The default size:

    1,000,000 answers  (NPS, CSAT, CES) in 500,000 responses over the last 365 days, to 12 surveys
                       at 10 touchpoints of 3 maps; a fifth of the responses answer an e-mail invitation
      100,000 customers over 6 personas (and none), acquired over 3 years, 20 % churned since
      200,000 invitations sent, 300,000 transactions, 300,000 touchpoint events (visits, conversions)

A marker table (``bench_dataset``) records the generator version, the sizes and the migrations; a
database whose marker matches is reused as it is, so only the first run pays for the generation.

    .venv/bin/python bench/dataset.py [--answers 1000000] [--customers 100000] [--database URL] [--force]
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

GENERATOR_VERSION = "4"  # 4: responses and answers stored in submission order
SURVEYS = 12
# The two scored questions of each survey, by survey number modulo 3.
QUESTION_PAIRS = [("nps", "csat"), ("csat", "ces"), ("nps", "ces")]


def _fingerprint() -> str:
    """The migrations the schema was made with: a new migration means a new data set."""
    names = sorted(
        f"{p.parent.parent.name}/{p.name}" for p in common.BASE_DIR.glob("*/migrations/0*.py") if ".venv" not in p.parts
    )
    return ",".join(names)


def marker(url: str) -> dict | None:
    """The stored marker of ``url``'s data set, or None (no database, no marker)."""
    try:
        with common.connect(url, connect_timeout=5) as conn:
            row = conn.execute("SELECT version, answers, customers, migrations FROM bench_dataset").fetchone()
    except Exception:  # noqa: BLE001 - a missing database or table just means "generate"
        return None
    return dict(zip(["version", "answers", "customers", "migrations"], row, strict=True)) if row else None


def ensure(url: str, *, answers: int, customers: int, force: bool = False) -> dict:
    """Make sure ``url`` holds the data set of this size; returns {"reused": bool, "seconds": float}."""
    wanted = {"version": GENERATOR_VERSION, "answers": answers, "customers": customers, "migrations": _fingerprint()}
    if not force and marker(url) == wanted:
        return {"reused": True, "seconds": 0.0}
    start = time.perf_counter()
    cmd = [common.PYTHON, __file__, "--build", "--database", url, "--answers", str(answers)]
    subprocess.run([*cmd, "--customers", str(customers)], check=True)  # noqa: S603 - our own script
    return {"reused": False, "seconds": time.perf_counter() - start}


def build(url: str, *, answers: int, customers: int) -> None:
    common.recreate_database(url)
    common.setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    t1 = time.perf_counter()
    ids = _structure()
    responses = answers // 2
    # A customer gets at most one invitation per campaign (one campaign per survey): at 10 M answers and
    # 100,000 customers that caps the invitations at 1.2 M; the other responses come by public link.
    invitations = min(max(responses * 2 // 5, SURVEYS), SURVEYS * customers)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        _bulk(cursor, ids, customers=customers, responses=responses, invitations=invitations)
        cursor.execute("SELECT count(*) FROM surveys_answer")
        stored = cursor.fetchone()[0]
        cursor.execute(
            "CREATE TABLE bench_dataset (version text, answers bigint, customers bigint, migrations text, "
            "created_at timestamptz DEFAULT now())"
        )
        cursor.execute(
            "INSERT INTO bench_dataset (version, answers, customers, migrations) VALUES (%s, %s, %s, %s)",
            [GENERATOR_VERSION, answers, customers, _fingerprint()],
        )
    connection.close()
    with common.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    t2 = time.perf_counter()
    print(
        f"dataset {common.database_name(url)}: {stored:,} answers, {customers:,} customers "
        f"(migrate {t1 - t0:.1f} s, data {t2 - t1:.1f} s)"
    )


def _structure() -> dict:
    """Personas, maps, stages, touchpoints, surveys, questions, campaigns and the bench user (ORM)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from journeys.models import Channel, JourneyMap, Persona, Stage, Touchpoint
    from surveys.models import Campaign, Question, Survey

    get_user_model().objects.create_superuser(common.BENCH_USER, "bench@example.com", common.BENCH_PASSWORD)
    personas = [Persona.objects.create(name=f"Persona {i + 1}") for i in range(6)]
    channels = list(Channel.values)
    touchpoints = []
    for m in range(3):
        journey_map = JourneyMap.objects.create(name=f"Bench journey {m + 1}")
        for s in range(5):
            stage = Stage.objects.create(journey_map=journey_map, name=f"Stage {s + 1}", position=s)
            for t in range(2):
                touchpoints.append(
                    Touchpoint.objects.create(
                        stage=stage,
                        name=f"Touchpoint {m + 1}.{s + 1}.{t + 1}",
                        channel=channels[len(touchpoints) % len(channels)],
                        emotion_score=(len(touchpoints) % 7) - 3,
                        position=t,
                    )
                )
    surveys, campaigns = [], []
    now = timezone.now()
    for i in range(SURVEYS):
        # One relationship survey without a touchpoint; the others measure every third touchpoint.
        touchpoint = None if i == 0 else touchpoints[(i * 3) % len(touchpoints)]
        survey = Survey.objects.create(title=f"Bench survey {i + 1}", touchpoint=touchpoint)
        for position, kind in enumerate(QUESTION_PAIRS[i % 3]):
            Question.objects.create(survey=survey, kind=kind, text=f"{kind} question", position=position)
        Question.objects.create(survey=survey, kind="long_text", text="Why?", required=False, position=2)
        surveys.append(survey)
        campaigns.append(
            Campaign.objects.create(
                survey=survey, name=f"Bench campaign {i + 1}", status=Campaign.Status.SENT, send_at=now
            )
        )
    return {
        "personas": [p.pk for p in personas],
        "touchpoints": [t.pk for t in touchpoints],
        "surveys": [s.pk for s in surveys],
        "campaigns": [c.pk for c in campaigns],
    }


def _array(values: list) -> str:
    return "ARRAY[" + ",".join("NULL" if v is None else str(int(v)) for v in values) + "]::bigint[]"


def _bulk(cursor, ids: dict, *, customers: int, responses: int, invitations: int) -> None:
    personas = _array([*ids["personas"], None])  # one customer in seven has no persona
    surveys, campaigns, touchpoints = _array(ids["surveys"]), _array(ids["campaigns"]), _array(ids["touchpoints"])
    cursor.execute(
        f"""
        INSERT INTO journeys_customer (external_id, email, name, contact_name, language, persona_id, attributes,
                                       acquired_at, churned_at, unsubscribed_at, do_not_contact, created_at,
                                       updated_at)
        SELECT 'C-' || g, 'c' || g || '@example.com', 'Customer ' || g, '',
               CASE WHEN g %% 5 = 0 THEN 'de' ELSE 'en' END,
               ({personas})[g %% 7 + 1], '{{}}'::jsonb, acquired,
               CASE WHEN random() < 0.2 THEN acquired + random() * (now() - acquired) END,
               NULL, false, acquired, acquired
        FROM (SELECT g, now() - random() * interval '1095 days' AS acquired
              FROM generate_series(1, %s) g) x
        """,  # noqa: S608 - integers only
        [customers],
    )
    cursor.execute("SELECT min(id) FROM journeys_customer")
    first_customer = cursor.fetchone()[0]
    cursor.execute(
        f"""
        INSERT INTO surveys_invitation (campaign_id, customer_id, token, status, queued_at, claimed_at, sent_at,
                                        last_sent_at, opened_at, reminders_sent, attempts, error, created_at)
        SELECT ({campaigns})[g %% {SURVEYS} + 1], %(first)s + (g / {SURVEYS}) %% %(customers)s,
               md5(g::text || random()::text) || substr(md5(random()::text), 1, 16),
               'sent', t, t, t, t, NULL, 0, 1, '', t
        FROM (SELECT g, now() - random() * interval '365 days' AS t FROM generate_series(0, %(n)s - 1) g) x
        """,  # noqa: S608 - integers only
        {"first": first_customer, "customers": customers, "n": invitations},
    )
    # Half the invitations are answered, a few hours after they were sent; the other responses come by public
    # link. Both go in in the order they were submitted, as a live store appends them: the rows of a day lie
    # together (the minutely recompute reads the day's rows; scattered over the whole table they would cost
    # what no live store pays).
    answered = min(invitations // 2, responses)
    cursor.execute(
        f"""
        INSERT INTO surveys_response (survey_id, customer_id, touchpoint_id, external_id, invitation_id, source,
                                      language, submitted_at, created_at)
        SELECT u.survey_id, u.customer_id, u.touchpoint_id, NULL, u.invitation_id, u.source, 'en', u.t, u.t
        FROM (
            SELECT c.survey_id, i.customer_id, s.touchpoint_id, i.id AS invitation_id, 'invitation' AS source, i.t
            FROM (SELECT i.*, least(i.sent_at + random() * interval '3 days', now()) AS t
                  FROM surveys_invitation i ORDER BY i.id LIMIT %(answered)s) i
            JOIN surveys_campaign c ON c.id = i.campaign_id JOIN surveys_survey s ON s.id = c.survey_id
            UNION ALL
            SELECT x.survey_id, x.customer_id, s.touchpoint_id, NULL, 'public_link', x.t
            FROM (SELECT ({surveys})[g %% {SURVEYS} + 1] AS survey_id,
                         CASE WHEN random() < 0.7 THEN %(first)s + floor(random() * %(customers)s)::bigint END
                             AS customer_id,
                         now() - random() * interval '365 days' AS t
                  FROM generate_series(1, %(n)s) g) x
            JOIN surveys_survey s ON s.id = x.survey_id
        ) u
        ORDER BY u.t
        """,  # noqa: S608 - integers only
        {"first": first_customer, "customers": customers, "n": responses - answered, "answered": answered},
    )
    cursor.execute(
        "UPDATE surveys_invitation SET status = 'responded' WHERE id IN "
        "(SELECT invitation_id FROM surveys_response WHERE invitation_id IS NOT NULL)"
    )
    # Every response answers its survey's two scored questions; each touchpoint leans its own way.
    cursor.execute(
        """
        INSERT INTO surveys_answer (response_id, question_id, value, text, choices)
        SELECT r.id, q.id,
               CASE q.kind
                 WHEN 'nps' THEN least(10, floor(random() * 6 + random() * 5 + (r.survey_id % 3) * 0.4))
                 WHEN 'csat' THEN 1 + least(4, floor(random() * 3 + random() * 2.4))
                 ELSE 1 + least(6, floor(random() * 4 + random() * 3.2))
               END,
               '', '[]'::jsonb
        FROM surveys_response r JOIN surveys_question q ON q.survey_id = r.survey_id
        WHERE q.kind IN ('nps', 'csat', 'ces')
        ORDER BY r.id, q.position
        """
    )
    cursor.execute(
        """
        INSERT INTO metrics_transaction (external_id, customer_id, amount, occurred_at, created_at)
        SELECT 'T-' || g, %(first)s + floor(random() * %(customers)s)::bigint,
               round((10 + random() * 490)::numeric, 2), t, t
        FROM (SELECT g, now() - random() * interval '730 days' AS t FROM generate_series(1, %(n)s) g) x
        """,
        {"first": first_customer, "customers": customers, "n": 3 * customers},
    )
    cursor.execute(
        f"""
        INSERT INTO metrics_touchpointevent (external_id, touchpoint_id, kind, customer_id, occurred_at, created_at)
        SELECT 'E-' || g, ({touchpoints})[g %% {len(ids["touchpoints"])} + 1],
               CASE WHEN random() < 0.15 THEN 'conversion' ELSE 'visit' END,
               CASE WHEN random() < 0.5 THEN %(first)s + floor(random() * %(customers)s)::bigint END, t, t
        FROM (SELECT g, now() - random() * interval '365 days' AS t FROM generate_series(1, %(n)s) g) x
        """,  # noqa: S608 - integers only
        {"first": first_customer, "customers": customers, "n": 3 * customers},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--database", default=None, help="default: BENCH_DATABASE_URL or " + common.DEFAULT_URL)
    parser.add_argument("--force", action="store_true", help="generate even when the marker matches")
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    common.require_postgres()
    url = args.database or common.database_url()
    if args.build:
        build(url, answers=args.answers, customers=args.customers)
        return
    info = ensure(url, answers=args.answers, customers=args.customers, force=args.force)
    how = "reused (marker matches)" if info["reused"] else f"generated in {info['seconds']:.1f} s"
    print(f"dataset {common.database_name(url)}: {args.answers:,} answers, {args.customers:,} customers, {how}")


if __name__ == "__main__":
    main()
