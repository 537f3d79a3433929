"""Personas, customers and journey maps: stages and the touchpoints within them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Channel(models.TextChoices):
    WEBSITE = "website", "Website"
    SOCIAL_MEDIA = "social_media", "Social media"
    EMAIL = "email", "Newsletter / e-mail"
    PHONE = "phone", "Phone"
    CHAT = "chat", "Live chat"
    SALES_REP = "sales_rep", "Sales rep"
    STORE = "store", "Store / branch"
    EVENT = "event", "Trade fair / event"
    REVIEW_PORTAL = "review_portal", "Review portal"
    PRESS = "press", "Press"
    REFERRAL = "referral", "Referral"
    APP = "app", "App"
    ADVERTISING = "advertising", "Advertising"
    SUPPORT = "support", "Support / service"


class Language(models.TextChoices):
    EN = "en", "English"
    DE = "de", "Deutsch"


class Persona(models.Model):
    name = models.CharField(max_length=120, unique=True)
    role = models.CharField("role / job title", max_length=120, blank=True)
    description = models.TextField("short bio", blank=True)
    goals = models.TextField(blank=True)
    challenges = models.TextField("challenges / frustrations", blank=True)
    quote = models.CharField(max_length=300, blank=True)
    # Which customers belong to the persona: every key/value must equal the customer's attribute.
    segment_rule = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    external_id = models.CharField(max_length=100, unique=True)
    email = models.EmailField(blank=True)
    name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.EN)
    persona = models.ForeignKey(Persona, null=True, blank=True, on_delete=models.SET_NULL, related_name="customers")
    attributes = models.JSONField(default=dict, blank=True)
    acquired_at = models.DateTimeField(null=True, blank=True)
    churned_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    do_not_contact = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "external_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(churned_at__isnull=True)
                | models.Q(acquired_at__isnull=True)
                | models.Q(churned_at__gte=models.F("acquired_at")),
                name="customer_churn_after_acquisition",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.external_id


class JourneyMap(models.Model):
    class Kind(models.TextChoices):
        CURRENT_STATE = "current_state", "Current state"
        FUTURE_STATE = "future_state", "Future state"
        DAY_IN_THE_LIFE = "day_in_the_life", "Day in the life"
        SERVICE_BLUEPRINT = "service_blueprint", "Service blueprint"
        EMOTIONAL = "emotional", "Emotional journey"
        CHANNEL_SPECIFIC = "channel_specific", "Channel / touchpoint specific"
        EXPERIENCE_MAP = "experience_map", "Experience map"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        FINAL = "final", "Final"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.CURRENT_STATE)
    goal = models.TextField("what this map should achieve", blank=True)
    scope = models.CharField("product / service / channel", max_length=200, blank=True)
    persona = models.ForeignKey(Persona, null=True, blank=True, on_delete=models.SET_NULL, related_name="journey_maps")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    journey_map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["journey_map", "position", "id"]

    def __str__(self) -> str:
        return self.name


class Touchpoint(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="touchpoints")
    name = models.CharField(max_length=200)
    channel = models.CharField(max_length=32, choices=Channel.choices, default=Channel.WEBSITE)
    description = models.TextField(blank=True)
    customer_action = models.TextField("what the customer does", blank=True)
    thoughts = models.TextField("thoughts / questions", blank=True)
    emotion_score = models.SmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-3), MaxValueValidator(3)],
        help_text="How the customer feels here, from −3 (frustrated) to +3 (delighted).",
    )
    is_moment_of_truth = models.BooleanField("moment of truth", default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["stage__journey_map", "stage__position", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(emotion_score__isnull=True) | models.Q(emotion_score__gte=-3, emotion_score__lte=3),
                name="touchpoint_emotion_score_range",
            )
        ]

    def __str__(self) -> str:
        return self.name
