"""Analysis of feedback items in batches: language, sentiment and topics, all offline (``voice.analysis``).

``items_analyse`` analyses the pending items (or every item with ``everything=True``) with the stored topic
model; ``topics_rebuild`` discovers topics from every text, stores them (a topic keeps its key and row when
new texts arrive) and assigns topics again. Both report progress on an ``AnalysisRun``.

Sentiment is the lexicon's judgement per item (negation, intensifiers, German compounds): it does not
depend on the other items, so analysing items one batch at a time gives the same result as a full run.
"""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from voice.analysis import PinnedTopic, TopicModel, TopicSteering, analyse, detect_language
from voice.analysis import Topic as ModelTopic
from voice.models import AnalysisRun, FeedbackItem, Topic

BATCH_SIZE = 500
Progress = Callable[[int, int], None]


def topic_model_load() -> tuple[TopicModel, dict[str, int]]:
    """The offline topic model from the stored topics and their steering; and ``key → topic id``."""
    rows = list(Topic.objects.select_related("merged_into"))
    discovered = [
        ModelTopic(key=t.key, language=t.language, label=t.label, terms=frozenset(t.terms), count=t.count)
        for t in rows
        if not t.pinned
    ]
    steering = TopicSteering(
        pinned={
            t.key: PinnedTopic(label=t.display_label, keywords=tuple(t.keywords), language=t.language or None)
            for t in rows
            if t.pinned and t.keywords
        },
        merged={t.key: t.merged_into.key for t in rows if t.merged_into_id},
        renamed={t.key: t.custom_label for t in rows if t.custom_label},
        hidden=frozenset(t.key for t in rows if t.hidden),
    )
    return TopicModel(discovered, steering), {t.key: t.pk for t in rows}


def _language(item: FeedbackItem) -> str:
    if item.language_given and item.language:
        return item.language
    return detect_language(item.text, default=item.language or "de")


def _analyse_batch(items: list[FeedbackItem], model: TopicModel, topic_ids: dict[str, int]) -> None:
    now = timezone.now()
    links = []
    for item in items:
        item.language = _language(item)
        sentiment = analyse(item.text, item.language)
        item.sentiment, item.sentiment_score = sentiment.label, round(sentiment.score, 4)
        item.analysed_at = now
        for key in model.assign(item.text, item.language):
            if key in topic_ids:
                links.append(FeedbackItem.topics.through(feedbackitem_id=item.pk, topic_id=topic_ids[key]))
    with transaction.atomic():
        FeedbackItem.topics.through.objects.filter(feedbackitem_id__in=[i.pk for i in items]).delete()
        FeedbackItem.topics.through.objects.bulk_create(links, ignore_conflicts=True)
        FeedbackItem.objects.bulk_update(items, ["language", "sentiment", "sentiment_score", "analysed_at"])


def items_analyse(*, everything: bool = False, ids=None, progress: Progress | None = None) -> int:
    """Analyse pending items (``everything``: all of them; ``ids``: only these, pending or not) in batches of
    500; returns how many were analysed."""
    model, topic_ids = topic_model_load()
    items = FeedbackItem.objects.all()
    if ids is not None:
        items = items.filter(pk__in=list(ids))
    elif not everything:
        items = items.filter(analysed_at__isnull=True)
    pks = list(items.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(pks), BATCH_SIZE):
        batch = list(FeedbackItem.objects.filter(pk__in=pks[start : start + BATCH_SIZE]).order_by("pk"))
        _analyse_batch(batch, model, topic_ids)
        done += len(batch)
        if progress:
            progress(done, len(pks))
    return done


def topics_rebuild(*, progress: Progress | None = None) -> dict:
    """Discover topics from every analysed text, store them (keys kept) and assign every item again."""
    model, _ids = topic_model_load()
    rows = list(FeedbackItem.objects.order_by("pk").values_list("text", "language", "language_given"))
    texts = [text for text, _lang, _given in rows]
    languages = [lang if lang in ("de", "en") else detect_language(text) for text, lang, _given in rows]
    visible = model.rebuild(texts, languages) if texts else []
    known = {t.key: t for t in Topic.objects.all()}
    created = 0
    for key, topic in model.topics.items():
        if topic.pinned:
            continue
        row = known.get(key)
        if row is None:
            Topic.objects.create(
                key=key, language=topic.language, label=topic.label[:200], terms=sorted(topic.terms), count=topic.count
            )
            created += 1
        else:
            row.label, row.terms, row.count = topic.label[:200], sorted(topic.terms), topic.count
            row.save(update_fields=["label", "terms", "count", "updated_at"])
    counts = {t.key: t.count for t in visible}
    for row in Topic.objects.filter(pinned=True):
        row.count = counts.get(row.key, 0)
        row.save(update_fields=["count", "updated_at"])
    analysed = items_analyse(everything=True, progress=progress)
    return {"topics": len(visible), "new_topics": created, "items": analysed}


def run_start(kind: str) -> AnalysisRun:
    return AnalysisRun.objects.create(kind=kind, status=AnalysisRun.Status.PENDING)


def run_progress(run: AnalysisRun) -> Progress:
    def report(done: int, total: int) -> None:
        AnalysisRun.objects.filter(pk=run.pk).update(status=AnalysisRun.Status.RUNNING, done=done, total=total)

    return report
