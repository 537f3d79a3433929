"""Responses for CX managers: list, detail, export, data-subject requests."""

urlpatterns = []
