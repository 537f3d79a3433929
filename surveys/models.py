"""Surveys, their questions, and the responses and answers customers give."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from journeys.models import Customer, Language, Touchpoint
from surveys import scales


def new_public_token() -> str:
    # 24 random bytes = 192 bits, URL-safe.
    return secrets.token_urlsafe(24)


class Survey(models.Model):
    title = models.CharField(max_length=200)
    # What respondents read (page heading, e-mail subject); the internal ``title`` is for the team only.
    public_title = models.CharField(
        "title respondents see",
        max_length=200,
        blank=True,
        default="",
        help_text="Shown on the survey page and in e-mails. Empty: a neutral “Your feedback” in the survey's language.",
    )
    touchpoint = models.ForeignKey(
        Touchpoint,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
        help_text="The touchpoint this survey measures; its answers count towards that touchpoint's KPIs.",
    )
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.EN)
    intro = models.TextField(blank=True)
    thank_you_text = models.TextField(blank=True)
    public_token = models.CharField(max_length=64, unique=True, default=new_public_token, editable=False)
    public_link_enabled = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    anonymous = models.BooleanField(default=False)
    one_response_per_browser = models.BooleanField(
        default=False,
        help_text="After answering by the public link, the same browser sees “already answered” (a signed cookie).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True)
                | models.Q(closes_at__isnull=True)
                | models.Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def respondent_title(self) -> str:
        """What respondents read as the survey's title, in the active language: never the internal title."""
        return self.public_title or gettext("Your feedback")

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        if not self.is_active:
            return False
        if self.opens_at and at < self.opens_at:
            return False
        return not (self.closes_at and at >= self.closes_at)


class Question(models.Model):
    class Kind(models.TextChoices):
        NPS = "nps", "NPS (0–10)"
        CSAT = "csat", "CSAT (1–5)"
        CES = "ces", "CES (1–7)"
        RATING = "rating", "Rating (1–N)"
        SINGLE_CHOICE = "single_choice", "Single choice"
        MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
        SHORT_TEXT = "short_text", "Short text"
        LONG_TEXT = "long_text", "Long text"

    SCALES = {Kind.NPS: (0, 10), Kind.CSAT: (1, 5), Kind.CES: (1, 7)}
    SCORED = (Kind.NPS, Kind.CSAT, Kind.CES, Kind.RATING)
    TEXT = (Kind.SHORT_TEXT, Kind.LONG_TEXT)
    CHOICE = (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE)

    class Op(models.TextChoices):
        LTE = "lte", "≤ (at most)"
        GTE = "gte", "≥ (at least)"
        EQ = "eq", "= (exactly)"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    text = models.CharField(max_length=500)
    help_text = models.CharField(max_length=500, blank=True)
    required = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)
    choices = models.JSONField(default=list, blank=True)
    scale_max = models.PositiveSmallIntegerField(default=5, help_text="Highest value of a rating question.")
    starts_page = models.BooleanField(default=False, help_text="Begin a new page with this question.")
    # Display logic: show this question only when an earlier scored question's answer meets the condition.
    show_if_question = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="dependents"
    )
    show_if_op = models.CharField(max_length=3, choices=Op.choices, blank=True)
    show_if_value = models.SmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(show_if_question__isnull=True, show_if_op="", show_if_value__isnull=True)
                | (models.Q(show_if_question__isnull=False, show_if_value__isnull=False) & ~models.Q(show_if_op="")),
                name="question_condition_complete_or_absent",
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def has_condition(self) -> bool:
        return self.show_if_question_id is not None

    def condition_holds(self, value: int | None) -> bool:
        """Whether the condition is met by the condition question's answer (no answer: not met)."""
        if value is None:
            return False
        return {
            self.Op.LTE: value <= self.show_if_value,
            self.Op.GTE: value >= self.show_if_value,
            self.Op.EQ: value == self.show_if_value,
        }[self.show_if_op]

    @property
    def scale(self) -> tuple[int, int] | None:
        if self.kind == self.Kind.RATING:
            return (1, self.scale_max)
        return self.SCALES.get(self.kind)


