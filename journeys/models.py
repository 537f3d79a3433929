"""Personas, customers and journey maps: stages and the touchpoints within them."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEBSITE = "website", _("Website")
    SOCIAL_MEDIA = "social_media", _("Social media")
    EMAIL = "email", _("Newsletter / e-mail")
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Live chat")
    SALES_REP = "sales_rep", _("Sales rep")
    STORE = "store", _("Store / branch")
    EVENT = "event", _("Trade fair / event")
    REVIEW_PORTAL = "review_portal", _("Review portal")
    PRESS = "press", _("Press")
    REFERRAL = "referral", _("Referral")
    APP = "app", _("App")
    ADVERTISING = "advertising", _("Advertising")
    SUPPORT = "support", _("Support / service")


class Language(models.TextChoices):
    EN = "en", _("English")
    DE = "de", _("Deutsch")


def persona_photo_path(instance, filename: str) -> str:
    # The upload service re-encodes every photo to PNG; the stored name never comes from the user.
    return f"personas/{instance.pk or 'new'}-{uuid.uuid4().hex}.png"


class Persona(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    photo = models.ImageField(_("photo"), upload_to=persona_photo_path, blank=True)
    role = models.CharField(_("role / job title"), max_length=120, blank=True)
    age_range = models.CharField(_("age range"), max_length=20, blank=True, help_text=_("e.g. 35–50"))
    gender = models.CharField(_("gender"), max_length=40, blank=True)
    location = models.CharField(_("location"), max_length=120, blank=True)
    occupation = models.CharField(_("occupation / industry"), max_length=120, blank=True)
    description = models.TextField(_("short bio"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    challenges = models.TextField(_("challenges / frustrations"), blank=True)
    preferences = models.TextField(_("preferences"), blank=True)
    motivations = models.TextField(_("motivations"), blank=True)
    preferred_channels = models.JSONField(
        _("preferred channels"), default=list, blank=True, help_text=_('Channel identifiers, e.g. ["email"].')
    )
    quote = models.CharField(_("quote"), max_length=300, blank=True)
    attributes = models.JSONField(_("custom attributes"), default=dict, blank=True)
    # Which customers belong to the persona: every key/value must equal the customer's attribute.
    segment_rule = models.JSONField(_("segment rule"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("persona")
        verbose_name_plural = _("personas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    external_id = models.CharField(_("external id"), max_length=100, unique=True)
    email = models.EmailField(_("email"), blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    # The person invitations greet ("Guten Tag Anna Berger,"); ``name`` is often the company.
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True, default="")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.EN)
    persona = models.ForeignKey(
        Persona, null=True, blank=True, on_delete=models.SET_NULL, related_name="customers", verbose_name=_("persona")
    )
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    acquired_at = models.DateTimeField(_("acquired at"), null=True, blank=True)
    churned_at = models.DateTimeField(_("churned at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    do_not_contact = models.BooleanField(_("do not contact"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
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
        CURRENT_STATE = "current_state", _("Current state")
        FUTURE_STATE = "future_state", _("Future state")
        DAY_IN_THE_LIFE = "day_in_the_life", _("Day in the life")
        SERVICE_BLUEPRINT = "service_blueprint", _("Service blueprint")
        EMOTIONAL = "emotional", _("Emotional journey")
        CHANNEL_SPECIFIC = "channel_specific", _("Channel / touchpoint specific")
        EXPERIENCE_MAP = "experience_map", _("Experience map")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        FINAL = "final", _("Final")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.CURRENT_STATE)
    goal = models.TextField(_("what this map should achieve"), blank=True)
    scope = models.CharField(_("product / service / channel"), max_length=200, blank=True)
    personas = models.ManyToManyField(Persona, blank=True, related_name="journey_maps", verbose_name=_("personas"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    review_cadence_days = models.PositiveIntegerField(
        _("review cadence days"),
        null=True,
        blank=True,
        help_text=_("Review the map at least every so many days (empty: no cadence)."),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # A future-state map remembers the current-state map it was derived from.
    derived_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derived_maps",
        verbose_name=_("derived from"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("journey map")
        verbose_name_plural = _("journey maps")
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
    journey_map = models.ForeignKey(
        JourneyMap, on_delete=models.CASCADE, related_name="stages", verbose_name=_("journey map")
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
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
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="touchpoints", verbose_name=_("stage"))
    name = models.CharField(_("name"), max_length=200)
    channel = models.CharField(_("channel"), max_length=32, choices=Channel.choices, default=Channel.WEBSITE)
    description = models.TextField(_("description"), blank=True)
    customer_action = models.TextField(_("what the customer does"), blank=True)
    thoughts = models.TextField(_("thoughts / questions"), blank=True)
    emotion_score = models.SmallIntegerField(
        _("emotion score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-3), MaxValueValidator(3)],
        help_text=_("How the customer feels here, from −3 (frustrated) to +3 (delighted)."),
    )
    emotion_note = models.CharField(_("emotion note"), max_length=300, blank=True)
    is_moment_of_truth = models.BooleanField(_("moment of truth"), default=False)
    is_direct = models.BooleanField(
        _("direct"), default=True, help_text=_("The company shapes it (ad, website, call).")
    )
    is_two_way = models.BooleanField(_("two-way"), default=True, help_text=_("The customer can interact or reply."))
    is_digital = models.BooleanField(_("digital"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")
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
        TOUCHPOINTS = "touchpoints", _("Touchpoints")
        CUSTOMER_ACTIONS = "customer_actions", _("Customer actions")
        THOUGHTS = "thoughts", _("Thoughts / questions")
        EMOTIONS = "emotions", _("Emotions")
        PAIN_POINTS = "pain_points", _("Pain points")
        OPPORTUNITIES = "opportunities", _("Opportunities")
        FRONTSTAGE = "frontstage", _("Frontstage (visible to the customer)")
        BACKSTAGE = "backstage", _("Backstage (invisible to the customer)")
        SUPPORT = "support", _("Support processes / systems")
        NOTES = "notes", _("Notes / quotes")
        CUSTOM = "custom", _("Custom")

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

    journey_map = models.ForeignKey(
        JourneyMap, on_delete=models.CASCADE, related_name="lanes", verbose_name=_("journey map")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveIntegerField(_("position"), default=0)
    hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        verbose_name = _("lane")
        verbose_name_plural = _("lanes")
        ordering = ["journey_map", "position", "id"]

    def __str__(self) -> str:
        return self.name


class LaneCell(models.Model):
    lane = models.ForeignKey(Lane, on_delete=models.CASCADE, related_name="cells", verbose_name=_("lane"))
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="lane_cells", verbose_name=_("stage"))
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("lane cell")
        verbose_name_plural = _("lane cells")
        constraints = [models.UniqueConstraint(fields=["lane", "stage"], name="one_cell_per_lane_and_stage")]

    def __str__(self) -> str:
        return f"{self.lane} × {self.stage}"


class Finding(models.Model):
    """Shared fields of pain points and opportunities: where on the map, what, and the evidence."""

    journey_map = models.ForeignKey(
        JourneyMap, on_delete=models.CASCADE, related_name="+", verbose_name=_("journey map")
    )
    stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("stage")
    )
    touchpoint = models.ForeignKey(
        Touchpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("touchpoint")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    evidence = models.TextField(_("evidence (quote)"), blank=True)
    source = models.CharField(_("evidence source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class PainPoint(Finding):
    journey_map = models.ForeignKey(
        JourneyMap, on_delete=models.CASCADE, related_name="pain_points", verbose_name=_("journey map")
    )
    stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.CASCADE, related_name="pain_points", verbose_name=_("stage")
    )
    touchpoint = models.ForeignKey(
        Touchpoint,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pain_points",
        verbose_name=_("touchpoint"),
    )
    severity = models.PositiveSmallIntegerField(
        _("severity"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (minor) … 5 (critical)"),
    )

    class Meta:
        verbose_name = _("pain point")
        verbose_name_plural = _("pain points")
        ordering = ["journey_map", "-severity", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(severity__gte=1, severity__lte=5), name="pain_point_severity_1_5")
        ]


class Opportunity(Finding):
    journey_map = models.ForeignKey(
        JourneyMap, on_delete=models.CASCADE, related_name="opportunities", verbose_name=_("journey map")
    )
    stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.CASCADE, related_name="opportunities", verbose_name=_("stage")
    )
    touchpoint = models.ForeignKey(
        Touchpoint,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
        verbose_name=_("touchpoint"),
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    effort = models.PositiveSmallIntegerField(
        _("effort"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["journey_map", "-impact", "effort", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(impact__gte=1, impact__lte=5, effort__gte=1, effort__lte=5),
                name="opportunity_impact_effort_1_5",
            )
        ]


class MapChange(models.Model):
    """One entry of a map's history: who changed what, when."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        DELETED = "deleted", _("deleted")
        REORDERED = "reordered", _("reordered")
        IMPORTED = "imported", _("imported")
        DERIVED = "derived", _("derived")

    journey_map = models.ForeignKey(
        JourneyMap, on_delete=models.CASCADE, related_name="changes", verbose_name=_("journey map")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=32)
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict, blank=True, help_text=_("{field: [old, new]}"))

    class Meta:
        verbose_name = _("map change")
        verbose_name_plural = _("map changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.summary
