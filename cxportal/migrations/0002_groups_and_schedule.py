from django.conf import settings
from django.db import migrations


def forwards(apps, schema_editor):
    from cxportal import roles
    from cxportal.schedule import schedule_register

    Group = apps.get_model("auth", "Group")
    for name in (roles.CX_MANAGER, roles.DEPARTMENT_MEMBER):
        Group.objects.get_or_create(name=name)
    schedule_register(
        IntervalSchedule=apps.get_model("django_celery_beat", "IntervalSchedule"),
        CrontabSchedule=apps.get_model("django_celery_beat", "CrontabSchedule"),
        PeriodicTask=apps.get_model("django_celery_beat", "PeriodicTask"),
        time_zone=settings.TIME_ZONE,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cxportal", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