class Response(models.Model):
    class Source(models.TextChoices):
        PUBLIC_LINK = "public_link", "Public link"
        INVITATION = "invitation", "E-mail invitation"
        API = "api", "API"
        IMPORT = "import", "Import"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses")
    # The touchpoint the survey measured when the answer was given: KPIs are attributed to it.
    touchpoint = models.ForeignKey(
        Touchpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    external_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    # At most one response per invitation: the database refuses a second one, even under concurrency.
    invitation = models.OneToOneField(
        "Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.PUBLIC_LINK)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.EN)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.survey_id}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["response", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"


def new_invitation_token() -> str:
    # 24 random bytes = 192 bits.
    return secrets.token_urlsafe(24)


class CampaignSeries(models.Model):
    """A campaign that repeats every N weeks or months; each run is a Campaign of its own (``Campaign.series``).

    Run *k* falls on ``surveys.recurrence.run_at(anchor=starts_at, index=k, ...)``: counted from the first run in
    the site's time zone, so a series started on the 31st runs on the last day of shorter months and keeps its
    wall-clock time across daylight-saving changes. ``next_run_index``/``next_run_at`` say which run is due next;
    the dispatch (``surveys.services.series``) creates it once, under a row lock and a unique (series, run date).
    """

    class Unit(models.TextChoices):
        WEEK = "week", gettext_lazy("weeks")
        MONTH = "month", gettext_lazy("months")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="campaign_series")
    name = models.CharField(max_length=200)
    persona = models.ForeignKey("journeys.Persona", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reminder_after_days = models.PositiveSmallIntegerField(null=True, blank=True)
    max_reminders = models.PositiveSmallIntegerField(default=0)
    every = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=8, choices=Unit.choices)
    starts_at = models.DateTimeField(help_text="The first run; later runs are counted from it.")
    next_run_index = models.PositiveIntegerField(default=0)
    next_run_at = models.DateTimeField(db_index=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(every__gte=1), name="series_repeats_every_one_or_more")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class Campaign(models.Model):
    """A survey sent to an audience of customers by e-mail, now or at a given time (or one run of a series)."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        TRANSACTIONAL = "transactional", "Transactional (one invitation, sent on request)"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=200)
    persona = models.ForeignKey(
        "journeys.Persona",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Invite this persona's customers; empty invites every customer.",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SCHEDULED)
    send_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    reminder_after_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Remind those who have not answered after so many days (empty: never)."
    )
    max_reminders = models.PositiveSmallIntegerField(default=0, help_text="At most this many reminders per person.")
    dispatched_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A run of a recurring campaign: its series and the local date it was due (each run exists once).
    series = models.ForeignKey(CampaignSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs")
    run_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-send_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "run_date"],
                condition=models.Q(series__isnull=False),
                name="one_campaign_per_series_run_date",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def repeat_every(self) -> int | None:
        return self.series.every if self.series_id else None

    @property
    def repeat_unit(self) -> str:
        return self.series.unit if self.series_id else ""

    @property
    def next_run_at(self):
        """When the series' next run is due (None: not recurring, or paused)."""
        if not self.series_id or self.series.is_paused:
            return None
        return self.series.next_run_at

    @property
    def response_rate(self) -> float | None:
        """Responses ÷ invitations sent, in percent (needs the ``sent``/``responded`` annotations)."""
        return scales.response_rate(sent=getattr(self, "sent", 0), responded=getattr(self, "responded", 0))


class Invitation(models.Model):
    """One customer's single-use link to a campaign's survey; sent at most once (surveys.services.distribution)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SUPPRESSED = "suppressed", "Suppressed"
        RESPONDED = "responded", "Responded"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token, editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # First time the link was opened ("started"); opening never uses the link up.
    opened_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "customer"], name="one_invitation_per_customer_per_campaign")
        ]

    def __str__(self) -> str:
        return f"Invitation {self.pk} ({self.status})"


class PrivacyRequest(models.Model):
    """The audit entry of a data-subject request: who did what to which customer, and how much.

    It outlives the customer, so it holds no personal data beyond the customer's external id (the key
    the company's own systems know the person by, needed to prove the request was carried out).
    """

    class Action(models.TextChoices):
        EXPORT = "export", "Data exported"
        ANONYMISE = "anonymise", "Erased (responses anonymised)"
        DELETE = "delete", "Erased (responses deleted)"

    action = models.CharField(max_length=16, choices=Action.choices)
    customer_external_id = models.CharField(max_length=100, db_index=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    performed_by_label = models.CharField(max_length=150, help_text="User name or API key name at the time.")
    performed_at = models.DateTimeField(default=timezone.now, db_index=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-performed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.customer_external_id}"
