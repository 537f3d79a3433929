"""Webhooks: every app emits events (``webhook_emit``); subscribers get them as signed HTTP POSTs."""
