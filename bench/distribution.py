"""Distribution benchmark: invitations sent per second, as a ratio to plain smtplib, in the same run.

Both sides send the same rendered messages to the same local SMTP sink (aiosmtpd on 127.0.0.1):

- reference: ``smtplib.SMTP.sendmail`` in a loop over one connection — the floor of what sending costs;
- product: ``surveys.services.distribution.invitations_send`` in chunks of ``CHUNK_SIZE``, as one worker process
  runs it (per chunk: claim with one conditional UPDATE, load, the survey's message rendered once; per
  invitation: the message filled in ahead by a thread, sent, marked sent — the mark commits while the next
  envelope goes out, and the next message waits for it: at most one duplicate per crash).

Rounds alternate between the two (``--rounds``, default 3; the invitations are reset to pending between
rounds) and the medians are compared. The ratio product/reference says how much of the mail server's speed
our bookkeeping leaves; goal P4 (bench/goals.py) is ≥ 0.7. The database is a throw-away SQLite file (or
BENCH_DATABASE_URL, which it fills).

    .venv/bin/python bench/distribution.py [--invitations 1000] [--rounds 3]
"""

import argparse
import os
import smtplib
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invitations", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--sink",
        choices=["process", "thread"],
        default="thread",
        help="the SMTP sink in a thread of this process (default, as measured since 23 Nov) or a process of its own",
    )
    args = parser.parse_args()

    from bench.smtp_sink_process import SinkProcess
    from tests.integration.smtp_sink import SmtpSink

    sink_cm = SinkProcess() if args.sink == "process" else SmtpSink()
    with tempfile.TemporaryDirectory(prefix="cxportal-bench-") as var_dir, sink_cm as sink:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="cxportal.settings",
            DEBUG="false",
            SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",  # noqa: S106 - throw-away
            CXPORTAL_VAR_DIR=var_dir,
            EMAIL_URL=sink.url,
            CELERY_TASK_ALWAYS_EAGER="true",
            LOG_LEVEL="WARNING",
        )
        # Never the configured database: the benchmark creates customers and campaigns.
        os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{var_dir}/bench.sqlite3")
        import django

        django.setup()
        run(n=args.invitations, sink=sink, rounds=args.rounds, sink_kind=args.sink)


def run(*, n: int, sink, rounds: int = 3, sink_kind: str = "thread") -> None:
    from unittest import mock

    from django.conf import settings
    from django.core.management import call_command

    from journeys.models import Customer
    from surveys.models import Invitation
    from surveys.services import distribution, survey_create_nps

    call_command("migrate", verbosity=0, interactive=False)
    survey = survey_create_nps(title="Benchmark NPS", touchpoint=None, language="en")
    Customer.objects.bulk_create(
        Customer(external_id=f"B-{i:06d}", email=f"b{i:06d}@example.com", name=f"Bench {i}") for i in range(n)
    )
    with mock.patch.object(distribution, "_kick_dispatch"), mock.patch.object(distribution, "_queue_chunk"):
        distribution.campaign_schedule(survey=survey, name="Benchmark")
        distribution.campaigns_dispatch_due()
    invitations = list(Invitation.objects.select_related("campaign__survey", "customer").order_by("id"))
    if len(invitations) != n:
        sys.exit(f"setup failed: {len(invitations)} invitations for {n} customers")

    # The same messages, rendered up front so the reference measures sending only.
    messages = [distribution.invitation_message(invitation=i) for i in invitations]
    # CRLF line ends, as Django's SMTP backend sends them (smtplib leaves bytes as they are, and a server
    # reads a message with bare LFs as one line: past 1,000 bytes it refuses it as "line too long").
    payloads = [
        (m.from_email or settings.DEFAULT_FROM_EMAIL, m.recipients(), m.message().as_bytes(linesep="\r\n"))
        for m in messages
    ]
    ids = [i.pk for i in invitations]
    fresh = {"status": Invitation.Status.PENDING, "claimed_at": None, "sent_at": None, "last_sent_at": None}
    references, products = [], []
    for _round in range(rounds):
        # Alternating rounds; the medians are compared (one run of each moved 0.45-0.75 on the shared machine).
        sink.handler.clear()
        start = time.perf_counter()
        with smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT) as smtp:
            for sender, recipients, payload in payloads:
                smtp.sendmail(sender, recipients, payload)
        references.append(time.perf_counter() - start)
        if sink.handler.recipient_count() != n:
            sys.exit(f"reference run lost messages: the sink got {sink.handler.recipient_count()} of {n}")
        sink.handler.clear()
        # The same invitations again, as first invitations (not reminders).
        Invitation.objects.filter(pk__in=ids).update(**fresh, reminders_sent=0, attempts=0)
        start = time.perf_counter()
        for i in range(0, n, distribution.CHUNK_SIZE):
            distribution.invitations_send(invitation_ids=ids[i : i + distribution.CHUNK_SIZE])
        products.append(time.perf_counter() - start)
        sent = Invitation.objects.filter(status=Invitation.Status.SENT, reminders_sent=0).count()
        if not sent == n == sink.handler.recipient_count():
            sys.exit(
                f"product run incomplete: {sent} marked sent, the sink got {sink.handler.recipient_count()} of {n}"
            )
    reference, product = statistics.median(references), statistics.median(products)

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"distribution: {n} invitations to a local SMTP sink ({sink_kind}; {engine} database, "
        f"chunks of {distribution.CHUNK_SIZE})"
    )
    print(f"  plain smtplib, one connection : {n / reference:9.1f} messages/s")
    print(f"  invitations_send (one worker) : {n / product:9.1f} invitations/s")
    print(f"  ratio invitations_send/smtplib: {reference / product:9.3f}  (medians of {rounds} alternating rounds)")
    from bench import common

    common.record(
        "distribution",
        {
            "invitations": n,
            "database": engine,
            "reference_per_s": round(n / reference, 1),
            "product_per_s": round(n / product, 1),
            "ratio": round(reference / product, 3),
            "rounds": rounds,
            "sink": sink_kind,
            "round_ratios": [round(r / p, 3) for r, p in zip(references, products, strict=True)],
            # Sent but not yet marked sent at any moment: what one worker crash can send twice.
            "duplicates_per_crash": distribution.MARK_SENT_EVERY,
        },
    )


if __name__ == "__main__":
    main()
