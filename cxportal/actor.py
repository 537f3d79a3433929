"""Who acts: the person behind a request or a service call, or None for an API key or the system.

The one place that tells a signed-in person from an API key (``ApiKeyUser``, which has no ``pk``), so every
``by=`` and every recorded author is decided the same way.
"""


def acting_person(user):
    """``user`` when it is a stored person; None for an API key's user, an anonymous user or None."""
    return user if getattr(user, "pk", None) else None


def request_person(request):
    """The person who sent ``request``; None when an API key (or nobody) authenticated it."""
    return acting_person(getattr(request, "user", None))
