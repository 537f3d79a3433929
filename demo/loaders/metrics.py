"""The metrics inputs: website visits and conversions per day, and monthly revenue per active customer."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from demo.loaders.common import local_afternoon
from journeys.models import Channel, Customer, Touchpoint
from metrics.models import TouchpointEvent, Transaction


def load_events_and_revenue(seed, now, counts) -> None:
    """A year of visits and conversions on the website touchpoints, and monthly revenue per active customer.

    External ids are derived from the touchpoint and local day (events) or customer and month (revenue), so
    a second run on the same day adds nothing.
    """
    rng = random.Random(f"{seed}:events")  # noqa: S311 -- demo data, not secrets
    today = timezone.localdate(now)
    existing = set(
        TouchpointEvent.objects.filter(external_id__startswith="demo-ev-").values_list("external_id", flat=True)
    )
    events = []
    for touchpoint in Touchpoint.objects.filter(channel=Channel.WEBSITE).order_by("pk"):
        rate = rng.uniform(0.05, 0.3)
        for days_ago in range(365, 0, -1):
            day = today - timedelta(days=days_ago)
            visits = rng.randint(2, 8)
            conversions = sum(rng.random() < rate for _ in range(visits))
            for i in range(visits + conversions):
                # Draw before the existence check, so a second run sees the same random sequence.
                hours = rng.randint(-8, 5)
                external_id = f"demo-ev-{touchpoint.pk}-{day:%Y%m%d}-{i}"
                if external_id in existing:
                    continue
                events.append(
                    TouchpointEvent(
                        external_id=external_id,
                        touchpoint=touchpoint,
                        kind=TouchpointEvent.Kind.VISIT if i < visits else TouchpointEvent.Kind.CONVERSION,
                        occurred_at=local_afternoon(day) + timedelta(hours=hours),
                    )
                )
    TouchpointEvent.objects.bulk_create(events, batch_size=1000)
    counts["events"] += len(events)

    existing = set(Transaction.objects.filter(external_id__startswith="demo-tx-").values_list("external_id", flat=True))
    first_month = (today - timedelta(days=365)).replace(day=1)
    transactions = []
    customers = Customer.objects.filter(external_id__startswith="CUST-", acquired_at__isnull=False).order_by("pk")
    for customer in customers.only("pk", "external_id", "acquired_at", "churned_at"):
        monthly = rng.randint(40, 400)
        month = first_month
        while month <= today:
            when = local_afternoon(month) + timedelta(days=rng.randint(0, 20), hours=-6)
            factor = Decimal(rng.uniform(0.7, 1.3)).quantize(Decimal("0.01"))
            active = customer.acquired_at <= when and (customer.churned_at is None or when < customer.churned_at)
            external_id = f"demo-tx-{customer.external_id}-{month:%Y%m}"
            if active and when < now and external_id not in existing:
                amount = Decimal(monthly) * factor
                transactions.append(
                    Transaction(
                        external_id=external_id,
                        customer=customer,
                        amount=amount.quantize(Decimal("0.01")),
                        occurred_at=when,
                    )
                )
            month = (month + timedelta(days=32)).replace(day=1)
    Transaction.objects.bulk_create(transactions, batch_size=1000)
    counts["transactions"] += len(transactions)
