"""A management report: what it shows, for which scope, to whom and on which rhythm; and each send."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from journeys.models import Channel


class Language(models.TextChoices):
    EN = "en", "English"
    DE = "de", "Deutsch"


class ReportDefinition(models.Model):
    class Rhythm(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    name = models.CharField(_("name"), max_length=200)
    # Keys of reports.sections.SECTIONS, in the order they are shown.
    sections = models.JSONField(_("sections"), default=list)
    journey_map = models.ForeignKey(
        "journeys.JourneyMap",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("journey map"),
        help_text=_("KPIs, comments and the map section for this journey map; empty: the whole company."),
    )
    persona = models.ForeignKey(
        "journeys.Persona",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("persona"),
        help_text=_("Only this persona's customers, where a section can tell them apart; empty: every customer."),
    )
    channel = models.CharField(
        _("channel"),
        max_length=32,
        choices=Channel.choices,
        blank=True,
        help_text=_("Only touchpoints and texts of this channel, where a section can tell; empty: every channel."),
    )
    department = models.ForeignKey(
        "actionplans.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("department"),
        help_text=_("Only this department's actions; empty: all actions."),
    )
    department_audience = models.BooleanField(
        _("send to the department"),
        default=False,
        help_text=_("Its lead and members receive the report as they are on the day of sending."),
    )
    rhythm = models.CharField(_("rhythm"), max_length=16, choices=Rhythm.choices, default=Rhythm.MONTHLY)
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, default=Weekday.MONDAY, help_text=_("For weekly reports.")
    )
    day_of_month = models.PositiveSmallIntegerField(
        _("day of the month"),
        default=1,
        help_text=_("For monthly and quarterly reports (1–31; a shorter month sends on its last day)."),
    )
    send_time = models.TimeField(_("time (Europe/Berlin)"), default=datetime.time(7, 0))
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        default=Language.DE,
        help_text=_("For recipients without a language of their own."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(day_of_month__gte=1, day_of_month__lte=31), name="report_day_of_month_range"
            ),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="report_weekday_range"),
        ]

    def __str__(self) -> str:
        return self.name


class ReportRecipient(models.Model):
    """A person (a user, or a bare address) who gets the report, in their language."""

    report = models.ForeignKey(ReportDefinition, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, blank=True)

    class Meta:
        verbose_name = _("report recipient")
        verbose_name_plural = _("report recipients")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.address

    @property
    def address(self) -> str:
        return self.email or (self.user.email if self.user_id else "")

    @property
    def effective_language(self) -> str:
        return self.language or self.report.language


class ReportSend(models.Model):
    """One report for one period to one address: created once, sent at most once, retried when it fails."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Schedule")
        MANUAL = "manual", _("Send now")

    report = models.ForeignKey(ReportDefinition, on_delete=models.CASCADE, related_name="sends")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    trigger = models.CharField(_("trigger"), max_length=16, choices=Trigger.choices, default=Trigger.SCHEDULE)
    # Manual sends of the same period are allowed again; this tells them apart (0 for the schedule).
    batch = models.PositiveIntegerField(default=0)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Set just before the message goes to the mail server: a send found "sending" without it was interrupted
    # before anything left (safe to try again); with it, delivery is unknown and it is not repeated.
    handed_over_at = models.DateTimeField(null=True, blank=True)
    # The PDF as it was sent, for the history (the numbers of a period can still move with late answers).
    pdf = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Two beats, a redelivered task or a worker crash never make a second send for one period.
            models.UniqueConstraint(
                fields=["report", "period_start", "recipient", "trigger", "batch"], name="one_send_per_period"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.report_id} {self.period_start} → {self.recipient}"
