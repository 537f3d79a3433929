"""Signals voice sends for the apps above it (voice may not import them).

``topic_emerging``: sent inside the transaction of ``voice.services.alerts.emerging_topics_notify`` for each
emerging topic, with ``stats`` (``voice.selectors.TopicStats``) and ``week`` ("2026-W49"); metrics notifies
the CX managers in the app and by e-mail (``metrics.topic_alerts``).
"""

from django.dispatch import Signal

topic_emerging = Signal()
