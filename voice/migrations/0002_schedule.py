from django.conf import settings
from django.db import migrations


def forwards(apps, schema_editor):
    """Register the nightly topic rebuild (cxportal.schedule.PERIODIC_JOBS) on existing installs."""
    from cxportal.schedule import schedule_register

    schedule_register(
        IntervalSchedule=apps.get_model("django_celery_beat", "IntervalSchedule"),
        CrontabSchedule=apps.get_model("django_celery_beat", "CrontabSchedule"),
        PeriodicTask=apps.get_model("django_celery_beat", "PeriodicTask"),
        time_zone=settings.TIME_ZONE,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("voice", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
