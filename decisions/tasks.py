"""Celery tasks of decisions. The task names are part of the beat schedule and of queued messages."""

from celery import shared_task
from django.db import DatabaseError, InterfaceError

from decisions.services.churn import churn_model_train


@shared_task(
    name="decisions.train_churn_model",
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=True,
    max_retries=3,
)
def train_churn_model() -> dict:
    model = churn_model_train()
    return {"model": model.pk, "status": model.status, "reason": model.reason, "auc": model.auc, "scored": model.scored}
