"""Personas, customers and journey maps: stages and the touchpoints within them."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


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


def persona_photo_path(instance, filename: str) -> str:
    # The upload service re-encodes every photo to PNG; the stored name never comes from the user.
    return f"personas/{instance.pk or 'new'}-{uuid.uuid4().hex}.png"


class Persona(models.Model):
    name = models.CharField(max_length=120, unique=True)
    photo = models.ImageField(upload_to=persona_photo_path, blank=True)
    role = models.CharField("role / job title", max_length=120, blank=True)
    age_range = models.CharField(max_length=20, blank=True, help_text="e.g. 35–50")
    gender = models.CharField(max_length=40, blank=True)
    location = models.CharField(max_length=120, blank=True)
    occupation = models.CharField("occupation / industry", max_length=120, blank=True)
    description = models.TextField("short bio", blank=True)
    goals = models.TextField(blank=True)
    challenges = models.TextField("challenges / frustrations", blank=True)
    preferences = models.TextField(blank=True)
    motivations = models.TextField(blank=True)
    preferred_channels = models.JSONField(default=list, blank=True, help_text='Channel identifiers, e.g. ["email"].')
    quote = models.CharField(max_length=300, blank=True)
    attributes = models.JSONField("custom attributes", default=dict, blank=True)
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
    # The person invitations greet ("Guten Tag Anna Berger,"); ``name`` is often the company.
    contact_name = models.CharField(max_length=200, blank=True, default="")
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
    personas = models.ManyToManyField(Persona, blank=True, related_name="journey_maps")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_cadence_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Review the map at least every so many days (empty: no cadence)."
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # A future-state map remembers the current-state map it was derived from.
    derived_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="derived_maps"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def review_due(self) -> bool:
        """The map is older than its review cadence (since its last review, or since it was created)."""
        if not self.review_cadence_days:
            return False
        since = self.reviewed_at or self.created_at
        return since is not None and timezone.now() - since > timedelta(days=self.review_cadence_days)


class Stage(models.Model):
    journey_map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["journey_map", "position", "id"]

    def __str__(self) -> str:
        return self.name


# What a person writes about a touchpoint (not its place on the map): edited, copied and compared together.
TOUCHPOINT_CONTENT_FIELDS = (
    "name",
    "channel",
    "description",
    "customer_action",
    "thoughts",
    "emotion_score",
    "emotion_note",
    "is_moment_of_truth",
    "is_direct",
    "is_two_way",
    "is_digital",
)


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
    emotion_note = models.CharField(max_length=300, blank=True)
    is_moment_of_truth = models.BooleanField("moment of truth", default=False)
    is_direct = models.BooleanField("direct", default=True, help_text="The company shapes it (ad, website, call).")
    is_two_way = models.BooleanField("two-way", default=True, help_text="The customer can interact or reply.")
    is_digital = models.BooleanField("digital", default=True)
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


class Lane(models.Model):
    """A row of the map across the stages. Record lanes show records; text lanes hold one cell per stage."""

    class Kind(models.TextChoices):
        TOUCHPOINTS = "touchpoints", "Touchpoints"
        CUSTOMER_ACTIONS = "customer_actions", "Customer actions"
        THOUGHTS = "thoughts", "Thoughts / questions"
        EMOTIONS = "emotions", "Emotions"
        PAIN_POINTS = "pain_points", "Pain points"
        OPPORTUNITIES = "opportunities", "Opportunities"
        FRONTSTAGE = "frontstage", "Frontstage (visible to the customer)"
        BACKSTAGE = "backstage", "Backstage (invisible to the customer)"
        SUPPORT = "support", "Support processes / systems"
        NOTES = "notes", "Notes / quotes"
        CUSTOM = "custom", "Custom"

    # Lanes whose content comes from records (touchpoints, pain points …) rather than from cells.
    RECORD_KINDS = (
        Kind.TOUCHPOINTS,
        Kind.CUSTOMER_ACTIONS,
        Kind.THOUGHTS,
        Kind.EMOTIONS,
        Kind.PAIN_POINTS,
        Kind.OPPORTUNITIES,
    )
    # The line of visibility of a service blueprint is drawn above the first of these.
    BELOW_VISIBILITY = (Kind.BACKSTAGE, Kind.SUPPORT)

    journey_map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="lanes")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    name = models.CharField(max_length=120)
    position = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ["journey_map", "position", "id"]

    def __str__(self) -> str:
        return self.name


class LaneCell(models.Model):
    lane = models.ForeignKey(Lane, on_delete=models.CASCADE, related_name="cells")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="lane_cells")
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lane", "stage"], name="one_cell_per_lane_and_stage")]

    def __str__(self) -> str:
        return f"{self.lane} × {self.stage}"


class Finding(models.Model):
    """Shared fields of pain points and opportunities: where on the map, what, and the evidence."""

    journey_map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="+")
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    touchpoint = models.ForeignKey(Touchpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    evidence = models.TextField("evidence (quote)", blank=True)
    source = models.CharField("evidence source", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class PainPoint(Finding):
    journey_map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="pain_points")
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.CASCADE, related_name="pain_points")
    touchpoint = models.ForeignKey(
        Touchpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="pain_points"
    )
    severity = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)], help_text="1 (minor) … 5 (critical)"
    )

    class Meta:
        ordering = ["journey_map", "-severity", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(severity__gte=1, severity__lte=5), name="pain_point_severity_1_5")
        ]


class Opportunity(Finding):
    journey_map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="opportunities")
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.CASCADE, related_name="opportunities")
    touchpoint = models.ForeignKey(
        Touchpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="opportunities"
    )
    impact = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1), MaxValueValidator(5)])
    effort = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        ordering = ["journey_map", "-impact", "effort", "id"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(impact__gte=1, impact__lte=5, effort__gte=1, effort__lte=5),
                name="opportunity_impact_effort_1_5",
            )
        ]


class MapChange(models.Model):
    """One entry of a map's history: who changed what, when."""

    class Action(models.TextChoices):
        CREATED = "created", "created"
        UPDATED = "updated", "updated"
        DELETED = "deleted", "deleted"
        REORDERED = "reordered", "reordered"
        IMPORTED = "imported", "imported"
        DERIVED = "derived", "derived"

    journey_map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True, help_text="{field: [old, new]}")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.summary
