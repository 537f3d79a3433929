"""Signals of decisions: higher apps (actionplans) react without decisions importing them."""

from django.dispatch import Signal

# Sent after a churn model scored the customers: kwargs ``model`` (the ChurnModel that scored).
churn_scored = Signal()
