"""Three years of customers in two languages, some churned, a few unsubscribed (bulk-inserted)."""

import random
from datetime import timedelta

from demo.loaders.common import ascii_slug
from journeys.models import Customer


def _pick(rng: random.Random, items):
    """One item for exactly one draw of ``rng`` (``rng.choice`` draws a number that depends on the length)."""
    return items[int(rng.random() * len(items))]


def load_customers(data, personas, seed, now, counts) -> None:
    rng = random.Random(f"{seed}:customers")  # noqa: S311 -- demo data, not secrets
    existing = set(Customer.objects.filter(external_id__startswith="CUST-").values_list("external_id", flat=True))
    used_names: set[str] = set()
    rows = []
    for n in range(1, data.customer_count + 1):
        segment, persona, _ = rng.choices(data.segments, weights=[s[2] for s in data.segments])[0]
        region, _, german_share, legal_forms, surnames = rng.choices(
            data.regions, weights=[r[1] for r in data.regions]
        )[0]
        language = "de" if rng.random() < german_share else "en"
        german = surnames is None
        trades = data.trades[segment][0 if german else 1]
        # A fixed number of draws per customer, whatever the language's word lists hold, so that the English and
        # the German demo draw the same dates and scores (rng.choice's draws depend on the list's length).
        candidates = [
            (f"{_pick(rng, surnames or data.german_surnames)} {_pick(rng, trades)}", _pick(rng, legal_forms))
            for _attempt in range(10)
        ]
        stem, form = next(((s, f) for s, f in candidates if f"{s} {f}" not in used_names), candidates[-1])
        name = f"{stem} {form}"
        used_names.add(name)
        contact_first = _pick(rng, data.first_names["de" if german else "en"])
        contact_last = _pick(rng, surnames or data.german_surnames)
        acquired_at = now - timedelta(days=rng.uniform(7, 3 * 365))
        churned_at = unsubscribed_at = None
        if rng.random() < 0.10:
            churned_at = acquired_at + (now - acquired_at) * rng.uniform(0.2, 1.0)
        if rng.random() < 0.03:
            unsubscribed_at = acquired_at + (now - acquired_at) * rng.uniform(0.1, 1.0)
        do_not_contact = rng.random() < 0.02
        external_id = f"CUST-{n:04d}"
        if external_id in existing:
            continue
        rows.append(
            Customer(
                external_id=external_id,
                name=name,
                contact_name=f"{contact_first} {contact_last}",
                email=f"{ascii_slug(contact_first)}.{ascii_slug(contact_last)}@{ascii_slug(stem)}.example",
                language=language,
                persona=personas[persona] if persona else None,
                attributes={"segment": segment, "region": region},
                acquired_at=acquired_at,
                churned_at=churned_at,
                unsubscribed_at=unsubscribed_at,
                do_not_contact=do_not_contact,
            )
        )
    Customer.objects.bulk_create(rows, batch_size=500)
    counts["customers"] += len(rows)
