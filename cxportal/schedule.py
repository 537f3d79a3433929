"""The periodic jobs beat runs, registered in django-celery-beat's database scheduler.

``schedule_register`` is idempotent: a migration calls it on every install, and
``python manage.py register_schedule`` calls it again after a change here.
"""

PERIODIC_JOBS = [
    # (name, task, kind, spec)
    ("Recompute KPIs with new data", "metrics.recompute_changed", "interval", {"every": 1, "period": "minutes"}),
    ("Dispatch due survey campaigns", "surveys.dispatch_due_campaigns", "interval", {"every": 1, "period": "minutes"}),
    ("Recompute all KPIs nightly", "metrics.recompute_all", "crontab", {"minute": "30", "hour": "2"}),
    ("Daily action reminder digest", "actionplans.send_daily_digest", "crontab", {"minute": "0", "hour": "7"}),
    ("Deliver due webhooks", "webhooks.deliver_due", "interval", {"every": 1, "period": "minutes"}),
    ("Purge old webhook deliveries", "webhooks.purge_deliveries", "crontab", {"minute": "40", "hour": "3"}),
    ("Send due management reports", "reports.send_due", "interval", {"every": 5, "period": "minutes"}),
    ("Train the churn model nightly", "decisions.train_churn_model", "crontab", {"minute": "10", "hour": "4"}),
    ("Apply data retention", "cxportal.apply_retention", "crontab", {"minute": "50", "hour": "3"}),
    ("Rebuild feedback topics nightly", "voice.rebuild_topics", "crontab", {"minute": "10", "hour": "2"}),
]


def schedule_register(*, IntervalSchedule, CrontabSchedule, PeriodicTask, time_zone: str) -> None:  # noqa: N803
    """Create or update every job in PERIODIC_JOBS (model classes are passed in so migrations can use it)."""
    for name, task, kind, spec in PERIODIC_JOBS:
        defaults = {"task": task, "enabled": True, "interval": None, "crontab": None}
        if kind == "interval":
            defaults["interval"], _ = IntervalSchedule.objects.get_or_create(**spec)
        else:
            defaults["crontab"], _ = CrontabSchedule.objects.get_or_create(
                day_of_week="*", day_of_month="*", month_of_year="*", timezone=time_zone, **spec
            )
        PeriodicTask.objects.update_or_create(name=name, defaults=defaults)
