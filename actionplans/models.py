"""Departments, action plans and their actions, milestones, comments and the activity history."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from journeys.models import Customer, JourneyMap, Opportunity, PainPoint, Touchpoint
from metrics.models import Kpi, ScopeType, TargetCrossing
from surveys.models import Campaign, Response
from surveys.scales import NPS_DETRACTOR_MAX

# Impact and effort are rated 1–5; 4 and 5 count as "high", 1–3 as "low" (so the default 3/3 is a fill-in).
HIGH_FROM = 4

# "action" as in an action plan (Maßnahme), not an entry in a change log (Aktion).
ACTION = pgettext_lazy("action plan", "action")


class Department(models.Model):
    name = models.CharField(verbose_name=_("name"), max_length=120, unique=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="departments"
    )
    contact_email = models.EmailField(verbose_name=_("contact email"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class ActionPlan(models.Model):
    """A set of actions with one goal and period: for one journey map, or free-standing (no map)."""

    name = models.CharField(verbose_name=_("name"), max_length=200)
    journey_map = models.ForeignKey(
        JourneyMap,
        verbose_name=_("journey map"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_plans",
    )
    goal = models.TextField(verbose_name=_("goal"), blank=True)
    period_start = models.DateField(verbose_name=_("period start"), null=True, blank=True)
    period_end = models.DateField(verbose_name=_("period end"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_action_plans",
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-period_start", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="action_plan_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        BLOCKED = "blocked", _("Blocked")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")
        OBSOLETE = "obsolete", _("Obsolete")

    CLOSED = (Status.DONE, Status.CANCELLED, Status.OBSOLETE)

    class Priority(models.TextChoices):
        """Derived from impact and effort: one priority per quadrant of the 2×2 matrix."""

        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class Quadrant(models.TextChoices):
        QUICK_WIN = "quick_win", _("Quick win")
        BIG_LEVER = "big_lever", _("Big lever")
        FILL_IN = "fill_in", _("Fill-in")
        THANKLESS = "thankless", _("Thankless task")

    QUADRANT_PRIORITY = {
        Quadrant.QUICK_WIN: Priority.CRITICAL,
        Quadrant.BIG_LEVER: Priority.HIGH,
        Quadrant.FILL_IN: Priority.MEDIUM,
        Quadrant.THANKLESS: Priority.LOW,
    }
    # What an old-style priority means in impact/effort (data migration, demo data).
    PRIORITY_IMPACT_EFFORT = {
        Priority.CRITICAL: (5, 2),
        Priority.HIGH: (4, 4),
        Priority.MEDIUM: (3, 3),
        Priority.LOW: (2, 4),
    }

    title = models.CharField(verbose_name=_("title"), max_length=200)
    description = models.TextField(verbose_name=_("description"), blank=True)
    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("plan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="actions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actions",
    )
    pain_point = models.ForeignKey(
        PainPoint,
        verbose_name=_("pain point"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name=_("opportunity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    touchpoint = models.ForeignKey(
        Touchpoint,
        verbose_name=_("touchpoint"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    # What the action was linked to, recorded by the services at link time: when the map is revised and a
    # linked touchpoint/pain point/opportunity is deleted, the FK becomes null but the name stays, so the
    # open action can be flagged for review (actionplans.selectors.revisions) without journeys knowing about actions.
    linked_map = models.ForeignKey(
        JourneyMap, verbose_name=_("linked map"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    touchpoint_label = models.CharField(
        verbose_name=_("touchpoint label"), max_length=200, blank=True, default="", editable=False
    )
    pain_point_label = models.CharField(
        verbose_name=_("pain point label"), max_length=200, blank=True, default="", editable=False
    )
    opportunity_label = models.CharField(
        verbose_name=_("opportunity label"), max_length=200, blank=True, default="", editable=False
    )
    kpi = models.CharField(_("KPI it should move"), max_length=32, choices=Kpi.choices, blank=True)
    scope_type = models.CharField(_("KPI scope"), max_length=16, choices=ScopeType.choices, blank=True)
    scope_key = models.CharField(_("KPI scope id"), max_length=64, blank=True, default="")
    target_value = models.DecimalField(_("KPI target"), max_digits=10, decimal_places=2, null=True, blank=True)
    impact = models.PositiveSmallIntegerField(
        verbose_name=_("impact"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    effort = models.PositiveSmallIntegerField(
        verbose_name=_("effort"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    priority = models.CharField(
        verbose_name=_("priority"), max_length=16, choices=Priority.choices, default=Priority.MEDIUM, editable=False
    )
    resources = models.TextField(_("resources / budget"), blank=True)
    status = models.CharField(verbose_name=_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    progress = models.PositiveSmallIntegerField(
        verbose_name=_("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    start_date = models.DateField(verbose_name=_("start date"), null=True, blank=True)
    due_date = models.DateField(verbose_name=_("due date"))
    done_at = models.DateTimeField(verbose_name=_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Closed loop (actionplans.services.closed_loop): the detractor response or the missed KPI target that opened it.
    source_topic = models.ForeignKey(
        "voice.Topic",
        verbose_name=_("source Voice topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        help_text=_("The Voice topic this action was opened on; its page shows the topic before and after."),
    )
    source_response = models.ForeignKey(
        Response,
        verbose_name=_("source response"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_up_actions",
        editable=False,
    )
    source_crossing = models.ForeignKey(
        TargetCrossing,
        verbose_name=_("source crossing"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_up_actions",
        editable=False,
    )
    # The pulse survey re-asking the touchpoint once the action is done (closed_loop.pulse_survey_schedule):
    # one per action, so a second submit finds this one instead of scheduling another campaign.
    pulse_campaign = models.OneToOneField(
        Campaign,
        verbose_name=_("pulse campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pulse_of_action",
        editable=False,
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            # One follow-up per detractor response and per target crossing, however often the task runs.
            models.UniqueConstraint(fields=["source_response"], name="one_follow_up_per_response"),
            models.UniqueConstraint(fields=["source_crossing"], name="one_follow_up_per_target_crossing"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="action_progress_at_most_100"),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True) | models.Q(due_date__gte=models.F("start_date")),
                name="action_due_not_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(impact__gte=1, impact__lte=5, effort__gte=1, effort__lte=5),
                name="action_impact_effort_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

    @property
    def quadrant(self) -> str:
        return quadrant_of(self.impact, self.effort)

    def get_quadrant_display(self) -> str:
        return self.Quadrant(self.quadrant).label

    def is_overdue(self, today) -> bool:
        return not self.is_closed and self.due_date < today


def quadrant_of(impact: int, effort: int) -> str:
    high_impact, high_effort = impact >= HIGH_FROM, effort >= HIGH_FROM
    if high_impact:
        return Action.Quadrant.BIG_LEVER if high_effort else Action.Quadrant.QUICK_WIN
    return Action.Quadrant.THANKLESS if high_effort else Action.Quadrant.FILL_IN


def priority_of(impact: int, effort: int) -> str:
    return Action.QUADRANT_PRIORITY[quadrant_of(impact, effort)]


class Milestone(models.Model):
    """A checkpoint of an action; its due date lies within the action's start and due date."""

    action = models.ForeignKey(Action, verbose_name=ACTION, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(verbose_name=_("title"), max_length=200)
    due_date = models.DateField(verbose_name=_("due date"))
    done_at = models.DateTimeField(verbose_name=_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class Comment(models.Model):
    action = models.ForeignKey(Action, verbose_name=ACTION, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(verbose_name=_("body"), max_length=5000)
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.action_id}"


class ActionEvent(models.Model):
    """One entry of an action's activity history; kept (without the action) when the action is deleted."""

    class Verb(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        DELETED = "deleted", _("deleted")
        MILESTONE_ADDED = "milestone_added", _("added a milestone")
        MILESTONE_UPDATED = "milestone_updated", _("changed a milestone")
        MILESTONE_DONE = "milestone_done", _("completed a milestone")
        MILESTONE_REOPENED = "milestone_reopened", _("reopened a milestone")
        MILESTONE_DELETED = "milestone_deleted", _("deleted a milestone")
        COMMENTED = "commented", _("commented")

    action = models.ForeignKey(
        Action,
        verbose_name=ACTION,
        null=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(verbose_name=_("at"), default=timezone.now, db_index=True)
    verb = models.CharField(verbose_name=_("verb"), max_length=32, choices=Verb.choices)
    # {"field": [old, new]} for updates; {"title": ...} and the like for the other verbs.
    changes = models.JSONField(verbose_name=_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.verb} on {self.action_id} at {self.at}"


class ReminderDigest(models.Model):
    """That one person got their daily digest on one local day: the job sends at most one per day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(verbose_name=_("day"))
    sent_at = models.DateTimeField(verbose_name=_("sent at"), auto_now_add=True)
    action_count = models.PositiveIntegerField(verbose_name=_("action count"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_user_per_day")]

    def __str__(self) -> str:
        return f"Digest for {self.user_id} on {self.day}"


class TouchpointOwnership(models.Model):
    """The department that owns a touchpoint: its follow-ups land there and its members see its KPIs."""

    touchpoint = models.OneToOneField(
        Touchpoint, verbose_name=_("touchpoint"), on_delete=models.CASCADE, related_name="ownership"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, related_name="touchpoint_ownerships"
    )
    assigned_at = models.DateTimeField(verbose_name=_("assigned at"), auto_now=True)

    class Meta:
        ordering = ["touchpoint_id"]

    def __str__(self) -> str:
        return f"{self.touchpoint_id} owned by {self.department_id}"


class FollowUpRule(models.Model):
    """Closed loop at one touchpoint: an NPS answer at or below ``threshold`` opens a follow-up action.

    A moment of truth without a rule row follows the defaults (on, the owning department, 7 days, ≤ 6).
    """

    DEFAULT_DUE_IN_DAYS = 7
    DEFAULT_THRESHOLD = NPS_DETRACTOR_MAX

    touchpoint = models.OneToOneField(
        Touchpoint, verbose_name=_("touchpoint"), on_delete=models.CASCADE, related_name="follow_up_rule"
    )
    enabled = models.BooleanField(verbose_name=_("enabled"), default=True)
    # Empty: the department that owns the touchpoint (TouchpointOwnership).
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_up_rules",
    )
    due_in_days = models.PositiveSmallIntegerField(
        verbose_name=_("due in days"),
        default=DEFAULT_DUE_IN_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    # Detractors are 0–NPS_DETRACTOR_MAX (surveys.scales); a rule may be stricter (e.g. ≤ 4) but never catch passives.
    threshold = models.PositiveSmallIntegerField(
        _("NPS at or below"), default=DEFAULT_THRESHOLD, validators=[MaxValueValidator(DEFAULT_THRESHOLD)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        ordering = ["touchpoint_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(threshold__lte=NPS_DETRACTOR_MAX, due_in_days__gte=1, due_in_days__lte=365),
                name="follow_up_rule_threshold_and_days",
            )
        ]

    def __str__(self) -> str:
        return f"Follow-up rule at {self.touchpoint_id} ({'on' if self.enabled else 'off'})"


class UnroutedFollowUp(models.Model):
    """A detractor whose follow-up found no department: it waits here for a CX manager ("Needs a department").

    The closed loop never drops a detractor silently. One entry per response (the database decides, like the
    follow-up actions); a CX manager routes it (a follow-up action for a chosen department, optionally the
    touchpoint's rule from then on) or dismisses it. Erasing the response deletes the entry with it.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a department")
        ROUTED = "routed", _("Routed")
        DISMISSED = "dismissed", _("Dismissed")

    response = models.OneToOneField(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="unrouted_follow_up"
    )
    touchpoint = models.ForeignKey(
        Touchpoint, verbose_name=_("touchpoint"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.SmallIntegerField(verbose_name=_("score"))
    status = models.CharField(verbose_name=_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    action = models.OneToOneField(
        Action,
        verbose_name=ACTION,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    resolved_at = models.DateTimeField(verbose_name=_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "touchpoint"], name="unrouted_status_touchpoint")]

    def __str__(self) -> str:
        return f"Unrouted follow-up of response {self.response_id} ({self.status})"


class ChurnRiskRule(models.Model):
    """Closed loop on churn risk: a customer at or above ``threshold`` gets one follow-up action for ``department``.

    One row (the first); off until a CX manager switches it on. The churn model's scoring run applies it
    (decisions.signals.churn_scored → actionplans.services.churn_follow_up).
    """

    DEFAULT_THRESHOLD = 0.5
    DEFAULT_DUE_IN_DAYS = 14

    enabled = models.BooleanField(default=False)
    threshold = models.FloatField(
        "risk at or above", default=DEFAULT_THRESHOLD, validators=[MinValueValidator(0.05), MaxValueValidator(0.99)]
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="churn_risk_rules"
    )
    due_in_days = models.PositiveSmallIntegerField(
        default=DEFAULT_DUE_IN_DAYS, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Churn risk rule ≥ {self.threshold:.2f} ({'on' if self.enabled else 'off'})"


class ChurnFollowUp(models.Model):
    """The follow-up action opened for a customer at risk; a customer gets a new one only once it is closed."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="churn_follow_ups")
    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="churn_follow_up")
    probability = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Churn follow-up {self.action_id} for {self.customer_id}"
