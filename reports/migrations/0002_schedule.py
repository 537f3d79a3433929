from django.conf import settings
from django.db import migrations


def forwards(apps, schema_editor):
    """Register the five-minutely report job (reports.send_due) in beat's database schedule."""
    from cxportal.schedule import schedule_register

    schedule_register(
        IntervalSchedule=apps.get_model("django_celery_beat", "IntervalSchedule"),
        CrontabSchedule=apps.get_model("django_celery_beat", "CrontabSchedule"),
        PeriodicTask=apps.get_model("django_celery_beat", "PeriodicTask"),
        time_zone=settings.TIME_ZONE,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("cxportal", "0007_schedule_retention"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
