"""Surveys, their questions, and the responses and answers customers give."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from journeys.models import Customer, Language, Touchpoint
from surveys import scales


def new_public_token() -> str:
    # 24 random bytes = 192 bits, URL-safe.
    return secrets.token_urlsafe(24)


class Survey(models.Model):
    title = models.CharField(_("title"), max_length=200)
    # What respondents read (page heading, e-mail subject); the internal ``title`` is for the team only.
    public_title = models.CharField(
        _("title respondents see"),
        max_length=200,
        blank=True,
        default="",
        help_text=_(
            "Shown on the survey page and in e-mails. Empty: a neutral “Your feedback” in the survey's language."
        ),
    )
    touchpoint = models.ForeignKey(
        Touchpoint,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
        help_text=_("The touchpoint this survey measures; its answers count towards that touchpoint's KPIs."),
        verbose_name=_("touchpoint"),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.EN)
    intro = models.TextField(_("intro"), blank=True)
    thank_you_text = models.TextField(_("thank you text"), blank=True)
    public_token = models.CharField(
        _("public token"), max_length=64, unique=True, default=new_public_token, editable=False
    )
    public_link_enabled = models.BooleanField(_("public link enabled"), default=True)
    is_active = models.BooleanField(_("is active"), default=True)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    one_response_per_browser = models.BooleanField(
        _("one response per browser"),
        default=False,
        help_text=_("After answering by the public link, the same browser sees “already answered” (a signed cookie)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
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
        NPS = "nps", _("NPS (0–10)")
        CSAT = "csat", _("CSAT (1–5)")
        CES = "ces", _("CES (1–7)")
        RATING = "rating", _("Rating (1–N)")
        SINGLE_CHOICE = "single_choice", _("Single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")

    SCALES = {Kind.NPS: (0, 10), Kind.CSAT: (1, 5), Kind.CES: (1, 7)}
    SCORED = (Kind.NPS, Kind.CSAT, Kind.CES, Kind.RATING)
    TEXT = (Kind.SHORT_TEXT, Kind.LONG_TEXT)
    CHOICE = (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE)

    class Op(models.TextChoices):
        LTE = "lte", _("≤ (at most)")
        GTE = "gte", _("≥ (at least)")
        EQ = "eq", _("= (exactly)")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    scale_max = models.PositiveSmallIntegerField(
        _("scale max"), default=5, help_text=_("Highest value of a rating question.")
    )
    starts_page = models.BooleanField(
        _("starts page"), default=False, help_text=_("Begin a new page with this question.")
    )
    # Display logic: show this question only when an earlier scored question's answer meets the condition.
    show_if_question = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="dependents",
        verbose_name=_("show if question"),
    )
    show_if_op = models.CharField(_("show if op"), max_length=3, choices=Op.choices, blank=True)
    show_if_value = models.SmallIntegerField(_("show if value"), null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
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
        PUBLIC_LINK = "public_link", _("Public link")
        INVITATION = "invitation", _("E-mail invitation")
        API = "api", _("API")
        IMPORT = "import", _("Import")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey"))
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses", verbose_name=_("customer")
    )
    # The touchpoint the survey measured when the answer was given: KPIs are attributed to it.
    touchpoint = models.ForeignKey(
        Touchpoint,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
        verbose_name=_("touchpoint"),
    )
    external_id = models.CharField(_("external id"), max_length=100, null=True, blank=True, unique=True)
    # At most one response per invitation: the database refuses a second one, even under concurrency.
    invitation = models.OneToOneField(
        "Invitation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="response",
        verbose_name=_("invitation"),
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.PUBLIC_LINK)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.EN)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.survey_id}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response"))
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question"))
    value = models.SmallIntegerField(_("value"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
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
        SCHEDULED = "scheduled", _("Scheduled")
        TRANSACTIONAL = "transactional", _("Transactional (one invitation, sent on request)")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="campaigns", verbose_name=_("survey"))
    name = models.CharField(_("name"), max_length=200)
    persona = models.ForeignKey(
        "journeys.Persona",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Invite this persona's customers; empty invites every customer."),
        verbose_name=_("persona"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SCHEDULED)
    send_at = models.DateTimeField(_("send at"), default=timezone.now, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    reminder_after_days = models.PositiveSmallIntegerField(
        _("reminder after days"),
        null=True,
        blank=True,
        help_text=_("Remind those who have not answered after so many days (empty: never)."),
    )
    max_reminders = models.PositiveSmallIntegerField(
        _("max reminders"), default=0, help_text=_("At most this many reminders per person.")
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # A run of a recurring campaign: its series and the local date it was due (each run exists once).
    series = models.ForeignKey(CampaignSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs")
    run_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
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
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Suppressed")
        RESPONDED = "responded", _("Responded")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("campaign")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("customer")
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_invitation_token, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # Indexed: the minutely recompute finds newly sent invitations (and their days) by it.
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True, db_index=True)
    # First time the link was opened ("started"); opening never uses the link up.
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
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
        EXPORT = "export", _("Data exported")
        ANONYMISE = "anonymise", _("Erased (responses anonymised)")
        DELETE = "delete", _("Erased (responses deleted)")

    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    customer_external_id = models.CharField(_("customer external id"), max_length=100, db_index=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("performed by"),
    )
    performed_by_label = models.CharField(
        _("performed by label"), max_length=150, help_text=_("User name or API key name at the time.")
    )
    performed_at = models.DateTimeField(_("performed at"), default=timezone.now, db_index=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-performed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.customer_external_id}"
