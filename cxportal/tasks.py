"""Queueing a task of another app by its name, so the sending app does not import the receiving one."""

from celery import current_app


def task_queue(name: str, *, args: tuple | list = (), **options):
    """Queue the task called ``name``; a task registered in this process goes through its own ``apply_async``.

    ``send_task`` alone always talks to the broker, even with ``task_always_eager``: in tests that would
    leave messages in a real queue instead of running the task, so a registered task is applied instead.
    """
    task = current_app.tasks.get(name)
    if task is not None:
        return task.apply_async(args=args, **options)
    return current_app.send_task(name, args=args, **options)


@current_app.task(name="cxportal.apply_retention")
def apply_retention() -> dict:
    """Nightly (beat): anonymise and delete what is older than the retention settings (``cxportal.retention``)."""
    from cxportal.retention import retention_apply

    return {outcome.kind: outcome.count for outcome in retention_apply()}
