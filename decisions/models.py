"""Churn risk: the trained model with its held-out quality, and one risk figure per customer."""

from django.db import models

from decisions.fields import JSONText
from journeys.models import Customer


class ChurnModel(models.Model):
    """One training run of the churn model: its quality on the later, held-out period, or why it refused."""

    class Status(models.TextChoices):
        OK = "ok", "Trained"
        REFUSED = "refused", "Refused"

    trained_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    # Why it refused (a code the pages translate): too_few_customers, too_few_churners, weak.
    reason = models.CharField(max_length=32, blank=True, default="")
    horizon_days = models.PositiveSmallIntegerField()
    auc = models.FloatField(null=True, blank=True)
    brier = models.FloatField(null=True, blank=True)
    n_train = models.PositiveIntegerField(default=0)
    n_test = models.PositiveIntegerField(default=0)
    churners_train = models.PositiveIntegerField(default=0)
    churners_test = models.PositiveIntegerField(default=0)
    # [{"predicted": mean predicted, "observed": churn share, "n": customers}] per bin of the test period.
    calibration = models.JSONField(default=list, blank=True)
    # {feature: coefficient on the standardised feature} of the model that scored.
    coefficients = models.JSONField(default=dict, blank=True)
    scored = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-trained_at", "-id"]

    def __str__(self) -> str:
        return f"Churn model {self.pk} ({self.status})"


class ChurnRisk(models.Model):
    """A customer's probability of churning within the model's horizon, with the strongest reasons."""

    # No database constraints on the two keys: every training rewrites all risks (80,000 on the bench data set),
    # and checking their keys at commit cost more than writing them. Deleting a customer or a model still
    # deletes its risks (Django's on_delete), and churn.risks_store drops the risks of customers deleted
    # while it trained.
    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="churn_score", db_constraint=False)
    # Not indexed: every stored risk belongs to the latest model, so the index only cost its writing.
    model = models.ForeignKey(
        ChurnModel, on_delete=models.CASCADE, related_name="risks", db_constraint=False, db_index=False
    )
    probability = models.FloatField(db_index=True)
    # [{"feature": name, "value": the customer's value, "contribution": log-odds added}] strongest first.
    # JSON as text (decisions.fields.JSONText): read and written whole, never queried.
    reasons = JSONText(default=list, blank=True)
    scored_at = models.DateTimeField()

    class Meta:
        ordering = ["-probability", "customer_id"]

    def __str__(self) -> str:
        return f"Churn risk {self.probability:.2f} of {self.customer_id}"
