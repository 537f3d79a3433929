"""Template context of metrics: the unread-notification count for the bell in the navigation."""

from metrics.models import Notification


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    # Lazy: pages that do not draw the navigation (fragments, respondent pages) run no query.
    return {"unread_notifications": lambda: Notification.objects.filter(user=user, read_at__isnull=True).count()}
