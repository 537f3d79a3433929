"""Voice of the customer: feedback items from every channel, their sentiment and their topics.

A ``FeedbackItem`` is one text a customer wrote: a survey's text answer (``answer`` set, created by
``voice.services.ingest``) or an item from another channel (ticket, review, …) that came through the bulk
API or the CSV import (upserted by ``external_id``). Analysis (``voice.services.analysis``) fills language,
sentiment and topics; ``analysed_at`` is None while an item waits for it.

A ``Topic`` is one discovered (or pinned) topic; its ``key`` is the stable key of the offline topic model
(``voice.analysis.topics``), so an item keeps its topic across rebuilds. Steering lives on the row: a
custom label (rename), ``merged_into`` (merge), ``hidden`` (noise), ``keywords`` (pinned topic).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from journeys.models import Channel, Customer, Language, Touchpoint


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


class Source(models.TextChoices):
    SURVEY = "survey", _("Survey")
    TICKET = "ticket", _("Support ticket")
    REVIEW = "review", _("Review")
    CALL = "call", _("Call note")
    SOCIAL = "social", _("Social post")
    CHAT = "chat", _("Chat")
    OTHER = "other", _("Other")


class Topic(models.Model):
    key = models.CharField(_("key"), max_length=80, unique=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, blank=True)
    label = models.CharField(_("label"), max_length=200, help_text=_("As discovered from the texts."))
    custom_label = models.CharField(_("custom label"), max_length=200, blank=True)
    terms = models.JSONField(_("terms"), default=list, blank=True)
    keywords = models.JSONField(
        _("keywords"), default=list, blank=True, help_text=_("A pinned topic matches texts with these keywords.")
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    hidden = models.BooleanField(_("hidden"), default=False, help_text=_("Noise: never assigned, never shown."))
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    count = models.PositiveIntegerField(_("texts at the last rebuild"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-count", "label"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return self.custom_label or self.label


class FeedbackItem(models.Model):
    external_id = models.CharField(_("external id"), max_length=100, null=True, blank=True, unique=True)
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, blank=True)
    language_given = models.BooleanField(_("language given"), default=False)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.OTHER)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    touchpoint = models.ForeignKey(
        Touchpoint,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_items",
        verbose_name=_("touchpoint"),
    )
    customer = models.ForeignKey(
        Customer,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback_items",
        verbose_name=_("customer"),
    )
    # A survey comment: the answer it copies. Deleting the answer deletes the item (and its analysis).
    answer = models.OneToOneField(
        "surveys.Answer",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback_item",
        verbose_name=_("answer"),
    )
    response = models.ForeignKey(
        "surveys.Response",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback_items",
        verbose_name=_("response"),
    )
    score = models.SmallIntegerField(
        _("score"), null=True, blank=True, help_text=_("The customer's own rating beside the comment, if any.")
    )
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now, db_index=True)
    sentiment = models.CharField(_("sentiment"), max_length=8, choices=Sentiment.choices, blank=True)
    sentiment_score = models.FloatField(_("sentiment score"), null=True, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="items", verbose_name=_("topics"))
    analysed_at = models.DateTimeField(_("analysed at"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        indexes = [models.Index(fields=["sentiment", "occurred_at"], name="voice_item_sentiment_when")]

    def __str__(self) -> str:
        return self.external_id or f"Feedback {self.pk}"


class AnalysisRun(models.Model):
    """One run of the worker (analysis or topic rebuild): its progress and what it did."""

    class Kind(models.TextChoices):
        ANALYSE = "analyse", _("Analysis")
        REBUILD = "rebuild", _("Topic rebuild")
        IMPORT = "import", _("Import")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("analysis run")

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class TopicPainPoint(models.Model):
    """A pain point put on a journey map from a Voice topic ("Create pain point"): the link the topic page lists.
    It lives here because voice sits above journeys (journeys may not point at voice)."""

    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="pain_point_links")
    pain_point = models.OneToOneField(
        "journeys.PainPoint", verbose_name=_("pain point"), on_delete=models.CASCADE, related_name="voice_topic_link"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pain point from a topic")

    def __str__(self) -> str:
        return f"{self.topic_id} → {self.pain_point_id}"
