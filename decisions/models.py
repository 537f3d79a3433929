"""Churn risk: the trained model with its held-out quality, and one risk figure per customer."""

from django.db import models

from decisions.reasons import risk_reasons
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
    # What a risk's reasons are worked out from, unrounded: {"features": names, "mean": and "scale": of each
    # feature over the training rows (the standardisation), "coef": the coefficients, "intercept"}
    # (decisions.reasons).
    scaling = models.JSONField(default=dict, blank=True)
    scored = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-trained_at", "-id"]

    def __str__(self) -> str:
        return f"Churn model {self.pk} ({self.status})"


class ChurnRisk(models.Model):
    """A customer's probability of churning within the model's horizon, with the strongest reasons."""

    # The customer is the key: one risk each, and no key of its own to generate and index when a training writes
    # 80,000 of them. No database constraints on the two keys: checking them at commit cost more than writing
    # the rows. Deleting a customer or a model still deletes its risks (Django's on_delete), and
    # churn.risks_store drops the risks of customers deleted while it trained.
    customer = models.OneToOneField(
        Customer, on_delete=models.CASCADE, related_name="churn_score", db_constraint=False, primary_key=True
    )
    # Not indexed: every stored risk belongs to the latest model, so the index only cost its writing.
    model = models.ForeignKey(
        ChurnModel, on_delete=models.CASCADE, related_name="risks", db_constraint=False, db_index=False
    )
    probability = models.FloatField()
    # The customer's feature values as the model scored them (float64, little-endian, in the order of the model's
    # scaling["features"]): the reasons are worked out from them when read (``reasons``), so a training writes
    # 88 bytes per customer instead of making and writing 80,000 texts.
    features = models.BinaryField(default=bytes, blank=True)
    scored_at = models.DateTimeField()

    class Meta:
        ordering = ["-probability", "customer_id"]
        # Built again after each training's rows are in (churn.risks_store): faster than row by row.
        indexes = [models.Index(fields=["probability"], name="decisions_risk_probability")]

    def __str__(self) -> str:
        return f"Churn risk {self.probability:.2f} of {self.customer_id}"

    @property
    def reasons(self) -> list[dict]:
        """The (up to) three features that add most to this customer's risk, strongest first (risk_reasons).
        Reads the model: select_related("model") where many risks are shown."""
        return risk_reasons(bytes(self.features), self.model.scaling)
