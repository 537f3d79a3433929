"""Template context of metrics: the unread-notification count for the bell in the navigation."""

from metrics.selectors.targets import notification_unread_count


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    # Lazy: pages that do not draw the navigation (fragments, respondent pages) run no query.
    return {"unread_notifications": lambda: notification_unread_count(user=user)}
