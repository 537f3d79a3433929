"""Voice: the demo's survey comments become feedback items, a few hundred support tickets and reviews join
them (in the demo's language, a few in the other one), and the topics are discovered — all offline."""

import random
from datetime import timedelta

from demo.data.voice import REVIEWS, RISING, TICKETS
from journeys.models import Channel, Touchpoint
from voice.models import FeedbackItem
from voice.services import analysis
from voice.services.items import feedback_upsert, survey_comments_ingest

ITEMS = 300


def load_feedback(seed, now, counts, *, language: str) -> None:
    rng = random.Random(f"{seed}:voice")  # noqa: S311 -- demo data, not secrets
    other = "en" if language == "de" else "de"
    touchpoints = {
        "ticket": list(
            Touchpoint.objects.filter(channel__in=[Channel.SUPPORT, Channel.PHONE])
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
        "review": list(
            Touchpoint.objects.filter(channel__in=[Channel.REVIEW_PORTAL, Channel.WEBSITE])
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
    }
    rows = []
    for i in range(ITEMS):
        source = "ticket" if i % 3 else "review"
        lang = other if i % 10 == 0 else language
        texts = (TICKETS if source == "ticket" else REVIEWS)[lang]
        days_ago = rng.randint(1, 364)
        index = rng.randrange(len(texts))
        if source == "ticket" and days_ago <= 60 and rng.random() < 0.5:
            index = rng.choice(RISING[lang])  # delivery complaints rise in the last two months
        places = touchpoints[source]
        rows.append(
            {
                "external_id": f"demo-fb-{source}-{i}",
                "text": texts[index],
                "language": lang,
                "source": source,
                "channel": Channel.SUPPORT if source == "ticket" else Channel.REVIEW_PORTAL,
                "touchpoint": places[rng.randrange(len(places))] if places else None,
                "occurred_at": (now - timedelta(days=days_ago, hours=-13)).isoformat(),
            }
        )
    existing = set(
        FeedbackItem.objects.filter(external_id__startswith="demo-fb-").values_list("external_id", flat=True)
    )
    rows = [row for row in rows if row["external_id"] not in existing]
    created = survey_comments_ingest()
    if rows:
        created += feedback_upsert(rows=rows).created
    counts["feedback_items"] += created
    if created:
        analysis.topics_rebuild()
